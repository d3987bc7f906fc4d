-- Connect's own definitions (docs/metrics.md has each with its source):
--   answered      = contacts answered from the queue (SUM_CONTACTS_ANSWERED_IN_X over every wait), not
--                   CONTACTS_HANDLED, which also counts outbound contacts and transfers;
--   answer time   = AVG_QUEUE_ANSWER_TIME weighted by that answered count;
--   service level = contacts removed from the queue within X (answered, abandoned or moved on)
--                   / contacts queued (CONTACTS_REMOVED_FROM_QUEUE_IN_X), not answered within X;
--   handle time   = Connect's average handle time (AVG_HANDLE_TIME, weighted by CONTACTS_HANDLED) next
--                   to "contact handle time" (SUM_HANDLE_TIME), which also counts custom-status time.
-- Rows collected before this migration have no removed count or AHT sum: their service level and
-- average handle time read as null rather than as a different definition.

ALTER TABLE queue_interval_metrics ADD COLUMN aht_weighted_sum_seconds double precision;
COMMENT ON COLUMN queue_interval_metrics.aht_weighted_sum_seconds IS
  'AVG_HANDLE_TIME x CONTACTS_HANDLED (v2 rows): the numerator of Connect''s average handle time, re-aggregable by summing.';
COMMENT ON COLUMN queue_interval_metrics.contacts_answered_count IS
  'Contacts answered from the queue (v2 SUM_CONTACTS_ANSWERED_IN_X below 604800 s): the weight of AVG_QUEUE_ANSWER_TIME.';
COMMENT ON COLUMN queue_interval_metrics.handle_time_sum_seconds IS
  'SUM_HANDLE_TIME, Connect''s "contact handle time": talk, hold and after-contact work, custom-status time included.';

ALTER TABLE agent_interval_metrics ADD COLUMN aht_weighted_sum_seconds double precision;
COMMENT ON COLUMN agent_interval_metrics.aht_weighted_sum_seconds IS
  'AVG_HANDLE_TIME x CONTACTS_HANDLED: the numerator of Connect''s average handle time for the agent.';

ALTER TABLE queue_interval_service_level ADD COLUMN contacts_removed_in_threshold_count integer;
COMMENT ON COLUMN queue_interval_service_level.contacts_removed_in_threshold_count IS
  'CONTACTS_REMOVED_FROM_QUEUE_IN_X (v2 rows): contacts that left the queue in under the threshold, however they left.';

-- Late contact records: Connect books a contact in the interval in which it disconnected once its
-- after-contact work ends, so the collector reads each interval again at fixed ages
-- (historicalRestateHours). A re-read that changes a row is a restatement: when, how often, and the
-- handled count the first read gave (contacts_handled_count minus it is how much it changed).
ALTER TABLE queue_interval_metrics
  ADD COLUMN restated_at timestamptz,
  ADD COLUMN restatement_count integer NOT NULL DEFAULT 0,
  ADD COLUMN contacts_handled_first_read_count integer;
COMMENT ON COLUMN queue_interval_metrics.restated_at IS
  'When a later read of this interval last changed it (null: every read since the first agreed).';
ALTER TABLE agent_interval_metrics
  ADD COLUMN restated_at timestamptz,
  ADD COLUMN restatement_count integer NOT NULL DEFAULT 0,
  ADD COLUMN contacts_handled_first_read_count integer;
COMMENT ON COLUMN agent_interval_metrics.restated_at IS
  'When a later read of this interval last changed it (null: every read since the first agreed).';

-- Views keep their columns and order (CREATE OR REPLACE) and gain new ones at the end.
CREATE OR REPLACE VIEW v_queue_interval AS
SELECT
  m.instance_id,
  i.client_name,
  i.environment,
  m.queue_id,
  q.queue_name,
  m.channel,
  m.interval_start,
  m.interval_end,
  m.contacts_queued_count,
  m.contacts_handled_count,
  m.contacts_abandoned_count,
  m.contacts_answered_count,
  m.contacts_put_on_hold_count,
  m.handle_time_sum_seconds,
  m.hold_time_sum_seconds,
  m.after_contact_work_time_sum_seconds,
  m.queue_answer_time_sum_seconds,
  m.abandon_time_sum_seconds,
  m.aht_weighted_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_handle_time_seconds,
  m.hold_time_sum_seconds / nullif(m.contacts_put_on_hold_count, 0) AS avg_hold_time_seconds,
  m.after_contact_work_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_after_contact_work_time_seconds,
  m.queue_answer_time_sum_seconds / nullif(m.contacts_answered_count, 0) AS avg_queue_answer_time_seconds,
  m.abandon_time_sum_seconds / nullif(m.contacts_abandoned_count, 0) AS avg_abandon_time_seconds,
  100 * m.contacts_abandoned_count::double precision / nullif(m.contacts_queued_count, 0) AS abandonment_rate_pct,
  m.aht_weighted_sum_seconds,
  m.handle_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_contact_handle_time_seconds,
  m.restated_at,
  m.contacts_handled_count - m.contacts_handled_first_read_count AS contacts_handled_restated_by
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue q ON q.instance_id = m.instance_id AND q.queue_id = m.queue_id
WHERE m.interval_minutes = 15;
COMMENT ON VIEW v_queue_interval IS
  'GetMetricDataV2 15-minute queue intervals: counts, sums and the averages they give (avg = sum / count), by Connect''s definitions. Re-aggregate with sum(sum)/sum(count).';

CREATE OR REPLACE VIEW v_queue_daily AS
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
GROUP BY m.instance_id, i.client_name, i.environment, m.queue_id, q.queue_name, m.channel, date_trunc('day', m.interval_start AT TIME ZONE 'UTC');
COMMENT ON VIEW v_queue_daily IS
  'Per queue, channel and UTC day: totals and exact weighted averages by Connect''s definitions, with the sums and counts to re-aggregate them over queues and days.';

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
JOIN queue_interval_metrics m
  ON m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
 AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
LEFT JOIN connect_instance i ON i.instance_id = sl.instance_id
LEFT JOIN queue q ON q.instance_id = sl.instance_id AND q.queue_id = sl.queue_id
WHERE sl.interval_minutes = 15;
COMMENT ON VIEW v_queue_service_level IS
  'Connect''s service level per 15-minute interval and threshold: contacts removed from the queue within the threshold over contacts queued (sum both to re-aggregate); answered_in_threshold_pct is the answered-only figure.';

CREATE OR REPLACE VIEW v_agent_interval AS
SELECT
  m.instance_id,
  i.client_name,
  m.agent_id,
  a.username,
  m.interval_start,
  m.interval_end,
  m.contacts_handled_count,
  m.handle_time_sum_seconds,
  m.online_time_sum_seconds,
  m.idle_time_sum_seconds,
  m.non_productive_time_sum_seconds,
  m.contact_time_sum_seconds,
  m.aht_weighted_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_handle_time_seconds,
  100 * m.contact_time_sum_seconds / nullif(m.contact_time_sum_seconds + m.idle_time_sum_seconds, 0) AS occupancy_pct,
  m.aht_weighted_sum_seconds,
  m.handle_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_contact_handle_time_seconds
FROM agent_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN agent a ON a.instance_id = m.instance_id AND a.agent_id = m.agent_id
WHERE m.interval_minutes = 15;
COMMENT ON VIEW v_agent_interval IS
  'GetMetricDataV2 15-minute agent intervals: time sums, Connect''s average handle time and the contact handle time average; occupancy = contact time / (contact + idle time).';

-- The start of the first interval a feed collected: restatements never reach before it (an interval
-- older than the first backfill was never read, so there is nothing to restate). Null on rows written
-- before this migration: no bound.
ALTER TABLE collection_watermark ADD COLUMN collected_from timestamptz;

-- Every instance the pipeline has run for, metadata or not (a current-metrics run can come first): a
-- loose index scan over collector_run's primary key, one probe per instance. SECURITY DEFINER like
-- feed_freshness, so the reporting user's views can use it.
CREATE FUNCTION pipeline_instances()
RETURNS TABLE (instance_id text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
  WITH RECURSIVE ids AS (
    SELECT min(r.instance_id) AS id FROM collector_run r
    UNION ALL
    SELECT (SELECT min(r.instance_id) FROM collector_run r WHERE r.instance_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
  )
  SELECT id FROM ids WHERE id IS NOT NULL
$$;
COMMENT ON FUNCTION pipeline_instances() IS 'Every instance with a collector run, in id order.';

-- "Latest" is the snapshot of the latest successful run, not the newest snapshot that has rows:
-- Connect answers only for queues with activity, so a queue without a row in the latest snapshot has
-- no current activity, and an instance whose latest snapshot has no rows at all is quiet, not showing
-- the activity of hours ago. feed_freshness (V009) gives the run's data time (its snapshot time).
CREATE OR REPLACE VIEW v_queue_realtime_latest AS
SELECT
  s.instance_id,
  i.client_name,
  i.environment,
  s.queue_id,
  q.queue_name,
  q.queue_type,
  s.channel,
  s.snapshot_time,
  s.agents_after_contact_work_count,
  s.agents_available_count,
  s.agents_error_count,
  s.agents_non_productive_count,
  s.agents_online_count,
  s.agents_on_call_count,
  s.agents_on_contact_count,
  s.agents_staffed_count,
  s.contacts_in_queue_count,
  s.contacts_scheduled_count,
  s.estimated_wait_time_seconds,
  s.oldest_contact_age_seconds,
  s.slots_active_count,
  s.slots_available_count,
  extract(epoch FROM (now() - s.snapshot_time))::double precision AS data_age_seconds
FROM pipeline_instances() p
CROSS JOIN LATERAL feed_freshness(p.instance_id, 'current_metrics') latest
JOIN queue_realtime_snapshot s ON s.instance_id = p.instance_id AND s.snapshot_time = latest.last_data_time
LEFT JOIN connect_instance i ON i.instance_id = s.instance_id
LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id
WHERE latest.last_data_time > now() - interval '1 day';
COMMENT ON VIEW v_queue_realtime_latest IS
  'The snapshot of the latest successful current-metrics run (within the last day) of each instance: one row per queue and channel Connect reported activity for; a queue without a row had none. For DIRECT_QUERY dashboards.';

CREATE OR REPLACE VIEW v_agent_realtime_latest AS
SELECT
  s.instance_id,
  i.client_name,
  s.agent_id,
  a.username,
  s.snapshot_time,
  s.agent_status_name,
  s.status_started_at,
  s.routing_profile_id,
  rp.routing_profile_name,
  s.available_slots_count,
  s.active_slots_count,
  s.max_slots_count,
  s.contacts_count
FROM pipeline_instances() p
CROSS JOIN LATERAL feed_freshness(p.instance_id, 'current_users') latest
JOIN agent_realtime_snapshot s ON s.instance_id = p.instance_id AND s.snapshot_time = latest.last_data_time
LEFT JOIN connect_instance i ON i.instance_id = s.instance_id
LEFT JOIN agent a ON a.instance_id = s.instance_id AND a.agent_id = s.agent_id
LEFT JOIN routing_profile rp ON rp.instance_id = s.instance_id AND rp.routing_profile_id = s.routing_profile_id
WHERE latest.last_data_time > now() - interval '1 day';
COMMENT ON VIEW v_agent_realtime_latest IS
  'The snapshot of the latest successful current-users run (within the last day): every agent logged in then, with names; none when no agent was.';
