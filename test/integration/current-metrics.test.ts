import { CURRENT_METRICS, REALTIME_CHANNELS } from '../../lambdas/current-metrics/definitions';
import { currentMetrics } from '../../lambdas/current-metrics/index';
import { readLatestSnapshots } from '../../lambdas/current-metrics/store';
import { localRunBudgetMs } from '../../lambdas/feeds';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { writeBatch } from '../../lambdas/shared/db/batch';
import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import { startTestPipeline, type TestPipeline, withUnreachableInstance } from '../support/pipeline';

const QUEUES = 250;
/**
 * A large budget, in the simulator and in config, so the file stays fast: the rate limiter is tested on
 * its own, and here the call counts prove the collector makes the fewest calls the API allows.
 */
const FAST = Object.fromEntries(
  (
    ['GetCurrentMetricData', 'ListQueues', 'ListRoutingProfiles', 'ListAgentStatuses', 'ListUsers'] as const
  ).map((api) => [api, { rate: 200, burst: 200 }]),
);

describe('current-metrics collector against the simulator (250 queues, 2,500 agents, two instances)', () => {
  let pipeline: TestPipeline;
  let first: string;
  let second: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: QUEUES,
      agents: 2500,
      instanceCount: 2,
      label: 'current_metrics_it',
      warmUpMs: 15 * 60_000,
      quotas: FAST,
      config: { apiQuotas: FAST },
    });
    first = pipeline.simulator.instances[0]!.instanceId;
    second = pipeline.simulator.instances[1]!.instanceId;
  });
  afterAll(() => pipeline.close());

  const count = async (sql: string, params = {}) =>
    Number((await pipeline.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);
  const standardQueues = (instanceId: string) =>
    pipeline.simulator.groundTruth.resources(instanceId).queues.filter((q) => q.type === 'STANDARD');
  /** The fewest GetCurrentMetricData calls: per batch of 100 queues, ceil(queues x 3 channels / 100) pages. */
  const minimumCalls = (queues: number) => {
    let calls = 0;
    for (let left = queues; left > 0; left -= 100) calls += Math.ceil((Math.min(100, left) * 3) / 100);
    return calls;
  };

  /**
   * What the metadata collector would write for the queues (its own integration test covers that):
   * every queue of each instance, names and types from the ground truth, in one statement.
   */
  async function fillQueueTable() {
    for (const instanceId of [first, second]) {
      const rows = pipeline.simulator.groundTruth
        .resources(instanceId)
        .queues.map((q) => ({ id: q.id, name: q.name, type: q.type }));
      await writeBatch(
        pipeline.db,
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
         SELECT :instanceId, r.id, 'arn:' || r.id, r.name, r.type, now(), now()
         FROM jsonb_to_recordset(:rows::jsonb) AS r(id text, name text, type text)`,
        rows,
        { params: { instanceId } },
      );
    }
  }

  test('before metadata has run, lists the queues itself and still collects every queue and channel', async () => {
    const [run] = await runCollector(currentMetrics, pipeline.deps({ instanceIds: [first] }));

    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: QUEUES * 3, throttles: 0 });
    expect(run!.apiCalls).toBe(1 + minimumCalls(QUEUES)); // one ListQueues page (250 STANDARD queues)
    expect(run!.details).toMatchObject({ queueSource: 'ListQueues', queues: QUEUES });
  });

  test('writes exactly the ground truth for every queue and channel of each instance, in minimal calls', async () => {
    await fillQueueTable();
    pipeline.clock.advance(10_000);
    pipeline.resetCounters();

    const runs = await runCollector(currentMetrics, pipeline.deps());

    expect(runs.map((r) => [r.outcome, r.rowsWritten, r.apiCalls, r.throttles])).toEqual([
      ['succeeded', QUEUES * 3, minimumCalls(QUEUES), 0],
      ['succeeded', QUEUES * 3, minimumCalls(QUEUES), 0],
    ]);
    // Per instance: read the queue list, write the snapshot, write the run row.
    expect(pipeline.counters.statements).toBe(2 * 3);
    const snapshotTime = new Date(Math.floor(pipeline.simulator.groundTruth.now(first) / 1000) * 1000);
    let nonZero = 0;
    for (const instanceId of [first, second]) {
      const rows = await readLatestSnapshots(pipeline.db, [instanceId]);
      expect(rows).toHaveLength(standardQueues(instanceId).length * REALTIME_CHANNELS.length);
      for (const row of rows) {
        expect(row.snapshotTime).toEqual(snapshotTime);
        const truth = pipeline.simulator.groundTruth.currentMetrics(
          row.queueId,
          row.channel as 'VOICE',
          instanceId,
        );
        for (const metric of CURRENT_METRICS) {
          const expected = truth[metric.name] ?? null;
          expect([row.queueId, row.channel, metric.name, row.values[metric.name]]).toEqual([
            row.queueId,
            row.channel,
            metric.name,
            metric.kind === 'count' && expected !== null ? Math.round(expected) : expected,
          ]);
          if (row.values[metric.name]) nonZero += 1;
        }
      }
    }
    expect(nonZero).toBeGreaterThan(100); // the centre is busy: the comparison is not of zeros
    const names = await count(
      `SELECT count(*) AS n FROM v_queue_realtime_latest WHERE instance_id = :first AND queue_name IS NOT NULL`,
      { first },
    );
    expect(names).toBe(QUEUES * 3);
  });

  test('a repeated run of the same snapshot adds no rows', async () => {
    const before = await count('SELECT count(*) AS n FROM queue_realtime_snapshot');

    const [run] = await runCollector(currentMetrics, pipeline.deps({ instanceIds: [first] }));

    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: 0 });
    expect(await count('SELECT count(*) AS n FROM queue_realtime_snapshot')).toBe(before);
  });

  test('retries throttled calls within the run, counts them, and still writes every queue and channel', async () => {
    pipeline.clock.advance(10_000);
    pipeline.simulator.faults.set({ throttleRate: 0.2 });

    const [run] = await runCollector(currentMetrics, pipeline.deps({ instanceIds: [first] }));
    pipeline.simulator.faults.clear();

    expect(run?.error).toBeNull();
    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: QUEUES * 3 });
    expect(run!.throttles).toBeGreaterThan(0);
    const listing = run!.details?.queueSource === 'ListQueues' ? 1 : 0; // when run on its own, before the queue table is filled
    expect(run!.apiCalls).toBe(listing + minimumCalls(QUEUES) + run!.throttles);
  });

  test('collects the second instance independently when the first one fails in the same run', async () => {
    pipeline.clock.advance(10_000);
    const before = await count(
      'SELECT count(*) AS n FROM queue_realtime_snapshot WHERE instance_id = :second',
      {
        second,
      },
    );
    // One tick's budget, as the loop gives a run: the refusing endpoint is retried until it ends.
    const deps = pipeline.deps({
      deadlineAt: Date.now() + localRunBudgetMs('current_metrics', pipeline.config.cadences),
    });
    // The first instance's Connect endpoint refuses connections; the second one is the simulator.
    const failing = withUnreachableInstance(deps, first);
    const runs = await runCollector(currentMetrics, failing.deps);
    failing.close();

    expect(runs.map((r) => [r.instanceId, r.outcome])).toEqual([
      [first, 'failed'],
      [second, 'succeeded'],
    ]);
    expect(runs[1]!.rowsWritten).toBe(QUEUES * 3);
    expect(
      await count('SELECT count(*) AS n FROM queue_realtime_snapshot WHERE instance_id = :second', {
        second,
      }),
    ).toBe(before + QUEUES * 3);
    const failed = await pipeline.db.query<{ outcome: string; error_text: string | null }>(
      `SELECT outcome, error_text FROM collector_run WHERE instance_id = :first AND feed = 'current_metrics'
       ORDER BY started_at DESC LIMIT 1`,
      { first },
    );
    expect(failed.rows[0]?.outcome).toBe('failed');
    expect(failed.rows[0]?.error_text).toBeTruthy();
  });

  test('keeps the nulls of a malformed answer as nulls and skips unknown metrics, recording the run as partial', async () => {
    pipeline.clock.advance(10_000);
    pipeline.simulator.faults.set({ malformed: { nullValues: 0.2, unknownMetricNames: true } });

    const [run] = await runCollector(currentMetrics, pipeline.deps({ instanceIds: [first] }));
    pipeline.simulator.faults.clear();

    expect(run!.outcome).toBe('partial');
    expect(run!.rowsWritten).toBe(QUEUES * 3);
    expect(run!.skipped).toHaveLength(QUEUES * 3); // one unknown metric per result
    expect(run!.skipped![0]?.reason).toContain('SIMULATOR_FUTURE_METRIC');
    const rows = await readLatestSnapshots(pipeline.db, [first]);
    let nulls = 0;
    for (const row of rows) {
      const truth = pipeline.simulator.groundTruth.currentMetrics(row.queueId, row.channel as 'VOICE', first);
      for (const metric of CURRENT_METRICS) {
        const value = row.values[metric.name];
        if (value === null) nulls += 1;
        else expect(value).toBe(Math.round(truth[metric.name] ?? Number.NaN));
      }
    }
    expect(nulls).toBeGreaterThan(rows.length * 14 * 0.1);
    const stored = await pipeline.db.query<{ skipped_records: number; outcome: string; data_time: string }>(
      `SELECT skipped_records, outcome, data_time FROM collector_run
       WHERE instance_id = :first AND feed = 'current_metrics' ORDER BY started_at DESC LIMIT 1`,
      { first },
    );
    expect(stored.rows[0]).toMatchObject({ skipped_records: QUEUES * 3, outcome: 'partial' });
    expect(parseDbTimestamp(stored.rows[0]?.data_time)).toEqual(rows[0]?.snapshotTime);
  });
});
