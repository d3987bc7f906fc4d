-- Real-time facts, written every 10 seconds. Sized for 500 queues x 3 channels x 8,640 snapshots a day:
-- the primary keys serve "these queues / agents over the last N hours", and a btree on snapshot_time
-- serves time-range scans (and the retention job) without reading the whole table.
-- Facts carry no foreign keys to the dimensions: real-time collection must not wait for metadata.

CREATE TABLE queue_realtime_snapshot (
  instance_id                     text             NOT NULL,
  queue_id                        text             NOT NULL,
  channel                         text             NOT NULL,
  snapshot_time                   timestamptz      NOT NULL,
  agents_after_contact_work_count integer,
  agents_available_count          integer,
  agents_error_count              integer,
  agents_non_productive_count     integer,
  agents_online_count             integer,
  agents_on_call_count            integer,
  agents_on_contact_count         integer,
  agents_staffed_count            integer,
  contacts_in_queue_count         integer,
  contacts_scheduled_count        integer,
  estimated_wait_time_seconds     double precision,
  oldest_contact_age_seconds      double precision,
  slots_active_count              integer,
  slots_available_count           integer,
  collected_at                    timestamptz      NOT NULL,
  PRIMARY KEY (instance_id, queue_id, channel, snapshot_time)
);
CREATE INDEX queue_realtime_snapshot_time_idx ON queue_realtime_snapshot (snapshot_time);
COMMENT ON TABLE queue_realtime_snapshot IS
  'One row per queue, channel and GetCurrentMetricData snapshot (DataSnapshotTime). NULL means Connect reported no value, never zero. oldest_contact_age_seconds is in seconds whatever grouping the API call used.';

CREATE TABLE agent_realtime_snapshot (
  instance_id             text        NOT NULL,
  agent_id                text        NOT NULL,
  snapshot_time           timestamptz NOT NULL,
  routing_profile_id      text,
  agent_status_arn        text,
  agent_status_name       text,
  status_started_at       timestamptz,
  next_status_name        text,
  available_slots_count   integer,
  active_slots_count      integer,
  max_slots_count         integer,
  slots_by_channel        jsonb,
  contacts_count          integer     NOT NULL,
  contacts                jsonb,
  hierarchy_path          jsonb,
  collected_at            timestamptz NOT NULL,
  PRIMARY KEY (instance_id, agent_id, snapshot_time)
);
CREATE INDEX agent_realtime_snapshot_time_idx ON agent_realtime_snapshot (snapshot_time);
COMMENT ON TABLE agent_realtime_snapshot IS
  'One row per agent and GetCurrentUserData snapshot: status, routing profile, slots by channel ({"VOICE": {"available": 1, "active": 0, "max": 1}}) and contacts with their state.';

CREATE TABLE agent_status_interval (
  instance_id       text        NOT NULL,
  agent_id          text        NOT NULL,
  started_at        timestamptz NOT NULL,
  agent_status_arn  text,
  agent_status_name text,
  ended_at          timestamptz,
  last_seen_at      timestamptz NOT NULL,
  PRIMARY KEY (instance_id, agent_id, started_at),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX agent_status_interval_open_idx ON agent_status_interval (instance_id, agent_id) WHERE ended_at IS NULL;
COMMENT ON TABLE agent_status_interval IS
  'Agent status timeline derived from snapshots: an interval starts at StatusStartTimestamp and ends when the status (or its start) changes or the agent leaves the snapshot; ended_at NULL means still open.';
