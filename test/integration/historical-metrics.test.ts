import { Agent } from 'node:http';
import { ConnectClient } from '@aws-sdk/client-connect';
import { V1_METRICS, V2_AGENT_METRICS, V2_QUEUE_METRICS } from '../../lambdas/historical-metrics/definitions';
import { historicalMetrics } from '../../lambdas/historical-metrics/index';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import type { InstanceConfig } from '../../lambdas/shared/config/runtime-config';
import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import {
  FAST_HISTORICAL_QUOTAS,
  LOCAL_CREDENTIALS,
  startTestPipeline,
  type TestPipeline,
  withUnreachableInstance,
} from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

const QUEUES = 250;
const AGENTS = 2500;
const MIN = 60_000;
type Row = Record<string, unknown>;
/** Simulated start T0: today at 10:00 UTC ({@link simulationStart}). */
const T0 = simulationStart().getTime();
/** T0 plus `minutes`. */
const at = (minutes: number) => new Date(T0 + minutes * MIN);
/** A timestamp as the database prints it, to the minute. */
const dbMinute = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

// The simulator computes every GetMetricDataV2 page from its aggregates: at 2,500 agents the backfills
// below cost tens of seconds of CPU, more on a loaded machine.
jest.setTimeout(180_000);

describe('historical-metrics collector against the simulator (250 queues, 2,500 agents, two instances)', () => {
  let pipeline: TestPipeline;
  let first: string;
  let second: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: QUEUES,
      agents: AGENTS,
      instanceCount: 2,
      label: 'historical_it',
      startAt: at(0),
      warmUpMs: 90 * MIN,
      quotas: FAST_HISTORICAL_QUOTAS,
      config: { apiQuotas: FAST_HISTORICAL_QUOTAS, historicalBackfillHours: 1 },
    });
    first = pipeline.simulator.instances[0]!.instanceId;
    second = pipeline.simulator.instances[1]!.instanceId;
    await runCollector(metadata, pipeline.deps());
    pipeline.clock.advance(30_000); // T0 + 30 s
  });
  afterAll(async () => {
    for (const client of clients.values()) client.destroy();
    await pipeline.close();
  });

  /**
   * Real SDK clients on fresh connections: on a loaded machine a reused keep-alive socket that the
   * server has just closed fails with ECONNRESET, which the Connect gateway does not retry yet (a
   * network error, not a throttle or 5xx). The collector copes (the feed stops, the run is partial and
   * the next run carries on), but these tests assert exact runs.
   */
  const clients = new Map<string, ConnectClient>();
  const freshClients = {
    for: (instance: InstanceConfig) => {
      let client = clients.get(instance.instanceId);
      if (!client) {
        client = new ConnectClient({
          region: instance.region,
          endpoint: instance.endpoint,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 1,
          requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
        });
        clients.set(instance.instanceId, client);
      }
      return client;
    },
  };
  /** Three minutes of wall-clock budget: the backfills below are simulator-bound on a loaded machine. */
  const deps = (overrides = {}) =>
    pipeline.deps({ deadlineAt: Date.now() + 180_000, clients: freshClients, ...overrides });
  const run = (instanceIds: string[], overrides = {}) =>
    runCollector(historicalMetrics, deps({ instanceIds, ...overrides }));
  /** Test reads go straight to PostgreSQL: the Data API would refuse answers over 1 MiB. */
  const query = async (sql: string, params = {}) =>
    (await pipeline.schema.executor.query<Row>(sql, params)).rows;
  const count = async (sql: string, params = {}) => Number((await query(sql, params))[0]?.n ?? 0);
  const truth = () => pipeline.simulator.groundTruth;
  const standardQueueIds = (instanceId: string) =>
    truth()
      .resources(instanceId)
      .queues.filter((q) => q.type === 'STANDARD')
      .map((q) => q.id)
      .sort();
  /** Batches of 100 ids in the order the collector reads them (sorted). */
  const batchesOf = (ids: string[]) =>
    Array.from({ length: Math.ceil(ids.length / 100) }, (_, b) => ids.slice(b * 100, b * 100 + 100));
  /** The fewest v1 calls for one 5-minute interval: per 100 queues, their 3 channels' results in pages of 100. */
  const v1CallsPerInterval = batchesOf(Array.from({ length: QUEUES }, String)).reduce(
    (n, batch) => n + Math.ceil((batch.length * 3) / 100),
    0,
  );
  /** The fewest v2 calls for one range: per batch of ids, ceil(results / 100) pages (at least one). */
  async function v2MinimumCalls(instanceId: string, from: Date, to: Date): Promise<number> {
    const queueRows = await query(
      `SELECT queue_id AS id, count(*)::int AS n FROM queue_interval_metrics WHERE instance_id = :instanceId
         AND interval_minutes = 15 AND interval_start >= :from AND interval_start < :to GROUP BY queue_id`,
      { instanceId, from, to },
    );
    const agentRows = await query(
      `SELECT agent_id AS id, count(*)::int AS n FROM agent_interval_metrics WHERE instance_id = :instanceId
         AND interval_start >= :from AND interval_start < :to GROUP BY agent_id`,
      { instanceId, from, to },
    );
    const pages = (ids: string[], rows: Row[]) => {
      const per = new Map(rows.map((r) => [String(r.id), Number(r.n)]));
      return batchesOf(ids).reduce(
        (n, batch) => n + Math.max(1, Math.ceil(batch.reduce((s, id) => s + (per.get(id) ?? 0), 0) / 100)),
        0,
      );
    };
    const agentIds = truth()
      .resources(instanceId)
      .agents.map((a) => a.id)
      .sort();
    return pages(standardQueueIds(instanceId), queueRows) + pages(agentIds, agentRows);
  }

  test('a first run backfills the configured hour of each instance: exactly the ground truth, in the fewest calls', async () => {
    const runs = await run([first, second]);

    const from = at(-60);
    const to = at(0);
    for (const summary of runs) {
      expect(summary).toMatchObject({ outcome: 'succeeded', skipped: [], throttles: 0, dataTime: to });
      expect(summary.apiCalls).toBe(
        12 * v1CallsPerInterval + (await v2MinimumCalls(summary.instanceId, from, to)),
      );
      expect(
        await count(
          `SELECT count(*) AS n FROM queue_interval_metrics WHERE instance_id = :id AND interval_minutes = 5`,
          { id: summary.instanceId },
        ),
      ).toBe(12 * QUEUES * 3);
    }

    const v1 = await query(
      `SELECT * FROM queue_interval_metrics WHERE instance_id = :first AND interval_minutes = 5 ORDER BY interval_start`,
      { first },
    );
    expect(v1).toHaveLength(12 * QUEUES * 3);
    const sl = await query(
      `SELECT queue_id, channel, interval_start, threshold_seconds, service_level_pct FROM queue_interval_service_level
       WHERE instance_id = :first AND interval_minutes = 5`,
      { first },
    );
    const slByKey = new Map(
      sl.map((r) => [
        `${r.queue_id}|${r.channel}|${r.interval_start}|${r.threshold_seconds}`,
        r.service_level_pct,
      ]),
    );
    let nonZero = 0;
    for (const row of v1.slice(-QUEUES * 3)) {
      const start = parseDbTimestamp(row.interval_start).getTime();
      const value = (metric: string, threshold = 0) =>
        truth().historicalV1(
          metric,
          String(row.queue_id),
          row.channel as 'VOICE',
          start,
          start + 5 * MIN,
          threshold,
          first,
        ) ?? null;
      for (const metric of V1_METRICS) {
        if (!metric.column) continue;
        expect([row.queue_id, metric.name, row[metric.column]]).toEqual([
          row.queue_id,
          metric.name,
          value(metric.name),
        ]);
        if (row[metric.column]) nonZero += 1;
      }
      for (const t of [20, 60]) {
        expect(slByKey.get(`${row.queue_id}|${row.channel}|${row.interval_start}|${t}`)).toBe(
          value('SERVICE_LEVEL', t),
        );
      }
    }
    expect(nonZero).toBeGreaterThan(300); // a busy centre: not a comparison of zeros

    const v2 = await query(
      `SELECT * FROM queue_interval_metrics WHERE instance_id = :first AND interval_minutes = 15`,
      { first },
    );
    expect(v2.length).toBeGreaterThan(QUEUES);
    for (const row of v2.filter((_, i) => i % 5 === 0)) {
      const start = parseDbTimestamp(row.interval_start).getTime();
      const value = (metric: string) =>
        truth().historicalV2(
          metric,
          String(row.queue_id),
          row.channel as 'VOICE',
          start,
          start + 15 * MIN,
          0,
          first,
        ) ?? null;
      for (const [metric, column] of Object.entries(V2_QUEUE_METRICS)) {
        expect([row.queue_id, metric, row[column]]).toEqual([row.queue_id, metric, value(metric)]);
      }
      // Answer time weighted by the contacts answered from the queue; AHT by the contacts handled.
      const answered =
        truth().historicalV2(
          'SUM_CONTACTS_ANSWERED_IN_X',
          String(row.queue_id),
          row.channel as 'VOICE',
          start,
          start + 15 * MIN,
          604800,
          first,
        ) ?? null;
      expect(row.contacts_answered_count).toBe(answered);
      const avg = value('AVG_QUEUE_ANSWER_TIME');
      if (avg === null) expect(row.queue_answer_time_sum_seconds).toBeNull();
      else
        expect(Math.abs(Number(row.queue_answer_time_sum_seconds) - avg * Number(answered))).toBeLessThan(
          1e-6,
        );
      const aht = value('AVG_HANDLE_TIME');
      if (aht === null) expect(row.aht_weighted_sum_seconds).toBeNull();
      else
        expect(
          Math.abs(Number(row.aht_weighted_sum_seconds) - aht * Number(row.contacts_handled_count)),
        ).toBeLessThan(1e-6);
    }
    // Every queue x channel with activity in the window is there, and only those.
    let active = 0;
    for (const queueId of standardQueueIds(first)) {
      for (const channel of ['VOICE', 'CHAT', 'TASK'] as const) {
        for (let t = from.getTime(); t < to.getTime(); t += 15 * MIN) {
          if ((truth().historicalV2('CONTACTS_QUEUED', queueId, channel, t, t + 15 * MIN, 0, first) ?? 0) > 0)
            active += 1;
        }
      }
    }
    expect(v2.filter((r) => Number(r.contacts_queued_count) > 0)).toHaveLength(active);

    const agents = await query(`SELECT * FROM agent_interval_metrics WHERE instance_id = :first`, { first });
    expect(agents.length).toBeGreaterThan(AGENTS);
    for (const row of agents.filter((_, i) => i % 17 === 0)) {
      const start = parseDbTimestamp(row.interval_start).getTime();
      for (const [metric, column] of Object.entries(V2_AGENT_METRICS)) {
        const expected =
          truth().agentV2(metric, String(row.agent_id), start, start + 15 * MIN, 0, first) ?? null;
        expect([row.agent_id, metric, row[column]]).toEqual([row.agent_id, metric, expected]);
      }
    }
  });

  test('a repeated run adds no duplicate and only fetches the last intervals once more', async () => {
    const before = await count(
      'SELECT count(*) AS n FROM queue_interval_metrics WHERE instance_id = :first',
      { first },
    );
    pipeline.resetCounters();

    const [summary] = await run([first]);

    expect(summary!.outcome).toBe('succeeded');
    // Reads (watermarks, queue ids, agent ids: one page each here), then one statement per table and the run row.
    expect(pipeline.counters.statements).toBe(3 + 4 + 1);
    expect(
      await count('SELECT count(*) AS n FROM queue_interval_metrics WHERE instance_id = :first', { first }),
    ).toBe(before);
    expect(summary!.details).toMatchObject({
      queue_v1: { refetch: true, ranges: 1 },
      queue_v2: { refetch: true, ranges: 1 },
      agent_v2: { refetch: true, ranges: 1 },
    });
  });

  test('collects the second instance independently, also when the first one fails in the same run', async () => {
    // Budget for what this run does: the second instance's incremental run takes seconds, and the
    // refusing endpoint of the first is retried until the deadline.
    const base = deps({ deadlineAt: Date.now() + 15_000 });
    const failing = withUnreachableInstance(base, first);
    const runs = await runCollector(historicalMetrics, failing.deps);
    failing.close();

    expect(runs.map((r) => [r.instanceId, r.outcome])).toEqual([
      [first, 'failed'],
      [second, 'succeeded'],
    ]);
    const marks = await query(
      `SELECT instance_id, feed, watermark FROM collection_watermark ORDER BY instance_id, feed`,
    );
    expect(marks.map((m) => [m.instance_id, m.feed, String(m.watermark).slice(0, 16)])).toEqual([
      [first, 'agent_v2', dbMinute(at(0))],
      [first, 'queue_v1', dbMinute(at(0))],
      [first, 'queue_v2', dbMinute(at(0))],
      [second, 'agent_v2', dbMinute(at(0))],
      [second, 'queue_v1', dbMinute(at(0))],
      [second, 'queue_v2', dbMinute(at(0))],
    ]);
    expect(
      await count(
        `SELECT count(*) AS n FROM queue_interval_metrics WHERE instance_id = :second AND interval_minutes = 5`,
        { second },
      ),
    ).toBe(12 * QUEUES * 3);
  });

  test('after 3 hours without runs, the next run backfills every missing 5- and 15-minute interval', async () => {
    pipeline.clock.advance(3 * 60 * MIN); // T0 + 3 h 30 s

    const [summary] = await run([first]);

    expect(summary).toMatchObject({ outcome: 'succeeded', skipped: [] });
    expect(summary!.dataTime).toEqual(at(180));
    const starts = async (table: string, minutes: number) =>
      (
        await query(
          `SELECT interval_start, count(*)::int AS n FROM ${table} WHERE instance_id = :first AND interval_minutes = :minutes
           GROUP BY interval_start ORDER BY interval_start`,
          { first, minutes },
        )
      ).map((r) => [parseDbTimestamp(r.interval_start).getTime(), Number(r.n)] as const);
    const v1 = await starts('queue_interval_metrics', 5);
    expect(v1).toHaveLength(4 * 12);
    v1.forEach(([start, n], i) => {
      expect(start).toBe(at(-60).getTime() + i * 5 * MIN);
      expect(n).toBe(QUEUES * 3);
    });
    for (const table of ['queue_interval_metrics', 'agent_interval_metrics']) {
      const v2 = await starts(table, 15);
      expect(v2.map(([start]) => start)).toEqual(
        Array.from({ length: 16 }, (_, i) => at(-60).getTime() + i * 15 * MIN),
      );
    }
    const from = at(-15); // the late-data re-fetch, then 12 new intervals
    const to = at(180);
    expect(summary!.apiCalls).toBe((1 + 36) * v1CallsPerInterval + (await v2MinimumCalls(first, from, to)));
  });

  test('throttled calls are retried and counted, and the data still lands whole', async () => {
    pipeline.clock.advance(5 * MIN); // T0 + 3 h 5 min 30 s
    pipeline.simulator.faults.set({ throttleRate: 0.3 });

    const [summary] = await run([first], { sleep: async () => undefined });
    pipeline.simulator.faults.clear();

    expect(summary!.outcome).toBe('succeeded');
    expect(summary!.throttles).toBeGreaterThan(0);
    expect(
      await count(
        `SELECT count(*) AS n FROM queue_interval_metrics WHERE instance_id = :first AND interval_minutes = 5
         AND interval_start = :start`,
        { first, start: at(180) },
      ),
    ).toBe(QUEUES * 3);
  });
});
