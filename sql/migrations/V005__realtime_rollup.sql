-- Long-term home of real-time data: 15-minute rollups of queue_realtime_snapshot. The retention job
-- (lambdas/shared/db/retention.ts) fills this table from raw snapshots older than the retention period,
-- then deletes those snapshots, one bounded batch per transaction.

CREATE TABLE queue_realtime_15min (
  instance_id                        text             NOT NULL,
  queue_id                           text             NOT NULL,
  channel                            text             NOT NULL,
  bucket_start                       timestamptz      NOT NULL,
  sample_count                       integer          NOT NULL,
  agents_after_contact_work_avg      double precision,
  agents_after_contact_work_max      double precision,
  agents_available_avg               double precision,
  agents_available_max               double precision,
  agents_error_avg                   double precision,
  agents_error_max                   double precision,
  agents_non_productive_avg          double precision,
  agents_non_productive_max          double precision,
  agents_online_avg                  double precision,
  agents_online_max                  double precision,
  agents_on_call_avg                 double precision,
  agents_on_call_max                 double precision,
  agents_on_contact_avg              double precision,
  agents_on_contact_max              double precision,
  agents_staffed_avg                 double precision,
  agents_staffed_max                 double precision,
  contacts_in_queue_avg              double precision,
  contacts_in_queue_max              double precision,
  contacts_scheduled_avg             double precision,
  contacts_scheduled_max             double precision,
  estimated_wait_time_avg_seconds    double precision,
  estimated_wait_time_max_seconds    double precision,
  oldest_contact_age_avg_seconds     double precision,
  oldest_contact_age_max_seconds     double precision,
  slots_active_avg                   double precision,
  slots_active_max                   double precision,
  slots_available_avg                double precision,
  slots_available_max                double precision,
  rolled_up_at                       timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, queue_id, channel, bucket_start)
);
CREATE INDEX queue_realtime_15min_start_idx ON queue_realtime_15min (bucket_start);
COMMENT ON TABLE queue_realtime_15min IS
  'Real-time queue metrics rolled up to 15 minutes: per metric the average over the snapshots that had a value and the maximum; sample_count snapshots.';
