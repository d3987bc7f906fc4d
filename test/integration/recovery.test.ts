import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import { drive } from '../support/drive';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

/** One fake clock for the Data API's fault window and the executor's backoff. */
function fakeClock() {
  let now = Date.now();
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('the database resuming for 30 seconds (DatabaseResumingException)', () => {
  let pipeline: TestPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 40,
      startAt: simulationStart(),
      dataApiClock: fakeClock(),
      label: 'resume_it',
    });
    await drive(pipeline, 60_000, { atStart: ['metadata'], skip: ['historical_metrics'] });
    pipeline.dataApi.faults.resumingFor(30_000);
    await drive(pipeline, 60_000, { skip: ['historical_metrics'] });
  }, 180_000);
  afterAll(() => pipeline.close());

  test('every write was retried until the database was back: no run failed and no snapshot is missing', async () => {
    expect(pipeline.dataApi.faults.injected).toBeGreaterThan(0);
    const runs = await pipeline.db.query<{ failed: number }>(
      "SELECT count(*) FILTER (WHERE outcome = 'failed')::int AS failed FROM collector_run",
    );
    expect(runs.rows[0]?.failed).toBe(0);
    const snapshots = await pipeline.db.query<{ n: number }>(
      'SELECT count(DISTINCT snapshot_time)::int AS n FROM queue_realtime_snapshot',
    );
    expect(snapshots.rows[0]?.n).toBe(12);
  });

  test('each snapshot landed once', async () => {
    const { rows } = await pipeline.db.query<{ per: number }>(
      'SELECT DISTINCT count(*)::int AS per FROM queue_realtime_snapshot GROUP BY snapshot_time',
    );
    expect(rows).toEqual([{ per: 6 * 3 }]);
  });
});

describe('the pipeline stopped for six hours, then restarted', () => {
  let pipeline: TestPipeline;
  let gapFrom = 0;
  let gapTo = 0;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 40,
      startAt: simulationStart(2), // 8 hours before the usual 10:00
      warmUpMs: 60 * 60_000,
      config: { historicalBackfillHours: 1 },
      label: 'gap_it',
    });
    await drive(pipeline, 20 * 60_000, {
      atStart: ['metadata', 'historical_metrics'],
      skip: ['current_users'],
    });
    gapFrom = pipeline.clock.now();
    pipeline.clock.advance(6 * 3_600_000); // nothing runs for six hours of contact-centre time
    gapTo = pipeline.clock.now();
    await drive(pipeline, 20 * 60_000, { skip: ['current_users'] });
  }, 300_000);
  afterAll(() => pipeline.close());

  const starts = async (minutes: number, table = 'queue_interval_metrics') =>
    (
      await pipeline.db.query<{ s: string }>(
        `SELECT DISTINCT interval_start AS s FROM ${table} WHERE interval_minutes = :minutes ORDER BY 1`,
        { minutes },
      )
    ).rows.map((r) => parseDbTimestamp(r.s).getTime());

  const contiguous = (times: number[], step: number) =>
    times.every((t, i) => i === 0 || t - times[i - 1]! === step);

  test('every 5-minute and 15-minute interval of the gap was backfilled, queue and agent', async () => {
    for (const [minutes, table] of [
      [5, 'queue_interval_metrics'],
      [15, 'queue_interval_metrics'],
      [15, 'agent_interval_metrics'],
    ] as const) {
      const times = await starts(minutes, table);
      expect({ table, minutes, contiguous: contiguous(times, minutes * 60_000) }).toEqual({
        table,
        minutes,
        contiguous: true,
      });
      expect(times[0]!).toBeLessThan(gapFrom);
      // caught up past the gap: the last interval ends after the pipeline came back
      expect(times.at(-1)! + minutes * 60_000).toBeGreaterThan(gapTo);
    }
  });

  test('nothing was written twice', async () => {
    const { rows } = await pipeline.db.query<{ n: number; keys: number }>(
      `SELECT count(*)::int AS n,
              count(DISTINCT (instance_id, queue_id, channel, interval_start, interval_minutes))::int AS keys
       FROM queue_interval_metrics`,
    );
    expect(rows[0]?.n).toBe(rows[0]?.keys);
  });

  test('the real-time gap stays a gap: no snapshot was invented for the stopped hours', async () => {
    const { rows } = await pipeline.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM queue_realtime_snapshot WHERE snapshot_time > :from AND snapshot_time < :to',
      { from: new Date(gapFrom), to: new Date(gapTo) },
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe('two runners on one database at once (overlapping executions)', () => {
  let pipeline: TestPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 40,
      startAt: simulationStart(),
      warmUpMs: 30 * 60_000,
      config: { historicalBackfillHours: 1 },
      label: 'overlap_it',
    });
  }, 60_000);
  afterAll(() => pipeline.close());

  test('the same ticks run twice, concurrently, give no errors and no duplicates', async () => {
    const [a, b] = await Promise.all([
      drive(pipeline, 0, { atStart: ['metadata', 'current_metrics', 'current_users', 'historical_metrics'] }),
      drive(pipeline, 0, { atStart: ['metadata', 'current_metrics', 'current_users', 'historical_metrics'] }),
    ]);
    expect([...a.runs, ...b.runs].filter((r) => r.outcome === 'failed')).toEqual([]);
    for (const [table, key] of [
      ['queue_realtime_snapshot', 'instance_id, queue_id, channel, snapshot_time'],
      ['agent_realtime_snapshot', 'instance_id, agent_id, snapshot_time'],
      ['agent_status_interval', 'instance_id, agent_id, started_at'],
      ['queue_interval_metrics', 'instance_id, queue_id, channel, interval_start, interval_minutes'],
    ] as const) {
      const { rows } = await pipeline.db.query<{ n: number; keys: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT (${key}))::int AS keys FROM ${table}`,
      );
      expect({ table, rows: rows[0]?.n }).toEqual({ table, rows: rows[0]?.keys });
      expect(rows[0]?.n).toBeGreaterThan(0);
    }
  });
});
