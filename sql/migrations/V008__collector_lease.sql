-- One run at a time per scheduled collector, across Lambda containers: a run takes the lease of its
-- feed until its invocation ends, and a run that finds it held skips (the one holding it is collecting,
-- and the next catches up from the watermarks). Each container keeps its own Connect rate limiter, so
-- two overlapping runs (a long backfill, an event EventBridge delivered twice) would together spend
-- twice the account quota share.

CREATE TABLE collector_lease (
  lease_key  text        PRIMARY KEY,
  holder     text        NOT NULL,
  expires_at timestamptz NOT NULL
);
COMMENT ON TABLE collector_lease IS
  'Per scheduled collector (lease_key = feed): the invocation running it (holder) and when its lease lapses by itself (the invocation''s end).';
