import {
  CONTACT_FIELDS,
  type IntervalRecord,
  IntervalStore,
  newRecord,
  T,
  TIME_FIELDS,
  type WaitKind,
} from './interval-store';
import { CHANNELS } from './types';

export { countAll, countBelow, F, type IntervalRecord, IntervalStore, T } from './interval-store';

/** 5 minutes, the GetMetricData (v1) interval. */
export const V1_PERIOD_MS = 300_000;
/** 15 minutes, the smallest GetMetricDataV2 interval. */
const V2_PERIOD_MS = 900_000;

/** Every interval store of one instance. */
export class History {
  /** Per queue*3+channel, 5-minute intervals for the last 24 h (v1, and v2 within that day). */
  readonly queue5 = new IntervalStore(V1_PERIOD_MS, 86_400_000 + 2 * V1_PERIOD_MS);
  /** Per queue*3+channel, 15-minute intervals older than queue5 holds (v2 only), up to the retention. */
  readonly queue15: IntervalStore;
  /** v1 OCCUPANCY: agent time per routing profile, 5-minute intervals. */
  readonly profileTime5 = new IntervalStore(V1_PERIOD_MS, 86_400_000 + 2 * V1_PERIOD_MS, TIME_FIELDS);
  /** v2: per agent*3+channel contact metrics, 15-minute intervals. */
  readonly agentContacts: IntervalStore;
  /** v2: per agent time in state, 15-minute intervals. */
  readonly agentTime: IntervalStore;

  constructor(retentionMs: number) {
    this.queue15 = new IntervalStore(V2_PERIOD_MS, retentionMs);
    this.agentContacts = new IntervalStore(V2_PERIOD_MS, retentionMs);
    this.agentTime = new IntervalStore(V2_PERIOD_MS, retentionMs, TIME_FIELDS);
  }

  /** Adds `value` to a field of the queue stream (and of the agent stream, if given). */
  add(t: number, stream: number, field: number, value: number, agentStream = -1): void {
    this.queue5.add(t, stream, field, value);
    if (agentStream >= 0) this.agentContacts.add(t, agentStream, field, value);
  }

  /** Raises a MAX field. */
  max(t: number, stream: number, field: number, value: number, agentStream = -1): void {
    this.queue5.max(t, stream, field, value);
    if (agentStream >= 0) this.agentContacts.max(t, agentStream, field, value);
  }

  /** Counts one wait in the answered, abandoned or moved list (queue streams only). */
  wait(t: number, stream: number, kind: WaitKind, seconds: number): void {
    this.queue5.wait(t, stream, kind, seconds);
  }

  /** Adds agent time in one state (seconds) to the agent's and its routing profile's records. */
  addTime(t: number, agentIndex: number, profileIndex: number, field: number, seconds: number): void {
    this.agentTime.add(t, agentIndex, field, seconds);
    this.agentTime.add(t, agentIndex, T.ONLINE, seconds);
    this.profileTime5.add(t, profileIndex, field, seconds);
    this.profileTime5.add(t, profileIndex, T.ONLINE, seconds);
  }

  /** Queue stream aggregate over [from, to): 5-minute data where held, rolled-up 15-minute data before. */
  queueSum(from: number, to: number, keys: ReadonlySet<number>): IntervalRecord {
    const total = this.queue5.sum(from, to, keys);
    return this.queue15.sumInto(total, from, to, keys);
  }

  /** Drops expired intervals; 5-minute queue data older than a day is rolled into 15-minute data. */
  prune(nowMs: number): void {
    this.queue5.prune(nowMs, (start, read) => {
      for (const key of this.queue5.keys(start)) {
        const rec = newRecord(CONTACT_FIELDS);
        read(rec, key);
        this.queue15.absorb(start, key, rec);
      }
    });
    for (const store of [this.queue15, this.profileTime5, this.agentContacts, this.agentTime])
      store.prune(nowMs);
  }
}

/** Stream key of a queue and channel index. */
export const streamKey = (queueIndex: number, channel: number): number =>
  queueIndex * CHANNELS.length + channel;

/** Heap budget for 15-minute history, in bytes (measured: about 4.5 KB per agent and 5 KB per queue a day). */
const HISTORY_BUDGET_BYTES = 120e6;

/**
 * Default v2 retention in days: the full 3 months (93 days) where it fits the budget, less for large
 * centres (a 20,000-agent centre keeps 1 day), so memory stays bounded while it runs for weeks.
 */
export function defaultRetentionDays(agents: number, queues: number): number {
  const perDay = agents * 4500 + queues * 5000;
  return Math.max(1, Math.min(93, Math.floor(HISTORY_BUDGET_BYTES / Math.max(1, perDay))));
}
