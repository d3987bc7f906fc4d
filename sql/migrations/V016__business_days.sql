-- Local business days. The daily views so far cut days at UTC midnight, which splits the business day
-- of a centre in Sydney or Los Angeles in two. These variants group the 15-minute intervals by the
-- local date of their start in the queue's hours-of-operation time zone (V015), or, for an agent or a
-- queue whose hours are not known, the instance's time zone (the zone most of its queues' hours use),
-- else UTC; `time_zone` says which. A local date is 23 or 25 hours long on a daylight-saving change day
-- and holds exactly the intervals that start on it.
--
-- Service level and occupancy can be restricted to open hours: an interval is in open hours when it
-- overlaps an open period of the queue's hours (for an agent, of any of the instance's queues' hours)
-- on its local date or the day before (a range past midnight). The open-hours columns are NULL where
-- the hours are not known.

-- The instance's time zone: the one most of its STANDARD queues' hours use (ties: the first by name).
-- SECURITY DEFINER with this schema's search_path, as feed_freshness (V009): views call it.
CREATE FUNCTION instance_time_zone(p_instance_id text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT h.time_zone
  FROM queue q JOIN hours_of_operation h ON h.instance_id = q.instance_id AND h.hours_id = q.hours_of_operation_id
  WHERE q.instance_id = p_instance_id AND q.queue_type = 'STANDARD' AND q.deleted_at IS NULL
  GROUP BY h.time_zone
  ORDER BY count(*) DESC, h.time_zone
  LIMIT 1
$$;

-- Each queue's zone and hours, and each instance's zone (a queue without hours falls back to it).
CREATE VIEW queue_zone AS
SELECT q.instance_id, q.queue_id, q.queue_name,
       -- Only hours the collector has described: a queue whose hours row is missing has unknown hours.
       h.hours_id,
       coalesce(h.time_zone, instance_time_zone(q.instance_id), 'UTC') AS time_zone
FROM queue q
LEFT JOIN hours_of_operation h ON h.instance_id = q.instance_id AND h.hours_id = q.hours_of_operation_id;
COMMENT ON VIEW queue_zone IS 'Each queue''s business-day time zone: its hours'', else its instance''s, else UTC (V016).';

CREATE VIEW v_queue_daily_local AS
SELECT
  m.instance_id,
  i.client_name,
  i.environment,
  m.queue_id,
  z.queue_name,
  m.channel,
  coalesce(z.time_zone, 'UTC') AS time_zone,
  (m.interval_start AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date AS business_date,
  sum(m.contacts_queued_count)::integer AS contacts_queued_count,
  sum(m.contacts_handled_count)::integer AS contacts_handled_count,
  sum(m.contacts_abandoned_count)::integer AS contacts_abandoned_count,
  sum(m.aht_weighted_sum_seconds)
    / nullif(sum(m.contacts_handled_count) FILTER (WHERE m.aht_weighted_sum_seconds IS NOT NULL), 0) AS avg_handle_time_seconds,
  sum(m.queue_answer_time_sum_seconds) / nullif(sum(m.contacts_answered_count), 0) AS avg_queue_answer_time_seconds,
  100 * sum(m.contacts_abandoned_count)::double precision / nullif(sum(m.contacts_queued_count), 0) AS abandonment_rate_pct,
  sum(m.contacts_answered_count)::integer AS contacts_answered_count,
  sum(m.queue_answer_time_sum_seconds) AS queue_answer_time_sum_seconds,
  sum(m.handle_time_sum_seconds) AS handle_time_sum_seconds,
  sum(m.aht_weighted_sum_seconds) AS aht_weighted_sum_seconds
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue_zone z ON z.instance_id = m.instance_id AND z.queue_id = m.queue_id
WHERE m.interval_minutes = 15
GROUP BY m.instance_id, i.client_name, i.environment, m.queue_id, z.queue_name, m.channel, z.time_zone,
  (m.interval_start AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date;
COMMENT ON VIEW v_queue_daily_local IS
  'v_queue_daily by local business date (the queue''s hours'' time zone): the 15-minute intervals that start on each local date, 23 or 25 hours on a daylight-saving change day.';

CREATE VIEW v_queue_service_level_daily_local AS
WITH s AS (
  SELECT v.*, z.hours_id, coalesce(z.time_zone, 'UTC') AS time_zone,
         (v.interval_start AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date AS business_date
  FROM v_queue_service_level v
  LEFT JOIN queue_zone z ON z.instance_id = v.instance_id AND z.queue_id = v.queue_id
), periods AS (
  -- The open periods of each (hours, local date) the intervals fall on, and of the day before, keyed
  -- by that local date so each interval is matched against its own date's few periods only.
  SELECT k.instance_id, k.hours_id, k.business_date, p.opens_at, p.closes_at
  FROM (SELECT DISTINCT instance_id, hours_id, business_date FROM s WHERE hours_id IS NOT NULL) k
  CROSS JOIN LATERAL (
    SELECT * FROM hours_open_periods(k.instance_id, k.hours_id, k.business_date)
    UNION SELECT * FROM hours_open_periods(k.instance_id, k.hours_id, k.business_date - 1)
  ) p
), flagged AS (
  SELECT s.*, CASE WHEN s.hours_id IS NULL THEN NULL ELSE EXISTS (
    SELECT 1 FROM periods p
    WHERE p.instance_id = s.instance_id AND p.hours_id = s.hours_id AND p.business_date = s.business_date
      AND s.interval_start < p.closes_at AND s.interval_start + interval '15 minutes' > p.opens_at
  ) END AS in_open_hours
  FROM s
)
SELECT
  instance_id, client_name, queue_id, queue_name, channel, time_zone, business_date, threshold_seconds,
  sum(contacts_queued_count)::integer AS contacts_queued_count,
  sum(contacts_removed_in_threshold_count)::integer AS contacts_removed_in_threshold_count,
  100 * sum(contacts_removed_in_threshold_count)::double precision / nullif(sum(contacts_queued_count), 0) AS service_level_pct,
  (sum(contacts_queued_count) FILTER (WHERE in_open_hours))::integer AS open_hours_contacts_queued_count,
  (sum(contacts_removed_in_threshold_count) FILTER (WHERE in_open_hours))::integer AS open_hours_contacts_removed_in_threshold_count,
  100 * (sum(contacts_removed_in_threshold_count) FILTER (WHERE in_open_hours))::double precision
    / nullif(sum(contacts_queued_count) FILTER (WHERE in_open_hours), 0) AS open_hours_service_level_pct
FROM flagged
GROUP BY instance_id, client_name, queue_id, queue_name, channel, time_zone, business_date, threshold_seconds;
COMMENT ON VIEW v_queue_service_level_daily_local IS
  'Connect''s service level by local business date and threshold, for the whole day and for the intervals in the queue''s open hours only (NULL where its hours are not known).';

CREATE VIEW v_agent_daily_local AS
WITH zones AS (
  -- Each instance's zone, worked out once per instance.
  SELECT x.instance_id, coalesce(instance_time_zone(x.instance_id), 'UTC') AS time_zone
  FROM (SELECT DISTINCT instance_id FROM agent_interval_metrics) x
), a AS (
  SELECT m.*, z.time_zone
  FROM agent_interval_metrics m JOIN zones z ON z.instance_id = m.instance_id
  WHERE m.interval_minutes = 15
), d AS (
  SELECT a.*, (a.interval_start AT TIME ZONE a.time_zone)::date AS business_date FROM a
), periods AS (
  -- The open periods of every hours the instance's queues use, on each local date and the day before.
  SELECT k.instance_id, k.business_date, p.opens_at, p.closes_at
  FROM (SELECT DISTINCT instance_id, business_date FROM d) k
  JOIN (SELECT DISTINCT instance_id, hours_id FROM queue_zone WHERE hours_id IS NOT NULL) h
    ON h.instance_id = k.instance_id
  CROSS JOIN LATERAL (
    SELECT * FROM hours_open_periods(k.instance_id, h.hours_id, k.business_date)
    UNION SELECT * FROM hours_open_periods(k.instance_id, h.hours_id, k.business_date - 1)
  ) p
), flagged AS (
  SELECT d.*, CASE
    WHEN NOT EXISTS (SELECT 1 FROM queue_zone z WHERE z.instance_id = d.instance_id AND z.hours_id IS NOT NULL) THEN NULL
    ELSE EXISTS (
      SELECT 1 FROM periods p WHERE p.instance_id = d.instance_id AND p.business_date = d.business_date
        AND d.interval_start < p.closes_at AND d.interval_start + interval '15 minutes' > p.opens_at
    ) END AS in_open_hours
  FROM d
)
SELECT
  f.instance_id, i.client_name, f.agent_id, ag.username, f.time_zone, f.business_date,
  sum(f.contacts_handled_count)::integer AS contacts_handled_count,
  sum(f.online_time_sum_seconds) AS online_time_sum_seconds,
  sum(f.contact_time_sum_seconds) AS contact_time_sum_seconds,
  sum(f.idle_time_sum_seconds) AS idle_time_sum_seconds,
  100 * sum(f.contact_time_sum_seconds) / nullif(sum(f.contact_time_sum_seconds) + sum(f.idle_time_sum_seconds), 0) AS occupancy_pct,
  100 * sum(f.contact_time_sum_seconds) FILTER (WHERE f.in_open_hours)
    / nullif(sum(f.contact_time_sum_seconds) FILTER (WHERE f.in_open_hours)
             + sum(f.idle_time_sum_seconds) FILTER (WHERE f.in_open_hours), 0) AS open_hours_occupancy_pct,
  sum(f.contact_time_sum_seconds) FILTER (WHERE f.in_open_hours) AS open_hours_contact_time_sum_seconds,
  sum(f.idle_time_sum_seconds) FILTER (WHERE f.in_open_hours) AS open_hours_idle_time_sum_seconds
FROM flagged f
LEFT JOIN connect_instance i ON i.instance_id = f.instance_id
LEFT JOIN agent ag ON ag.instance_id = f.instance_id AND ag.agent_id = f.agent_id
GROUP BY f.instance_id, i.client_name, f.agent_id, ag.username, f.time_zone, f.business_date;
COMMENT ON VIEW v_agent_daily_local IS
  'Agent time and occupancy by local business date (the instance''s time zone), for the whole day and for the intervals when any of the instance''s queues is open (NULL where no hours are known).';
