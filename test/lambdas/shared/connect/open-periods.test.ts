import { localInstant, mergePeriods, openDuring } from '../../../../lambdas/shared/connect/open-periods';

const iso = (ms: number) => new Date(ms).toISOString();

describe('local wall-clock times as instants', () => {
  test.each([
    // New York: EST (-5) before 2026-03-08 02:00, EDT (-4) after.
    ['2026-03-07', 8 * 60, 'America/New_York', '2026-03-07T13:00:00.000Z', 'first'],
    ['2026-03-08', 8 * 60, 'America/New_York', '2026-03-08T12:00:00.000Z', 'first'],
    // 02:30 does not exist that day: read in the offset before the change.
    ['2026-03-08', 150, 'America/New_York', '2026-03-08T07:30:00.000Z', 'first'],
    // 01:30 happens twice on 2026-11-01: the first (EDT).
    ['2026-11-01', 90, 'America/New_York', '2026-11-01T05:30:00.000Z', 'first'],
    // ...and, as the end of a range, the second (EST): a centre closing at 01:30 that day is open until then.
    ['2026-11-01', 90, 'America/New_York', '2026-11-01T06:30:00.000Z', 'last'],
    // Midnight at the end of a day (1440) is the next day's start.
    ['2026-11-02', 1440, 'America/New_York', '2026-11-03T05:00:00.000Z', 'first'],
    // Berlin: CEST (+2) until 2026-10-25 03:00, CET (+1) after; a 02:30 start is ambiguous: the first.
    ['2026-10-25', 150, 'Europe/Berlin', '2026-10-25T00:30:00.000Z', 'first'],
    ['2026-10-25', 20 * 60, 'Europe/Berlin', '2026-10-25T19:00:00.000Z', 'first'],
    ['2026-03-29', 150, 'Europe/Berlin', '2026-03-29T01:30:00.000Z', 'first'],
    // Sydney (east of UTC): a Monday 09:00 is Sunday 22:00 UTC in summer (+11).
    ['2026-11-30', 9 * 60, 'Australia/Sydney', '2026-11-29T22:00:00.000Z', 'first'],
  ] as const)(
    '%s + %i min in %s is %s (%s occurrence)',
    (date, minute, zone, expected, occurrence: 'first' | 'last') => {
      expect(iso(localInstant(date, minute, zone, occurrence))).toBe(expected);
    },
  );
});

describe('open periods', () => {
  test('merge overlapping and touching periods, and answer whether any overlaps a window', () => {
    const merged = mergePeriods([
      [30, 40],
      [0, 10],
      [10, 20],
      [35, 50],
    ]);
    expect(merged).toEqual([
      [0, 20],
      [30, 50],
    ]);
    expect(openDuring(merged, 20, 29)).toBe(false); // an end is exclusive
    expect(openDuring(merged, 25, 30)).toBe(true);
    expect(openDuring(merged, 19, 19)).toBe(true);
  });
});
