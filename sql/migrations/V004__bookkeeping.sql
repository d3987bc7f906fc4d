-- What /check, the alarms and the historical backfill read.

CREATE TABLE collector_run (
  instance_id     text        NOT NULL,
  feed            text        NOT NULL CHECK (feed IN ('metadata', 'current_metrics', 'current_users', 'historical_metrics')),
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL,
  outcome         text        NOT NULL CHECK (outcome IN ('succeeded', 'partial', 'failed')),
  rows_written    integer     NOT NULL DEFAULT 0,
  api_calls       integer     NOT NULL DEFAULT 0,
  throttles       integer     NOT NULL DEFAULT 0,
  skipped_records integer     NOT NULL DEFAULT 0,
  data_time       timestamptz,
  error_text      text,
  details         jsonb,
  PRIMARY KEY (instance_id, feed, started_at),
  CHECK (finished_at >= started_at)
);
COMMENT ON TABLE collector_run IS
  'Every run of every collector per instance: outcome (partial = some records skipped, listed in details), rows written, Connect API calls and throttles, and data_time, the newest data the run wrote (snapshot time or interval end).';

CREATE TABLE collection_watermark (
  instance_id text        NOT NULL,
  feed        text        NOT NULL,
  watermark   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (instance_id, feed)
);
COMMENT ON TABLE collection_watermark IS
  'Per instance and historical feed (queue_v1, queue_v2, agent_v2): the end of the last interval known complete. Backfill starts here.';
