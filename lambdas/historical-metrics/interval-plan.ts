import type { HistoricalFeed } from './definitions';

/**
 * Which intervals a historical run fetches: pure time arithmetic, no I/O.
 *
 * Each feed has a watermark: the end of the last interval written. A run fetches every complete
 * interval from the watermark to now that the API still serves, oldest first, in ranges as long as
 * the API accepts; and it fetches the interval before the watermark once more when its last fetch was
 * less than one cadence after it ended (late data). The first run starts `backfill` before now.
 *
 * Connect books a contact in the interval in which it disconnected, but its record only exists once
 * the after-contact work ends, which may take hours. So each interval is read again at fixed ages
 * after it ended (by default 1, 6 and 24 hours): the run whose time window (now - cadence, now] holds
 * an interval's end plus an age re-reads that interval, so runs at the cadence re-read each interval
 * once per age, in ranges of their own that leave the watermark alone.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The time rules of one historical feed's API. */
export interface FeedTiming {
  /** Interval length in ms. */
  readonly periodMs: number;
  /** How far back the API serves data, in ms. */
  readonly retentionMs: number;
  /** The longest range one request may cover, in ms (a multiple of the period). */
  readonly maxRangeMs: number;
}

/**
 * GetMetricData (v1) aggregates over its whole range, so a 5-minute interval needs a request of its own;
 * it serves the last 24 hours. GetMetricDataV2 returns FIFTEEN_MIN intervals for a range under 3 days
 * and serves 3 months (taken as 90 days, the shortest 3 months).
 */
export const FEED_TIMING: Readonly<Record<HistoricalFeed, FeedTiming>> = {
  queue_v1: { periodMs: 5 * MINUTE, retentionMs: DAY, maxRangeMs: 5 * MINUTE },
  queue_v2: { periodMs: 15 * MINUTE, retentionMs: 90 * DAY, maxRangeMs: 3 * DAY - 15 * MINUTE },
  agent_v2: { periodMs: 15 * MINUTE, retentionMs: 90 * DAY, maxRangeMs: 3 * DAY - 15 * MINUTE },
};

/** A feed's watermark as stored. */
export interface Watermark {
  /** End of the last interval written. */
  readonly watermark: Date;
  /** When a run last wrote (fetched) up to it. */
  readonly updatedAt: Date;
  /** Start of the first interval the feed ever read; null when unknown (written before it was kept). */
  readonly collectedFrom: Date | null;
}

/** A time range [start, end) on interval boundaries. */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** What a run should fetch for one feed. */
export interface FeedPlan {
  readonly feed: HistoricalFeed;
  /** Ranges to fetch, oldest first, each within the API's longest range. */
  readonly ranges: readonly TimeRange[];
  /** Intervals the API no longer serves between the watermark and the oldest one it does (an outage). */
  readonly lostIntervals: number;
  /** True when the first range starts with the interval before the watermark, fetched again. */
  readonly refetch: boolean;
  /** Older intervals read again because they reached a restatement age, oldest first. */
  readonly restate: readonly TimeRange[];
}

/** Inputs of {@link planFeed}. */
export interface PlanInput {
  readonly feed: HistoricalFeed;
  readonly now: Date;
  readonly watermark: Watermark | null;
  /** How far back a feed's first run reaches, in hours. */
  readonly backfillHours: number;
  /** The collector's cadence in ms: an interval fetched less than this after it ended is fetched again. */
  readonly cadenceMs: number;
  /** Override of the feed's API timing (tests). */
  readonly timing?: FeedTiming;
  /**
   * Most intervals one range may hold, below the API's limit, so a run can stop between ranges when
   * its time runs short.
   * @default the API's limit
   */
  readonly maxIntervalsPerRange?: number;
  /**
   * Ages (ms after an interval ended) at which it is read again for records completed late.
   * @default none
   */
  readonly restateAgesMs?: readonly number[];
  /**
   * The window (now - this, now] whose restatement ages this run serves: the cadence, or longer when the
   * runs before it were skipped (poll-gate.ts: closed), so their re-reads are made now.
   * @default cadenceMs
   */
  readonly restateWindowMs?: number;
}

/** Start of the interval containing `ms`. */
function floorTo(ms: number, periodMs: number): number {
  return Math.floor(ms / periodMs) * periodMs;
}

/** The first interval boundary at or after `ms`. */
function ceilTo(ms: number, periodMs: number): number {
  return Math.ceil(ms / periodMs) * periodMs;
}

/** The oldest interval start the API serves at `nowMs`, with a minute's margin for the run's own duration. */
export function oldestServable(nowMs: number, timing: FeedTiming): number {
  return ceilTo(nowMs - timing.retentionMs + MINUTE, timing.periodMs);
}

/** Plans one feed's run: every complete, still-served interval after the watermark, oldest first. */
export function planFeed(input: PlanInput): FeedPlan {
  const timing = input.timing ?? FEED_TIMING[input.feed];
  const period = timing.periodMs;
  const nowMs = input.now.getTime();
  const completeEnd = floorTo(nowMs, period);
  const oldest = oldestServable(nowMs, timing);

  let wanted: number;
  let refetch = false;
  if (!input.watermark) {
    wanted = floorTo(nowMs - input.backfillHours * 3_600_000, period);
  } else {
    const mark = floorTo(input.watermark.watermark.getTime(), period);
    // The interval before the watermark was fetched right after it ended: read it once more for late data.
    refetch = input.watermark.updatedAt.getTime() < mark + input.cadenceMs;
    wanted = refetch ? mark - period : mark;
  }
  const lostIntervals = wanted < oldest ? Math.round((oldest - wanted) / period) : 0;
  const start = Math.max(wanted, oldest);
  if (start > wanted) refetch = false;

  const perRange = Math.max(
    period,
    Math.min(timing.maxRangeMs, (input.maxIntervalsPerRange ?? Number.POSITIVE_INFINITY) * period),
  );
  const ranges: TimeRange[] = [];
  for (let from = start; from < completeEnd; from += perRange) {
    ranges.push({ start: new Date(from), end: new Date(Math.min(from + perRange, completeEnd)) });
  }
  return {
    feed: input.feed,
    ranges,
    lostIntervals,
    refetch: refetch && ranges.length > 0,
    // Only intervals a run has read before: none on a first run, none before the first backfill.
    restate: input.watermark
      ? restateRanges(
          input,
          timing,
          Math.min(start, completeEnd),
          Math.max(oldest, input.watermark.collectedFrom?.getTime() ?? oldest),
        )
      : [],
  };
}

/**
 * The intervals that reached a restatement age in (now - window, now], merged into ranges, oldest
 * first; only intervals the API still serves and that the regular ranges do not read anyway.
 */
function restateRanges(
  input: PlanInput,
  timing: FeedTiming,
  regularFrom: number,
  oldest: number,
): TimeRange[] {
  const period = timing.periodMs;
  const nowMs = input.now.getTime();
  const starts = new Set<number>();
  for (const age of input.restateAgesMs ?? []) {
    // Interval ends e with now - age - cadence < e <= now - age.
    const lastEnd = floorTo(nowMs - age, period);
    const window = Math.max(input.cadenceMs, input.restateWindowMs ?? 0);
    for (let end = lastEnd; end > nowMs - age - window; end -= period) {
      const start = end - period;
      if (start >= oldest && end <= regularFrom) starts.add(start);
    }
  }
  const ranges: TimeRange[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && last.end.getTime() === start && start + period - last.start.getTime() <= timing.maxRangeMs) {
      ranges[ranges.length - 1] = { start: last.start, end: new Date(start + period) };
    } else ranges.push({ start: new Date(start), end: new Date(start + period) });
  }
  return ranges;
}
