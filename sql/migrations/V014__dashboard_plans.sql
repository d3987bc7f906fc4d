-- The dashboard's last slow questions at scale (bench/dashboard-queries.ts: 30 days at 100 queues and
-- 1,000 agents on PostgreSQL 15), and why each change below answers one of them.

-- 1. JIT compilation off for this database. The views' parts for rows before a rollup started
-- (V012, V013) are planned at full cost even where a one-time filter skips them, which put every
-- History and Intraday statement over jit_above_cost: compiling took 80-110 ms (and again in each
-- parallel worker) of statements that then ran in 15-40 ms. Nothing this database answers runs long
-- enough to win it back (the collectors' batches and the dashboards' reads are all well under a
-- second). Setting a database default needs its owner; a database owned by another role keeps its
-- setting, and the notice says so.
DO $$
BEGIN
  IF pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE') THEN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
  ELSE
    RAISE NOTICE 'jit left as it is: % does not own database %', current_user, current_database();
  END IF;
END
$$;

-- 2. Today's service level by 15 minutes looked up the queued count of every threshold row in
-- queue_interval_metrics (28,500 index probes for a day at 100 queues x 3 channels: 150-200 ms). A
-- threshold row is written in the same statement batch as its interval row, from the same answer, so
-- the historical collector now writes the queued count on it; the views read it there, and look it up
-- only for rows written before this migration (NULL), which count only while their interval row exists,
-- as before.
ALTER TABLE queue_interval_service_level ADD COLUMN contacts_queued_count integer;
COMMENT ON COLUMN queue_interval_service_level.contacts_queued_count IS
  'CONTACTS_QUEUED of the same interval, written with the row (NULL on rows from before V014: the views look it up).';

CREATE OR REPLACE VIEW v_queue_service_level AS
SELECT
  sl.instance_id,
  i.client_name,
  sl.queue_id,
  q.queue_name,
  sl.channel,
  sl.interval_start,
  sl.threshold_seconds,
  sl.contacts_answered_in_threshold_count,
  sl.contacts_abandoned_in_threshold_count,
  sl.queued AS contacts_queued_count,
  100 * sl.contacts_removed_in_threshold_count::double precision / nullif(sl.queued, 0) AS service_level_pct,
  sl.contacts_removed_in_threshold_count,
  100 * sl.contacts_answered_in_threshold_count::double precision / nullif(sl.queued, 0) AS answered_in_threshold_pct
FROM (
  SELECT s.*,
    -- COALESCE runs the lookup only where the row has no count of its own (a row from before V014).
    coalesce(s.contacts_queued_count, (
      SELECT m.contacts_queued_count FROM queue_interval_metrics m
      WHERE m.instance_id = s.instance_id AND m.queue_id = s.queue_id AND m.channel = s.channel
        AND m.interval_start = s.interval_start AND m.interval_minutes = s.interval_minutes
      LIMIT 1
    )) AS queued
  FROM queue_interval_service_level s
  WHERE s.interval_minutes = 15
    AND (s.contacts_queued_count IS NOT NULL OR EXISTS (
      SELECT 1 FROM queue_interval_metrics m
      WHERE m.instance_id = s.instance_id AND m.queue_id = s.queue_id AND m.channel = s.channel
        AND m.interval_start = s.interval_start AND m.interval_minutes = s.interval_minutes
    ))
) sl
LEFT JOIN connect_instance i ON i.instance_id = sl.instance_id
LEFT JOIN queue q ON q.instance_id = sl.instance_id AND q.queue_id = sl.queue_id;

-- The daily service level counts the same rows with the same queued counts.
CREATE OR REPLACE FUNCTION queue_daily_service_level_rollup(p_instance text[], p_queue text[], p_channel text[], p_day date[])
RETURNS integer
LANGUAGE sql
AS $$
  -- One writer at a time per instance (see V013).
  SELECT pg_advisory_xact_lock(h)
  FROM (
    SELECT DISTINCT hashtextextended('queue_daily_service_level|' || k.instance_id, 0) AS h
    FROM unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  ) locks
  ORDER BY h;
  DELETE FROM queue_daily_service_level d
  USING unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  WHERE d.instance_id = k.instance_id AND d.queue_id = k.queue_id AND d.channel = k.channel
    AND d.day_utc = k.day_utc;
  WITH written AS (
  INSERT INTO queue_daily_service_level
  SELECT sl.instance_id, sl.queue_id, sl.channel, k.day_utc, sl.threshold_seconds,
    sum(coalesce(sl.contacts_queued_count, m.contacts_queued_count)),
    sum(sl.contacts_removed_in_threshold_count),
    sum(sl.contacts_answered_in_threshold_count),
    sum(sl.contacts_abandoned_in_threshold_count)
  FROM unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  JOIN queue_interval_service_level sl
    ON sl.instance_id = k.instance_id AND sl.queue_id = k.queue_id AND sl.channel = k.channel
   AND sl.interval_start >= k.day_utc::timestamp AT TIME ZONE 'UTC'
   AND sl.interval_start < (k.day_utc + 1)::timestamp AT TIME ZONE 'UTC'
   AND sl.interval_minutes = 15
  LEFT JOIN queue_interval_metrics m
    ON sl.contacts_queued_count IS NULL
   AND m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
   AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
  WHERE sl.contacts_queued_count IS NOT NULL OR m.instance_id IS NOT NULL
  GROUP BY sl.instance_id, sl.queue_id, sl.channel, k.day_utc, sl.threshold_seconds
  RETURNING 1
  )
  SELECT count(*)::integer FROM written;
$$;

CREATE OR REPLACE VIEW v_queue_service_level_daily AS
SELECT
  d.instance_id,
  i.client_name,
  d.queue_id,
  q.queue_name,
  d.channel,
  d.day_utc,
  d.threshold_seconds,
  d.contacts_answered_in_threshold_count::integer AS contacts_answered_in_threshold_count,
  d.contacts_abandoned_in_threshold_count::integer AS contacts_abandoned_in_threshold_count,
  d.contacts_queued_count::integer AS contacts_queued_count,
  100 * d.contacts_removed_in_threshold_count::double precision / nullif(d.contacts_queued_count, 0) AS service_level_pct,
  d.contacts_removed_in_threshold_count::integer AS contacts_removed_in_threshold_count,
  100 * d.contacts_answered_in_threshold_count::double precision / nullif(d.contacts_queued_count, 0) AS answered_in_threshold_pct
FROM queue_daily_service_level d
LEFT JOIN connect_instance i ON i.instance_id = d.instance_id
LEFT JOIN queue q ON q.instance_id = d.instance_id AND q.queue_id = d.queue_id
UNION ALL
-- Before the rollup started: the 15-minute rows.
SELECT
  sl.instance_id,
  sl.client_name,
  sl.queue_id,
  sl.queue_name,
  sl.channel,
  (sl.interval_start AT TIME ZONE 'UTC')::date AS day_utc,
  sl.threshold_seconds,
  sum(sl.contacts_answered_in_threshold_count)::integer AS contacts_answered_in_threshold_count,
  sum(sl.contacts_abandoned_in_threshold_count)::integer AS contacts_abandoned_in_threshold_count,
  sum(sl.contacts_queued_count)::integer AS contacts_queued_count,
  100 * sum(sl.contacts_removed_in_threshold_count)::double precision / nullif(sum(sl.contacts_queued_count), 0) AS service_level_pct,
  sum(sl.contacts_removed_in_threshold_count)::integer AS contacts_removed_in_threshold_count,
  100 * sum(sl.contacts_answered_in_threshold_count)::double precision / nullif(sum(sl.contacts_queued_count), 0) AS answered_in_threshold_pct
FROM v_queue_service_level sl
WHERE (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level') > '-infinity'
  AND sl.interval_start < (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level')
GROUP BY sl.instance_id, sl.client_name, sl.queue_id, sl.queue_name, sl.channel, (sl.interval_start AT TIME ZONE 'UTC')::date, sl.threshold_seconds;

-- 3. Today's minute curve of the whole centre summed 300 queue rows per minute (432,000 wide rows for
-- a day at 100 queues x 3 channels: 350-770 ms). channel_realtime_minute keeps, per instance, channel
-- and minute, the roll-up of queue_realtime_minute's rows the curve reads: the sum of the queues'
-- average in queue (a contact waits in one queue) and the largest queue's maximum of available agents
-- and of the oldest contact's age (an agent serves several queues, so those do not add up). Re-summing
-- or re-maximising these over any set of instances and channels gives exactly what the same aggregate
-- over v_queue_realtime_1min gives; the live dashboard reads v_channel_realtime_1min instead whenever a
-- visual needs no other column (no queue chosen). It is rewritten with the queue minutes it comes from,
-- in the same function, under the same per-instance lock.
CREATE TABLE channel_realtime_minute (
  instance_id                     text             NOT NULL,
  channel                         text             NOT NULL,
  minute_start                    timestamptz      NOT NULL,
  queue_count                     integer          NOT NULL,
  contacts_in_queue_avg           numeric,
  agents_available_max            integer,
  oldest_contact_age_max_seconds  double precision,
  PRIMARY KEY (instance_id, channel, minute_start)
);
CREATE INDEX channel_realtime_minute_start_idx ON channel_realtime_minute (minute_start);
COMMENT ON TABLE channel_realtime_minute IS
  'Per instance, channel and minute, the roll-up over queues of queue_realtime_minute; read through v_channel_realtime_1min.';
-- Like the others (V012), it starts at this minute on a database with real-time rows (never before
-- queue_realtime_minute's own start, which it is built from) and the view rolls the minutes before up
-- on read; retention empties that part.
INSERT INTO rollup_start
SELECT 'channel_realtime_minute', CASE WHEN EXISTS (SELECT 1 FROM queue_realtime_snapshot)
  THEN date_bin('1 minute', now(), TIMESTAMPTZ '2000-01-01 00:00:00+00') ELSE '-infinity' END;

CREATE OR REPLACE FUNCTION queue_realtime_minute_rollup(p_instance text[], p_queue text[], p_channel text[], p_minute timestamptz[])
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
  GROUP BY s.instance_id, s.queue_id, s.channel, k.minute_start;
  -- The channel minutes of the queue minutes just rewritten (from where that rollup starts).
  DELETE FROM channel_realtime_minute d
  USING unnest(p_instance, p_channel, p_minute) AS k(instance_id, channel, minute_start)
  WHERE d.instance_id = k.instance_id AND d.channel = k.channel AND d.minute_start = k.minute_start;
  INSERT INTO channel_realtime_minute
  SELECT r.instance_id, r.channel, r.minute_start, count(*)::integer,
    sum(r.contacts_in_queue_avg), max(r.agents_available_max), max(r.oldest_contact_age_max_seconds)
  FROM (
    SELECT DISTINCT k.instance_id, k.channel, k.minute_start
    FROM unnest(p_instance, p_channel, p_minute) AS k(instance_id, channel, minute_start)
    WHERE k.minute_start >= (SELECT from_time FROM rollup_start WHERE rollup = 'channel_realtime_minute')
  ) k
  JOIN queue_realtime_minute r
    ON r.instance_id = k.instance_id AND r.channel = k.channel AND r.minute_start = k.minute_start
  GROUP BY r.instance_id, r.channel, r.minute_start;
  SELECT count(*)::integer FROM unnest(p_instance) AS k(instance_id);
$$;

CREATE OR REPLACE FUNCTION queue_realtime_minute_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  TRUNCATE queue_realtime_minute, channel_realtime_minute;
  RETURN NULL;
END
$$;

-- This minute so far.
INSERT INTO channel_realtime_minute
SELECT r.instance_id, r.channel, r.minute_start, count(*)::integer,
  sum(r.contacts_in_queue_avg), max(r.agents_available_max), max(r.oldest_contact_age_max_seconds)
FROM queue_realtime_minute r
WHERE r.minute_start >= (SELECT from_time FROM rollup_start WHERE rollup = 'channel_realtime_minute')
GROUP BY r.instance_id, r.channel, r.minute_start;

CREATE VIEW v_channel_realtime_1min AS
SELECT
  c.instance_id,
  i.client_name,
  i.environment,
  c.channel,
  c.minute_start,
  c.queue_count,
  c.contacts_in_queue_avg,
  c.agents_available_max,
  c.oldest_contact_age_max_seconds
FROM channel_realtime_minute c
LEFT JOIN connect_instance i ON i.instance_id = c.instance_id
UNION ALL
-- Before the rollup started: the queue minutes, rolled up on read.
SELECT
  r.instance_id,
  r.client_name,
  r.environment,
  r.channel,
  r.minute_start,
  count(*)::integer,
  sum(r.contacts_in_queue_avg),
  max(r.agents_available_max),
  max(r.oldest_contact_age_max_seconds)
FROM v_queue_realtime_1min r
WHERE (SELECT from_time FROM rollup_start WHERE rollup = 'channel_realtime_minute') > '-infinity'
  AND r.minute_start < (SELECT from_time FROM rollup_start WHERE rollup = 'channel_realtime_minute')
GROUP BY r.instance_id, r.client_name, r.environment, r.channel, r.minute_start;
COMMENT ON VIEW v_channel_realtime_1min IS
  'Per instance, channel and minute, over all queues: v_queue_realtime_1min''s average in queue summed, available agents and oldest contact age maximised (re-aggregate the same way).';
