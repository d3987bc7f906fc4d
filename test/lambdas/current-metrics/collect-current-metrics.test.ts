import {
  ConnectClient,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataCommandInput,
  ListQueuesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import {
  collectCurrentMetrics,
  currentMetricsCollector,
  truncateToSecond,
} from '../../../lambdas/current-metrics/collect-current-metrics';
import { emptyMetricValues } from '../../../lambdas/current-metrics/current-metric-definitions';
import type {
  CurrentMetricsSource,
  QueueMetricsSnapshot,
} from '../../../lambdas/current-metrics/current-metrics-source';
import {
  loadMigrations,
  REPOSITORY_MIGRATIONS_DIR,
  runMigrations,
} from '../../../lambdas/migrate/migrations';
import { runCollector } from '../../../lambdas/shared/collector/run';
import { formatDbTimestamp } from '../../../lambdas/shared/db/executor';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';
import {
  collectorDeps,
  INSTANCE_ID,
  recordingExecutor,
  tablesWritten,
  testContext,
} from './collector-harness';
import { offlineConnectClient, page } from './connect-fakes';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const SNAPSHOT = new Date('2026-11-23T04:00:09.000Z');
const connect = mockClient(ConnectClient);

/** A source that returns a fixed snapshot and remembers which queues it was asked for. */
function fakeSource(snapshot: Partial<QueueMetricsSnapshot>, listed: string[] = []) {
  const asked: string[][] = [];
  const source: CurrentMetricsSource = {
    listStandardQueueIds: async () => listed,
    read: async (queueIds) => {
      asked.push([...queueIds]);
      return { snapshotTime: SNAPSHOT, rows: [], skipped: [], batches: 1, ...snapshot };
    },
  };
  return { source, asked };
}

const metrics = (agentsOnline: number | null) => ({ ...emptyMetricValues(), AGENTS_ONLINE: agentsOnline });

describe('truncateToSecond', () => {
  test('drops the milliseconds', () => {
    expect(truncateToSecond(STARTED).toISOString()).toBe('2026-11-23T04:00:10.000Z');
  });
});

describe.each(databaseTargets())('collectCurrentMetrics on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(target.url, 'collect_current_metrics');
    await runMigrations(db.executor, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    connect.reset();
    await db.pool.query('DELETE FROM queue_realtime_snapshot; DELETE FROM queue; DELETE FROM collector_run');
  });

  async function addQueues(ids: string[], type = 'STANDARD') {
    for (const queueId of ids) {
      await db.pool.query(
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at)
         VALUES ($1, $2, 'arn', $3, now(), now())`,
        [INSTANCE_ID, queueId, type],
      );
    }
  }

  test('reads the STANDARD queues from the queue table and writes one snapshot in one transaction', async () => {
    await addQueues(['q1', 'q2']);
    await addQueues(['agent-1'], 'AGENT');
    const { source, asked } = fakeSource({
      rows: [
        { queueId: 'q1', channel: 'VOICE', values: metrics(3) },
        { queueId: 'q2', channel: 'CHAT', values: metrics(null) },
      ],
    });
    const recording = recordingExecutor(db.executor);
    const { context, recorded } = testContext(
      'current_metrics',
      recording.executor,
      offlineConnectClient(),
      STARTED,
    );

    const result = await collectCurrentMetrics(context, { source });

    expect(asked).toEqual([['q1', 'q2']]);
    expect(result.rowsWritten).toBe(2);
    expect(result.dataTime).toEqual(SNAPSHOT);
    expect(result.details).toMatchObject({
      queues: 2,
      queueSource: 'queue table',
      queueChannelsWithoutResult: 4,
    });
    expect(recorded).toEqual([result]);
    const writes = recording.statements.filter((s) => tablesWritten(s.sql).length > 0);
    expect(writes.map((s) => [tablesWritten(s.sql), s.inTransaction])).toEqual([
      [['queue_realtime_snapshot'], true],
    ]);
    const { rows } = await db.pool.query(
      `SELECT queue_id, channel, snapshot_time, agents_online_count FROM queue_realtime_snapshot ORDER BY queue_id`,
    );
    expect(rows).toEqual([
      {
        queue_id: 'q1',
        channel: 'VOICE',
        snapshot_time: formatDbTimestamp(SNAPSHOT),
        agents_online_count: 3,
      },
      {
        queue_id: 'q2',
        channel: 'CHAT',
        snapshot_time: formatDbTimestamp(SNAPSHOT),
        agents_online_count: null,
      },
    ]);
  });

  test('lists queues with ListQueues when metadata has not filled the queue table yet', async () => {
    const { source, asked } = fakeSource({}, ['q7', 'q8']);
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(asked).toEqual([['q7', 'q8']]);
    expect(result.details).toMatchObject({ queueSource: 'ListQueues', queues: 2 });
  });

  test('uses the run start, to the second, when Connect gives no DataSnapshotTime', async () => {
    await addQueues(['q1']);
    const { source } = fakeSource({
      snapshotTime: null,
      rows: [{ queueId: 'q1', channel: 'TASK', values: metrics(1) }],
    });
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(result.dataTime?.toISOString()).toBe('2026-11-23T04:00:10.000Z');
    expect(result.details).toMatchObject({ snapshotTimeFrom: 'run start' });
  });

  test('passes skipped records on to the run, so it is recorded as partial', async () => {
    await addQueues(['q1']);
    const skipped = [{ record: 'batch 0 page 0 MetricResults[3]', reason: 'Dimensions.Queue: required' }];
    const { source } = fakeSource({
      rows: [{ queueId: 'q1', channel: 'VOICE', values: metrics(1) }],
      skipped,
    });
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(result.skipped).toEqual(skipped);
    expect(result.rowsWritten).toBe(1);
  });

  test('records the snapshot time as the data time when Connect answers with no result at all', async () => {
    await addQueues(['q1']);
    const { source } = fakeSource({ rows: [] });
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(result).toMatchObject({ rowsWritten: 0, dataTime: SNAPSHOT });
    expect(result.details).toMatchObject({ queueChannels: 0, queueChannelsWithoutResult: 3 });
  });

  test('writes nothing and makes no call when the instance has no STANDARD queue at all', async () => {
    const { source, asked } = fakeSource({}, []);
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(asked).toEqual([]);
    expect(result).toMatchObject({ rowsWritten: 0, dataTime: null });
  });

  test('lists the queues again, once, when Connect refuses a queue the table still holds', async () => {
    await addQueues(['q1', 'deleted-since']);
    const asked: string[][] = [];
    const source: CurrentMetricsSource = {
      listStandardQueueIds: async () => ['q1'],
      read: async (queueIds) => {
        asked.push([...queueIds]);
        if (queueIds.includes('deleted-since')) {
          throw Object.assign(new Error('queue not found'), { name: 'ResourceNotFoundException' });
        }
        return {
          snapshotTime: SNAPSHOT,
          rows: [{ queueId: 'q1', channel: 'VOICE', values: metrics(1) }],
          skipped: [],
          batches: 1,
        };
      },
    };
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentMetrics(context, { source });

    expect(asked).toEqual([['deleted-since', 'q1'], ['q1']]);
    expect(result.rowsWritten).toBe(1);
    expect(result.details).toMatchObject({ queueSource: 'ListQueues after an unknown queue', queues: 1 });
  });

  test('does not list again for other errors: the run fails', async () => {
    await addQueues(['q1']);
    let listed = 0;
    const source: CurrentMetricsSource = {
      listStandardQueueIds: async () => {
        listed += 1;
        return ['q1'];
      },
      read: async () => {
        throw Object.assign(new Error('boom'), { name: 'InternalServiceException' });
      },
    };
    const { context } = testContext('current_metrics', db.executor, offlineConnectClient(), STARTED);

    await expect(collectCurrentMetrics(context, { source })).rejects.toThrow('boom');
    expect(listed).toBe(0);
  });

  test('as run by runCollector, lands the snapshot and its succeeded run row together', async () => {
    await addQueues(['q1', 'q2', 'q3']);
    connect.on(GetCurrentMetricDataCommand).callsFake((input: GetCurrentMetricDataCommandInput) => {
      const all = (input.Filters?.Queues ?? []).flatMap((q) =>
        (input.Filters?.Channels ?? []).map((ch) => ({
          Dimensions: { Queue: { Id: q }, Channel: ch },
          Collections: [{ Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' }, Value: 2 }],
        })),
      );
      const { items, next } = page(all, input.NextToken, input.MaxResults ?? 100);
      return Promise.resolve({ MetricResults: items, NextToken: next, DataSnapshotTime: SNAPSHOT });
    });

    const [run] = await runCollector(
      'current_metrics',
      currentMetricsCollector,
      collectorDeps(db.executor, offlineConnectClient(), () => STARTED),
    );

    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: 9, error: null });
    expect(connect.commandCalls(ListQueuesCommand)).toHaveLength(0);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n, min(contacts_in_queue_count) AS lo, max(contacts_in_queue_count) AS hi
       FROM queue_realtime_snapshot WHERE snapshot_time = $1`,
      [SNAPSHOT],
    );
    expect(rows[0]).toEqual({ n: 9, lo: 2, hi: 2 });
    const runs = await db.pool.query(`SELECT feed, outcome, rows_written, data_time FROM collector_run`);
    expect(runs.rows).toEqual([
      {
        feed: 'current_metrics',
        outcome: 'succeeded',
        rows_written: 9,
        data_time: formatDbTimestamp(SNAPSHOT),
      },
    ]);
  });

  test('as run by runCollector, a Connect failure writes no snapshot and records the failed run', async () => {
    await addQueues(['q1']);
    connect
      .on(GetCurrentMetricDataCommand)
      .rejects(
        Object.assign(new Error('not authorized to read this instance'), { name: 'AccessDeniedException' }),
      );

    const [run] = await runCollector(
      'current_metrics',
      currentMetricsCollector,
      collectorDeps(db.executor, offlineConnectClient(), () => STARTED),
    );

    expect(run?.outcome).toBe('failed');
    expect(run?.error).toContain('not authorized to read this instance');
    expect((await db.pool.query('SELECT 1 FROM queue_realtime_snapshot')).rowCount).toBe(0);
    const runs = await db.pool.query(`SELECT outcome FROM collector_run`);
    expect(runs.rows).toEqual([{ outcome: 'failed' }]);
  });
});
