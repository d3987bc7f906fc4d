-- Historical facts. queue_interval_metrics holds two kinds of rows, told apart by interval_minutes:
--   5  from GetMetricData (v1): all 25 HistoricalMetricName values, averages as Connect computes them;
--   15 from GetMetricDataV2: counts and SUM_ metrics, so that averages over any grouping are exact.
-- Sums sit next to the counts that divide them (handle_time_sum_seconds / contacts_handled_count ...).
-- Never add rows of both lengths together: use the v_queue_interval* views.

CREATE TABLE queue_interval_metrics (
  instance_id                                text             NOT NULL,
  queue_id                                   text             NOT NULL,
  channel                                    text             NOT NULL,
  interval_start                             timestamptz      NOT NULL,
  interval_minutes                           smallint         NOT NULL CHECK (interval_minutes IN (5, 15, 30, 60)),
  interval_end                               timestamptz      NOT NULL,
  -- HistoricalMetricName counts (SUM)
  contacts_abandoned_count                   integer,
  contacts_agent_hung_up_first_count         integer,
  contacts_consulted_count                   integer,
  contacts_handled_count                     integer,
  contacts_handled_incoming_count            integer,
  contacts_handled_outbound_count            integer,
  contacts_hold_abandons_count               integer,
  contacts_missed_count                      integer,
  contacts_queued_count                      integer,
  contacts_transferred_in_count              integer,
  contacts_transferred_in_from_queue_count   integer,
  contacts_transferred_out_count             integer,
  contacts_transferred_out_from_queue_count  integer,
  api_contacts_handled_count                 integer,
  callback_contacts_handled_count            integer,
  -- HistoricalMetricName averages (AVG) and maximum (MAX), seconds or percent
  abandon_time_avg_seconds                   double precision,
  after_contact_work_time_avg_seconds        double precision,
  handle_time_avg_seconds                    double precision,
  hold_time_avg_seconds                      double precision,
  interaction_and_hold_time_avg_seconds      double precision,
  interaction_time_avg_seconds               double precision,
  queue_answer_time_avg_seconds              double precision,
  queued_time_max_seconds                    double precision,
  occupancy_avg_pct                          double precision,
  -- GetMetricDataV2 sums and the counts that go with them
  handle_time_sum_seconds                    double precision,
  hold_time_sum_seconds                      double precision,
  contacts_put_on_hold_count                 integer,
  after_contact_work_time_sum_seconds        double precision,
  interaction_time_sum_seconds               double precision,
  queue_answer_time_sum_seconds              double precision,
  contacts_answered_count                    integer,
  abandon_time_sum_seconds                   double precision,
  collected_at                               timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, queue_id, channel, interval_start, interval_minutes),
  CHECK (interval_end > interval_start)
);
CREATE INDEX queue_interval_metrics_start_idx ON queue_interval_metrics (interval_start);
COMMENT ON TABLE queue_interval_metrics IS
  'Historical queue metrics per queue, channel and interval: 5-minute rows from GetMetricData (v1, averages), 15-minute rows from GetMetricDataV2 (sums and counts).';

-- SERVICE_LEVEL is asked for at several thresholds, so it has a row per threshold.
CREATE TABLE queue_interval_service_level (
  instance_id                          text             NOT NULL,
  queue_id                             text             NOT NULL,
  channel                              text             NOT NULL,
  interval_start                       timestamptz      NOT NULL,
  interval_minutes                     smallint         NOT NULL CHECK (interval_minutes IN (5, 15, 30, 60)),
  threshold_seconds                    integer          NOT NULL CHECK (threshold_seconds > 0),
  service_level_pct                    double precision,
  contacts_answered_in_threshold_count integer,
  contacts_abandoned_in_threshold_count integer,
  collected_at                         timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, queue_id, channel, interval_start, interval_minutes, threshold_seconds)
);
COMMENT ON TABLE queue_interval_service_level IS
  'SERVICE_LEVEL per threshold: service_level_pct from v1 (5-minute rows); contacts answered and abandoned within the threshold from v2 (15-minute rows), which re-aggregate exactly.';

CREATE TABLE agent_interval_metrics (
  instance_id                         text             NOT NULL,
  agent_id                            text             NOT NULL,
  interval_start                      timestamptz      NOT NULL,
  interval_minutes                    smallint         NOT NULL CHECK (interval_minutes IN (15, 30, 60)),
  interval_end                        timestamptz      NOT NULL,
  contacts_handled_count              integer,
  handle_time_sum_seconds             double precision,
  hold_time_sum_seconds               double precision,
  contacts_put_on_hold_count          integer,
  after_contact_work_time_sum_seconds double precision,
  interaction_time_sum_seconds        double precision,
  online_time_sum_seconds             double precision,
  idle_time_sum_seconds               double precision,
  non_productive_time_sum_seconds     double precision,
  contact_time_sum_seconds            double precision,
  occupancy_pct                       double precision,
  collected_at                        timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, agent_id, interval_start, interval_minutes),
  CHECK (interval_end > interval_start)
);
CREATE INDEX agent_interval_metrics_start_idx ON agent_interval_metrics (interval_start);
COMMENT ON TABLE agent_interval_metrics IS
  'Per-agent GetMetricDataV2 intervals: time sums (online, idle, non-productive, on contact, handle, hold, after-contact work) and counts.';
