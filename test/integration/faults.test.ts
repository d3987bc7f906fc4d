import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import { check, drive } from '../support/drive';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

const FIVE_MINUTES = 5 * 60_000;

describe('a throttling storm: half the Connect calls throttled for two minutes', () => {
  let pipeline: TestPipeline;
  const statuses: { at: number; status: number }[] = [];
  let stormFrom = 0;
  let stormTo = 0;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 8,
      agents: 80,
      startAt: simulationStart(),
      warmUpMs: 30 * 60_000,
      // stale after one missed tick, so the storm's gaps show on /check
      config: { historicalBackfillHours: 1, staleAfterCadences: 1 },
      label: 'storm_it',
    });
    await drive(pipeline, 3 * 60_000, { atStart: ['metadata', 'historical_metrics'] });
    stormFrom = pipeline.clock.now();
    stormTo = stormFrom + 2 * 60_000;
    pipeline.simulator.faults.set({ throttleRate: 0.5 });
    await drive(pipeline, 2 * 60_000, {
      // a real-time run has until its next tick; on accelerated time that is "no time for retries"
      deps: (feed) =>
        feed === 'current_metrics' || feed === 'current_users' ? { deadlineAt: Date.now() } : {},
      afterTick: async (at) => {
        statuses.push({ at, status: (await check(pipeline, { feed: 'current_users' })).statusCode });
      },
    });
    pipeline.simulator.faults.set({ throttleRate: 0 });
    // long enough for two historical runs after the storm
    await drive(pipeline, 7 * 60_000, {
      afterTick: async (at) => {
        statuses.push({ at, status: (await check(pipeline)).statusCode });
      },
    });
  }, 300_000);
  afterAll(() => pipeline.close());

  test('nothing crashed and the gaps are visible in collector_run, with the throttling named', async () => {
    const { rows } = await pipeline.db.query<{
      feed: string;
      failed: number;
      throttles: number;
      error: string | null;
    }>(
      `SELECT feed, count(*) FILTER (WHERE outcome = 'failed')::int AS failed, sum(throttles)::int AS throttles,
              max(error_text) AS error
       FROM collector_run WHERE started_at >= :from AND started_at < :to GROUP BY feed`,
      { from: new Date(stormFrom), to: new Date(stormTo) },
    );
    const users = rows.find((r) => r.feed === 'current_users');
    expect(users?.failed).toBeGreaterThan(0);
    expect(users?.error).toMatch(/Throttling/);
  });

  test('/check answered 503 during the storm and 200 once it was over', () => {
    expect(statuses.filter((s) => s.at <= stormTo).some((s) => s.status === 503)).toBe(true);
    expect(statuses.at(-1)?.status).toBe(200);
  });

  test('historical data is complete afterwards: no 5-minute interval missing from the backfill window', async () => {
    const { rows } = await pipeline.db.query<{ interval_start: string }>(
      'SELECT DISTINCT interval_start FROM queue_interval_metrics WHERE interval_minutes = 5 ORDER BY 1',
    );
    const starts = rows.map((r) => parseDbTimestamp(r.interval_start).getTime());
    const lastComplete =
      Math.floor((pipeline.clock.now() - 60_000) / FIVE_MINUTES) * FIVE_MINUTES - FIVE_MINUTES;
    const expected: number[] = [];
    for (let t = starts[0]!; t <= lastComplete; t += FIVE_MINUTES) expected.push(t);
    expect(starts.filter((t) => t <= lastComplete)).toEqual(expected);
    expect(starts[0]).toBeLessThanOrEqual(stormFrom - 30 * 60_000 + FIVE_MINUTES);
  });
});

describe('malformed but parseable Connect answers', () => {
  let pipeline: TestPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 40,
      startAt: simulationStart(),
      label: 'malformed_it',
    });
    pipeline.simulator.faults.set({
      malformed: {
        nullValues: 0.2,
        missingOptionalFields: true,
        unknownMetricNames: true,
        longNonAsciiNames: true,
      },
    });
    await drive(pipeline, 60_000, { atStart: ['metadata'], skip: ['historical_metrics'] });
  });
  afterAll(() => pipeline.close());

  test('no run fails and every feed writes its rows', async () => {
    const { rows } = await pipeline.db.query<{ feed: string; failed: number; rows: number }>(
      `SELECT feed, count(*) FILTER (WHERE outcome = 'failed')::int AS failed, sum(rows_written)::int AS rows
       FROM collector_run GROUP BY feed ORDER BY feed`,
    );
    expect(rows.map((r) => [r.feed, r.failed])).toEqual([
      ['current_metrics', 0],
      ['current_users', 0],
      ['metadata', 0],
    ]);
    for (const r of rows) expect(r.rows).toBeGreaterThan(0);
  });

  test('null metric values are stored as NULL, never 0', async () => {
    const { rows } = await pipeline.db.query<{ nulls: number }>(
      'SELECT count(*) FILTER (WHERE agents_online_count IS NULL)::int AS nulls FROM queue_realtime_snapshot',
    );
    expect(rows[0]?.nulls).toBeGreaterThan(0);
  });

  test('very long non-ASCII names are stored whole', async () => {
    const { rows } = await pipeline.db.query<{ queue_name: string }>(
      "SELECT queue_name FROM queue WHERE queue_type = 'STANDARD' ORDER BY queue_id LIMIT 1",
    );
    expect(rows[0]?.queue_name).toContain('客服センター');
    expect(rows[0]?.queue_name).toMatch(/(Ünïcödé 客服センター Ωμέγα ☎️ ){12}$/);
  });

  test('what could not be used is recorded in the run, not silently dropped', async () => {
    const { rows } = await pipeline.db.query<{ details: string | null; skipped: number }>(
      "SELECT details, skipped_records AS skipped FROM collector_run WHERE feed = 'current_metrics' ORDER BY started_at LIMIT 1",
    );
    expect(rows[0]?.details ?? '').toMatch(/SIMULATOR_FUTURE_METRIC/);
  });
});
