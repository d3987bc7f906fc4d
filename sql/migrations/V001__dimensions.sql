-- Dimensions: what the metadata collector reads from ListQueues, ListRoutingProfiles, ListAgentStatuses
-- and ListUsers. Every row keeps first_seen_at / last_seen_at; deleted_at is set when a run no longer
-- finds the item and cleared if it comes back, so history keeps its names.

CREATE TABLE connect_instance (
  instance_id   text        NOT NULL PRIMARY KEY,
  instance_arn  text        NOT NULL,
  region        text        NOT NULL,
  client_name   text        NOT NULL,
  environment   text        NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  deleted_at    timestamptz
);
COMMENT ON TABLE connect_instance IS 'Amazon Connect instances named in the pipeline config, with their client and environment labels.';

CREATE TABLE queue (
  instance_id      text        NOT NULL,
  queue_id         text        NOT NULL,
  queue_arn        text        NOT NULL,
  queue_name       text,
  queue_type       text        NOT NULL CHECK (queue_type IN ('STANDARD', 'AGENT')),
  last_modified_at timestamptz,
  first_seen_at    timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  deleted_at       timestamptz,
  PRIMARY KEY (instance_id, queue_id)
);
COMMENT ON TABLE queue IS 'Queues from ListQueues: STANDARD queues and the AGENT queue Connect keeps for each agent.';

CREATE TABLE routing_profile (
  instance_id          text        NOT NULL,
  routing_profile_id   text        NOT NULL,
  routing_profile_arn  text        NOT NULL,
  routing_profile_name text,
  last_modified_at     timestamptz,
  first_seen_at        timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  deleted_at           timestamptz,
  PRIMARY KEY (instance_id, routing_profile_id)
);
COMMENT ON TABLE routing_profile IS 'Routing profiles from ListRoutingProfiles.';

CREATE TABLE agent_status (
  instance_id       text        NOT NULL,
  agent_status_id   text        NOT NULL,
  agent_status_arn  text        NOT NULL,
  agent_status_name text,
  agent_status_type text        CHECK (agent_status_type IN ('ROUTABLE', 'CUSTOM', 'OFFLINE')),
  last_modified_at  timestamptz,
  first_seen_at     timestamptz NOT NULL,
  last_seen_at      timestamptz NOT NULL,
  deleted_at        timestamptz,
  PRIMARY KEY (instance_id, agent_status_id)
);
COMMENT ON TABLE agent_status IS 'Agent statuses (Available, Offline and custom ones) from ListAgentStatuses.';

CREATE TABLE agent (
  instance_id      text        NOT NULL,
  agent_id         text        NOT NULL,
  agent_arn        text        NOT NULL,
  username         text,
  last_modified_at timestamptz,
  first_seen_at    timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  deleted_at       timestamptz,
  PRIMARY KEY (instance_id, agent_id)
);
COMMENT ON TABLE agent IS 'Agents (Connect users) from ListUsers; agent_id is the Connect user id.';
