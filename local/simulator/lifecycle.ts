import type { ContactCentre } from './engine';
import { F, streamKey } from './history';
import { type Agent, CHANNELS, type Channel, type Contact, type InitiationMethod } from './types';

/** Kinds of scheduled events. */
export const Ev = {
  RING_END: 0,
  MISS: 1,
  HOLD_START: 2,
  HOLD_END: 3,
  TALK_END: 4,
  ACW_END: 5,
  ABANDON: 6,
  CLEAR_ERROR: 7,
} as const;
/** A scheduled event kind. */
export type Ev = (typeof Ev)[keyof typeof Ev];

/** Stream key of a contact. */
export const streamOf = (contact: Contact): number =>
  streamKey(contact.queueIndex, CHANNELS.indexOf(contact.channel));

const TALK_MEAN: Record<Channel, number> = { VOICE: 240, CHAT: 480, TASK: 300 };
const ACW_MEAN: Record<Channel, number> = { VOICE: 40, CHAT: 20, TASK: 15 };
const HOLD_RATE = 0.3;
const HOLD_ABANDON_RATE = 0.04;
const TRANSFER_RATE = 0.06;
const AGENT_HANG_UP_RATE = 0.45;
/** Share of contacts whose agent sets a custom status (a break, a meeting) before clearing the ACW. */
const CUSTOM_STATUS_RATE = 0.08;
/**
 * Share of contacts whose agent leaves the after-contact work open for one to two and a half hours.
 * Connect lets it run for ever: an ACW timeout of 0 "essentially means an indefinite amount of time"
 * (UpdateUserPhoneConfig, AfterContactWorkTimeLimit), and the contact record only exists once it ends.
 */
const LONG_ACW_RATE = 0.01;

/**
 * What happens to a contact once it is with an agent: ring -> talk (with an optional hold, which the
 * customer may abandon) -> optional transfer -> after-contact work -> completed. A missed offer puts
 * the agent in error and the contact back in its queue.
 */
export function lifecycle(model: ContactCentre, kind: Ev, contact: Contact, agent: Agent, now: number): void {
  const rng = model.random;
  switch (kind) {
    case Ev.RING_END: {
      contact.phase = 'TALK';
      contact.connectedAt = now;
      contact.stateStart = now;
      contact.version += 1;
      const talk = Math.max(10, Math.round(rng.logNormal(TALK_MEAN[contact.channel], 0.6))) * 1000;
      if (contact.channel === 'VOICE' && rng.chance(HOLD_RATE)) {
        const holdAt = now + Math.round((talk * (0.2 + 0.5 * rng.next())) / 1000) * 1000;
        const hold = Math.round(15 + rng.exponential(45)) * 1000;
        model.at(holdAt, Ev.HOLD_START, contact, agent.index);
        model.at(holdAt + hold, Ev.HOLD_END, contact, agent.index);
        model.at(now + talk + hold, Ev.TALK_END, contact, agent.index);
      } else model.at(now + talk, Ev.TALK_END, contact, agent.index);
      return;
    }
    case Ev.MISS: {
      agent.contacts = agent.contacts.filter((c) => c !== contact);
      agent.missedContactId = contact.id;
      agent.missedAt = now;
      agent.missedQueueIndex = contact.queueIndex;
      agent.missedChannel = contact.channel;
      model.history.add(now, streamOf(contact), F.MISSED, 1, agentStream(agent, contact));
      model.requeue(contact, now);
      model.at(now + (20 + rng.int(40)) * 1000, Ev.CLEAR_ERROR, null, agent.index);
      return;
    }
    case Ev.HOLD_START: {
      contact.phase = 'HOLD';
      contact.holdStart = now;
      contact.holds += 1;
      contact.stateStart = now;
      if (rng.chance(HOLD_ABANDON_RATE)) {
        // The customer hangs up while on hold: the planned hold end and talk end no longer apply.
        contact.holdAbandon = true;
        contact.version += 1;
        model.at(now + Math.round(5 + rng.exponential(20)) * 1000, Ev.TALK_END, contact, agent.index);
      }
      return;
    }
    case Ev.HOLD_END: {
      contact.holdSeconds += (now - contact.holdStart) / 1000;
      contact.phase = 'TALK';
      contact.stateStart = now;
      return;
    }
    case Ev.TALK_END: {
      if (contact.phase === 'HOLD') contact.holdSeconds += (now - contact.holdStart) / 1000;
      contact.talkEnd = now;
      contact.hungUpByAgent = !contact.holdAbandon && rng.chance(AGENT_HANG_UP_RATE);
      if (!contact.holdAbandon && contact.channel !== 'TASK' && rng.chance(TRANSFER_RATE))
        transfer(model, contact, now);
      contact.phase = 'ACW';
      contact.acwStart = now;
      contact.stateStart = now;
      contact.version += 1;
      const acw = rng.chance(LONG_ACW_RATE)
        ? 3600 + rng.int(5400)
        : Math.round(3 + rng.exponential(ACW_MEAN[contact.channel]));
      contact.customStatusSeconds = rng.chance(CUSTOM_STATUS_RATE) ? Math.round(20 + rng.exponential(60)) : 0;
      model.at(now + (acw + contact.customStatusSeconds) * 1000, Ev.ACW_END, contact, agent.index);
      return;
    }
    case Ev.ACW_END: {
      agent.contacts = agent.contacts.filter((c) => c !== contact);
      complete(model, contact, agent, now);
      model.afterFree(agent, now);
      return;
    }
    default:
      return;
  }
}

function agentStream(agent: Agent, contact: Contact): number {
  return agent.index * CHANNELS.length + CHANNELS.indexOf(contact.channel);
}

function transfer(model: ContactCentre, contact: Contact, now: number): void {
  const rng = model.random;
  const stream = streamOf(contact);
  const agentS = agentStream(model.catalog.agents[contact.agentIndex] as Agent, contact);
  const agents = model.catalog.agents.filter((a) => !a.removed && a.index !== contact.agentIndex);
  const standard = model.catalog.queues.filter(
    (q) => q.type === 'STANDARD' && !q.deleted && q.index !== contact.queueIndex,
  );
  let target: number;
  if (agents.length > 0 && rng.chance(0.25)) target = rng.pick(agents).agentQueueIndex;
  else if (standard.length > 0) target = rng.pick(standard).index;
  else return;
  model.history.add(now, stream, F.TRANSFERRED_OUT, 1, agentS);
  model.enqueue(target, contact.channel, 'TRANSFER', now);
}

/** Initiation methods counted as "contacts handled incoming" (inbound and transfers). */
const INCOMING = new Set(['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER']);

/**
 * Books a handled contact once its record is complete (after-contact work ended), in the interval in
 * which it disconnected: Connect selects "contact records whose disconnect date falls in the interval"
 * (Admin Guide, historical metrics: https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics.html),
 * and the record exists only once ACW is over, so an interval that has ended still changes.
 * CONTACTS_QUEUED follows the same rule (CONTACTS_QUEUED_BY_ENQUEUE is the enqueue-time variant).
 */
function complete(model: ContactCentre, contact: Contact, agent: Agent, now: number): void {
  const stream = streamOf(contact);
  const agentS = agentStream(agent, contact);
  const h = model.history;
  const disconnectedAt = contact.talkEnd;
  const add = (field: number, value: number): void => h.add(disconnectedAt, stream, field, value, agentS);
  const hold = contact.holdSeconds;
  const interaction = (contact.talkEnd - contact.connectedAt) / 1000 - hold;
  const acw = (now - contact.acwStart) / 1000;
  const outbound = contact.initiation === 'OUTBOUND';
  add(F.HANDLED, 1);
  if (outbound) add(F.HANDLED_OUTBOUND, 1);
  else if (INCOMING.has(contact.initiation)) add(F.HANDLED_INCOMING, 1);
  if (contact.initiation === 'CALLBACK') add(F.CALLBACK_HANDLED, 1);
  if (contact.initiation === 'API') add(F.API_HANDLED, 1);
  if (contact.hungUpByAgent) add(F.AGENT_HUNG_UP_FIRST, 1);
  if (contact.holdAbandon) add(F.HOLD_ABANDONS, 1);
  if (contact.holds > 0) add(F.PUT_ON_HOLD, 1);
  add(F.SUM_HOLD_TIME, hold);
  add(F.SUM_INTERACTION_TIME, interaction);
  add(F.SUM_INTERACTION_AND_HOLD_TIME, interaction + hold);
  add(F.SUM_ACW_TIME, acw);
  add(F.SUM_HANDLE_TIME, interaction + hold + acw);
  add(F.SUM_CUSTOM_STATUS_TIME, contact.customStatusSeconds);
  add(F.SUM_CONNECTING_TIME, (contact.connectedAt - contact.offeredAt) / 1000);
  model.records?.handled(contact, now);
  if (outbound) return;
  // Answered from the queue: the only contacts with a queue answer time.
  const answer = Math.round((contact.connectedAt - contact.enqueuedAt) / 1000);
  add(F.QUEUED, 1);
  add(F.SUM_QUEUE_ANSWER_TIME, answer);
  h.max(disconnectedAt, stream, F.MAX_QUEUED_TIME, answer, agentS);
  h.wait(disconnectedAt, stream, 'answered', answer);
  const totals = model.totals[stream];
  if (totals) totals.handled += 1;
  model.withAgent[stream] = (model.withAgent[stream] ?? 1) - 1;
}

/** A new contact entering a queue. */
export function newContact(
  id: string,
  queueIndex: number,
  channel: Channel,
  initiation: InitiationMethod,
  now: number,
  patienceAt: number,
): Contact {
  return {
    id,
    queueIndex,
    channel,
    initiation,
    enqueuedAt: now,
    patienceAt,
    phase: 'QUEUED',
    agentIndex: -1,
    version: 0,
    stateStart: now,
    offeredAt: 0,
    connectedAt: 0,
    holdStart: 0,
    holdSeconds: 0,
    holds: 0,
    talkEnd: 0,
    acwStart: 0,
    customStatusSeconds: 0,
    hungUpByAgent: false,
    holdAbandon: false,
  };
}

/**
 * A waiting customer runs out of patience: the contact is abandoned, or (10 %, not for tasks) the flow
 * moves it to another queue.
 */
export function abandon(model: ContactCentre, contact: Contact, now: number): void {
  const stream = streamOf(contact);
  model.removeWaiting(contact);
  const wait = Math.round((now - contact.enqueuedAt) / 1000);
  const totals = model.totals[stream];
  if (!totals) return;
  const standard = model.catalog.queues.filter((q) => q.type === 'STANDARD' && !q.deleted);
  model.history.max(now, stream, F.MAX_QUEUED_TIME, wait);
  model.history.add(now, stream, F.QUEUED, 1);
  if (contact.channel !== 'TASK' && standard.length > 1 && model.random.chance(0.1)) {
    totals.transferredOutFromQueue += 1;
    model.history.add(now, stream, F.TRANSFERRED_OUT_FROM_QUEUE, 1);
    model.history.wait(now, stream, 'moved', wait);
    model.records?.left(contact, 'MOVED', now);
    const target = model.random.pick(standard.filter((q) => q.index !== contact.queueIndex));
    model.enqueue(target.index, contact.channel, 'QUEUE_TRANSFER', now);
    return;
  }
  totals.abandoned += 1;
  model.history.add(now, stream, F.ABANDONED, 1);
  model.history.add(now, stream, F.SUM_ABANDON_TIME, wait);
  model.history.wait(now, stream, 'abandoned', wait);
  model.records?.left(contact, 'ABANDONED', now);
}
