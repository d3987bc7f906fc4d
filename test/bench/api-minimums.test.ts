import {
  batchedPages,
  minCurrentMetricsCalls,
  minCurrentUsersCalls,
  minHistoricalCalls,
  minMetadataCalls,
  pagesFor,
  reconciliationCallsPerDay,
  refreshPeriodAllowedSeconds,
  restatementCallsPerHour,
} from '../../bench/api-minimums';

describe('pagesFor', () => {
  test('costs one call even when there is nothing to return', () => {
    expect(pagesFor(0)).toBe(1);
  });

  test('fills pages of 100 results before starting another', () => {
    expect(pagesFor(100)).toBe(1);
    expect(pagesFor(101)).toBe(2);
  });

  test('uses the page size it is given (1,000 for list APIs)', () => {
    expect(pagesFor(22_000, 1000)).toBe(22);
  });

  test('rejects a negative or fractional count', () => {
    expect(() => pagesFor(-1)).toThrow(RangeError);
    expect(() => pagesFor(1.5)).toThrow(/whole number/);
  });
});

describe('batchedPages', () => {
  test('costs nothing for no ids', () => {
    expect(batchedPages(0, 3)).toBe(0);
  });

  test('pages every batch of 100 ids on its own, so a remainder batch needs its own pages', () => {
    // 150 queues x 3 channels: a batch of 100 (300 results, 3 pages) and one of 50 (150 results, 2 pages).
    expect(batchedPages(150, 3)).toBe(5);
  });
});

describe('minCurrentMetricsCalls', () => {
  test('needs one call for 10 queues on three channels', () => {
    expect(minCurrentMetricsCalls(10)).toBe(1);
  });

  test('needs three pages per full batch of 100 queues', () => {
    expect(minCurrentMetricsCalls(100)).toBe(3);
    expect(minCurrentMetricsCalls(2000)).toBe(60);
  });
});

describe('minCurrentUsersCalls', () => {
  test('is bounded by the reported agents at 100 a page', () => {
    expect(minCurrentUsersCalls(500, 6667)).toBe(67);
  });

  test('is bounded by the routing-profile batches when few agents are logged in', () => {
    expect(minCurrentUsersCalls(250, 10)).toBe(3);
  });

  test('is zero when there is no routing profile to filter on', () => {
    expect(minCurrentUsersCalls(0, 0)).toBe(0);
  });
});

describe('minMetadataCalls', () => {
  test('lists each of the four APIs to its last page of 1,000 (and the hours list and SearchQueues once)', () => {
    expect(minMetadataCalls({ queues: 22_000, routingProfiles: 500, agentStatuses: 6, users: 20_000 })).toBe(
      22 + 1 + 1 + 20 + 2,
    );
  });

  test('then the hours of operation: the list, SearchQueues 500 a page, and 3 calls an hours (overrides 100 a page)', () => {
    const counts = { queues: 2_500, routingProfiles: 60, agentStatuses: 6, users: 2_000 };
    expect(
      minMetadataCalls({ ...counts, standardQueues: 501, hours: [{ overrides: 0 }, { overrides: 101 }] }),
    ).toBe(3 + 1 + 1 + 2 + (1 + 2 + (2 + 1) + (2 + 2)));
  });

  test('costs one call per API for an empty instance (SearchQueues and the hours list included)', () => {
    expect(minMetadataCalls({ queues: 0, routingProfiles: 0, agentStatuses: 0, users: 0 })).toBe(6);
  });
});

describe('minHistoricalCalls', () => {
  test('needs one v1 request per 5-minute interval but one v2 range for all 15-minute intervals', () => {
    const calls = minHistoricalCalls({
      queues: 100,
      agents: 1000,
      channels: 3,
      v1Intervals: 2,
      v2QueueIntervals: 1,
      v2AgentIntervals: 1,
    });
    // v1: 2 x 3 pages; v2 queues: 3 pages; v2 agents: 10 batches of one page.
    expect(calls).toBe(6 + 3 + 10);
  });

  test('grows v2 pages with the intervals a range holds', () => {
    const oneInterval = minHistoricalCalls({
      queues: 10,
      agents: 0,
      channels: 3,
      v1Intervals: 0,
      v2QueueIntervals: 1,
      v2AgentIntervals: 0,
    });
    const fourIntervals = minHistoricalCalls({
      queues: 10,
      agents: 0,
      channels: 3,
      v1Intervals: 0,
      v2QueueIntervals: 4,
      v2AgentIntervals: 0,
    });
    expect([oneInterval, fourIntervals]).toEqual([1, 2]);
  });

  test('costs nothing when no interval is due', () => {
    expect(
      minHistoricalCalls({
        queues: 100,
        agents: 100,
        channels: 3,
        v1Intervals: 0,
        v2QueueIntervals: 0,
        v2AgentIntervals: 0,
      }),
    ).toBe(0);
  });
});

describe('refreshPeriodAllowedSeconds', () => {
  test('divides the calls a run needs by the sustained rate', () => {
    expect(refreshPeriodAllowedSeconds(67, 2)).toBe(33.5);
  });

  test('rejects a rate that is not positive', () => {
    expect(() => refreshPeriodAllowedSeconds(1, 0)).toThrow(/positive/);
  });
});

describe('late-record re-reads', () => {
  test('an hour of restatements: per age, 12 v1 intervals (under 24 h) and 4 v2 intervals of queues and agents', () => {
    // 10 queues x 3 channels: 1 page a batch; 50 agents: 1 page.
    const s = { queues: 10, agents: 50, channels: 3, restateHours: [1, 6, 24] };
    expect(restatementCallsPerHour(s)).toBe(2 * 12 * 1 + 3 * 4 * (1 + 1));
    // 250 queues: 3 batches of 300, 300 and 150 results = 3 + 3 + 2 pages; 2,500 agents: 25 pages.
    const m = { queues: 250, agents: 2_500, channels: 3, restateHours: [1, 6, 24] };
    expect(restatementCallsPerHour(m)).toBe(2 * 12 * 8 + 3 * 4 * (8 + 25));
    expect(restatementCallsPerHour({ ...m, restateHours: [] })).toBe(0);
  });

  test('a day of reconciliation is one DAY range per batch of 100 queues, paged', () => {
    expect(reconciliationCallsPerDay({ queues: 250, channels: 3 })).toBe(8);
  });
});
