import { type AgentCategory, canTake, categoryOf, RoutingPools } from './agent-state';
import { type Catalog, OFFLINE } from './catalog';
import { ContactRecords } from './contact-records';
import {
  arrivalRatePerSecond,
  bisect,
  CHANNEL_SHARE,
  channelShape,
  desiredStatus,
  staffingByMinute,
} from './demand';
import { F, History, streamKey, T } from './history';
import { abandon, Ev, lifecycle, newContact, streamOf } from './lifecycle';
import { Rng } from './random';
import { type Agent, CHANNELS, type Channel, type Contact, type InitiationMethod } from './types';

interface ScheduledEvent {
  readonly kind: Ev;
  readonly contact: Contact | null;
  readonly agentIndex: number;
  readonly version: number;
}

/** Cumulative per-stream counts since the model started: the invariants' ground truth. */
export interface StreamTotals {
  queued: number;
  handled: number;
  abandoned: number;
  transferredOutFromQueue: number;
}

const PATIENCE_MEAN: Record<Channel, number> = { VOICE: 150, CHAT: 300, TASK: 7200 };
const MISS_RATE = 0.02;
/** Outbound calls agents place, as a share of inbound voice contacts. */
const OUTBOUND_SHARE = 0.08;

/**
 * The contact centre's behaviour: arrivals by a time-of-day curve, queueing, routing to the longest
 * idle eligible agent, ringing (or a missed offer), talk, hold, transfer, abandonment and after-contact
 * work, agents following their shifts. Runs in whole-second steps; work is event-driven (a timing wheel
 * keyed by second), so a step costs what happens in it, not the number of agents.
 */
export class ContactCentre {
  /** Model time (epoch ms, a whole second). */
  time: number;
  readonly history: History;
  /** Completed contact records, when asked for (tests compute Connect's definitions from them). */
  readonly records: ContactRecords | null;
  readonly pools: RoutingPools;
  /** Waiting contacts per stream (queue*3+channel), oldest first. */
  readonly waiting: Contact[][] = [];
  readonly totals: StreamTotals[] = [];
  /** Contacts per stream currently offered to or handled by an agent. */
  readonly withAgent: number[] = [];
  private readonly waitingStreams = new Set<number>();
  private readonly wheel = new Map<number, ScheduledEvent[]>();
  private readonly rng: Rng;
  private readonly staffing: Float64Array;
  /** Per channel: cumulative queue weights and the queue of each entry, to pick a queue by weight. */
  private cumulativeWeights: number[][] = [];
  private weightQueues: number[][] = [];

  constructor(
    readonly catalog: Catalog,
    seed: number,
    startMs: number,
    retentionMs: number,
    contactRecords = false,
  ) {
    this.time = Math.floor(startMs / 1000) * 1000;
    this.rng = new Rng(seed ^ 0xc0ffee);
    this.history = new History(retentionMs);
    this.records = contactRecords ? new ContactRecords(retentionMs) : null;
    this.pools = new RoutingPools(catalog);
    this.staffing = staffingByMinute(catalog.agents);
    this.reindexQueues();
    this.applyShifts(this.time);
  }

  /** Runs the model forward to `ms` in one-second steps. */
  advanceTo(ms: number): void {
    while (this.time + 1000 <= ms) this.step(this.time + 1000);
  }

  /** Recomputes arrival weights after queues change. */
  reindexQueues(): void {
    this.cumulativeWeights = CHANNELS.map(() => []);
    this.weightQueues = CHANNELS.map(() => []);
    const totals = CHANNELS.map(() => 0);
    for (const queue of this.catalog.queues) {
      if (queue.type !== 'STANDARD' || queue.deleted) continue;
      CHANNELS.forEach((_, c) => {
        // Each queue has its own channel mix around the centre's (a seeded +-50 %).
        totals[c] =
          (totals[c] ?? 0) + queue.weight * (0.5 + (((queue.index + 1) * (c + 3) * 7919) % 101) / 100);
        this.cumulativeWeights[c]?.push(totals[c] ?? 0);
        this.weightQueues[c]?.push(queue.index);
      });
    }
    for (let s = this.totals.length; s < this.catalog.queues.length * CHANNELS.length; s += 1) {
      this.totals.push({ queued: 0, handled: 0, abandoned: 0, transferredOutFromQueue: 0 });
      this.waiting.push([]);
      this.withAgent.push(0);
    }
  }

  /** The agent's state category now. */
  category(agent: Agent): AgentCategory {
    return categoryOf(agent, this.catalog);
  }

  /** Asks an agent to change status; applied now if idle, else when their contacts end. */
  requestStatus(agent: Agent, statusIndex: number, now: number): void {
    if (agent.contacts.length > 0 || agent.missedContactId !== null) {
      agent.nextStatusIndex = statusIndex === agent.statusIndex ? -1 : statusIndex;
      this.pools.refresh(agent);
      return;
    }
    this.accrue(agent, now);
    agent.statusIndex = statusIndex;
    agent.statusStart = now;
    agent.nextStatusIndex = -1;
    agent.idleSince = now;
    this.pools.refresh(agent);
  }

  /** Books the agent's time in its current category up to `now`. */
  accrue(agent: Agent, now: number): void {
    const seconds = (now - agent.accruedTo) / 1000;
    agent.accruedTo = now;
    if (seconds <= 0) return;
    const field = TIME_FIELD[this.category(agent)];
    if (field >= 0) this.history.addTime(now - 1, agent.index, agent.routingProfileIndex, field, seconds);
  }

  private step(now: number): void {
    this.time = now;
    if (now % 300_000 === 0) for (const agent of this.catalog.agents) this.accrue(agent, now);
    if (now % 60_000 === 0) {
      this.applyShifts(now);
      this.history.prune(now);
      this.records?.prune(now);
    }
    const due = this.wheel.get(now);
    if (due) {
      this.wheel.delete(now);
      for (const ev of due) this.fire(ev, now);
    }
    this.arrivals(now);
    this.dispatch(now);
  }

  private applyShifts(now: number): void {
    for (const agent of this.catalog.agents) {
      if (agent.removed) continue;
      // Agents log off while the centre is closed (its hours of operation), whatever their shift.
      const desired = this.catalog.centreOpen(now) ? desiredStatus(agent.shift, now) : OFFLINE;
      // Compare with where the agent is heading, so a break that passed while on a contact is dropped.
      const planned = agent.nextStatusIndex >= 0 ? agent.nextStatusIndex : agent.statusIndex;
      if (desired !== planned) this.requestStatus(agent, desired, now);
    }
  }

  private arrivals(now: number): void {
    // A closed queue gets no contacts (its hours of operation); a closed centre none at all.
    if (!this.catalog.centreOpen(now)) return;
    const rate = arrivalRatePerSecond(
      this.catalog.options.profile,
      this.staffing,
      now,
      this.catalog.hours[0]?.timeZone ?? 'UTC',
    );
    if (rate <= 0) return;
    CHANNELS.forEach((channel, c) => {
      const cumulative = this.cumulativeWeights[c] ?? [];
      const total = cumulative[cumulative.length - 1] ?? 0;
      if (total <= 0) return;
      const n = this.rng.poisson(rate * CHANNEL_SHARE[channel] * channelShape(channel, now));
      for (let i = 0; i < n; i += 1) {
        const queueIndex = this.weightQueues[c]?.[bisect(cumulative, this.rng.next() * total)] ?? 0;
        if (!this.catalog.queueOpen(queueIndex, now)) continue;
        const initiation: InitiationMethod =
          channel === 'TASK' ? 'API' : channel === 'VOICE' && this.rng.chance(0.05) ? 'CALLBACK' : 'INBOUND';
        this.enqueue(queueIndex, channel, initiation, now);
      }
    });
    const outbound = this.rng.poisson(
      rate * CHANNEL_SHARE.VOICE * channelShape('VOICE', now) * OUTBOUND_SHARE,
    );
    for (let i = 0; i < outbound; i += 1) this.placeOutbound(now);
  }

  /**
   * An idle agent places an outbound call, booked on the first STANDARD queue of the agent's routing
   * profile (its default outbound queue): handled there without ever having been queued.
   */
  private placeOutbound(now: number): void {
    const profiles = this.catalog.routingProfiles;
    const profile = profiles[this.rng.int(profiles.length)];
    if (!profile) return;
    const agentIndex = this.pools.first(profile.index, CHANNELS.indexOf('VOICE'));
    const queue = profile.queues
      .map((q) => this.catalog.queues[q.queueIndex])
      .find((q) => q?.type === 'STANDARD' && !q.deleted);
    const agent = agentIndex === undefined ? undefined : this.catalog.agents[agentIndex];
    if (!agent || !queue) return;
    this.accrue(agent, now);
    const contact = newContact(
      this.rng.uuid(),
      queue.index,
      'VOICE',
      'OUTBOUND',
      now,
      Number.POSITIVE_INFINITY,
    );
    contact.phase = 'RINGING';
    contact.agentIndex = agent.index;
    contact.offeredAt = now;
    contact.version += 1;
    agent.contacts.push(contact);
    this.pools.refresh(agent);
    // The customer's phone rings; the agent is on the contact from the first ring (outbound ring).
    this.schedule(now + (5 + this.rng.int(15)) * 1000, Ev.RING_END, contact, agent.index);
  }

  /** Puts a new contact in a queue. */
  enqueue(queueIndex: number, channel: Channel, initiation: InitiationMethod, now: number): Contact {
    const stream = streamKey(queueIndex, CHANNELS.indexOf(channel));
    const patience = Math.round(10 + this.rng.exponential(PATIENCE_MEAN[channel])) * 1000;
    const contact = newContact(this.rng.uuid(), queueIndex, channel, initiation, now, now + patience);
    this.totals[stream] = this.totals[stream] ?? {
      queued: 0,
      handled: 0,
      abandoned: 0,
      transferredOutFromQueue: 0,
    };
    (this.totals[stream] as StreamTotals).queued += 1;
    if (initiation === 'TRANSFER') this.history.add(now, stream, F.TRANSFERRED_IN, 1);
    if (initiation === 'QUEUE_TRANSFER') this.history.add(now, stream, F.TRANSFERRED_IN_FROM_QUEUE, 1);
    this.insertWaiting(stream, contact);
    this.schedule(contact.patienceAt, Ev.ABANDON, contact, -1);
    return contact;
  }

  private insertWaiting(stream: number, contact: Contact): void {
    const list = this.waiting[stream] ?? [];
    this.waiting[stream] = list;
    let i = list.length;
    while (i > 0 && (list[i - 1]?.enqueuedAt ?? 0) > contact.enqueuedAt) i -= 1;
    list.splice(i, 0, contact);
    this.waitingStreams.add(stream);
  }

  private dispatch(now: number): void {
    if (this.waitingStreams.size === 0) return;
    const streams = [...this.waitingStreams].sort(
      (a, b) => (this.waiting[a]?.[0]?.enqueuedAt ?? 0) - (this.waiting[b]?.[0]?.enqueuedAt ?? 0) || a - b,
    );
    for (const stream of streams) {
      const list = this.waiting[stream] ?? [];
      while (list.length > 0) {
        const contact = list[0] as Contact;
        const agentIndex = this.findAgent(stream, contact, now);
        if (agentIndex < 0) break;
        list.shift();
        this.offer(contact, this.catalog.agents[agentIndex] as Agent, now);
      }
      if (list.length === 0) this.waitingStreams.delete(stream);
    }
  }

  private findAgent(stream: number, contact: Contact, now: number): number {
    const queue = this.catalog.queues[contact.queueIndex];
    if (queue?.type === 'AGENT') {
      const agent = this.catalog.agents[queue.agentIndex ?? -1];
      return agent && canTake(agent, contact.channel, this.catalog) ? agent.index : -1;
    }
    const channel = stream % CHANNELS.length;
    const profiles = this.catalog.profilesByStream[stream] ?? [];
    const delays = this.catalog.delaysByStream[stream] ?? [];
    let best = -1;
    let bestIdle = Number.POSITIVE_INFINITY;
    profiles.forEach((profile, i) => {
      if (now - contact.enqueuedAt < (delays[i] ?? 0) * 1000) return;
      const candidate = this.pools.first(profile, channel);
      const idle = candidate === undefined ? undefined : this.catalog.agents[candidate]?.idleSince;
      if (candidate !== undefined && idle !== undefined && idle < bestIdle) {
        best = candidate;
        bestIdle = idle;
      }
    });
    return best;
  }

  private offer(contact: Contact, agent: Agent, now: number): void {
    this.accrue(agent, now);
    contact.phase = 'RINGING';
    contact.agentIndex = agent.index;
    contact.offeredAt = now;
    contact.stateStart = now;
    contact.version += 1;
    agent.contacts.push(contact);
    this.withAgent[streamOf(contact)] = (this.withAgent[streamOf(contact)] ?? 0) + 1;
    this.pools.refresh(agent);
    if (this.rng.chance(MISS_RATE)) this.schedule(now + 15_000, Ev.MISS, contact, agent.index);
    else {
      const ring = contact.channel === 'VOICE' ? 2 + this.rng.int(6) : 1 + this.rng.int(3);
      this.schedule(now + ring * 1000, Ev.RING_END, contact, agent.index);
    }
  }

  private schedule(at: number, kind: Ev, contact: Contact | null, agentIndex: number): void {
    const second = Math.max(at, this.time + 1000);
    const list = this.wheel.get(second);
    const ev = { kind, contact, agentIndex, version: contact?.version ?? 0 };
    if (list) list.push(ev);
    else this.wheel.set(second, [ev]);
  }

  private fire(ev: ScheduledEvent, now: number): void {
    const contact = ev.contact;
    if (ev.kind === Ev.ABANDON) {
      if (contact?.phase === 'QUEUED') abandon(this, contact, now);
      return;
    }
    const agent = this.catalog.agents[ev.agentIndex];
    if (!agent) return;
    if (ev.kind === Ev.CLEAR_ERROR) {
      this.accrue(agent, now);
      agent.missedContactId = null;
      this.afterFree(agent, now);
      return;
    }
    if (!contact || contact.version !== ev.version) return;
    this.accrue(agent, now);
    lifecycle(this, ev.kind, contact, agent, now);
    this.pools.refresh(agent);
  }

  /** Takes a contact out of its queue's waiting list (it abandoned or was moved). */
  removeWaiting(contact: Contact): void {
    const stream = streamOf(contact);
    const list = this.waiting[stream] ?? [];
    const at = list.indexOf(contact);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.waitingStreams.delete(stream);
  }

  /** Puts a missed contact back in its queue at its original place. */
  requeue(contact: Contact, now: number): void {
    contact.phase = 'QUEUED';
    contact.agentIndex = -1;
    contact.version += 1;
    this.withAgent[streamOf(contact)] = (this.withAgent[streamOf(contact)] ?? 1) - 1;
    if (contact.patienceAt <= now) abandon(this, contact, now);
    else this.insertWaiting(streamOf(contact), contact);
  }

  /** Schedules a lifecycle step (used by lifecycle.ts). */
  at(when: number, kind: Ev, contact: Contact | null, agentIndex: number): void {
    this.schedule(when, kind, contact, agentIndex);
  }

  /** Draws from the model's generator (used by lifecycle.ts). */
  get random(): Rng {
    return this.rng;
  }

  /** After an agent frees up: apply a pending status change, restart the idle clock. */
  afterFree(agent: Agent, now: number): void {
    if (agent.contacts.length > 0 || agent.missedContactId !== null) {
      this.pools.refresh(agent);
      return;
    }
    agent.idleSince = now;
    if (agent.nextStatusIndex >= 0) {
      agent.statusIndex = agent.nextStatusIndex;
      agent.statusStart = now;
      agent.nextStatusIndex = -1;
    }
    this.pools.refresh(agent);
  }
}

const TIME_FIELD: Record<AgentCategory, number> = {
  OFFLINE: -1,
  ERROR: T.ERROR,
  ON_CONTACT: T.CONTACT,
  AFTER_CONTACT_WORK: T.CONTACT,
  AVAILABLE: T.IDLE,
  NON_PRODUCTIVE: T.NON_PRODUCTIVE,
};
