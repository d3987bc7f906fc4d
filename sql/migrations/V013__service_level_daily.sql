-- The dashboard's service-level questions at scale (bench/dashboard-queries.ts, 30 days at 100 queues).
--
-- v_queue_service_level joined each threshold row to its interval row for the queued count with a hash
-- join over every interval row, whatever the time filter (a range on one side of a join is not carried
-- to the other): today's service level read 864,000 interval rows. Each threshold row now looks its
-- interval row up by primary key. Same columns, same rows, same values.
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
  m.contacts_queued_count,
  100 * sl.contacts_removed_in_threshold_count::double precision / nullif(m.contacts_queued_count, 0) AS service_level_pct,
  sl.contacts_removed_in_threshold_count,
  100 * sl.contacts_answered_in_threshold_count::double precision / nullif(m.contacts_queued_count, 0) AS answered_in_threshold_pct
FROM queue_interval_service_level sl
CROSS JOIN LATERAL (
  SELECT m.contacts_queued_count FROM queue_interval_metrics m
  WHERE m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
    AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
  LIMIT 1
) m
LEFT JOIN connect_instance i ON i.instance_id = sl.instance_id
LEFT JOIN queue q ON q.instance_id = sl.instance_id AND q.queue_id = sl.queue_id
WHERE sl.interval_minutes = 15;

-- Service level per UTC day (History): the sums of v_queue_service_level's rows per queue, channel,
-- day and threshold, kept like queue_daily_metrics (V012) by statement triggers on both tables it
-- reads, since a re-read can restate either the in-threshold counts or the queued count.
CREATE TABLE queue_daily_service_level (
  instance_id                            text    NOT NULL,
  queue_id                               text    NOT NULL,
  channel                                text    NOT NULL,
  day_utc                                date    NOT NULL,
  threshold_seconds                      integer NOT NULL,
  contacts_queued_count                  bigint,
  contacts_removed_in_threshold_count    bigint,
  contacts_answered_in_threshold_count   bigint,
  contacts_abandoned_in_threshold_count  bigint,
  PRIMARY KEY (instance_id, queue_id, channel, day_utc, threshold_seconds)
);
CREATE INDEX queue_daily_service_level_day_idx ON queue_daily_service_level (day_utc);
COMMENT ON TABLE queue_daily_service_level IS
  'Sums of the 15-minute service-level rows and their queued counts per UTC day and threshold, kept by triggers; read through v_queue_service_level_daily.';
INSERT INTO rollup_start
SELECT 'queue_daily_service_level', CASE WHEN EXISTS (SELECT 1 FROM queue_interval_service_level)
  THEN date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' ELSE '-infinity' END;

CREATE FUNCTION queue_daily_service_level_rollup(p_instance text[], p_queue text[], p_channel text[], p_day date[])
RETURNS integer
LANGUAGE sql
AS $$
  -- One writer at a time per instance (a lock per key would need one lock-table slot per queue and
  -- minute: a retention batch at 2,000 queues would exhaust max_locks_per_transaction): another
  -- transaction rewriting the same instance's rows waits here, then reads what the first committed
  -- (each statement of a VOLATILE SQL function takes a new snapshot).
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
    sum(m.contacts_queued_count),
    sum(sl.contacts_removed_in_threshold_count),
    sum(sl.contacts_answered_in_threshold_count),
    sum(sl.contacts_abandoned_in_threshold_count)
  FROM unnest(p_instance, p_queue, p_channel, p_day) AS k(instance_id, queue_id, channel, day_utc)
  JOIN queue_interval_service_level sl
    ON sl.instance_id = k.instance_id AND sl.queue_id = k.queue_id AND sl.channel = k.channel
   AND sl.interval_start >= k.day_utc::timestamp AT TIME ZONE 'UTC'
   AND sl.interval_start < (k.day_utc + 1)::timestamp AT TIME ZONE 'UTC'
   AND sl.interval_minutes = 15
  JOIN queue_interval_metrics m
    ON m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
   AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
  GROUP BY sl.instance_id, sl.queue_id, sl.channel, k.day_utc, sl.threshold_seconds
  RETURNING 1
  )
  SELECT count(*)::integer FROM written;
$$;

-- Interval rows feed both daily tables now.
CREATE OR REPLACE FUNCTION queue_daily_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
  b_0 timestamptz := (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_metrics');
  b_1 timestamptz := (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A row whose key changed leaves its old minute or day as well.
    PERFORM queue_daily_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM (SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM written_rows UNION ALL SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM old_rows) rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
    PERFORM queue_daily_service_level_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM (SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM written_rows UNION ALL SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM old_rows) rows WHERE interval_start >= b_1 AND interval_minutes = 15) keys;
  ELSE
    PERFORM queue_daily_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM written_rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
    PERFORM queue_daily_service_level_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM written_rows WHERE interval_start >= b_1 AND interval_minutes = 15) keys;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION queue_daily_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  TRUNCATE queue_daily_metrics, queue_daily_service_level;
  RETURN NULL;
END
$$;

CREATE FUNCTION queue_daily_service_level_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
  b_0 timestamptz := (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A row whose key changed leaves its old minute or day as well.
    PERFORM queue_daily_service_level_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM (SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM written_rows UNION ALL SELECT instance_id, queue_id, channel, interval_start, interval_minutes FROM old_rows) rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
  ELSE
    PERFORM queue_daily_service_level_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc))
    FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM written_rows WHERE interval_start >= b_0 AND interval_minutes = 15) keys;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION queue_daily_service_level_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  TRUNCATE queue_daily_service_level;
  RETURN NULL;
END
$$;

CREATE TRIGGER queue_daily_service_level_after_insert AFTER INSERT ON queue_interval_service_level
  REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_service_level_after_write();
CREATE TRIGGER queue_daily_service_level_after_update AFTER UPDATE ON queue_interval_service_level
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_service_level_after_write();
CREATE TRIGGER queue_daily_service_level_after_delete AFTER DELETE ON queue_interval_service_level
  REFERENCING OLD TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_service_level_after_write();
CREATE TRIGGER queue_daily_service_level_after_truncate AFTER TRUNCATE ON queue_interval_service_level
  FOR EACH STATEMENT EXECUTE FUNCTION queue_daily_service_level_after_truncate();

-- Today so far.
SELECT coalesce(queue_daily_service_level_rollup(array_agg(instance_id), array_agg(queue_id), array_agg(channel), array_agg(day_utc)), 0) AS rolled_up
FROM (SELECT DISTINCT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc FROM queue_interval_service_level WHERE interval_start >= (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level') AND interval_minutes = 15) keys;

CREATE VIEW v_queue_service_level_daily AS
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
-- Before the rollup started: the raw rows.
SELECT
  sl.instance_id,
  i.client_name,
  sl.queue_id,
  q.queue_name,
  sl.channel,
  (sl.interval_start AT TIME ZONE 'UTC')::date AS day_utc,
  sl.threshold_seconds,
  sum(sl.contacts_answered_in_threshold_count)::integer AS contacts_answered_in_threshold_count,
  sum(sl.contacts_abandoned_in_threshold_count)::integer AS contacts_abandoned_in_threshold_count,
  sum(m.contacts_queued_count)::integer AS contacts_queued_count,
  100 * sum(sl.contacts_removed_in_threshold_count)::double precision / nullif(sum(m.contacts_queued_count), 0) AS service_level_pct,
  sum(sl.contacts_removed_in_threshold_count)::integer AS contacts_removed_in_threshold_count,
  100 * sum(sl.contacts_answered_in_threshold_count)::double precision / nullif(sum(m.contacts_queued_count), 0) AS answered_in_threshold_pct
FROM queue_interval_service_level sl
JOIN queue_interval_metrics m
  ON m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
 AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
LEFT JOIN connect_instance i ON i.instance_id = sl.instance_id
LEFT JOIN queue q ON q.instance_id = sl.instance_id AND q.queue_id = sl.queue_id
WHERE sl.interval_minutes = 15
  AND (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level') > '-infinity'
  AND sl.interval_start < (SELECT from_time FROM rollup_start WHERE rollup = 'queue_daily_service_level')
GROUP BY sl.instance_id, i.client_name, sl.queue_id, q.queue_name, sl.channel, (sl.interval_start AT TIME ZONE 'UTC')::date, sl.threshold_seconds;
COMMENT ON VIEW v_queue_service_level_daily IS
  'Connect''s service level per UTC day and threshold: v_queue_service_level''s rows summed per day (sum both counts to re-aggregate further).';
