import { type CheckDeps, checkDataLoad } from '../../../lambdas/check-data-load/check';
import type { FeedRuns, FreshnessStore } from '../../../lambdas/check-data-load/freshness-store';
import { FEEDS } from '../../../lambdas/feeds';
import { silentLog } from '../../../lambdas/shared/runtime/logger';
import { TWO_CLIENTS, twoClientConfig } from '../../support/collector-harness';

const { a: A, b: B } = TWO_CLIENTS;
const config = twoClientConfig();
const NOW = new Date('2026-11-23T12:00:00Z');
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

/** Every feed of every instance succeeded `age` seconds ago, unless `runs` says otherwise. */
function store(
  runs: Partial<FeedRuns>[] = [],
  age = 5,
  open: Record<string, boolean | null> | ((instanceId: string, from: Date) => boolean | null) = {},
): FreshnessStore & { asked: unknown[]; openAsked: [string, Date, Date][] } {
  const asked: unknown[] = [];
  const openAsked: [string, Date, Date][] = [];
  return {
    asked,
    openAsked,
    async openDuring(windows, to) {
      for (const w of windows) openAsked.push([w.key, w.from, to]);
      return new Map(
        windows.map((w) => [
          w.key,
          typeof open === 'function' ? open(w.instanceId, w.from) : (open[w.instanceId] ?? null),
        ]),
      );
    },
    async feedRuns(pairs) {
      asked.push(pairs);
      return pairs.map(({ instanceId, feed }) => ({
        instanceId,
        feed,
        lastRunAt: secondsAgo(age),
        lastOutcome: 'succeeded' as const,
        lastError: null,
        lastSuccessAt: secondsAgo(age),
        lastSuccessRows: 10,
        lastDataTime: secondsAgo(age + 1),
        ...runs.find((r) => r.instanceId === instanceId && r.feed === feed),
      }));
    },
    async latest(ids) {
      return ids.map((instanceId) => ({
        instanceId,
        latest: {
          queue_realtime_snapshot: secondsAgo(10),
          agent_realtime_snapshot: null,
          queue_interval_metrics: null,
          agent_interval_metrics: null,
        },
      }));
    },
    async rowEstimates() {
      return { queue_realtime_snapshot: 1_000, agent: null };
    },
    async reconciliations(ids) {
      return ids.map((instanceId) =>
        instanceId === A
          ? { instanceId, day: '2026-11-21', reconciledAt: secondsAgo(3600), compared: 42, outOfTolerance: 1 }
          : { instanceId, day: null, reconciledAt: null, compared: 0, outOfTolerance: 0 },
      );
    },
  };
}

const deps = (s: FreshnessStore): CheckDeps => ({ config, store: s, now: () => NOW, log: silentLog });

describe('checkDataLoad', () => {
  test('answers 200 with every feed of every instance when all are fresh', async () => {
    const response = await checkDataLoad(null, deps(store()));

    expect(response.statusCode).toBe(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.feeds).toHaveLength(2 * FEEDS.length);
    expect(response.body.feeds?.[0]).toEqual({
      instanceId: A,
      clientName: 'Acme',
      environment: 'prod',
      feed: 'metadata',
      status: 'ok',
      staleAfterSeconds: 3 * 15 * 60,
      lastSuccessAt: '2026-11-23T11:59:55.000Z',
      ageSeconds: 5,
      lastSuccessRows: 10,
      lastDataTime: '2026-11-23T11:59:54.000Z',
      lastRunAt: '2026-11-23T11:59:55.000Z',
      lastOutcome: 'succeeded',
      lastError: null,
    });
    expect(response.body.latest?.[B]?.queue_realtime_snapshot).toBe('2026-11-23T11:59:50.000Z');
    expect(response.body.rowEstimates).toEqual({ queue_realtime_snapshot: 1_000, agent: null });
  });

  test('reports the last day reconciled with Connect per instance, and a difference does not make the data stale', async () => {
    const response = await checkDataLoad(null, deps(store()));

    expect(response.statusCode).toBe(200);
    expect(response.body.reconciliation).toEqual({
      [A]: {
        day: '2026-11-21',
        reconciledAt: secondsAgo(3600).toISOString(),
        compared: 42,
        outOfTolerance: 1,
      },
      [B]: null,
    });
  });

  test('answers 503 when one feed has had no success within staleAfterCadences of its cadence', async () => {
    const runs = [{ instanceId: B, feed: 'current_users' as const, lastSuccessAt: secondsAgo(31) }];

    const response = await checkDataLoad(undefined, deps(store(runs)));

    expect(response.statusCode).toBe(503);
    expect(response.body.status).toBe('stale');
    const stale = response.body.feeds?.filter((f) => f.status === 'stale');
    expect(stale?.map((f) => [f.instanceId, f.feed, f.staleAfterSeconds, f.ageSeconds])).toEqual([
      [B, 'current_users', 30, 31],
    ]);
  });

  test('a feed that never succeeded is stale and shows the last run error', async () => {
    const runs = [
      {
        instanceId: A,
        feed: 'historical_metrics' as const,
        lastSuccessAt: null,
        lastSuccessRows: null,
        lastOutcome: 'failed' as const,
        lastError: 'NoQueuesKnownError: no STANDARD queue',
      },
    ];

    const response = await checkDataLoad({ instance: A, feed: 'historical_metrics' }, deps(store(runs)));

    expect(response.statusCode).toBe(503);
    expect(response.body.feeds).toEqual([
      expect.objectContaining({
        feed: 'historical_metrics',
        status: 'stale',
        ageSeconds: null,
        lastError: 'NoQueuesKnownError: no STANDARD queue',
      }),
    ]);
  });

  test('filters on instance and feed and answers only for them', async () => {
    const s = store([{ instanceId: A, feed: 'metadata', lastSuccessAt: null }]);

    const response = await checkDataLoad({ instance: B, feed: 'current_metrics' }, deps(s));

    expect(response.statusCode).toBe(200);
    expect(s.asked).toEqual([[{ instanceId: B, feed: 'current_metrics' }]]);
  });

  test.each([
    [{ feed: 'realtime' }, /feed: expected one of metadata, current_metrics/],
    [{ instance: 'not-a-uuid' }, /instance: expected a Connect instance id/],
    [{ instance: '0000000c-2222-4333-8444-555555555555' }, /not a configured instance/],
    [{ instance: A, verbose: '1' }, /unknown parameter\(s\) verbose/],
  ])('answers 400 with a message for %j', async (query, message) => {
    const s = store();

    const response = await checkDataLoad(query, deps(s));

    expect(response.statusCode).toBe(400);
    expect(response.body.message).toMatch(message);
    expect(s.asked).toEqual([]);
  });

  test('answers 503 naming the error when the database cannot be read', async () => {
    const failing: FreshnessStore = {
      ...store(),
      feedRuns: async () => {
        throw Object.assign(new Error('cluster arn:aws:rds:... is resuming'), {
          name: 'DatabaseResumingException',
        });
      },
    };

    const response = await checkDataLoad(null, deps(failing));

    expect(response.statusCode).toBe(503);
    expect(response.body).toEqual({
      status: 'error',
      checkedAt: NOW.toISOString(),
      message: 'could not read the pipeline database: DatabaseResumingException',
    });
  });
});

describe('closed centres', () => {
  const stopped = FEEDS.map((feed) => ({
    instanceId: A,
    feed,
    lastSuccessAt: secondsAgo(3600),
    lastRunAt: secondsAgo(3600),
  }));

  test('a real-time feed with no recent run is closed, not stale, while its instance was closed all of its window: 200', async () => {
    const s = store(
      stopped.filter((r) => r.feed === 'current_metrics' || r.feed === 'current_users'),
      5,
      { [A]: false, [B]: true },
    );
    const response = await checkDataLoad(null, deps(s));

    expect(response.statusCode).toBe(200);
    expect(response.body.status).toBe('ok');
    const a = response.body.feeds?.filter((f) => f.instanceId === A);
    expect(a?.map((f) => [f.feed, f.status])).toEqual([
      ['metadata', 'ok'],
      ['current_metrics', 'closed'],
      ['current_users', 'closed'],
      ['historical_metrics', 'ok'],
    ]);
    // The window asked about: the real-time staleness (3 x 10 s) and the 15-minute margin either side.
    // Each stale feed's window: from its last success (an hour ago) plus its staleness (3 x 10 s), less
    // the 15-minute margin, to now.
    expect(s.openAsked.filter(([key]) => key.startsWith(A))).toEqual(
      ['current_metrics', 'current_users'].map((f) => [
        `${A} ${f}`,
        new Date(NOW.getTime() - 3_600_000 + 30_000 - 900_000),
        NOW,
      ]),
    );
  });

  test('open, or hours not known: the same stopped feed is stale (503); closed, a scheduled feed is excused for one closed batch only', async () => {
    for (const open of [true, null]) {
      const response = await checkDataLoad(null, deps(store(stopped, 5, { [A]: open })));
      expect(response.statusCode).toBe(503);
      expect(response.body.feeds?.filter((f) => f.instanceId === A).map((f) => f.status)).toEqual([
        'stale',
        'stale',
        'stale',
        'stale',
      ]);
    }
    // Closed, historical and metadata run once per 4-hour batch (poll-gate.ts): an hour old is closed.
    const closed = await checkDataLoad(null, deps(store(stopped, 5, { [A]: false })));
    expect(closed.statusCode).toBe(200);
    expect(closed.body.feeds?.filter((f) => f.instanceId === A).map((f) => f.status)).toEqual([
      'closed',
      'closed',
      'closed',
      'closed',
    ]);
    // Older than a batch and its staleness window (4 h + 3 cadences): the batch runs stopped.
    const beyondBatch = stopped.map((r) => ({ ...r, lastSuccessAt: secondsAgo(5 * 3600) }));
    const late = await checkDataLoad(null, deps(store(beyondBatch, 5, { [A]: false })));
    expect(late.statusCode).toBe(503);
    expect(late.body.feeds?.filter((f) => f.instanceId === A).map((f) => [f.feed, f.status])).toEqual([
      ['metadata', 'stale'],
      ['current_metrics', 'closed'],
      ['current_users', 'closed'],
      ['historical_metrics', 'stale'],
    ]);
    // Polling around the clock (pollByHours false), a scheduled feed is never excused.
    const always = { ...config, openingHours: { ...config.openingHours, pollByHours: false } };
    const alwaysOn = await checkDataLoad(null, {
      ...deps(store(stopped, 5, { [A]: false })),
      config: always,
    });
    expect(
      alwaysOn.body.feeds?.filter((f) => f.instanceId === A && f.status === 'stale').map((f) => f.feed),
    ).toEqual(['metadata', 'historical_metrics']);
  });

  test('a feed that stopped while open stays stale after closing: its instance must be closed all the time it has been stale', async () => {
    // Closed since 40 minutes ago: open in a window that starts before that.
    const closedSince = new Date(NOW.getTime() - 40 * 60_000);
    const open = (instanceId: string, from: Date) => (instanceId === A ? from < closedSince : null);
    // Stopped an hour ago, while open: the real-time feeds (stale since 59.5 minutes, less the margin)
    // and historical (since 45 minutes, less the margin) were stale while open; metadata's 45-minute
    // window ran out 15 minutes ago, less the margin 30: closed all the time since.
    const response = await checkDataLoad(null, deps(store(stopped, 5, open)));
    expect(response.statusCode).toBe(503);
    expect(response.body.feeds?.filter((f) => f.instanceId === A).map((f) => [f.feed, f.status])).toEqual([
      ['metadata', 'closed'],
      ['current_metrics', 'stale'],
      ['current_users', 'stale'],
      ['historical_metrics', 'stale'],
    ]);
    // Stopped 20 minutes ago, after closing: closed.
    const lately = stopped.map((r) => ({ ...r, lastSuccessAt: secondsAgo(20 * 60) }));
    const later = await checkDataLoad(null, deps(store(lately, 5, open)));
    expect(later.statusCode).toBe(200);
    expect(later.body.feeds?.filter((f) => f.instanceId === A).map((f) => [f.feed, f.status])).toEqual([
      ['metadata', 'ok'],
      ['current_metrics', 'closed'],
      ['current_users', 'closed'],
      ['historical_metrics', 'closed'],
    ]);
  });

  test('a real-time feed that never succeeded is stale even while closed, and unreadable hours excuse nothing', async () => {
    const never = ['current_metrics', 'current_users'].map((feed) => ({
      instanceId: A,
      feed: feed as 'current_metrics',
      lastSuccessAt: null,
      lastRunAt: null,
    }));
    const response = await checkDataLoad(null, deps(store(never, 5, { [A]: false })));
    expect(response.statusCode).toBe(503);

    const broken = store(stopped, 5, { [A]: false });
    broken.openDuring = async () => {
      throw new Error('invalid value for parameter "TimeZone"');
    };
    const unreadable = await checkDataLoad(null, deps(broken));
    expect(unreadable.statusCode).toBe(503);
    expect(unreadable.body.feeds?.some((f) => f.status === 'closed')).toBe(false);
  });
});
