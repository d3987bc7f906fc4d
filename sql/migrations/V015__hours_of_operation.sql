-- Hours of operation: what the metadata collector reads of each instance (ListHoursOfOperations,
-- DescribeHoursOfOperation, ListHoursOfOperationOverrides, GetEffectiveHoursOfOperations, and each
-- queue's hours through SearchQueues), and the questions the pipeline asks of them: is this queue open
-- at time t, and what are its open periods on date d (in its hours' time zone, across daylight-saving
-- changes).
--
-- Minutes of a range are counted from the local midnight of the date the range starts on. Connect's
-- ranges are {Hours 0-23, Minutes 0-59}; an end of 00:00 is midnight at the end of the day (Admin Guide:
-- "To specify midnight, enter 12:00AM"), and so is any end not after its start: the range runs past
-- midnight, so its end here is above 1440. Local times become instants with AT TIME ZONE, so a day
-- open 00:00-24:00 is 23 or 25 hours long on a change day.

CREATE TABLE hours_of_operation (
  instance_id      text        NOT NULL,
  hours_id         text        NOT NULL,
  hours_arn        text        NOT NULL,
  hours_name       text,
  time_zone        text        NOT NULL,
  -- The standard week: [{"day": "MONDAY", "start": 480, "end": 1200}, ...]
  config           jsonb       NOT NULL DEFAULT '[]',
  last_modified_at timestamptz,
  first_seen_at    timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  deleted_at       timestamptz,
  PRIMARY KEY (instance_id, hours_id)
);
COMMENT ON TABLE hours_of_operation IS
  'Hours of operation (DescribeHoursOfOperation): time zone and the standard week, minutes from local midnight (an end above 1440 runs past midnight).';

CREATE TABLE hours_of_operation_override (
  instance_id      text        NOT NULL,
  hours_id         text        NOT NULL,
  override_id      text        NOT NULL,
  override_name    text,
  description      text,
  effective_from   date        NOT NULL,
  effective_till   date        NOT NULL,
  -- The override's own ranges, as hours_of_operation.config; none: closed on the days it covers.
  config           jsonb       NOT NULL DEFAULT '[]',
  first_seen_at    timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  deleted_at       timestamptz,
  PRIMARY KEY (instance_id, hours_id, override_id)
);
COMMENT ON TABLE hours_of_operation_override IS
  'Overrides of hours of operation (ListHoursOfOperationOverrides): holidays and other exceptions, local dates inclusive.';

CREATE TABLE hours_of_operation_day (
  instance_id    text        NOT NULL,
  hours_id       text        NOT NULL,
  local_date     date        NOT NULL,
  -- Connect's effective hours of the date, overrides applied: [[start, end], ...] in minutes; [] is closed.
  periods        jsonb       NOT NULL,
  override_name  text,
  collected_at   timestamptz NOT NULL,
  PRIMARY KEY (instance_id, hours_id, local_date)
);
COMMENT ON TABLE hours_of_operation_day IS
  'Effective hours of each local date (GetEffectiveHoursOfOperations, overrides applied), kept once collected; dates not collected fall back to the standard week.';

ALTER TABLE queue ADD COLUMN hours_of_operation_id text;
COMMENT ON COLUMN queue.hours_of_operation_id IS 'The queue''s hours of operation (SearchQueues), NULL until the collector has read it.';

-- The open periods of hours on a local date: Connect's effective hours of that date when collected;
-- else, for a date before the first collection or past the collected window, the ranges an override
-- covering the date gives its weekday (none: closed), or the standard week's.
-- SECURITY DEFINER with this schema's search_path, as feed_freshness (V009): the reporting user reads
-- views that call it, and may read no table.
CREATE FUNCTION hours_open_periods(p_instance_id text, p_hours_id text, p_date date)
RETURNS TABLE (opens_at timestamptz, closes_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  WITH h AS (
    SELECT time_zone, config FROM hours_of_operation
    WHERE instance_id = p_instance_id AND hours_id = p_hours_id
  ), d AS (
    SELECT periods FROM hours_of_operation_day
    WHERE instance_id = p_instance_id AND hours_id = p_hours_id AND local_date = p_date
  ), o AS (
    SELECT config FROM hours_of_operation_override
    WHERE instance_id = p_instance_id AND hours_id = p_hours_id AND deleted_at IS NULL
      AND p_date BETWEEN effective_from AND effective_till
  ), weekday AS (
    SELECT (ARRAY['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'])[extract(dow FROM p_date)::int + 1] AS day
  ), minutes AS (
    SELECT (p ->> 0)::int AS s, (p ->> 1)::int AS e FROM d, jsonb_array_elements(d.periods) AS p
    UNION ALL
    -- Not collected: an override covering the date (its ranges for the weekday; none, closed)...
    SELECT (c ->> 'start')::int, (c ->> 'end')::int FROM o, weekday, jsonb_array_elements(o.config) AS c
    WHERE NOT EXISTS (SELECT 1 FROM d) AND c ->> 'day' = weekday.day
    UNION ALL
    -- ...else the standard week.
    SELECT (c ->> 'start')::int, (c ->> 'end')::int FROM h, weekday, jsonb_array_elements(h.config) AS c
    WHERE NOT EXISTS (SELECT 1 FROM d) AND NOT EXISTS (SELECT 1 FROM o) AND c ->> 'day' = weekday.day
  )
  SELECT (p_date + make_interval(mins => m.s)) AT TIME ZONE h.time_zone,
         (p_date + make_interval(mins => m.e)) AT TIME ZONE h.time_zone
  FROM minutes m CROSS JOIN h
  ORDER BY 1
$$;
COMMENT ON FUNCTION hours_open_periods(text, text, date) IS
  'Open periods of hours of operation on a local date, as instants (effective hours when collected, else an override covering the date, else the standard week).';

-- A queue's open periods on a local date of its hours' time zone. This function and the three below
-- are SECURITY DEFINER too, so the read-only reporting user can ask them.
CREATE FUNCTION queue_open_periods(p_instance_id text, p_queue_id text, p_date date)
RETURNS TABLE (opens_at timestamptz, closes_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT p.opens_at, p.closes_at
  FROM queue q, hours_open_periods(q.instance_id, q.hours_of_operation_id, p_date) AS p
  WHERE q.instance_id = p_instance_id AND q.queue_id = p_queue_id
$$;

-- Whether a queue is open at an instant: in a period of its local date, or of the day before (a range
-- past midnight). NULL when the queue's hours are not known.
CREATE FUNCTION queue_is_open(p_instance_id text, p_queue_id text, p_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT CASE WHEN h.time_zone IS NULL THEN NULL ELSE EXISTS (
    SELECT 1 FROM generate_series(0, 1) AS back,
      hours_open_periods(q.instance_id, q.hours_of_operation_id, (p_at AT TIME ZONE h.time_zone)::date - back) AS p
    WHERE p_at >= p.opens_at AND p_at < p.closes_at
  ) END
  FROM queue q LEFT JOIN hours_of_operation h
    ON h.instance_id = q.instance_id AND h.hours_id = q.hours_of_operation_id
  WHERE q.instance_id = p_instance_id AND q.queue_id = p_queue_id
$$;

-- Whether any STANDARD queue of an instance is open at an instant (NULL when no queue's hours are known).
CREATE FUNCTION instance_is_open(p_instance_id text, p_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT bool_or(queue_is_open(q.instance_id, q.queue_id, p_at))
  FROM queue q
  WHERE q.instance_id = p_instance_id AND q.queue_type = 'STANDARD' AND q.deleted_at IS NULL
    AND q.hours_of_operation_id IS NOT NULL
$$;

-- Whether any STANDARD queue of an instance is open at some time of [p_from, p_to) (NULL when no
-- queue's hours are known): /check calls a real-time feed `closed`, not stale, when its instance was
-- closed for the whole of its staleness window.
CREATE FUNCTION instance_open_during(p_instance_id text, p_from timestamptz, p_to timestamptz)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT bool_or(EXISTS (
    SELECT 1
    FROM generate_series((p_from AT TIME ZONE h.time_zone)::date - 1, (p_to AT TIME ZONE h.time_zone)::date,
      interval '1 day') AS d,
      hours_open_periods(h.instance_id, h.hours_id, d::date) AS p
    WHERE p.opens_at < p_to AND p.closes_at > p_from
  ))
  FROM (
    SELECT DISTINCT q.instance_id, q.hours_of_operation_id FROM queue q
    WHERE q.instance_id = p_instance_id AND q.queue_type = 'STANDARD' AND q.deleted_at IS NULL
      AND q.hours_of_operation_id IS NOT NULL
  ) qh
  JOIN hours_of_operation h ON h.instance_id = qh.instance_id AND h.hours_id = qh.hours_of_operation_id
$$;

-- Reporting: each queue's open periods on every date whose effective hours were collected.
CREATE VIEW v_queue_open_period AS
SELECT q.instance_id, i.client_name, q.queue_id, q.queue_name,
       h.hours_id, h.hours_name, h.time_zone, d.local_date, d.override_name,
       (d.local_date + make_interval(mins => (p ->> 0)::int)) AT TIME ZONE h.time_zone AS opens_at,
       (d.local_date + make_interval(mins => (p ->> 1)::int)) AT TIME ZONE h.time_zone AS closes_at
FROM queue q
LEFT JOIN connect_instance i ON i.instance_id = q.instance_id
JOIN hours_of_operation h ON h.instance_id = q.instance_id AND h.hours_id = q.hours_of_operation_id
JOIN hours_of_operation_day d ON d.instance_id = h.instance_id AND d.hours_id = h.hours_id
CROSS JOIN LATERAL jsonb_array_elements(d.periods) AS p
WHERE q.deleted_at IS NULL AND q.queue_type = 'STANDARD';
COMMENT ON VIEW v_queue_open_period IS
  'Open periods of each STANDARD queue on each collected local date (hours'' time zone), overrides applied.';
