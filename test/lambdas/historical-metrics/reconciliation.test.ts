import { type DayFigures, dueDays, reconcile } from '../../../lambdas/historical-metrics/reconciliation';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const base = {
  lastReadAgeMs: 24 * HOUR,
  cadenceMs: 5 * 60_000,
  oldestServedMs: at('2026-09-01T00:00:00Z').getTime(),
  maxDays: 7,
};

describe('dueDays', () => {
  test('a day is due once its last interval has had its last re-read and a cadence more', () => {
    const due = (now: string) =>
      dueDays({ ...base, now: at(now), reconciledTo: at('2026-11-23T00:00:00Z'), collectedFrom: null });

    expect(due('2026-11-25T00:04:00Z')).toBeNull();
    expect(due('2026-11-25T00:05:00Z')).toEqual({
      start: at('2026-11-23T00:00:00Z'),
      end: at('2026-11-24T00:00:00Z'),
    });
  });

  test('the first reconciliation starts with the first whole day collected, at most maxDays at once', () => {
    const due = dueDays({
      ...base,
      now: at('2026-11-30T12:00:00Z'),
      reconciledTo: null,
      collectedFrom: at('2026-11-15T09:45:00Z'),
      maxDays: 7,
    });

    expect(due).toEqual({ start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') });
  });

  test("a feed collecting since before its first interval was kept starts with tomorrow, collected under today's definitions", () => {
    const due = (now: string) => dueDays({ ...base, now: at(now), reconciledTo: null, collectedFrom: null });

    expect(due('2026-11-30T12:00:00Z')).toBeNull();
    expect(due('2026-12-01T00:30:00Z')).toBeNull();
    // Still that first day, once due (its end plus the last re-read and a cadence), not an older one.
    expect(
      dueDays({
        ...base,
        now: at('2026-12-03T00:05:00Z'),
        reconciledTo: at('2026-12-01T00:00:00Z'),
        collectedFrom: null,
      }),
    ).toEqual({ start: at('2026-12-01T00:00:00Z'), end: at('2026-12-02T00:00:00Z') });
  });

  test('never reaches before what the API serves', () => {
    const due = dueDays({
      ...base,
      now: at('2026-11-30T12:00:00Z'),
      reconciledTo: at('2026-01-01T00:00:00Z'),
      collectedFrom: null,
    });

    expect(due?.start).toEqual(at('2026-09-01T00:00:00Z'));
  });
});

describe('reconcile', () => {
  const figures = (overrides: Partial<DayFigures> = {}): DayFigures => ({
    queueId: 'q1',
    channel: 'VOICE',
    day: '2026-11-23',
    queued: 100,
    handled: 104,
    answered: 90,
    abandoned: 8,
    avgQueueAnswerTime: 21.5,
    serviceLevels: { 20: 75 },
    ...overrides,
  });

  test('equal figures, and averages within Connect rounding, are within tolerance', () => {
    const rows = reconcile([figures({ avgQueueAnswerTime: 21.504 })], [figures()], [20], 0);

    expect(rows.map((r) => r.metric)).toEqual([
      'contacts_queued',
      'contacts_handled',
      'contacts_answered',
      'contacts_abandoned',
      'avg_queue_answer_time_seconds',
      'service_level_pct_20',
    ]);
    expect(rows.every((r) => r.withinTolerance)).toBe(true);
  });

  test('a count off by more than the tolerance is a difference, with its sign', () => {
    const rows = reconcile([figures({ handled: 101 })], [figures()], [20], 1);

    const handled = rows.find((r) => r.metric === 'contacts_handled');
    expect(handled).toMatchObject({ stored: 101, connect: 104, difference: -3, withinTolerance: false });
    expect(handled?.tolerance).toBeCloseTo(1.04);
  });

  test('a queue only one side has counts as 0 on the other, and an average only one side has differs', () => {
    const rows = reconcile([], [figures({ queueId: 'q9' })], [20], 0.5);

    expect(rows.find((r) => r.metric === 'contacts_queued')).toMatchObject({
      stored: 0,
      connect: 100,
      withinTolerance: false,
    });
    expect(rows.find((r) => r.metric === 'avg_queue_answer_time_seconds')).toMatchObject({
      stored: null,
      connect: 21.5,
      difference: null,
      withinTolerance: false,
    });
  });
});
