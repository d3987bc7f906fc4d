import { writeBatch } from '../shared/db/batch';
import { type SqlExecutor, sqlJson } from '../shared/db/executor';
import type { AgentState, CurrentUsersStore, StatusSnapshot } from './ports';

/** Ids of the instance's routing profiles that metadata last saw (not deleted), in id order. */
export async function activeRoutingProfileIds(db: SqlExecutor, instanceId: string): Promise<string[]> {
  const { rows } = await db.query<{ routing_profile_id: string }>(
    `SELECT routing_profile_id FROM routing_profile
     WHERE instance_id = :instanceId AND deleted_at IS NULL
     ORDER BY routing_profile_id`,
    { instanceId },
  );
  return rows.map((r) => r.routing_profile_id);
}

/** The first state of each agent: an upsert may touch a row only once per statement. */
function onePerAgent(agents: readonly AgentState[]): AgentState[] {
  const seen = new Set<string>();
  return agents.filter((a) => !seen.has(a.agentId) && seen.add(a.agentId));
}

/** One statement for the whole snapshot; a rerun of the same snapshot rewrites nothing. */
const UPSERT_AGENT_SNAPSHOT = `INSERT INTO agent_realtime_snapshot AS s
    (instance_id, agent_id, snapshot_time, routing_profile_id, agent_status_arn, agent_status_name,
     status_started_at, next_status_name, available_slots_count, active_slots_count, max_slots_count,
     slots_by_channel, contacts_count, contacts, hierarchy_path, collected_at)
  SELECT :instanceId, r.agent_id, :snapshotTime::timestamptz, r.routing_profile_id, r.agent_status_arn,
    r.agent_status_name, r.status_started_at, r.next_status_name, r.available_slots_count,
    r.active_slots_count, r.max_slots_count, r.slots_by_channel, r.contacts_count, r.contacts,
    r.hierarchy_path, :collectedAt::timestamptz
  FROM jsonb_to_recordset(:rows::jsonb) AS r(agent_id text, routing_profile_id text, agent_status_arn text,
    agent_status_name text, status_started_at timestamptz, next_status_name text, available_slots_count integer,
    active_slots_count integer, max_slots_count integer, slots_by_channel jsonb, contacts_count integer,
    contacts jsonb, hierarchy_path jsonb)
  ON CONFLICT (instance_id, agent_id, snapshot_time) DO UPDATE SET
    routing_profile_id = EXCLUDED.routing_profile_id, agent_status_arn = EXCLUDED.agent_status_arn,
    agent_status_name = EXCLUDED.agent_status_name, status_started_at = EXCLUDED.status_started_at,
    next_status_name = EXCLUDED.next_status_name, available_slots_count = EXCLUDED.available_slots_count,
    active_slots_count = EXCLUDED.active_slots_count, max_slots_count = EXCLUDED.max_slots_count,
    slots_by_channel = EXCLUDED.slots_by_channel, contacts_count = EXCLUDED.contacts_count,
    contacts = EXCLUDED.contacts, hierarchy_path = EXCLUDED.hierarchy_path, collected_at = EXCLUDED.collected_at
  WHERE (s.routing_profile_id, s.agent_status_arn, s.agent_status_name, s.status_started_at, s.next_status_name,
         s.available_slots_count, s.active_slots_count, s.max_slots_count, s.slots_by_channel, s.contacts_count,
         s.contacts, s.hierarchy_path)
    IS DISTINCT FROM
        (EXCLUDED.routing_profile_id, EXCLUDED.agent_status_arn, EXCLUDED.agent_status_name,
         EXCLUDED.status_started_at, EXCLUDED.next_status_name, EXCLUDED.available_slots_count,
         EXCLUDED.active_slots_count, EXCLUDED.max_slots_count, EXCLUDED.slots_by_channel,
         EXCLUDED.contacts_count, EXCLUDED.contacts, EXCLUDED.hierarchy_path)`;

/** Writes one row per agent for the snapshot; returns the rows inserted or changed. */
export async function writeAgentSnapshot(
  db: SqlExecutor,
  instanceId: string,
  snapshotTime: Date,
  agents: readonly AgentState[],
  collectedAt: Date,
  options: WriteOptions = {},
): Promise<number> {
  const rows = onePerAgent(agents).map((a) => ({
    agent_id: a.agentId,
    routing_profile_id: a.routingProfileId,
    agent_status_arn: a.statusArn,
    agent_status_name: a.statusName,
    status_started_at: a.statusStartedAt?.toISOString() ?? null,
    next_status_name: a.nextStatusName,
    available_slots_count: a.availableSlots,
    active_slots_count: a.activeSlots,
    max_slots_count: a.maxSlots,
    slots_by_channel: a.slotsByChannel,
    contacts_count: a.contacts.length,
    contacts: a.contacts,
    hierarchy_path: a.hierarchyPath,
  }));
  return writeBatch(db, UPSERT_AGENT_SNAPSHOT, rows, {
    params: { instanceId, snapshotTime: snapshotTime.toISOString(), collectedAt: collectedAt.toISOString() },
    ...options,
  });
}

/**
 * The status timeline in ONE statement (data-modifying CTEs over disjoint rows):
 *
 * - `latest`: each reported agent's newest interval. An agent whose newest interval was seen after
 *   this snapshot is left alone (an older snapshot arriving late changes nothing).
 * - `planned`: the interval the snapshot puts the agent in. It starts at StatusStartTimestamp, unless
 *   that is not after the newest interval's start: then the same status continues the newest interval
 *   (reopened if an absence had closed it), and a different status starts at the snapshot time.
 * - `closed`: the agent's open interval, when the planned one starts later, ends at that start.
 * - `upserted`: the planned interval is inserted open, or marked seen (last_seen_at) if it exists.
 * - `gone`: open intervals of agents the snapshot does not name end at the snapshot time, unless the
 *   run could not tell who was present (`:closeAbsent` false).
 *
 * A rerun of the same snapshot matches every agent's interval as it left it and changes no row.
 */
const WRITE_STATUS_INTERVALS = `WITH input AS (
    SELECT * FROM jsonb_to_recordset(:rows::jsonb)
      AS r(agent_id text, status_arn text, status_name text, status_started_at timestamptz)
  ), latest AS (
    -- One primary-key probe per agent (newest first, LIMIT 1), however long its history grows.
    SELECT l.* FROM input i CROSS JOIN LATERAL (
      SELECT t.agent_id, t.started_at, t.agent_status_arn, t.agent_status_name, t.ended_at, t.last_seen_at
      FROM agent_status_interval t
      WHERE t.instance_id = :instanceId AND t.agent_id = i.agent_id
      ORDER BY t.started_at DESC
      LIMIT 1
    ) l
  ), compared AS (
    SELECT i.agent_id, i.status_arn, i.status_name, i.status_started_at,
      l.agent_id IS NOT NULL AS has_latest, l.started_at AS latest_start, l.ended_at AS latest_end,
      l.last_seen_at AS latest_seen,
      CASE WHEN l.agent_status_arn IS NOT NULL AND i.status_arn IS NOT NULL THEN l.agent_status_arn = i.status_arn
           ELSE l.agent_status_name IS NOT DISTINCT FROM i.status_name END AS same_status
    FROM input i LEFT JOIN latest l ON l.agent_id = i.agent_id
  ), planned AS (
    SELECT c.*,
      CASE
        WHEN NOT c.has_latest THEN coalesce(c.status_started_at, :snapshotTime::timestamptz)
        WHEN c.status_started_at IS NOT NULL AND c.status_started_at > c.latest_start THEN c.status_started_at
        WHEN c.same_status AND (c.status_started_at IS NOT NULL OR c.latest_end IS NULL) THEN c.latest_start
        ELSE greatest(:snapshotTime::timestamptz, c.latest_start)
      END AS interval_start
    FROM compared c
    WHERE NOT c.has_latest OR c.latest_seen <= :snapshotTime::timestamptz
  ), closed AS (
    UPDATE agent_status_interval t SET ended_at = p.interval_start
    FROM planned p
    WHERE t.instance_id = :instanceId AND t.agent_id = p.agent_id AND t.started_at = p.latest_start
      AND p.latest_end IS NULL AND p.interval_start > p.latest_start
    RETURNING 1
  ), upserted AS (
    INSERT INTO agent_status_interval AS t
      (instance_id, agent_id, started_at, agent_status_arn, agent_status_name, ended_at, last_seen_at)
    SELECT :instanceId, p.agent_id, p.interval_start, p.status_arn, p.status_name, NULL, :snapshotTime::timestamptz
    FROM planned p
    ON CONFLICT (instance_id, agent_id, started_at) DO UPDATE SET
      agent_status_arn = coalesce(EXCLUDED.agent_status_arn, t.agent_status_arn),
      agent_status_name = coalesce(EXCLUDED.agent_status_name, t.agent_status_name),
      ended_at = NULL,
      last_seen_at = greatest(t.last_seen_at, EXCLUDED.last_seen_at)
    WHERE t.ended_at IS NOT NULL OR t.last_seen_at < EXCLUDED.last_seen_at
      OR t.agent_status_arn IS DISTINCT FROM coalesce(EXCLUDED.agent_status_arn, t.agent_status_arn)
      OR t.agent_status_name IS DISTINCT FROM coalesce(EXCLUDED.agent_status_name, t.agent_status_name)
    RETURNING 1
  ), gone AS (
    UPDATE agent_status_interval t SET ended_at = greatest(:snapshotTime::timestamptz, t.started_at)
    WHERE :closeAbsent::boolean AND t.instance_id = :instanceId AND t.ended_at IS NULL
      AND t.last_seen_at < :snapshotTime::timestamptz
      AND t.agent_id NOT IN (SELECT jsonb_array_elements_text(:presentAgentIds::jsonb))
    RETURNING 1
  )
  SELECT 1 FROM closed UNION ALL SELECT 1 FROM upserted UNION ALL SELECT 1 FROM gone`;

/** How a write is sent. */
export interface WriteOptions {
  /**
   * Largest request in bytes; a larger batch is split into statements run in one transaction.
   * @default writeBatch's (the Data API's 4 MiB less a margin)
   */
  readonly maxRequestBytes?: number;
}

/**
 * Updates `agent_status_interval` from one snapshot in one statement; returns the rows opened,
 * closed or marked seen. Agents with no status in the snapshot keep their interval as it is.
 */
export async function writeStatusIntervals(
  db: SqlExecutor,
  instanceId: string,
  snapshot: StatusSnapshot,
  options: WriteOptions = {},
): Promise<number> {
  const rows = onePerAgent(snapshot.agents)
    .filter((a) => a.statusArn !== null || a.statusName !== null)
    .map((a) => ({
      agent_id: a.agentId,
      status_arn: a.statusArn,
      status_name: a.statusName,
      status_started_at: a.statusStartedAt?.toISOString() ?? null,
    }));
  const params = {
    instanceId,
    snapshotTime: snapshot.snapshotTime.toISOString(),
    closeAbsent: snapshot.closeAbsent,
    presentAgentIds: sqlJson(snapshot.presentAgentIds),
  };
  if (rows.length === 0) {
    // Nobody reported (everyone logged out): still one statement, which closes the open intervals.
    return (await db.query(WRITE_STATUS_INTERVALS, { ...params, rows: sqlJson([]) })).rowCount;
  }
  // Split or not, the result is the same: every chunk sees the whole present list, and a chunk's
  // intervals are disjoint from the others' (one agent, one row).
  return writeBatch(db, WRITE_STATUS_INTERVALS, rows, { params, ...options });
}

/** The current-users store over SQL. */
export const sqlCurrentUsersStore: CurrentUsersStore = {
  activeRoutingProfileIds,
  writeAgentSnapshot: (tx, instanceId, snapshotTime, agents, collectedAt) =>
    writeAgentSnapshot(tx, instanceId, snapshotTime, agents, collectedAt),
  writeStatusIntervals: (tx, instanceId, snapshot) => writeStatusIntervals(tx, instanceId, snapshot),
};
