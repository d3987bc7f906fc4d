-- Plans for the dashboard's questions at scale (bench/dashboard-queries.ts: 30 days at 100 queues and
-- 1,000 agents on PostgreSQL 15).
--
-- feed_freshness and pipeline_instances are SECURITY DEFINER with a fixed search_path, so PostgreSQL
-- never inlines them and assumes 1,000 rows from each: the "latest" views then sorted every real-time
-- snapshot into a merge join (4.6 s for the Now sheet's queue table) instead of probing the time index
-- once per instance (4 ms). feed_freshness returns exactly one row; pipeline_instances one per instance.
ALTER FUNCTION feed_freshness(text, text) ROWS 1;
ALTER FUNCTION pipeline_instances() ROWS 10;

-- Today's (and the last 31 days') service level read every stored threshold row: the table had no
-- index that leads with the interval.
CREATE INDEX queue_interval_service_level_time_idx ON queue_interval_service_level (interval_start);


-- Where each rollup starts ("from_time"): its view reads the rollup from there on and aggregates the raw
-- rows before it, as it did before the rollup existed. So the migration rolls up only the current minute
-- or day (bounded, whatever the size of the database: a full rebuild could outrun the Data API's
-- 45-second statement limit), and the raw part empties as retention deletes old rows. A database with
-- no rows yet starts its rollups at -infinity: everything it will hold is rolled up.
CREATE TABLE rollup_start (
  rollup    text        PRIMARY KEY,
  from_time timestamptz NOT NULL
);
COMMENT ON TABLE rollup_start IS 'Where each rollup table starts; its view aggregates the raw rows before that.';

-- v_queue_daily summed every 15-minute row of every day on each read (3 s for 31 days at 100 queues,
-- whatever the filter: a filter on day_utc cannot use the interval index). The daily sums are now kept
-- in queue_daily_metrics, rewritten for each (instance, queue, channel, UTC day) a statement on
-- queue_interval_metrics touches, in the same statement (triggers below), so every writer keeps them
-- exact: the collectors' upserts, re-reads that restate an interval, deletes, truncation. The triggers
-- run as the owner (the collector needs no rights on the rollups). The view's columns and values are
-- unchanged.
CREATE TABLE queue_daily_metrics (
  instance_id                          text             NOT NULL,
  queue_id                             text             NOT NULL,
  channel                              text             NOT NULL,
  day_utc                              date             NOT NULL,
  interval_count                       integer          NOT NULL,
  contacts_queued_count                bigint,
  contacts_handled_count               bigint,
  contacts_handled_with_aht_count      bigint,
  contacts_abandoned_count             bigint,
  contacts_answered_count              bigint,
  contacts_put_on_hold_count           bigint,
  aht_weighted_sum_seconds             double precision,
  handle_time_sum_seconds              double precision,
  hold_time_sum_seconds                double precision,
  after_contact_work_time_sum_seconds  double precision,
  queue_answer_time_sum_seconds        double precision,
  abandon_time_sum_seconds             double precision,
  PRIMARY KEY (instance_id, queue_id, channel, day_utc)
);

CREATE INDEX queue_daily_metrics_day_idx ON queue_daily_metrics (day_utc);
COMMENT ON TABLE queue_daily_metrics IS
  'Sums of the 15-minute queue_interval_metrics rows per UTC day, kept by triggers on that table; read through v_queue_daily.';
INSERT INTO rollup_start
SELECT 'queue_daily_metrics', CASE WHEN EXISTS (SELECT 1 FROM queue_interval_metrics)
  THEN date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' ELSE '-infinity' END;

-- Rewrites the daily rows of the given (instance, queue, channel, day) keys from the interval rows;
-- returns how many it wrote.
CREATE FUNCTION queue_daily_rollup(p_instance text[], p_queue text[], p_channel text[], p_day date[])
RETURNS integer
LANGUAGE sql
AS $$
  -- One writer at a time per instance (a lock per key would need one lock-table slot per queue and
  -- minute: a retention batch at 2,000 queues would exhaust max_locks_per_transaction): another
  -- transaction rewriting the same instance's rows waits here, then reads what the first committed
  -- (each statement of a VOLATILE SQL function takes a new snapshot).
  SELECT pg_advisory_xact_lock(h)
  FROM (
    SELECT DISTINCT hashtextextended('queue_daily_metrics|' || k.instance_id, 0) AS h
    FROM unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  ) locks
  ORDER BY h;
  DELETE FROM queue_daily_metrics d
  USING unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  WHERE d.instance_id = k.instance_id AND d.queue_id = k.queue_id AND d.channel = k.channel
    AND d.day_utc = k.day_utc;
  WITH written AS (
  INSERT INTO queue_daily_metrics
  SELECT m.instance_id, m.queue_id, m.channel, k.day_utc,
    count(*)::integer,
    sum(m.contacts_queued_count),
    sum(m.contacts_handled_count),
    sum(m.contacts_handled_count) FILTER (WHERE m.aht_weighted_sum_seconds IS NOT NULL),
    sum(m.contacts_abandoned_count),
    sum(m.contacts_answered_count),
    sum(m.contacts_put_on_hold_count),
    sum(m.aht_weighted_sum_seconds),
    sum(m.handle_time_sum_seconds),
    sum(m.hold_time_sum_seconds),
    sum(m.after_contact_work_time_sum_seconds),
    sum(m.queue_answer_time_sum_seconds),
    sum(m.abandon_time_sum_seconds)
  FROM unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  JOIN queue_interval_metrics m
    ON m.instance_id = k.instance_id AND m.queue_id = k.queue_id AND m.channel = k.channel
   AND m.interval_start >= k.day_utc::timestamp AT TIME ZONE 'UTC'
   AND m.interval_start < (k.day_utc + 1)::timestamp AT TIME ZONE 'UTC'
  WHERE m.interval_minutes = 15
  GROUP BY m.instance_id, m.queue_id, m.channel, k.day_utc
  RETURNING 1
  )
  SELECT count(*)::integer FROM written;
$$;

CREATE FUNCTION queue_daily_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
  b_0 timestamptz := (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_metrics');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A row whose key changed leaves its old minute or day as well.
    PERFORM queue_daily_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM (SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM written_rows UNION ALL SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM old_rows) rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
  ELSE
    PERFORM queue_daily_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM written_rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION queue_daily_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  TRUNCATE queue_daily_metrics;
  RETURN NULL;
END
$$;

CREATE TRIGGER queue_daily_after_insert AFTER INSERT ON queue_interval_metrics
  REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_after_write();
CREATE TRIGGER queue_daily_after_update AFTER UPDATE ON queue_interval_metrics
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_after_write();
CREATE TRIGGER queue_daily_after_delete AFTER DELETE ON queue_interval_metrics
  REFERENCING OLD TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_after_write();
CREATE TRIGGER queue_daily_after_truncate AFTER TRUNCATE ON queue_interval_metrics
  FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_after_truncate();

-- Today so far.
SELECT coalesce(queue_daily_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc)), 0) AS rolled_up
FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM queue_interval_metrics WHERE interval_start >= (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_metrics') AND interval_minutes = 15) keys;

CREATE OR REPLACE VIEW v_queue_daily AS
SELECT
  d.instance_id,
  i.client_name,
  i.environment,
  d.queue_id,
  q.queue_name,
  d.channel,
  d.day_utc,
  d.contacts_queued_count::integer AS contacts_queued_count,
  d.contacts_handled_count::integer AS contacts_handled_count,
  d.contacts_abandoned_count::integer AS contacts_abandoned_count,
  d.aht_weighted_sum_seconds / nullif(d.contacts_handled_with_aht_count, 0) AS avg_handle_time_seconds,
  d.hold_time_sum_seconds / nullif(d.contacts_put_on_hold_count, 0) AS avg_hold_time_seconds,
  d.after_contact_work_time_sum_seconds / nullif(d.contacts_handled_count, 0) AS avg_after_contact_work_time_seconds,
  d.queue_answer_time_sum_seconds / nullif(d.contacts_answered_count, 0) AS avg_queue_answer_time_seconds,
  d.abandon_time_sum_seconds / nullif(d.contacts_abandoned_count, 0) AS avg_abandon_time_seconds,
  100 * d.contacts_abandoned_count::double precision / nullif(d.contacts_queued_count, 0) AS abandonment_rate_pct,
  d.contacts_answered_count::integer AS contacts_answered_count,
  d.queue_answer_time_sum_seconds,
  d.handle_time_sum_seconds,
  d.aht_weighted_sum_seconds,
  d.handle_time_sum_seconds / nullif(d.contacts_handled_count, 0) AS avg_contact_handle_time_seconds
FROM queue_daily_metrics d
LEFT JOIN connect_instance i ON i.instance_id = d.instance_id
LEFT JOIN queue q ON q.instance_id = d.instance_id AND q.queue_id = d.queue_id
UNION ALL
-- Before the rollup started: the raw rows, as before (retention empties this part in time).
SELECT
  m.instance_id,
  i.client_name,
  i.environment,
  m.queue_id,
  q.queue_name,
  m.channel,
  date_trunc('day', m.interval_start AT TIME ZONE 'UTC')::date AS day_utc,
  sum(m.contacts_queued_count)::integer AS contacts_queued_count,
  sum(m.contacts_handled_count)::integer AS contacts_handled_count,
  sum(m.contacts_abandoned_count)::integer AS contacts_abandoned_count,
  sum(m.aht_weighted_sum_seconds)
    / nullif(sum(m.contacts_handled_count) FILTER (WHERE m.aht_weighted_sum_seconds IS NOT NULL), 0) AS avg_handle_time_seconds,
  sum(m.hold_time_sum_seconds) / nullif(sum(m.contacts_put_on_hold_count), 0) AS avg_hold_time_seconds,
  sum(m.after_contact_work_time_sum_seconds) / nullif(sum(m.contacts_handled_count), 0) AS avg_after_contact_work_time_seconds,
  sum(m.queue_answer_time_sum_seconds) / nullif(sum(m.contacts_answered_count), 0) AS avg_queue_answer_time_seconds,
  sum(m.abandon_time_sum_seconds) / nullif(sum(m.contacts_abandoned_count), 0) AS avg_abandon_time_seconds,
  100 * sum(m.contacts_abandoned_count)::double precision / nullif(sum(m.contacts_queued_count), 0) AS abandonment_rate_pct,
  sum(m.contacts_answered_count)::integer AS contacts_answered_count,
  sum(m.queue_answer_time_sum_seconds) AS queue_answer_time_sum_seconds,
  sum(m.handle_time_sum_seconds) AS handle_time_sum_seconds,
  sum(m.aht_weighted_sum_seconds) AS aht_weighted_sum_seconds,
  sum(m.handle_time_sum_seconds) / nullif(sum(m.contacts_handled_count), 0) AS avg_contact_handle_time_seconds
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue q ON q.instance_id = m.instance_id AND q.queue_id = m.queue_id
WHERE m.interval_minutes = 15
  -- A constant condition: where the rollup holds everything (-infinity), this part is skipped whole.
  AND (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_metrics') > '-infinity'
  AND m.interval_start < (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_metrics')
GROUP BY m.instance_id, i.client_name, i.environment, m.queue_id, q.queue_name, m.channel, date_trunc('day', m.interval_start AT TIME ZONE 'UTC');

-- v_queue_realtime_1min grouped every 10-second snapshot of the day on each read (9 s for today at 100
-- queues x 3 channels: 2.6 M rows). Its minutes are now kept in queue_realtime_minute the same way as
-- the days above: rewritten, for each (instance, queue, channel, minute) a statement on
-- queue_realtime_snapshot touches (each real-time run's insert, the retention job's deletes), from the
-- snapshots of that minute, with the same aggregates.
CREATE TABLE queue_realtime_minute (
  instance_id                              text        NOT NULL,
  queue_id                                 text        NOT NULL,
  channel                                  text        NOT NULL,
  minute_start                             timestamptz NOT NULL,
  sample_count                             integer     NOT NULL,
  agents_after_contact_work_avg            numeric,
  agents_after_contact_work_max            integer,
  agents_available_avg                     numeric,
  agents_available_max                     integer,
  agents_error_avg                         numeric,
  agents_error_max                         integer,
  agents_non_productive_avg                numeric,
  agents_non_productive_max                integer,
  agents_online_avg                        numeric,
  agents_online_max                        integer,
  agents_on_call_avg                       numeric,
  agents_on_call_max                       integer,
  agents_on_contact_avg                    numeric,
  agents_on_contact_max                    integer,
  agents_staffed_avg                       numeric,
  agents_staffed_max                       integer,
  contacts_in_queue_avg                    numeric,
  contacts_in_queue_max                    integer,
  contacts_scheduled_avg                   numeric,
  contacts_scheduled_max                   integer,
  estimated_wait_time_avg_seconds          double precision,
  estimated_wait_time_max_seconds          double precision,
  oldest_contact_age_avg_seconds           double precision,
  oldest_contact_age_max_seconds           double precision,
  slots_active_avg                         numeric,
  slots_active_max                         integer,
  slots_available_avg                      numeric,
  slots_available_max                      integer,
  PRIMARY KEY (instance_id, queue_id, channel, minute_start)
);

CREATE INDEX queue_realtime_minute_start_idx ON queue_realtime_minute (minute_start);
COMMENT ON TABLE queue_realtime_minute IS
  'Per-minute aggregates of queue_realtime_snapshot, kept by triggers on that table; read through v_queue_realtime_1min.';
INSERT INTO rollup_start
SELECT 'queue_realtime_minute', CASE WHEN EXISTS (SELECT 1 FROM queue_realtime_snapshot)
  THEN date_bin('1 minute', now(), TIMESTAMPTZ '2000-01-01 00:00:00+00') ELSE '-infinity' END;

CREATE FUNCTION queue_realtime_minute_rollup(p_instance text[], p_queue text[], p_channel text[], p_minute timestamptz[])
RETURNS integer
LANGUAGE sql
AS $$
  -- One writer at a time per instance (a lock per key would need one lock-table slot per queue and
  -- minute: a retention batch at 2,000 queues would exhaust max_locks_per_transaction): another
  -- transaction rewriting the same instance's rows waits here, then reads what the first committed
  -- (each statement of a VOLATILE SQL function takes a new snapshot).
  SELECT pg_advisory_xact_lock(h)
  FROM (
    SELECT DISTINCT hashtextextended('queue_realtime_minute|' || k.instance_id, 0) AS h
    FROM unnest(p_instance, p_queue, p_channel, p_minute) AS k(instance_id, queue_id, channel, minute_start)
  ) locks
  ORDER BY h;
  DELETE FROM queue_realtime_minute d
  USING unnest(p_instance, p_queue, p_channel, p_minute) AS k(instance_id, queue_id, channel, minute_start)
  WHERE d.instance_id = k.instance_id AND d.queue_id = k.queue_id AND d.channel = k.channel
    AND d.minute_start = k.minute_start;
  WITH written AS (
  INSERT INTO queue_realtime_minute
  SELECT s.instance_id, s.queue_id, s.channel, k.minute_start, count(*)::integer,
    avg(s.agents_after_contact_work_count), max(s.agents_after_contact_work_count),
    avg(s.agents_available_count), max(s.agents_available_count),
    avg(s.agents_error_count), max(s.agents_error_count),
    avg(s.agents_non_productive_count), max(s.agents_non_productive_count),
    avg(s.agents_online_count), max(s.agents_online_count),
    avg(s.agents_on_call_count), max(s.agents_on_call_count),
    avg(s.agents_on_contact_count), max(s.agents_on_contact_count),
    avg(s.agents_staffed_count), max(s.agents_staffed_count),
    avg(s.contacts_in_queue_count), max(s.contacts_in_queue_count),
    avg(s.contacts_scheduled_count), max(s.contacts_scheduled_count),
    avg(s.estimated_wait_time_seconds), max(s.estimated_wait_time_seconds),
    avg(s.oldest_contact_age_seconds), max(s.oldest_contact_age_seconds),
    avg(s.slots_active_count), max(s.slots_active_count),
    avg(s.slots_available_count), max(s.slots_available_count)
  FROM unnest(p_instance, p_queue, p_channel, p_minute) AS k(instance_id, queue_id, channel, minute_start)
  JOIN queue_realtime_snapshot s
    ON s.instance_id = k.instance_id AND s.queue_id = k.queue_id AND s.channel = k.channel
   AND s.snapshot_time >= k.minute_start AND s.snapshot_time < k.minute_start + interval '1 minute'
  GROUP BY s.instance_id, s.queue_id, s.channel, k.minute_start
  RETURNING 1
  )
  SELECT count(*)::integer FROM written;
$$;

CREATE FUNCTION queue_realtime_minute_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
  b_0 timestamptz := (SELECT from_time FROM rollup_start WHERE rollup = 'queue_realtime_minute');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A row whose key changed leaves its old minute or day as well.
    PERFORM queue_realtime_minute_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(minute_start))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, date_bin('1 minute', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute_start FROM (SELECT instance_id, queue_id, channel, snapshot_time FROM written_rows UNION ALL SELECT instance_id, queue_id, channel, snapshot_time FROM old_rows) rows WHERE snapshot_time >= b_0) keys;
  ELSE
    PERFORM queue_realtime_minute_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(minute_start))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, date_bin('1 minute', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute_start FROM written_rows WHERE snapshot_time >= b_0) keys;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION queue_realtime_minute_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  TRUNCATE queue_realtime_minute;
  RETURN NULL;
END
$$;

CREATE TRIGGER queue_realtime_minute_after_insert AFTER INSERT ON queue_realtime_snapshot
  REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_realtime_minute_after_write();
CREATE TRIGGER queue_realtime_minute_after_update AFTER UPDATE ON queue_realtime_snapshot
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_realtime_minute_after_write();
CREATE TRIGGER queue_realtime_minute_after_delete AFTER DELETE ON queue_realtime_snapshot
  REFERENCING OLD TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_realtime_minute_after_write();
CREATE TRIGGER queue_realtime_minute_after_truncate AFTER TRUNCATE ON queue_realtime_snapshot
  FOR EACH STATEMENT EXECUTE FUNCTION queue_realtime_minute_after_truncate();

-- This minute so far.
SELECT coalesce(queue_realtime_minute_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(minute_start)), 0) AS rolled_up
FROM (SELECT DISTINCT instance_id, queue_id, channel, date_bin('1 minute', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute_start FROM queue_realtime_snapshot WHERE snapshot_time >= (SELECT from_time FROM rollup_start WHERE rollup = 'queue_realtime_minute')) keys;

CREATE OR REPLACE VIEW v_queue_realtime_1min AS
SELECT
  r.instance_id,
  i.client_name,
  i.environment,
  r.queue_id,
  q.queue_name,
  r.channel,
  r.minute_start,
  r.sample_count,
  r.agents_after_contact_work_avg,
  r.agents_after_contact_work_max,
  r.agents_available_avg,
  r.agents_available_max,
  r.agents_error_avg,
  r.agents_error_max,
  r.agents_non_productive_avg,
  r.agents_non_productive_max,
  r.agents_online_avg,
  r.agents_online_max,
  r.agents_on_call_avg,
  r.agents_on_call_max,
  r.agents_on_contact_avg,
  r.agents_on_contact_max,
  r.agents_staffed_avg,
  r.agents_staffed_max,
  r.contacts_in_queue_avg,
  r.contacts_in_queue_max,
  r.contacts_scheduled_avg,
  r.contacts_scheduled_max,
  r.estimated_wait_time_avg_seconds,
  r.estimated_wait_time_max_seconds,
  r.oldest_contact_age_avg_seconds,
  r.oldest_contact_age_max_seconds,
  r.slots_active_avg,
  r.slots_active_max,
  r.slots_available_avg,
  r.slots_available_max
FROM queue_realtime_minute r
LEFT JOIN connect_instance i ON i.instance_id = r.instance_id
LEFT JOIN queue q ON q.instance_id = r.instance_id AND q.queue_id = r.queue_id
UNION ALL
-- Before the rollup started: the raw rows, as before (retention empties this part in time).
SELECT
  s.instance_id,
  i.client_name,
  i.environment,
  s.queue_id,
  q.queue_name,
  s.channel,
  date_bin('1 minute', s.snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute_start,
  count(*)::integer AS sample_count,
  avg(s.agents_after_contact_work_count) AS agents_after_contact_work_avg,
  max(s.agents_after_contact_work_count) AS agents_after_contact_work_max,
  avg(s.agents_available_count) AS agents_available_avg,
  max(s.agents_available_count) AS agents_available_max,
  avg(s.agents_error_count) AS agents_error_avg,
  max(s.agents_error_count) AS agents_error_max,
  avg(s.agents_non_productive_count) AS agents_non_productive_avg,
  max(s.agents_non_productive_count) AS agents_non_productive_max,
  avg(s.agents_online_count) AS agents_online_avg,
  max(s.agents_online_count) AS agents_online_max,
  avg(s.agents_on_call_count) AS agents_on_call_avg,
  max(s.agents_on_call_count) AS agents_on_call_max,
  avg(s.agents_on_contact_count) AS agents_on_contact_avg,
  max(s.agents_on_contact_count) AS agents_on_contact_max,
  avg(s.agents_staffed_count) AS agents_staffed_avg,
  max(s.agents_staffed_count) AS agents_staffed_max,
  avg(s.contacts_in_queue_count) AS contacts_in_queue_avg,
  max(s.contacts_in_queue_count) AS contacts_in_queue_max,
  avg(s.contacts_scheduled_count) AS contacts_scheduled_avg,
  max(s.contacts_scheduled_count) AS contacts_scheduled_max,
  avg(s.estimated_wait_time_seconds) AS estimated_wait_time_avg_seconds,
  max(s.estimated_wait_time_seconds) AS estimated_wait_time_max_seconds,
  avg(s.oldest_contact_age_seconds) AS oldest_contact_age_avg_seconds,
  max(s.oldest_contact_age_seconds) AS oldest_contact_age_max_seconds,
  avg(s.slots_active_count) AS slots_active_avg,
  max(s.slots_active_count) AS slots_active_max,
  avg(s.slots_available_count) AS slots_available_avg,
  max(s.slots_available_count) AS slots_available_max
FROM queue_realtime_snapshot s
LEFT JOIN connect_instance i ON i.instance_id = s.instance_id
LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id
WHERE (SELECT from_time FROM rollup_start WHERE rollup = 'queue_realtime_minute') > '-infinity'
  AND s.snapshot_time < (SELECT from_time FROM rollup_start WHERE rollup = 'queue_realtime_minute')
GROUP BY s.instance_id, i.client_name, i.environment, s.queue_id, q.queue_name, s.channel, date_bin('1 minute', s.snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00');
