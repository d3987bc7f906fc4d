import type { TimeRange } from './interval-plan';

/**
 * Reconciliation with Connect, pure: which days are due, and how our stored totals compare with
 * Connect's own figures for the whole day. A day is due once its last interval has had its last
 * re-read (the largest restatement age) and been written by an earlier run.
 */

const DAY_MS = 86_400_000;

/** One queue, channel and UTC day: the figures reconciled, from either side. Null: no value. */
export interface DayFigures {
  readonly queueId: string;
  readonly channel: string;
  /** The UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly queued: number | null;
  readonly handled: number | null;
  readonly answered: number | null;
  readonly abandoned: number | null;
  readonly avgQueueAnswerTime: number | null;
  /** Service level per threshold (seconds), percent. */
  readonly serviceLevels: Readonly<Record<number, number | null>>;
}

/** One compared figure, as `reconciliation` stores it. */
export interface ReconciliationRow {
  readonly queueId: string;
  readonly channel: string;
  readonly day: string;
  readonly metric: string;
  readonly stored: number | null;
  readonly connect: number | null;
  readonly difference: number | null;
  readonly tolerance: number;
  readonly withinTolerance: boolean;
}

/** Inputs of {@link dueDays}. */
export interface DueInput {
  readonly now: Date;
  /** End of the last day reconciled (a UTC midnight), or null before the first reconciliation. */
  readonly reconciledTo: Date | null;
  /** Start of the first 15-minute interval collected, or null when unknown. */
  readonly collectedFrom: Date | null;
  /** The largest restatement age, in ms (0 without restatements). */
  readonly lastReadAgeMs: number;
  readonly cadenceMs: number;
  /** The oldest time GetMetricDataV2 still serves. */
  readonly oldestServedMs: number;
  /** Most days one run reconciles. */
  readonly maxDays: number;
}

const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const ceilDay = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;

/**
 * The whole UTC days to reconcile now, oldest first, or null: from the last day reconciled (or the
 * first whole day collected, or the day after today when neither is known), up to the last day whose end
 * plus the last re-read age and a cadence has passed, at most `maxDays`, never before what the API serves.
 */
export function dueDays(input: DueInput): TimeRange | null {
  const lastDueEnd = floorDay(input.now.getTime() - input.lastReadAgeMs - input.cadenceMs);
  // Without a first collected interval (a feed collecting since before it was kept), the days already
  // collected may hold figures by older definitions: reconciliation starts with the next whole day.
  const from = Math.max(
    input.reconciledTo?.getTime() ??
      (input.collectedFrom ? ceilDay(input.collectedFrom.getTime()) : ceilDay(input.now.getTime())),
    ceilDay(input.oldestServedMs),
  );
  const to = Math.min(lastDueEnd, from + input.maxDays * DAY_MS);
  return to > from ? { start: new Date(from), end: new Date(to) } : null;
}

/** The figures compared, and how to read each from a {@link DayFigures}. */
function metricsOf(thresholds: readonly number[]): [string, (f: DayFigures) => number | null][] {
  return [
    ['contacts_queued', (f) => f.queued],
    ['contacts_handled', (f) => f.handled],
    ['contacts_answered', (f) => f.answered],
    ['contacts_abandoned', (f) => f.abandoned],
    ['avg_queue_answer_time_seconds', (f) => f.avgQueueAnswerTime],
    ...thresholds.map((t): [string, (f: DayFigures) => number | null] => [
      `service_level_pct_${t}`,
      (f) => f.serviceLevels[t] ?? null,
    ]),
  ];
}

/**
 * Compares every queue, channel and day either side has. A count missing on one side is 0 there (no
 * activity); an average or percentage missing on both is equal. Within tolerance when the difference
 * is at most `tolerancePercent` of Connect's figure, or 0.01 (Connect rounds averages to 2 decimals).
 */
export function reconcile(
  stored: readonly DayFigures[],
  connect: readonly DayFigures[],
  thresholds: readonly number[],
  tolerancePercent: number,
): ReconciliationRow[] {
  const key = (f: DayFigures) => `${f.day}|${f.queueId}|${f.channel}`;
  const ours = new Map(stored.map((f) => [key(f), f]));
  const theirs = new Map(connect.map((f) => [key(f), f]));
  const keys = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  const counts = new Set(['contacts_queued', 'contacts_handled', 'contacts_answered', 'contacts_abandoned']);
  return keys.flatMap((k) => {
    const [day = '', queueId = '', channel = ''] = k.split('|');
    return metricsOf(thresholds).map(([metric, read]) => {
      const side = (f: DayFigures | undefined) => {
        const value = f ? read(f) : null;
        return value === null && counts.has(metric) ? 0 : value;
      };
      const s = side(ours.get(k));
      const c = side(theirs.get(k));
      const tolerance = Math.max(0.01, (tolerancePercent / 100) * Math.abs(c ?? 0));
      const difference = s === null || c === null ? null : s - c;
      const withinTolerance = difference === null ? s === c : Math.abs(difference) <= tolerance;
      return { queueId, channel, day, metric, stored: s, connect: c, difference, tolerance, withinTolerance };
    });
  });
}
