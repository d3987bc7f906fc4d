/** Shared shapes of the simulated contact centre. */

/** The channels the simulator routes (EMAIL is accepted in filters but carries no traffic). */
export const CHANNELS = ['VOICE', 'CHAT', 'TASK'] as const;
/** A routed channel. */
export type Channel = (typeof CHANNELS)[number];

/** A Connect instance the simulator answers for. */
export interface SimulatedInstance {
  readonly instanceId: string;
  readonly region: string;
  readonly accountId: string;
  readonly arn: string;
}

/** A queue. AGENT queues exist one per agent, as in Connect. */
export interface Queue {
  readonly index: number;
  readonly id: string;
  readonly arn: string;
  name: string;
  readonly type: 'STANDARD' | 'AGENT';
  /** Share of the centre's traffic this queue receives (0 for AGENT queues, fed by transfers only). */
  readonly weight: number;
  /** For AGENT queues: the agent's index. */
  readonly agentIndex?: number;
  /** Index of its hours of operation in the catalog (`HoursOfOperationId`). */
  hoursIndex: number;
  lastModified: number;
  deleted: boolean;
}

/** One queue in a routing profile. */
export interface RoutingProfileQueue {
  readonly queueIndex: number;
  readonly channel: Channel;
  readonly priority: number;
  readonly delaySeconds: number;
}

/** A routing profile: which queues and channels its agents take, and how many at once. */
export interface RoutingProfile {
  readonly index: number;
  readonly id: string;
  readonly arn: string;
  name: string;
  readonly queues: RoutingProfileQueue[];
  /** Maximum concurrent contacts per channel, indexed like CHANNELS. */
  readonly concurrency: readonly number[];
  lastModified: number;
}

/** Connect's agent status types. */
export type AgentStatusType = 'ROUTABLE' | 'CUSTOM' | 'OFFLINE';

/** An agent status (Available, Offline, Lunch, ...). */
export interface AgentStatus {
  readonly index: number;
  readonly id: string;
  readonly arn: string;
  name: string;
  readonly type: AgentStatusType;
  lastModified: number;
}

/** A user hierarchy group (level 1 = site, level 2 = team). */
export interface HierarchyGroup {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly level: 1 | 2;
  readonly parentId?: string;
}

/** A planned change of status within a shift, in minutes from the shift start. */
export interface ShiftActivity {
  readonly offsetMinutes: number;
  readonly durationMinutes: number;
  readonly statusIndex: number;
}

/** An agent's daily shift: start minute of the UTC day, length and breaks. */
export interface Shift {
  readonly startMinute: number;
  readonly lengthMinutes: number;
  readonly activities: readonly ShiftActivity[];
}

/** Contact states as GetCurrentUserData reports them. */
export type AgentContactState = 'CONNECTING' | 'CONNECTED' | 'CONNECTED_ONHOLD' | 'ENDED' | 'MISSED';

/**
 * How a contact was started. OUTBOUND contacts are placed by an agent: booked on the routing profile's
 * outbound queue, they are handled there without ever having been queued.
 */
export type InitiationMethod = 'INBOUND' | 'OUTBOUND' | 'TRANSFER' | 'QUEUE_TRANSFER' | 'CALLBACK' | 'API';

/** A contact while it lives in the model (dropped when it completes). */
export interface Contact {
  readonly id: string;
  readonly queueIndex: number;
  readonly channel: Channel;
  readonly initiation: InitiationMethod;
  /** When it entered this queue (a missed offer keeps its place). */
  readonly enqueuedAt: number;
  readonly patienceAt: number;
  phase: 'QUEUED' | 'RINGING' | 'TALK' | 'HOLD' | 'ACW';
  agentIndex: number;
  /** Incremented on each phase change; a scheduled event for an older version is ignored. */
  version: number;
  stateStart: number;
  offeredAt: number;
  connectedAt: number;
  holdStart: number;
  holdSeconds: number;
  holds: number;
  talkEnd: number;
  acwStart: number;
  /** Seconds of its after-contact work the agent spent in a custom status (still on the contact). */
  customStatusSeconds: number;
  hungUpByAgent: boolean;
  holdAbandon: boolean;
}

/** An agent (a Connect user) and their live state. */
export interface Agent {
  readonly index: number;
  readonly id: string;
  readonly arn: string;
  username: string;
  routingProfileIndex: number;
  readonly siteGroupId: string;
  readonly teamGroupId: string;
  readonly shift: Shift;
  readonly agentQueueIndex: number;
  statusIndex: number;
  statusStart: number;
  /** Status the agent has asked for while still busy with contacts. */
  nextStatusIndex: number;
  contacts: Contact[];
  /** Set while the agent is in an error state after a missed contact; the missed contact's id. */
  missedContactId: string | null;
  missedAt: number;
  missedQueueIndex: number;
  missedChannel: Channel;
  /** When the agent last became free to take a contact (longest idle is routed first). */
  idleSince: number;
  /** Time-in-state accounting: when the current category began to accrue. */
  accruedTo: number;
  lastModified: number;
  removed: boolean;
}
