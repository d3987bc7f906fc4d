-- Reconciliation: once a day has had its last re-read, the historical collector asks Connect for the
-- whole day in one request (GetMetricDataV2, IntervalPeriod DAY, UTC) and compares, per queue and
-- channel, Connect's figures with the totals re-aggregated from the stored 15-minute rows. Every
-- compared figure is kept, equal or not, so the report shows what was checked as well as what differs.

CREATE TABLE reconciliation (
  instance_id     text             NOT NULL,
  queue_id        text             NOT NULL,
  channel         text             NOT NULL,
  day             date             NOT NULL,
  metric          text             NOT NULL,
  stored_value    double precision,
  connect_value   double precision,
  difference      double precision,
  tolerance       double precision NOT NULL,
  within_tolerance boolean         NOT NULL,
  reconciled_at   timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, day, queue_id, channel, metric)
);
COMMENT ON TABLE reconciliation IS
  'Per instance, UTC day, queue, channel and metric: the stored total (re-aggregated from the 15-minute rows) next to Connect''s figure for the whole day, their difference and whether it is within the configured tolerance.';

CREATE VIEW v_reconciliation AS
SELECT
  r.instance_id,
  i.client_name,
  r.queue_id,
  q.queue_name,
  r.channel,
  r.day,
  r.metric,
  r.stored_value,
  r.connect_value,
  r.difference,
  r.tolerance,
  r.within_tolerance,
  r.reconciled_at
FROM reconciliation r
LEFT JOIN connect_instance i ON i.instance_id = r.instance_id
LEFT JOIN queue q ON q.instance_id = r.instance_id AND q.queue_id = r.queue_id;
COMMENT ON VIEW v_reconciliation IS
  'Daily reconciliation with Connect: per queue, channel and metric (contacts queued, handled, answered, abandoned, average queue answer time, service level per threshold) our stored figure, Connect''s own for the whole day, the difference and whether it is within tolerance.';
