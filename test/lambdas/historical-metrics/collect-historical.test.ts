import { ConnectClient } from '@aws-sdk/client-connect';
import {
  callsPerInterval,
  collectHistorical,
  type HistoricalDeps,
} from '../../../lambdas/historical-metrics/collect-historical';
import type {
  AgentInterval,
  HistoricalSource,
  QueueInterval,
} from '../../../lambdas/historical-metrics/historical-source';
import type { TimeRange } from '../../../lambdas/historical-metrics/interval-plan';
import {
  loadMigrations,
  REPOSITORY_MIGRATIONS_DIR,
  runMigrations,
} from '../../../lambdas/migrate/migrations';
import { runCollector } from '../../../lambdas/shared/collector/run';
import { parseRuntimeConfig } from '../../../lambdas/shared/config/runtime-config';
import { RateLimiters } from '../../../lambdas/shared/connect/rate-limiter';
import { silentLog } from '../../../lambdas/shared/runtime/logger';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

const MIN = 60_000;

function instance(n: number) {
  const id = `0000000${n}-2222-4333-8444-555555555555`;
  return {
    instanceId: id,
    instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${id}`,
    region: 'us-east-1',
    clientName: `client-${n}`,
    environment: 'test',
  };
}

/** A Connect stand-in: one record per id and interval of the range, and a log of the ranges asked. */
function fakeSource(options: { failV2After?: number; onFetch?: () => void } = {}) {
  const asked: { feed: string; range: TimeRange }[] = [];
  const slice = (range: TimeRange, minutes: number) => {
    const out: { start: Date; end: Date }[] = [];
    for (let t = range.start.getTime(); t < range.end.getTime(); t += minutes * MIN) {
      out.push({ start: new Date(t), end: new Date(t + minutes * MIN) });
    }
    return out;
  };
  const queues = (range: TimeRange, ids: readonly string[], minutes: 5 | 15): QueueInterval[] =>
    slice(range, minutes).flatMap((i) =>
      ids.map((queueId) => ({
        queueId,
        channel: 'VOICE',
        intervalStart: i.start,
        intervalEnd: i.end,
        intervalMinutes: minutes,
        metrics: { contacts_handled_count: 1 },
        serviceLevels: [],
      })),
    );
  let v2Calls = 0;
  const source: HistoricalSource = {
    async queueV1(range, ids) {
      asked.push({ feed: 'queue_v1', range });
      options.onFetch?.();
      return { records: queues(range, ids, 5), skipped: [] };
    },
    async queueV2(range, ids) {
      asked.push({ feed: 'queue_v2', range });
      options.onFetch?.();
      v2Calls += 1;
      if (options.failV2After !== undefined && v2Calls > options.failV2After)
        throw new Error('AccessDeniedException');
      return {
        records: queues(range, ids, 15),
        skipped: [{ record: 'queue_v2[7]', reason: 'Dimensions: QUEUE and CHANNEL expected' }],
      };
    },
    async agentV2(range, ids) {
      asked.push({ feed: 'agent_v2', range });
      options.onFetch?.();
      const records: AgentInterval[] = slice(range, 15).flatMap((i) =>
        ids.map((agentId) => ({ agentId, intervalStart: i.start, intervalEnd: i.end, metrics: {} })),
      );
      return { records, skipped: [] };
    },
  };
  return { source, asked };
}

describe.each(databaseTargets())('collectHistorical on $name', ({ url }) => {
  let db: TestSchema;
  const config = parseRuntimeConfig({
    instances: [instance(1), instance(2), instance(3)],
    historicalBackfillHours: 6,
  });

  beforeAll(async () => {
    db = await createTestSchema(url, 'collect_historical');
    await runMigrations(db.executor, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
    for (const n of [1, 2]) {
      const id = instance(n).instanceId;
      await db.executor.query(
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at)
         SELECT :id, 'q-' || g, 'arn:q' || g, 'STANDARD', now(), now() FROM generate_series(1, 3) g`,
        { id },
      );
      await db.executor.query(
        `INSERT INTO agent (instance_id, agent_id, agent_arn, first_seen_at, last_seen_at)
         SELECT :id, 'a-' || g, 'arn:a' || g, now(), now() FROM generate_series(1, 2) g`,
        { id },
      );
    }
  });
  afterAll(() => db.drop());

  function run(instanceNumber: number, at: Date, deps: HistoricalDeps, deadlineMs = 60_000, now = () => at) {
    return runCollector('historical_metrics', (context) => collectHistorical(context, deps), {
      config,
      db: db.executor,
      clients: {
        for: () =>
          new ConnectClient({
            region: 'us-east-1',
            credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
          }),
      },
      limiters: new RateLimiters(config),
      log: silentLog,
      now,
      // The test's clock plays both data time and elapsed time, so a slow fetch can be simulated.
      clock: () => now().getTime(),
      deadlineAt: at.getTime() + deadlineMs,
      instanceIds: [instance(instanceNumber).instanceId],
    });
  }

  async function intervalStarts(instanceId: string, minutes: number): Promise<string[]> {
    const { rows } = await db.executor.query(
      `SELECT DISTINCT interval_start FROM queue_interval_metrics
       WHERE instance_id = :instanceId AND interval_minutes = :minutes ORDER BY 1`,
      { instanceId, minutes },
    );
    return rows.map((r) => String(r.interval_start));
  }

  test('a first run backfills the configured hours; three hours later the next run fills every gap once', async () => {
    const id = instance(1).instanceId;
    const { source, asked } = fakeSource();
    const deps = { source, callsPerSecond: () => 1_000 };

    const [first] = await run(1, new Date('2026-11-23T06:02:00Z'), deps);
    const [second] = await run(1, new Date('2026-11-23T09:03:00Z'), deps);

    expect(first?.outcome).toBe('partial'); // the fake's v2 answer carries one malformed record
    expect(second?.error).toBeNull();
    const v1 = await intervalStarts(id, 5);
    expect(v1).toHaveLength((9 * 60) / 5);
    expect(v1[0]).toMatch(/^2026-11-23 00:00:00/);
    expect(v1.at(-1)).toMatch(/^2026-11-23 08:55:00/);
    const v2 = await intervalStarts(id, 15);
    expect(v2).toHaveLength((9 * 60) / 15);
    expect(v2.at(-1)).toMatch(/^2026-11-23 08:45:00/);
    // The second run starts one interval before its watermark only if that one was fetched too early.
    const secondV1 = asked.filter((a) => a.feed === 'queue_v1').slice(72);
    expect(secondV1[0]?.range.start).toEqual(new Date('2026-11-23T05:55:00Z'));
    expect(secondV1).toHaveLength(37);
    const { rows } = await db.executor.query(
      `SELECT feed, watermark FROM collection_watermark WHERE instance_id = :id ORDER BY feed`,
      { id },
    );
    expect(rows.map((r) => [r.feed, String(r.watermark).slice(0, 19)])).toEqual([
      ['agent_v2', '2026-11-23 09:00:00'],
      ['queue_v1', '2026-11-23 09:00:00'],
      ['queue_v2', '2026-11-23 09:00:00'],
    ]);
    expect(second?.rowsWritten).toBe(37 * 3 + 13 * 3 + 13 * 2);
    expect(second?.dataTime).toEqual(new Date('2026-11-23T09:00:00Z'));
  });

  test('a run repeated at the same time writes no duplicate and fetches nothing new', async () => {
    const id = instance(1).instanceId;
    const before = await db.executor.query(
      'SELECT count(*)::int AS n FROM queue_interval_metrics WHERE instance_id = :id',
      { id },
    );
    const { source, asked } = fakeSource();

    await run(1, new Date('2026-11-23T09:04:00Z'), { source, callsPerSecond: () => 1_000 });

    const after = await db.executor.query(
      'SELECT count(*)::int AS n FROM queue_interval_metrics WHERE instance_id = :id',
      { id },
    );
    expect(after.rows).toEqual(before.rows);
    // Only the late-data re-fetch of the last 5-minute interval (written at 09:03, 3 minutes after it ended).
    expect(asked.map((a) => `${a.feed} ${a.range.start.toISOString()}`)).toEqual([
      'queue_v1 2026-11-23T08:55:00.000Z',
      'queue_v2 2026-11-23T08:45:00.000Z',
      'agent_v2 2026-11-23T08:45:00.000Z',
    ]);
  });

  test('a failing v2 range stops that feed there: what came before lands, the watermark stops at it, the run is partial', async () => {
    const id = instance(2).instanceId;
    const { source } = fakeSource({ failV2After: 1 });

    const [summary] = await run(2, new Date('2026-11-23T06:02:00Z'), {
      source,
      callsPerSecond: () => 0.1, // a slow API: one v2 interval a range
    });

    expect(summary?.outcome).toBe('partial');
    expect(summary?.skipped?.map((s) => s.record)).toContain('queue_v2 fetch');
    expect(await intervalStarts(id, 5)).toHaveLength(72);
    const { rows } = await db.executor.query(
      `SELECT watermark FROM collection_watermark WHERE instance_id = :id AND feed = 'queue_v2'`,
      { id },
    );
    expect(String(rows[0]?.watermark)).toMatch(/^2026-11-23 00:15:00/);
  });

  test('fetching stops when the run has used its share of the time, and the next run carries on from there', async () => {
    const id = instance(2).instanceId;
    await db.executor.query('DELETE FROM collection_watermark WHERE instance_id = :id', { id });
    await db.executor.query('DELETE FROM queue_interval_metrics WHERE instance_id = :id', { id });
    let clock = new Date('2026-11-23T12:00:00Z').getTime();
    const { source } = fakeSource({ onFetch: () => (clock += 1_000) });
    const deps = { source, callsPerSecond: () => 1_000, fetchShare: 0.5 };

    const [firstRun] = await run(2, new Date(clock), deps, 20_000, () => new Date(clock));
    const afterFirst = await intervalStarts(id, 5);
    clock = new Date('2026-11-23T12:01:00Z').getTime();
    await run(2, new Date(clock), deps, 20_000, () => new Date(clock));
    const afterSecond = await intervalStarts(id, 5);

    expect(firstRun?.details).toMatchObject({ queue_v1: { stoppedEarly: true } });
    expect(afterFirst.length).toBeGreaterThan(0);
    expect(afterFirst.length).toBeLessThan(72);
    expect(afterSecond.length).toBeGreaterThan(afterFirst.length);
    expect(afterSecond.slice(0, afterFirst.length)).toEqual(afterFirst);
    expect(afterSecond[0]).toMatch(/^2026-11-23 06:00:00/);
  });

  test('an instance whose queues are not known yet fails with a message naming the metadata collector', async () => {
    const { source } = fakeSource();

    const [summary] = await run(3, new Date('2026-11-23T06:02:00Z'), { source });

    expect(summary?.outcome).toBe('failed');
    expect(summary?.error).toMatch(/NoQueuesKnownError: .*metadata collector/);
  });
});

describe('callsPerInterval', () => {
  test('counts batches of 100 ids and pages of 100 results', () => {
    expect(callsPerInterval('agent_v2', 2_500)).toBe(25);
    expect(callsPerInterval('queue_v2', 250)).toBe(4 + 4 + 2);
    expect(callsPerInterval('queue_v1', 0)).toBe(0);
  });
});
