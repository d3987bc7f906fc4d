import type { SkippedRecord } from '../shared/collector/contract';
import type { SqlExecutor } from '../shared/db/executor';

/** The current-users collector's ports: what it reads Connect and the database through. */

/** Slots of one channel (a type alias, so it can travel as a batch row value). */
export type ChannelSlots = {
  readonly available: number | null;
  readonly active: number | null;
  readonly max: number | null;
};

/** One contact an agent holds, as stored in `agent_realtime_snapshot.contacts` (a type alias, as above). */
export type AgentContact = {
  readonly contact_id: string | null;
  readonly channel: string | null;
  readonly initiation_method: string | null;
  readonly agent_contact_state: string | null;
  readonly state_started_at: string | null;
  readonly connected_to_agent_at: string | null;
  readonly queue_id: string | null;
};

/** One agent's real-time state. */
export interface AgentState {
  readonly agentId: string;
  readonly routingProfileId: string | null;
  readonly statusArn: string | null;
  readonly statusName: string | null;
  readonly statusStartedAt: Date | null;
  readonly nextStatusName: string | null;
  /** Per channel; null when Connect sent no slot maps. */
  readonly slotsByChannel: Readonly<Record<string, ChannelSlots>> | null;
  readonly availableSlots: number | null;
  readonly activeSlots: number | null;
  readonly maxSlots: number | null;
  readonly contacts: readonly AgentContact[];
  /** `{ level_one: { id, arn }, ... }`; null when the agent is in no hierarchy. */
  readonly hierarchyPath: Readonly<Record<string, { id: string | null; arn: string | null }>> | null;
}

/** What one read of current user data returned. */
export interface UsersSnapshot {
  /** Every agent Connect reported, once each. */
  readonly agents: AgentState[];
  /**
   * Every agent id the answer named, including agents whose record was skipped: an agent in this
   * list is present, so its status interval must not be closed.
   */
  readonly presentAgentIds: string[];
  /** True when some skipped record did not even name its user, so absence proves nothing this run. */
  readonly someAgentsUnidentified: boolean;
  readonly skipped: SkippedRecord[];
  /** Filter batches sent (one per 100 routing profiles). */
  readonly batches: number;
}

/** Connect, as the collector reads it. */
export interface CurrentUsersConnect {
  /** Ids of every routing profile, from ListRoutingProfiles (used when metadata has not run yet). */
  listRoutingProfileIds(): Promise<string[]>;
  /** Current data of every agent in these routing profiles. */
  read(routingProfileIds: readonly string[]): Promise<UsersSnapshot>;
}

/** What the status timeline write needs to know about the snapshot. */
export interface StatusSnapshot {
  readonly snapshotTime: Date;
  readonly agents: readonly AgentState[];
  /** Every agent the snapshot named (including ones whose record was skipped). */
  readonly presentAgentIds: readonly string[];
  /** False when the run cannot tell who was absent: then no interval is closed for absence. */
  readonly closeAbsent: boolean;
}

/** The database, as the collector reads and writes it. */
export interface CurrentUsersStore {
  /** Ids of the instance's routing profiles that metadata last saw (not deleted), in id order. */
  activeRoutingProfileIds(db: SqlExecutor, instanceId: string): Promise<string[]>;
  /** Writes one row per agent for the snapshot (one statement); returns the rows inserted or changed. */
  writeAgentSnapshot(
    tx: SqlExecutor,
    instanceId: string,
    snapshotTime: Date,
    agents: readonly AgentState[],
    collectedAt: Date,
  ): Promise<number>;
  /** Updates the status timeline from the snapshot (one statement); returns the rows opened, closed or seen. */
  writeStatusIntervals(tx: SqlExecutor, instanceId: string, snapshot: StatusSnapshot): Promise<number>;
}

/** Both ports of a run. */
export interface CurrentUsersPorts {
  readonly connect: CurrentUsersConnect;
  readonly store: CurrentUsersStore;
}
