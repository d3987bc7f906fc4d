import {
  ConnectClient,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataCommandInput,
  ListQueuesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { currentMetrics } from '../../../lambdas/current-metrics';
import { runCollector } from '../../../lambdas/shared/collector/run-feed';
import { formatDbTimestamp } from '../../../lambdas/shared/db/executor';
import { collectorDeps, INSTANCE_ID } from '../../support/collector-harness';
import { offlineConnectClient, page } from '../../support/connect-fakes';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const SNAPSHOT = new Date('2026-11-23T04:00:09.000Z');
const connect = mockClient(ConnectClient);

/** The collector as index.ts wires it (Connect source over the run's gateway, SQL store), run by the runner. */
describe.each(databaseTargets())('the current-metrics collector, wired, on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(target.url, 'current_metrics_wired');
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    connect.reset();
    await db.pool.query('DELETE FROM queue_realtime_snapshot; DELETE FROM queue; DELETE FROM collector_run');
  });

  async function addQueues(ids: string[]) {
    for (const queueId of ids) {
      await db.pool.query(
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at)
         VALUES ($1, $2, 'arn', 'STANDARD', now(), now())`,
        [INSTANCE_ID, queueId],
      );
    }
  }

  test('lands the snapshot and its succeeded run row together', async () => {
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
      currentMetrics,
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

  test('a Connect failure writes no snapshot and records the failed run', async () => {
    await addQueues(['q1']);
    connect
      .on(GetCurrentMetricDataCommand)
      .rejects(
        Object.assign(new Error('not authorized to read this instance'), { name: 'AccessDeniedException' }),
      );

    const [run] = await runCollector(
      currentMetrics,
      collectorDeps(db.executor, offlineConnectClient(), () => STARTED),
    );

    expect(run?.outcome).toBe('failed');
    expect(run?.error).toContain('not authorized to read this instance');
    expect((await db.pool.query('SELECT 1 FROM queue_realtime_snapshot')).rowCount).toBe(0);
    const runs = await db.pool.query(`SELECT outcome FROM collector_run`);
    expect(runs.rows).toEqual([{ outcome: 'failed' }]);
  });
});
