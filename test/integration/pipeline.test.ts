import { check, drive } from '../support/drive';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

/** Near the real time, so the views' `now()` windows see the simulated data. */
const startAt = simulationStart();

describe('ten minutes of the whole pipeline on accelerated time', () => {
  let pipeline: TestPipeline;
  let log: Awaited<ReturnType<typeof drive>>;
  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 12,
      agents: 150,
      startAt,
      warmUpMs: 60 * 60_000,
      config: { historicalBackfillHours: 1 },
      label: 'pipeline_it',
    });
    log = await drive(pipeline, 10 * 60_000, { atStart: ['metadata', 'historical_metrics'] });
  });
  afterAll(() => pipeline.close());

  const one = async <T>(sql: string) => (await pipeline.db.query(sql)).rows[0] as T;

  test('every run succeeded on the deployed schedule', () => {
    const byFeed = (feed: string) => log.runs.filter((r) => r.feed === feed);
    expect(byFeed('current_metrics')).toHaveLength(60);
    expect(byFeed('current_users')).toHaveLength(60);
    expect(byFeed('historical_metrics')).toHaveLength(3); // at start, then :01 and :06 past
    const boundaries = (from: number, to: number, step: number) =>
      Math.floor(to / step) - Math.floor(from / step);
    const start = startAt.getTime();
    expect(byFeed('metadata')).toHaveLength(1 + boundaries(start, start + 10 * 60_000, 15 * 60_000));
    expect(log.runs.filter((r) => r.outcome === 'failed')).toEqual([]);
  });

  test('every table has the rows ten minutes should give', async () => {
    const snapshots = await one<{ times: number; per: number; rows: number }>(
      `SELECT count(DISTINCT snapshot_time)::int AS times, count(*)::int AS rows,
              (count(*) / count(DISTINCT snapshot_time))::int AS per FROM queue_realtime_snapshot`,
    );
    expect(snapshots.times).toBe(60);
    expect(snapshots.rows).toBe(snapshots.times * snapshots.per);
    expect(snapshots.per).toBe(12 * 3);
    expect(
      (
        await one<{ n: number }>(
          'SELECT count(DISTINCT snapshot_time)::int AS n FROM agent_realtime_snapshot',
        )
      ).n,
    ).toBe(60);
    for (const table of [
      'agent_status_interval',
      'agent_interval_metrics',
      'queue_interval_service_level',
      'queue',
      'agent',
      'routing_profile',
      'agent_status',
      'connect_instance',
    ]) {
      // One query per table; the table's name is in the failure message.
      const rows = (await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).n;
      expect({ table, hasRows: rows > 0 }).toEqual({ table, hasRows: true });
    }
    const intervals = await one<{ v1: number; v2: number }>(
      `SELECT count(DISTINCT interval_start) FILTER (WHERE interval_minutes = 5)::int AS v1,
              count(DISTINCT interval_start) FILTER (WHERE interval_minutes = 15)::int AS v2 FROM queue_interval_metrics`,
    );
    // the hour of warm-up history and the first ten minutes: 13 five-minute intervals end by 10:05 past
    expect(intervals.v1).toBeGreaterThanOrEqual(12);
    expect(intervals.v2).toBeGreaterThanOrEqual(4);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM collection_watermark')).n).toBe(3);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM collector_run')).n).toBe(
      log.runs.length,
    );
  });

  test('/check answers 200 with every feed ok', async () => {
    const answer = await check(pipeline);
    expect(answer.statusCode).toBe(200);
  });

  test('every v_* view answers with rows (but v_reconciliation, which waits for a whole day to be final)', async () => {
    const views = await pipeline.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.views WHERE table_schema = current_schema() AND table_name LIKE 'v\\_%' ORDER BY 1",
    );
    const empty: string[] = [];
    for (const { name } of views.rows) {
      const { rows } = await pipeline.db.query(`SELECT * FROM ${name} LIMIT 1`);
      if (rows.length === 0) empty.push(name);
    }
    expect(views.rows.length).toBeGreaterThanOrEqual(10);
    // Reconciled days come from test/integration/connect-definitions.test.ts.
    expect(empty).toEqual(['v_reconciliation']);
  });
});
