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
  /**
   * Seconds agents spent in a custom (non-productive) status while still on the contact: part of
   * SUM_HANDLE_TIME ("contact handle time"), left out of AVG_HANDLE_TIME.
   */
  SUM_CUSTOM_STATUS_TIME: 25,
} as const;
/** Width of a contact record. */
export const CONTACT_FIELDS = 26;

/** Agent time-in-state fields (seconds), indexes into an agent-time record. */
export const T = { ONLINE: 0, IDLE: 1, NON_PRODUCTIVE: 2, CONTACT: 3, ERROR: 4 } as const;
/** Width of an agent-time record. */
export const TIME_FIELDS = 5;

/** An aggregate over intervals and keys, with the wait-time histograms thresholds need. */
export interface IntervalRecord {
  readonly values: Float64Array;
  /** Whole seconds in queue -> number of contacts answered with that wait. */
  readonly answered: Map<number, number>;
  /** Whole seconds in queue -> number of contacts abandoned after that wait. */
  readonly abandoned: Map<number, number>;
  /** Whole seconds in queue -> number of contacts the flow moved to another queue after that wait. */
  readonly moved: Map<number, number>;
}

/** The wait histograms of a record. */
export type WaitKind = 'answered' | 'abandoned' | 'moved';
const WAIT_KINDS: readonly WaitKind[] = ['answered', 'abandoned', 'moved'];

/** An empty aggregate of the given width. */
export function newRecord(size: number): IntervalRecord {
  return { values: new Float64Array(size), answered: new Map(), abandoned: new Map(), moved: new Map() };
}

/** A growable list of int32 (key, seconds, count) triples: 12 bytes a wait instead of 24 in an array. */
class TripleList {
  data = new Int32Array(48);
  length = 0;

  push(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = a;
    this.data[this.length + 1] = b;
    this.data[this.length + 2] = c;
    this.length += 3;
  }

  compact(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length);
  }
}

/**
 * One interval's data: a packed arena (one row per key that had activity) and flat wait lists. While
 * the interval is current, rows are found through a Map and values are float32 (values are whole
 * seconds and counts, exact in float32 at these magnitudes). Once it is over, `compact()` sorts the rows
 * by key (found by binary search) and stores them as uint16 when every value fits: about a third of the
 * memory, which matters at 20,000 agents where a day holds a million rows.
 */
class Bucket {
  private slots: Map<number, number> | null = new Map();
  private sortedKeys: Int32Array | null = null;
  values: Float32Array | Uint16Array;
  rows = 0;
  /** Flat (key, seconds, count) triples. */
  readonly answered = new TripleList();
  /** Flat (key, seconds, count) triples. */
  readonly abandoned = new TripleList();
  /** Flat (key, seconds, count) triples. */
  readonly moved = new TripleList();

  constructor(private readonly width: number) {
    this.values = new Float32Array(width * 8);
  }

  /** Keys with a row. */
  keys(): number[] {
    return this.slots ? [...this.slots.keys()] : Array.from(this.sortedKeys ?? []);
  }

  /** Row offset of a key for reading, or undefined. */
  find(key: number): number | undefined {
    if (this.slots) {
      const slot = this.slots.get(key);
      return slot === undefined ? undefined : slot * this.width;
    }
    const keys = this.sortedKeys ?? new Int32Array(0);
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid] ?? 0;
      if (k === key) return mid * this.width;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Packs a finished interval: rows sorted by key, uint16 values where they fit, no spare capacity. */
  compact(): void {
    for (const kind of WAIT_KINDS) this[kind].compact();
    if (!this.slots) return;
    const order = [...this.slots.entries()].sort((a, b) => a[0] - b[0]);
    const used = this.values.subarray(0, this.rows * this.width);
    const small = used.every((v) => v >= 0 && v <= 65535 && Number.isInteger(v));
    const packed = small ? new Uint16Array(used.length) : new Float32Array(used.length);
    order.forEach(([, slot], i) => {
      packed.set(used.subarray(slot * this.width, (slot + 1) * this.width), i * this.width);
    });
    this.sortedKeys = Int32Array.from(order.map(([key]) => key));
    this.values = packed;
    this.slots = null;
  }

  /** Row offset of a key for writing, creating the row (and unpacking a compacted interval) if needed. */
  row(key: number): number {
    if (!this.slots) this.unpack();
    const slots = this.slots as Map<number, number>;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = this.rows;
      this.rows += 1;
      if (this.rows * this.width > this.values.length) {
        const grown = new Float32Array(Math.ceil(this.values.length * 1.5) + this.width);
        grown.set(this.values);
        this.values = grown;
      }
      slots.set(key, slot);
    }
    return slot * this.width;
  }

  private unpack(): void {
    const keys = this.sortedKeys ?? new Int32Array(0);
    this.slots = new Map(Array.from(keys, (key, i) => [key, i]));
    this.values = Float32Array.from(this.values);
    this.sortedKeys = null;
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

  /** Records one wait (whole seconds) in one of the wait lists. */
  wait(t: number, key: number, kind: WaitKind, seconds: number): void {
    const bucket = this.bucket(t);
    bucket.row(key);
    bucket[kind].push(key, seconds, 1);
  }

  /** Keys with data in the interval starting at `start`. */
  keys(start: number): number[] {
    return this.buckets.get(start)?.keys() ?? [];
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
      if (start + this.periodMs <= nowMs - this.periodMs) bucket.compact();
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
    for (const kind of WAIT_KINDS) for (const [s, n] of rec[kind]) bucket[kind].push(key, s, n);
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
    const base = bucket.find(key);
    if (base === undefined) continue;
    for (let f = 0; f < width; f += 1) {
      const v = bucket.values[base + f] ?? 0;
      if (width === CONTACT_FIELDS && f === F.MAX_QUEUED_TIME)
        into.values[f] = Math.max(into.values[f] ?? 0, v);
      else into.values[f] = (into.values[f] ?? 0) + v;
    }
  }
  for (const kind of WAIT_KINDS) {
    const { data, length } = bucket[kind];
    const hist = into[kind];
    for (let i = 0; i < length; i += 3) {
      if (keys.has(data[i] ?? -1))
        hist.set(data[i + 1] ?? 0, (hist.get(data[i + 1] ?? 0) ?? 0) + (data[i + 2] ?? 0));
    }
  }
}

/**
 * Contacts in a histogram whose wait in whole seconds is below the threshold (Comparison LT), or at
 * most the threshold (LTE) when `inclusive`.
 */
export function countBelow(
  histogram: Map<number, number>,
  thresholdSeconds: number,
  inclusive = false,
): number {
  let n = 0;
  for (const [s, count] of histogram)
    if (s < thresholdSeconds || (inclusive && s === thresholdSeconds)) n += count;
  return n;
}

/** Every contact in a histogram. */
export function countAll(histogram: Map<number, number>): number {
  let n = 0;
  for (const count of histogram.values()) n += count;
  return n;
}
