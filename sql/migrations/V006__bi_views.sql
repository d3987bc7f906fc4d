-- Views for BI tools (QuickSight datasets read these). They are a public contract: change them by
-- adding columns or views, never by renaming. Every view carries the instance's client_name and
-- environment so dashboards can span instances.

-- Latest snapshot of every queue and channel, with names. One row per (instance, queue, channel).
CREATE VIEW v_queue_realtime_latest AS
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
FROM queue_realtime_snapshot s
JOIN (
  SELECT instance_id, max(snapshot_time) AS snapshot_time
  FROM queue_realtime_snapshot
  WHERE snapshot_time > now() - interval '1 day'
  GROUP BY instance_id
) latest ON latest.instance_id = s.instance_id AND latest.snapshot_time = s.snapshot_time
LEFT JOIN connect_instance i ON i.instance_id = s.instance_id
LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id;
COMMENT ON VIEW v_queue_realtime_latest IS
  'The newest real-time snapshot (within the last day) of every queue and channel of each instance, with queue names and data_age_seconds. For DIRECT_QUERY dashboards.';

-- One-minute rollup of the 10-second snapshots: per metric the average of the snapshots that had a
-- value, and the maximum. sample_count says how many snapshots the minute had (6 when none was missed).
CREATE VIEW v_queue_realtime_1min AS
SELECT
  s.instance_id,
  i.client_name,
  i.environment,
  s.queue_id,
  q.queue_name,
  s.channel,
  date_trunc('minute', s.snapshot_time) AS minute_start,
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
GROUP BY s.instance_id, i.client_name, i.environment, s.queue_id, q.queue_name, s.channel, date_trunc('minute', s.snapshot_time);
COMMENT ON VIEW v_queue_realtime_1min IS
  'Real-time queue metrics per minute (average and maximum of the 10-second snapshots); filter on minute_start to stay on the snapshot_time index.';

-- 15-minute GetMetricDataV2 intervals with exact weighted averages. To group by day, queue set or
-- instance, sum the *_sum_seconds and *_count columns and divide (see v_queue_daily); never average
-- the avg_* columns.
CREATE VIEW v_queue_interval AS
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
  m.handle_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_handle_time_seconds,
  m.hold_time_sum_seconds / nullif(m.contacts_put_on_hold_count, 0) AS avg_hold_time_seconds,
  m.after_contact_work_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_after_contact_work_time_seconds,
  m.queue_answer_time_sum_seconds / nullif(m.contacts_answered_count, 0) AS avg_queue_answer_time_seconds,
  m.abandon_time_sum_seconds / nullif(m.contacts_abandoned_count, 0) AS avg_abandon_time_seconds,
  100 * m.contacts_abandoned_count::double precision / nullif(m.contacts_queued_count, 0) AS abandonment_rate_pct
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue q ON q.instance_id = m.instance_id AND q.queue_id = m.queue_id
WHERE m.interval_minutes = 15;
COMMENT ON VIEW v_queue_interval IS
  'GetMetricDataV2 15-minute queue intervals: counts, sums and the exact averages they give (avg = sum / count). Re-aggregate with sum(sum)/sum(count).';

-- Daily totals per queue and channel (UTC days), re-aggregated exactly from the 15-minute sums.
CREATE VIEW v_queue_daily AS
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
  sum(m.handle_time_sum_seconds) / nullif(sum(m.contacts_handled_count), 0) AS avg_handle_time_seconds,
  sum(m.hold_time_sum_seconds) / nullif(sum(m.contacts_put_on_hold_count), 0) AS avg_hold_time_seconds,
  sum(m.after_contact_work_time_sum_seconds) / nullif(sum(m.contacts_handled_count), 0) AS avg_after_contact_work_time_seconds,
  sum(m.queue_answer_time_sum_seconds) / nullif(sum(m.contacts_answered_count), 0) AS avg_queue_answer_time_seconds,
  sum(m.abandon_time_sum_seconds) / nullif(sum(m.contacts_abandoned_count), 0) AS avg_abandon_time_seconds,
  100 * sum(m.contacts_abandoned_count)::double precision / nullif(sum(m.contacts_queued_count), 0) AS abandonment_rate_pct
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue q ON q.instance_id = m.instance_id AND q.queue_id = m.queue_id
WHERE m.interval_minutes = 15
GROUP BY m.instance_id, i.client_name, i.environment, m.queue_id, q.queue_name, m.channel, date_trunc('day', m.interval_start AT TIME ZONE 'UTC');
COMMENT ON VIEW v_queue_daily IS
  'Per queue, channel and UTC day: totals and exact weighted averages computed from GetMetricDataV2 sums and counts.';

-- Service level per 15-minute interval and threshold, re-aggregable: answered within / queued.
CREATE VIEW v_queue_service_level AS
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
  100 * sl.contacts_answered_in_threshold_count::double precision / nullif(m.contacts_queued_count, 0) AS service_level_pct
FROM queue_interval_service_level sl
JOIN queue_interval_metrics m
  ON m.instance_id = sl.instance_id AND m.queue_id = sl.queue_id AND m.channel = sl.channel
 AND m.interval_start = sl.interval_start AND m.interval_minutes = sl.interval_minutes
LEFT JOIN connect_instance i ON i.instance_id = sl.instance_id
LEFT JOIN queue q ON q.instance_id = sl.instance_id AND q.queue_id = sl.queue_id
WHERE sl.interval_minutes = 15;
COMMENT ON VIEW v_queue_service_level IS
  'Service level per 15-minute interval and threshold: contacts answered within the threshold over contacts queued (sum both to re-aggregate).';

-- GetMetricData (v1) 5-minute intervals as Connect computes them, all 25 metrics. Averages here are
-- Connect's own and cannot be re-aggregated exactly; use v_queue_interval for that.
CREATE VIEW v_queue_interval_5min AS
SELECT
  i.client_name,
  q.queue_name,
  m.*
FROM queue_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN queue q ON q.instance_id = m.instance_id AND q.queue_id = m.queue_id
WHERE m.interval_minutes = 5;
COMMENT ON VIEW v_queue_interval_5min IS
  'GetMetricData (v1) 5-minute queue intervals with all 25 historical metrics as Connect reports them.';

-- The agent status timeline, with names and durations (open intervals run to the last snapshot).
CREATE VIEW v_agent_status_timeline AS
SELECT
  t.instance_id,
  i.client_name,
  t.agent_id,
  a.username,
  t.agent_status_name,
  t.started_at,
  t.ended_at,
  t.ended_at IS NULL AS is_current,
  extract(epoch FROM (coalesce(t.ended_at, t.last_seen_at) - t.started_at))::double precision AS duration_seconds
FROM agent_status_interval t
LEFT JOIN connect_instance i ON i.instance_id = t.instance_id
LEFT JOIN agent a ON a.instance_id = t.instance_id AND a.agent_id = t.agent_id;
COMMENT ON VIEW v_agent_status_timeline IS
  'Agent status intervals (status, start, end, duration); is_current marks the open one, whose duration runs to the latest snapshot.';

-- Latest real-time state of every agent.
CREATE VIEW v_agent_realtime_latest AS
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
FROM agent_realtime_snapshot s
JOIN (
  SELECT instance_id, max(snapshot_time) AS snapshot_time
  FROM agent_realtime_snapshot
  WHERE snapshot_time > now() - interval '1 day'
  GROUP BY instance_id
) latest ON latest.instance_id = s.instance_id AND latest.snapshot_time = s.snapshot_time
LEFT JOIN connect_instance i ON i.instance_id = s.instance_id
LEFT JOIN agent a ON a.instance_id = s.instance_id AND a.agent_id = s.agent_id
LEFT JOIN routing_profile rp ON rp.instance_id = s.instance_id AND rp.routing_profile_id = s.routing_profile_id;
COMMENT ON VIEW v_agent_realtime_latest IS 'The newest GetCurrentUserData snapshot of every agent, with names.';

-- Per-agent 15-minute intervals with exact occupancy and averages from the v2 sums.
CREATE VIEW v_agent_interval AS
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
  m.handle_time_sum_seconds / nullif(m.contacts_handled_count, 0) AS avg_handle_time_seconds,
  100 * m.contact_time_sum_seconds / nullif(m.contact_time_sum_seconds + m.idle_time_sum_seconds, 0) AS occupancy_pct
FROM agent_interval_metrics m
LEFT JOIN connect_instance i ON i.instance_id = m.instance_id
LEFT JOIN agent a ON a.instance_id = m.instance_id AND a.agent_id = m.agent_id
WHERE m.interval_minutes = 15;
COMMENT ON VIEW v_agent_interval IS
  'GetMetricDataV2 15-minute agent intervals: time sums and exact averages; occupancy = contact time / (contact + idle time).';

-- How fresh each feed of each instance is: last run, last success, its age and the last error.
CREATE VIEW v_data_freshness AS
SELECT
  f.instance_id,
  i.client_name,
  f.feed,
  last_run.started_at AS last_run_at,
  last_run.outcome AS last_outcome,
  last_run.error_text AS last_error,
  last_ok.finished_at AS last_success_at,
  last_ok.rows_written AS last_success_rows,
  last_ok.data_time AS last_data_time,
  extract(epoch FROM (now() - last_ok.finished_at))::double precision AS seconds_since_success
FROM (SELECT DISTINCT instance_id, feed FROM collector_run) f
LEFT JOIN connect_instance i ON i.instance_id = f.instance_id
LEFT JOIN LATERAL (
  SELECT r.started_at, r.outcome, r.error_text FROM collector_run r
  WHERE r.instance_id = f.instance_id AND r.feed = f.feed ORDER BY r.started_at DESC LIMIT 1
) last_run ON true
LEFT JOIN LATERAL (
  SELECT r.finished_at, r.rows_written, r.data_time FROM collector_run r
  WHERE r.instance_id = f.instance_id AND r.feed = f.feed AND r.outcome <> 'failed' ORDER BY r.started_at DESC LIMIT 1
) last_ok ON true;
COMMENT ON VIEW v_data_freshness IS
  'Per instance and feed: the last run and its outcome, the last successful (or partial) run, its age in seconds, and the last error.';
