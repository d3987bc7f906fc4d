-- One definition of a feed's freshness, for /check and for v_data_freshness: its last run (and that
-- run's outcome and error) and its last successful run (succeeded or partial: its data landed), each
-- read through the primary key (instance_id, feed, started_at) backwards. SECURITY DEFINER, so the
-- read-only reporting user, who may read the v_* views but no table, can still use the view (a view's
-- functions run as its reader); its search_path is fixed to this schema, as such functions need.

CREATE FUNCTION feed_freshness(p_instance_id text, p_feed text)
RETURNS TABLE (
  last_run_at       timestamptz,
  last_outcome      text,
  last_error        text,
  last_success_at   timestamptz,
  last_success_rows integer,
  last_data_time    timestamptz
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  SELECT last_run.started_at, last_run.outcome, last_run.error_text,
         last_ok.finished_at, last_ok.rows_written, last_ok.data_time
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT r.started_at, r.outcome, r.error_text FROM collector_run r
    WHERE r.instance_id = p_instance_id AND r.feed = p_feed ORDER BY r.started_at DESC LIMIT 1
  ) last_run ON true
  LEFT JOIN LATERAL (
    SELECT r.finished_at, r.rows_written, r.data_time FROM collector_run r
    WHERE r.instance_id = p_instance_id AND r.feed = p_feed AND r.outcome <> 'failed'
    ORDER BY r.started_at DESC LIMIT 1
  ) last_ok ON true
$$;
COMMENT ON FUNCTION feed_freshness(text, text) IS
  'The last run and the last successful (or partial) run of one feed of one instance: what /check and v_data_freshness report.';

-- Same columns, same values: the view now reads the one definition.
CREATE OR REPLACE VIEW v_data_freshness AS
SELECT
  f.instance_id,
  i.client_name,
  f.feed,
  s.last_run_at,
  s.last_outcome,
  s.last_error,
  s.last_success_at,
  s.last_success_rows,
  s.last_data_time,
  extract(epoch FROM (now() - s.last_success_at))::double precision AS seconds_since_success
FROM (SELECT DISTINCT instance_id, feed FROM collector_run) f
LEFT JOIN connect_instance i ON i.instance_id = f.instance_id
CROSS JOIN LATERAL feed_freshness(f.instance_id, f.feed) s;
