import { type AgentCategory, canTake, slotsUsed } from './agent-state';
import type { ContactCentre } from './engine';
import { type Agent, CHANNELS } from './types';

/** Agent counts (current metrics) for a set of agents. */
export interface AgentCounts {
  online: number;
  available: number;
  onContact: number;
  afterContactWork: number;
  nonProductive: number;
  error: number;
  onCall: number;
  staffed: number;
  /** Per channel (CHANNELS order): contacts held, ACW included. */
  slotsActive: number[];
  /** Per channel: further contacts the agents could take now. */
  slotsAvailable: number[];
}

/** Empty counts. */
export const zeroCounts = (): AgentCounts => ({
  online: 0,
  available: 0,
  onContact: 0,
  afterContactWork: 0,
  nonProductive: 0,
  error: 0,
  onCall: 0,
  staffed: 0,
  slotsActive: CHANNELS.map(() => 0),
  slotsAvailable: CHANNELS.map(() => 0),
});

/**
 * Adds one agent to counts, by Connect's real-time definitions (Admin Guide, metric definitions:
 * https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html):
 * - Online: any status but Offline (custom statuses included).
 * - Available ("#available-real-time"): can take an inbound contact now, so no contact ongoing.
 * - On contact ("#on-call-real-time"): handling a contact that is connected, on hold, in after-contact
 *   work or in outbound ring; AGENTS_ON_CALL is its legacy name, the same count.
 * - After contact work: "counts contacts in ACW state, not the number of agents".
 * - Non-productive: in a custom status (none is on a contact here: a custom status asked for on a
 *   contact waits until the contacts end).
 * - Staffed ("#staffed-real-time"): online and not in a custom status, whether on contacts or not.
 */
function countAgent(into: AgentCounts, agent: Agent, category: AgentCategory, centre: ContactCentre): void {
  if (category === 'OFFLINE') return;
  into.online += 1;
  if (category === 'AVAILABLE') into.available += 1;
  else if (category === 'NON_PRODUCTIVE') into.nonProductive += 1;
  else if (category === 'ERROR') into.error += 1;
  const onContact = agent.contacts.some((c) => c.phase !== 'RINGING' || c.initiation === 'OUTBOUND');
  if (onContact) {
    into.onContact += 1;
    into.onCall += 1;
  }
  for (const c of agent.contacts) if (c.phase === 'ACW') into.afterContactWork += 1;
  if (centre.catalog.statuses[agent.statusIndex]?.type === 'ROUTABLE') into.staffed += 1;
  const profile = centre.catalog.routingProfiles[agent.routingProfileIndex];
  CHANNELS.forEach((channel, c) => {
    const used = slotsUsed(agent, channel);
    into.slotsActive[c] = (into.slotsActive[c] ?? 0) + used;
    if (canTake(agent, channel, centre.catalog)) {
      into.slotsAvailable[c] = (into.slotsAvailable[c] ?? 0) + (profile?.concurrency[c] ?? 0) - used;
    }
  });
}

/** Adds counts b into a. */
export function addCounts(a: AgentCounts, b: AgentCounts): void {
  a.online += b.online;
  a.available += b.available;
  a.onContact += b.onContact;
  a.afterContactWork += b.afterContactWork;
  a.nonProductive += b.nonProductive;
  a.error += b.error;
  a.onCall += b.onCall;
  a.staffed += b.staffed;
  b.slotsActive.forEach((v, c) => {
    a.slotsActive[c] = (a.slotsActive[c] ?? 0) + v;
  });
  b.slotsAvailable.forEach((v, c) => {
    a.slotsAvailable[c] = (a.slotsAvailable[c] ?? 0) + v;
  });
}

/**
 * Per-routing-profile agent counts, recomputed at most once per model second (one pass over the
 * agents), so a request costs the number of profiles it touches, not the number of agents.
 */
export class LiveView {
  private at = -1;
  private byProfile: AgentCounts[] = [];

  constructor(private readonly centre: ContactCentre) {}

  /** Counts for one routing profile now. */
  profile(index: number): AgentCounts {
    this.refresh();
    return this.byProfile[index] ?? zeroCounts();
  }

  /** Counts for one agent now. */
  agent(agent: Agent): AgentCounts {
    const counts = zeroCounts();
    countAgent(counts, agent, this.centre.category(agent), this.centre);
    return counts;
  }

  private refresh(): void {
    if (this.at === this.centre.time) return;
    this.at = this.centre.time;
    this.byProfile = this.centre.catalog.routingProfiles.map(() => zeroCounts());
    for (const agent of this.centre.catalog.agents) {
      const counts = this.byProfile[agent.routingProfileIndex];
      if (counts) countAgent(counts, agent, this.centre.category(agent), this.centre);
    }
  }
}
