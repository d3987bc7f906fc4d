import {
  FEED_TIMING,
  oldestServable,
  planFeed,
  type Watermark,
} from '../../../lambdas/historical-metrics/interval-plan';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const cadenceMs = 5 * MIN;

describe('planFeed', () => {
  test('a first run backfills the configured hours of complete intervals, oldest first', () => {
    const plan = planFeed({
      feed: 'queue_v2',
      now: at('2026-11-23T10:07:00Z'),
      watermark: null,
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.ranges).toEqual([{ start: at('2026-11-22T10:00:00Z'), end: at('2026-11-23T10:00:00Z') }]);
    expect(plan.refetch).toBe(false);
    expect(plan.lostIntervals).toBe(0);
  });

  test('v1 asks one 5-minute interval per range, since GetMetricData aggregates its whole range', () => {
    const plan = planFeed({
      feed: 'queue_v1',
      now: at('2026-11-23T10:17:00Z'),
      watermark: {
        watermark: at('2026-11-23T10:00:00Z'),
        updatedAt: at('2026-11-23T10:30:00Z'),
        collectedFrom: null,
      },
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.ranges.map((r) => r.start.toISOString())).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:05:00.000Z',
      '2026-11-23T10:10:00.000Z',
    ]);
    expect(plan.ranges.every((r) => r.end.getTime() - r.start.getTime() === 5 * MIN)).toBe(true);
  });

  test('the interval before the watermark is fetched once more when its last fetch came right after it ended', () => {
    const watermark = {
      watermark: at('2026-11-23T10:00:00Z'),
      updatedAt: at('2026-11-23T10:01:00Z'),
      collectedFrom: null,
    };

    const plan = planFeed({
      feed: 'queue_v1',
      now: at('2026-11-23T10:06:00Z'),
      watermark,
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.refetch).toBe(true);
    expect(plan.ranges.map((r) => r.start.toISOString())).toEqual([
      '2026-11-23T09:55:00.000Z',
      '2026-11-23T10:00:00.000Z',
    ]);
  });

  test('an interval already fetched again a cadence after it ended is not fetched a third time', () => {
    const watermark = {
      watermark: at('2026-11-23T10:00:00Z'),
      updatedAt: at('2026-11-23T10:06:00Z'),
      collectedFrom: null,
    };

    const plan = planFeed({
      feed: 'queue_v2',
      now: at('2026-11-23T10:11:00Z'),
      watermark,
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.ranges).toEqual([]);
    expect(plan.refetch).toBe(false);
  });

  test('after an outage longer than the API keeps data, it starts at the oldest served interval and counts the lost ones', () => {
    const now = at('2026-11-23T10:02:00Z');
    const watermark = {
      watermark: at('2026-11-22T08:00:00Z'),
      updatedAt: at('2026-11-22T08:01:00Z'),
      collectedFrom: null,
    };

    const plan = planFeed({ feed: 'queue_v1', now, watermark, backfillHours: 24, cadenceMs });

    expect(plan.ranges[0]?.start).toEqual(at('2026-11-22T10:05:00Z'));
    expect(plan.ranges.at(-1)?.end).toEqual(at('2026-11-23T10:00:00Z'));
    expect(plan.lostIntervals).toBe((2 * 60 + 10) / 5);
    expect(plan.refetch).toBe(false);
  });

  test('v2 ranges stay under 3 days and cover the whole backlog without gaps', () => {
    const plan = planFeed({
      feed: 'agent_v2',
      now: at('2026-11-23T00:00:00Z'),
      watermark: {
        watermark: at('2026-11-13T00:00:00Z'),
        updatedAt: at('2026-11-14T00:00:00Z'),
        collectedFrom: null,
      },
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.ranges).toHaveLength(4);
    for (const r of plan.ranges) expect(r.end.getTime() - r.start.getTime()).toBeLessThan(3 * 24 * 60 * MIN);
    plan.ranges.forEach((r, i) => {
      if (i > 0) expect(r.start).toEqual(plan.ranges[i - 1]?.end);
    });
    expect(plan.ranges[0]?.start).toEqual(at('2026-11-13T00:00:00Z'));
    expect(plan.ranges.at(-1)?.end).toEqual(at('2026-11-23T00:00:00Z'));
  });

  test('a smaller range size splits the same backlog into more ranges on interval boundaries', () => {
    const plan = planFeed({
      feed: 'queue_v2',
      now: at('2026-11-23T03:05:00Z'),
      watermark: {
        watermark: at('2026-11-23T00:00:00Z'),
        updatedAt: at('2026-11-23T00:30:00Z'),
        collectedFrom: null,
      },
      backfillHours: 24,
      cadenceMs,
      maxIntervalsPerRange: 5,
    });

    expect(plan.ranges.map((r) => (r.end.getTime() - r.start.getTime()) / (15 * MIN))).toEqual([5, 5, 2]);
  });

  test('nothing is planned before an interval completes', () => {
    const plan = planFeed({
      feed: 'queue_v2',
      now: at('2026-11-23T10:14:59Z'),
      watermark: {
        watermark: at('2026-11-23T10:00:00Z'),
        updatedAt: at('2026-11-23T10:05:00Z'),
        collectedFrom: null,
      },
      backfillHours: 24,
      cadenceMs,
    });

    expect(plan.ranges).toEqual([]);
  });
});

describe('restatements (late contact records)', () => {
  const HOUR = 60 * MIN;
  const ages = [1 * HOUR, 6 * HOUR, 24 * HOUR];
  /**
   * Runs every cadence (a few seconds late, as scheduled runs are) but the runs `skipped` (closed) and
   * counts reads per interval start. As the collector, a run after skipped ones widens its re-read
   * window to a cadence before the first skipped run.
   */
  function simulate(
    feed: 'queue_v1' | 'queue_v2',
    fromIso: string,
    hours: number,
    skipped: (t: number) => boolean = () => false,
  ) {
    const from = at(fromIso).getTime();
    const reads = new Map<number, number>();
    let watermark = null as Watermark | null;
    let lastRun: number | undefined;
    for (let t = from; t < from + hours * HOUR; t += cadenceMs) {
      if (skipped(t)) continue;
      const now = new Date(t + 61_000);
      const restateWindowMs = lastRun === undefined ? cadenceMs : t - lastRun;
      lastRun = t;
      const plan = planFeed({
        feed,
        now,
        watermark,
        backfillHours: 2,
        cadenceMs,
        restateAgesMs: ages,
        restateWindowMs,
      });
      const period = FEED_TIMING[feed].periodMs;
      for (const r of plan.restate) {
        for (let s = r.start.getTime(); s < r.end.getTime(); s += period)
          reads.set(s, (reads.get(s) ?? 0) + 1);
      }
      const last = plan.ranges.at(-1);
      if (last) {
        watermark = {
          watermark: last.end,
          updatedAt: now,
          collectedFrom: watermark?.collectedFrom ?? plan.ranges[0]!.start,
        };
      }
      if (!watermark) expect(plan.restate).toEqual([]); // a first run restates nothing
    }
    return reads;
  }

  test('runs at the cadence read every interval again once at each age, and never before the first backfill', () => {
    const reads = simulate('queue_v2', '2026-11-23T00:00:00Z', 30);

    const backfillStart = at('2026-11-22T22:00:00Z').getTime();
    expect(Math.min(...reads.keys())).toBeGreaterThanOrEqual(backfillStart);
    // The first run restates nothing, so intervals that turned an hour old during it have one reading less.
    for (const [start, n] of reads) if (start < at('2026-11-22T23:00:00Z').getTime()) expect(n).toBe(2);
    // Intervals that have passed all three ages within the 30 hours: read again exactly three times.
    const old = [...reads.entries()].filter(
      ([start]) =>
        start >= at('2026-11-22T23:00:00Z').getTime() &&
        start + 15 * MIN + 24 * HOUR <= at('2026-11-24T05:50:00Z').getTime(),
    );
    expect(old.length).toBeGreaterThan(0);
    for (const [, n] of old) expect(n).toBe(3);
    // Every interval from the backfill start up to then is among them: none is skipped.
    // 23:00 to 05:30 the next day (its 24-hour age falls before the last run at 05:55): 27 intervals.
    expect(old.length).toBe(27);
  });

  test('runs skipped while closed lose no re-read: the next run reads the ages that fell in the whole gap', () => {
    // Every run from 20:00 to 08:00 is skipped but the one at 00:00 (a closed batch).
    const reads = simulate('queue_v2', '2026-11-23T00:00:00Z', 42, (t) => {
      const hour = new Date(t).getUTCHours();
      return (hour >= 20 || hour < 8) && !(hour === 0 && new Date(t).getUTCMinutes() === 0);
    });
    // Intervals of the first day's afternoon: their 1-hour and 6-hour ages fall in the closed night,
    // their 24-hour age the next afternoon; each is still read again exactly three times.
    const afternoon = [...reads.entries()].filter(
      ([start]) =>
        start >= at('2026-11-23T14:00:00Z').getTime() && start < at('2026-11-23T16:00:00Z').getTime(),
    );
    expect(afternoon).toHaveLength(8);
    for (const [, n] of afternoon) expect(n).toBe(3);
    // The last open hour (19:00-20:00): its 1-hour and 6-hour ages fall in the gap, read by the 00:00
    // and 08:00 runs (its 24-hour age lies past the span). 19:45-20:00 ended after the last open run,
    // so the 00:00 run reads it first (from the watermark) and only its 6-hour read is a re-read.
    const evening = [...reads.entries()].filter(
      ([start]) =>
        start >= at('2026-11-23T19:00:00Z').getTime() && start < at('2026-11-23T20:00:00Z').getTime(),
    );
    expect(evening.map(([, n]) => n)).toEqual([2, 2, 2, 1]);
  });

  test('GetMetricData intervals are restated at 1 and 6 hours only: at 24 hours the API no longer serves them', () => {
    const reads = simulate('queue_v1', '2026-11-23T00:00:00Z', 30);

    expect(new Set(reads.values())).toEqual(new Set([1, 2]));
    const finished = [...reads.entries()].filter(
      ([start]) =>
        start >= at('2026-11-22T23:00:00Z').getTime() &&
        start + 5 * MIN + 6 * HOUR <= at('2026-11-24T05:50:00Z').getTime(),
    );
    for (const [, n] of finished) expect(n).toBe(2);
  });
});

describe('oldestServable', () => {
  test('keeps a minute of margin and lands on an interval boundary', () => {
    const now = at('2026-11-23T10:04:30Z').getTime();

    expect(new Date(oldestServable(now, FEED_TIMING.queue_v1)).toISOString()).toBe(
      '2026-11-22T10:10:00.000Z',
    );
  });
});
