import { CHANNELS } from './types';

/** Per-contact fields of a queue (or agent) interval record, indexes into its values array. */
export const F = {
  QUEUED: 0,
  HANDLED: 1,
  HANDLED_INCOMING: 2,
  HANDLED_OUTBOUND: 3,
  ABANDONED: 4,
  AGENT_HUNG_UP_FIRST: 5,
  CONSULTED: 6,
  HOLD_ABANDONS: 7,
  MISSED: 8,
  TRANSFERRED_IN: 9,
  TRANSFERRED_IN_FROM_QUEUE: 10,
  TRANSFERRED_OUT: 11,
  TRANSFERRED_OUT_FROM_QUEUE: 12,
  CALLBACK_HANDLED: 13,
  API_HANDLED: 14,
  PUT_ON_HOLD: 15,
  SUM_ABANDON_TIME: 16,
  SUM_ACW_TIME: 17,
  SUM_HANDLE_TIME: 18,
  SUM_HOLD_TIME: 19,
  SUM_INTERACTION_AND_HOLD_TIME: 20,
  SUM_INTERACTION_TIME: 21,
  SUM_QUEUE_ANSWER_TIME: 22,
  MAX_QUEUED_TIME: 23,
  SUM_CONNECTING_TIME: 24,
} as const;
const CONTACT_FIELDS = 25;

/** Agent time-in-state fields (seconds), indexes into an agent-time record. */
export const T = { ONLINE: 0, IDLE: 1, NON_PRODUCTIVE: 2, CONTACT: 3, ERROR: 4 } as const;
const TIME_FIELDS = 5;

/** An aggregate over intervals and keys, with the wait-time histograms thresholds need. */
export interface IntervalRecord {
  readonly values: Float64Array;
  /** Whole seconds in queue -> number of contacts answered with that wait. */
  readonly answered: Map<number, number>;
  /** Whole seconds in queue -> number of contacts abandoned after that wait. */
  readonly abandoned: Map<number, number>;
}

function newRecord(size: number): IntervalRecord {
  return { values: new Float64Array(size), answered: new Map(), abandoned: new Map() };
}

/**
 * One interval's data: a packed Float32 arena (one row per key that had activity; values are whole
 * seconds and counts, exact in float32 at these magnitudes) and flat (key, seconds) wait lists.
 */
class Bucket {
  readonly slots = new Map<number, number>();
  values: Float32Array;
  rows = 0;
  /** Flat (key, seconds, count) triples. */
  answered: number[] = [];
  /** Flat (key, seconds, count) triples. */
  abandoned: number[] = [];

  constructor(private readonly width: number) {
    this.values = new Float32Array(width * 8);
  }

  row(key: number): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.rows;
      this.rows += 1;
      if (this.rows * this.width > this.values.length) {
        const grown = new Float32Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.slots.set(key, slot);
    }
    return slot * this.width;
  }
}

/**
 * Aggregates for fixed-length intervals, keyed by a number (queue*3+channel, agent, ...). Stores
 * per-interval sums, never contacts, and drops (or hands over) intervals older than the retention.
 */
export class IntervalStore {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    readonly periodMs: number,
    readonly retentionMs: number,
    private readonly width: number = CONTACT_FIELDS,
  ) {}

  /** Start of the interval containing t. */
  start(t: number): number {
    return Math.floor(t / this.periodMs) * this.periodMs;
  }

  /** Adds to a field of key in the interval containing t. */
  add(t: number, key: number, field: number, value: number): void {
    const bucket = this.bucket(t);
    const base = bucket.row(key);
    bucket.values[base + field] = (bucket.values[base + field] ?? 0) + value;
  }

  /** Raises a MAX field of key in the interval containing t. */
  max(t: number, key: number, field: number, value: number): void {
    const bucket = this.bucket(t);
    const base = bucket.row(key);
    bucket.values[base + field] = Math.max(bucket.values[base + field] ?? 0, value);
  }

  /** Records one wait (whole seconds) in the answered or abandoned list. */
  wait(t: number, key: number, kind: 'answered' | 'abandoned', seconds: number): void {
    const bucket = this.bucket(t);
    bucket.row(key);
    bucket[kind].push(key, seconds, 1);
  }

  /** Keys with data in the interval starting at `start`. */
  keys(start: number): number[] {
    return [...(this.buckets.get(start)?.slots.keys() ?? [])];
  }

  /** Starts of the intervals held, ascending. */
  starts(): number[] {
    return [...this.buckets.keys()].sort((a, b) => a - b);
  }

  /** Sums the rows of `keys` over the intervals in [from, to) into `into`; MAX fields take the maximum. */
  sumInto(into: IntervalRecord, from: number, to: number, keys: ReadonlySet<number>): IntervalRecord {
    for (let start = this.start(from); start < to; start += this.periodMs) {
      const bucket = this.buckets.get(start);
      if (bucket) mergeBucket(into, bucket, keys, this.width);
    }
    return into;
  }

  /** Sums the rows of `keys` over [from, to). */
  sum(from: number, to: number, keys: ReadonlySet<number>): IntervalRecord {
    return this.sumInto(newRecord(this.width), from, to, keys);
  }

  /** Removes intervals that ended before now - retention, passing each to `expired` first. */
  prune(
    nowMs: number,
    expired?: (start: number, read: (into: IntervalRecord, key: number) => void) => void,
  ): void {
    const oldest = nowMs - this.retentionMs;
    for (const [start, bucket] of this.buckets) {
      if (start + this.periodMs > oldest) continue;
      if (expired) {
        expired(start, (into, key) => mergeBucket(into, bucket, new Set([key]), this.width));
      }
      this.buckets.delete(start);
    }
  }

  /** Copies an aggregate into the interval containing t under key (used to roll 5-minute data up). */
  absorb(t: number, key: number, rec: IntervalRecord): void {
    const bucket = this.bucket(t);
    const base = bucket.row(key);
    for (let f = 0; f < this.width; f += 1) {
      const v = rec.values[f] ?? 0;
      if (this.width === CONTACT_FIELDS && f === F.MAX_QUEUED_TIME) {
        bucket.values[base + f] = Math.max(bucket.values[base + f] ?? 0, v);
      } else bucket.values[base + f] = (bucket.values[base + f] ?? 0) + v;
    }
    // Rolled-up waits are stored once per distinct (key, seconds), so old history stays compact.
    for (const [s, n] of rec.answered) bucket.answered.push(key, s, n);
    for (const [s, n] of rec.abandoned) bucket.abandoned.push(key, s, n);
  }

  /** Number of intervals held (for tests and memory checks). */
  get intervalCount(): number {
    return this.buckets.size;
  }

  private bucket(t: number): Bucket {
    const start = this.start(t);
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = new Bucket(this.width);
      this.buckets.set(start, bucket);
    }
    return bucket;
  }
}

function mergeBucket(into: IntervalRecord, bucket: Bucket, keys: ReadonlySet<number>, width: number): void {
  for (const key of keys) {
    const slot = bucket.slots.get(key);
    if (slot === undefined) continue;
    const base = slot * width;
    for (let f = 0; f < width; f += 1) {
      const v = bucket.values[base + f] ?? 0;
      if (width === CONTACT_FIELDS && f === F.MAX_QUEUED_TIME)
        into.values[f] = Math.max(into.values[f] ?? 0, v);
      else into.values[f] = (into.values[f] ?? 0) + v;
    }
  }
  for (const kind of ['answered', 'abandoned'] as const) {
    const list = bucket[kind];
    const hist = into[kind];
    for (let i = 0; i < list.length; i += 3) {
      if (keys.has(list[i] ?? -1))
        hist.set(list[i + 1] ?? 0, (hist.get(list[i + 1] ?? 0) ?? 0) + (list[i + 2] ?? 0));
    }
  }
}

/** Contacts in a histogram whose wait in whole seconds is below the threshold (Comparison LT). */
export function countBelow(histogram: Map<number, number>, thresholdSeconds: number): number {
  let n = 0;
  for (const [s, count] of histogram) if (s < thresholdSeconds) n += count;
  return n;
}

/** 5 minutes, the GetMetricData (v1) interval. */
export const V1_PERIOD_MS = 300_000;
/** 15 minutes, the smallest GetMetricDataV2 interval. */
export const V2_PERIOD_MS = 900_000;

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

  /** Counts one wait in the answered or abandoned list (queue streams only). */
  wait(t: number, stream: number, kind: 'answered' | 'abandoned', seconds: number): void {
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
