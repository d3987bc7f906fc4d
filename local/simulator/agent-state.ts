import type { Catalog } from './catalog';
import { type Agent, CHANNELS, type Channel } from './types';

/**
 * The disjoint states an online agent is counted in (the simulator's definitions, see docs):
 * ERROR (a missed contact not yet cleared) > ON_CONTACT (a contact connecting, connected or on hold) >
 * AFTER_CONTACT_WORK (only contacts in ACW) > AVAILABLE (routable status, no contacts) > NON_PRODUCTIVE
 * (custom status, no contacts). OFFLINE agents are not online.
 */
export type AgentCategory =
  | 'OFFLINE'
  | 'ERROR'
  | 'ON_CONTACT'
  | 'AFTER_CONTACT_WORK'
  | 'AVAILABLE'
  | 'NON_PRODUCTIVE';

/** The category an agent is counted in now. */
export function categoryOf(agent: Agent, catalog: Catalog): AgentCategory {
  if (agent.removed) return 'OFFLINE';
  if (agent.missedContactId !== null) return 'ERROR';
  let acw = false;
  for (const contact of agent.contacts) {
    if (contact.phase === 'ACW') acw = true;
    else return 'ON_CONTACT';
  }
  if (acw) return 'AFTER_CONTACT_WORK';
  const type = catalog.statuses[agent.statusIndex]?.type;
  if (type === 'OFFLINE') return 'OFFLINE';
  return type === 'ROUTABLE' ? 'AVAILABLE' : 'NON_PRODUCTIVE';
}

/** Contacts the agent holds on a channel (any phase, ACW included: ACW keeps the slot). */
export function slotsUsed(agent: Agent, channel: Channel): number {
  let n = 0;
  for (const contact of agent.contacts) if (contact.channel === channel) n += 1;
  return n;
}

/**
 * Whether the agent can be offered a contact on the channel: routable status, no pending status change,
 * no error, and a free slot. Voice is exclusive: an agent with a voice contact takes nothing else, and
 * an agent with chats or tasks takes no voice (Connect's default, without cross-channel concurrency).
 */
export function canTake(agent: Agent, channel: Channel, catalog: Catalog): boolean {
  if (agent.removed || agent.missedContactId !== null || agent.nextStatusIndex >= 0) return false;
  if (catalog.statuses[agent.statusIndex]?.type !== 'ROUTABLE') return false;
  const profile = catalog.routingProfiles[agent.routingProfileIndex];
  if (!profile) return false;
  let voice = 0;
  let other = 0;
  let same = 0;
  for (const contact of agent.contacts) {
    if (contact.channel === 'VOICE') voice += 1;
    else other += 1;
    if (contact.channel === channel) same += 1;
  }
  if (voice > 0) return false;
  if (channel === 'VOICE') return other === 0;
  return same < (profile.concurrency[CHANNELS.indexOf(channel)] ?? 0);
}

/**
 * The routing pools: for each routing profile and channel, the agents that can take a contact now, in
 * the order they became free (so the first is the longest idle).
 */
export class RoutingPools {
  private readonly pools: Set<number>[] = [];

  constructor(private readonly catalog: Catalog) {}

  /** Re-evaluates one agent's membership after any change to its state. */
  refresh(agent: Agent): void {
    CHANNELS.forEach((channel, c) => {
      const pool = this.pool(agent.routingProfileIndex, c);
      if (canTake(agent, channel, this.catalog)) {
        if (!pool.has(agent.index)) pool.add(agent.index);
      } else pool.delete(agent.index);
    });
  }

  /** Removes an agent from every pool of a routing profile (before it moves to another profile). */
  evict(agent: Agent): void {
    for (let c = 0; c < CHANNELS.length; c += 1) this.pool(agent.routingProfileIndex, c).delete(agent.index);
  }

  /** The longest-idle agent of a profile for a channel, if any. */
  first(profileIndex: number, channel: number): number | undefined {
    const next = this.pool(profileIndex, channel).values().next();
    return next.done ? undefined : next.value;
  }

  private pool(profileIndex: number, channel: number): Set<number> {
    const key = profileIndex * CHANNELS.length + channel;
    let pool = this.pools[key];
    if (!pool) {
      pool = new Set();
      this.pools[key] = pool;
    }
    return pool;
  }
}
