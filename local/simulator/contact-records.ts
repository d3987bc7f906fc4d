import type { Channel, Contact, InitiationMethod } from './types';

/**
 * The simulator's contact records: one per queue visit or outbound contact, as Connect's contact
 * record describes it once it is complete. The metric APIs never read them (they serve the interval
 * aggregates); tests compute Connect's metric definitions from them, independently of those aggregates,
 * so a definition the aggregates or the pipeline get wrong shows up as a difference.
 */

/** How a contact left its queue, or OUTBOUND when it never was in one. */
export type RecordOutcome = 'HANDLED' | 'ABANDONED' | 'MOVED' | 'OUTBOUND';

/** One completed contact record. */
export interface ContactRecord {
  readonly queueIndex: number;
  readonly channel: Channel;
  readonly initiation: InitiationMethod;
  readonly outcome: RecordOutcome;
  /** Whole seconds between entering the queue and leaving it; null for OUTBOUND. */
  readonly queueSeconds: number | null;
  /** When the customer (or agent) disconnected, or the contact left the queue: the interval it counts in. */
  readonly disconnectedAt: number;
  /** When the record became complete (after-contact work ended): before then no API reports it. */
  readonly completedAt: number;
  /** Talk, hold and after-contact work seconds of a handled contact (0 otherwise). */
  readonly interactionSeconds: number;
  readonly holdSeconds: number;
  readonly afterContactWorkSeconds: number;
  /** Part of the after-contact work the agent spent in a custom status. */
  readonly customStatusSeconds: number;
}

/** The completed contact records of one instance, kept as long as its interval history. */
export class ContactRecords {
  private list: ContactRecord[] = [];

  constructor(private readonly retentionMs: number) {}

  /** A contact an agent handled, once its after-contact work ended at `now`. */
  handled(contact: Contact, now: number): void {
    const outbound = contact.initiation === 'OUTBOUND';
    this.list.push({
      queueIndex: contact.queueIndex,
      channel: contact.channel,
      initiation: contact.initiation,
      outcome: outbound ? 'OUTBOUND' : 'HANDLED',
      queueSeconds: outbound ? null : Math.round((contact.connectedAt - contact.enqueuedAt) / 1000),
      disconnectedAt: contact.talkEnd,
      completedAt: now,
      interactionSeconds: (contact.talkEnd - contact.connectedAt) / 1000 - contact.holdSeconds,
      holdSeconds: contact.holdSeconds,
      afterContactWorkSeconds: (now - contact.acwStart) / 1000,
      customStatusSeconds: contact.customStatusSeconds,
    });
  }

  /** A contact that left its queue at `now` without an agent: abandoned, or moved by the flow. */
  left(contact: Contact, outcome: 'ABANDONED' | 'MOVED', now: number): void {
    this.list.push({
      queueIndex: contact.queueIndex,
      channel: contact.channel,
      initiation: contact.initiation,
      outcome,
      queueSeconds: Math.round((now - contact.enqueuedAt) / 1000),
      disconnectedAt: now,
      completedAt: now,
      interactionSeconds: 0,
      holdSeconds: 0,
      afterContactWorkSeconds: 0,
      customStatusSeconds: 0,
    });
  }

  /** Records of one queue and channel that disconnected in [fromMs, toMs). */
  select(queueIndex: number, channel: Channel, fromMs: number, toMs: number): ContactRecord[] {
    return this.list.filter(
      (r) =>
        r.queueIndex === queueIndex &&
        r.channel === channel &&
        r.disconnectedAt >= fromMs &&
        r.disconnectedAt < toMs,
    );
  }

  /** Drops records completed before the retention (the list is in completion order). */
  prune(nowMs: number): void {
    const oldest = nowMs - this.retentionMs;
    const keep = this.list.findIndex((r) => r.completedAt >= oldest);
    if (keep !== 0) this.list = keep < 0 ? [] : this.list.slice(keep);
  }
}
