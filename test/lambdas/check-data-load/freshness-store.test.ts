import { sqlFreshnessStore } from '../../../lambdas/check-data-load/freshness-store';
import { parseDbTimestampOrNull } from '../../../lambdas/shared/db/executor';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const A = 'i-1';
const B = 'i-2';

describe.each(databaseTargets())('sqlFreshnessStore on $name', ({ url }) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'freshness_store');
    await db.executor.query(
      `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome, rows_written, data_time, error_text)
       VALUES
         ('i-1', 'current_metrics', '2026-11-23 11:59:00+00', '2026-11-23 11:59:01+00', 'succeeded', 30, '2026-11-23 11:58:59+00', NULL),
         ('i-1', 'current_metrics', '2026-11-23 11:59:10+00', '2026-11-23 11:59:11+00', 'partial', 29, '2026-11-23 11:59:09+00', NULL),
         ('i-1', 'current_metrics', '2026-11-23 11:59:20+00', '2026-11-23 11:59:21+00', 'failed', 0, NULL, 'ThrottlingException: slow down'),
         ('i-2', 'current_metrics', '2026-11-23 11:59:20+00', '2026-11-23 11:59:21+00', 'failed', 0, NULL, 'boom')`,
    );
    await db.executor.query(
      `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, collected_at) VALUES
         ('i-1', 'q-1', 'VOICE', '2026-11-23 11:59:00+00', now()),
         ('i-1', 'q-1', 'VOICE', '2026-11-23 11:59:10+00', now()),
         ('i-2', 'q-9', 'CHAT', '2026-11-23 10:00:00+00', now())`,
    );
  });
  afterAll(() => db.drop());

  test('reports exactly what v_data_freshness shows: one definition of the last run and the last success', async () => {
    const pairs = [
      { instanceId: 'i-1', feed: 'current_metrics' as const },
      { instanceId: 'i-2', feed: 'current_metrics' as const },
    ];
    const fromCheck = await sqlFreshnessStore(db.executor).feedRuns(pairs);
    const { rows } = await db.pool.query(
      `SELECT instance_id, feed, last_run_at, last_outcome, last_error, last_success_at, last_success_rows, last_data_time
       FROM v_data_freshness ORDER BY instance_id`,
    );
    const time = (d: unknown) =>
      d instanceof Date ? d.getTime() : (parseDbTimestampOrNull(d)?.getTime() ?? null);

    expect(
      rows.map((r) => [
        r.instance_id,
        r.feed,
        time(r.last_run_at),
        r.last_outcome,
        r.last_error,
        time(r.last_success_at),
        r.last_success_rows,
        time(r.last_data_time),
      ]),
    ).toEqual(
      fromCheck.map((f) => [
        f.instanceId,
        f.feed,
        time(f.lastRunAt),
        f.lastOutcome,
        f.lastError,
        time(f.lastSuccessAt),
        f.lastSuccessRows,
        time(f.lastDataTime),
      ]),
    );
  });

  test('gives the last run and the last successful or partial run of each pair asked', async () => {
    const runs = await sqlFreshnessStore(db.executor).feedRuns([
      { instanceId: 'i-1', feed: 'current_metrics' },
      { instanceId: 'i-2', feed: 'current_metrics' },
      { instanceId: 'i-1', feed: 'metadata' },
    ]);

    expect(runs).toEqual([
      {
        instanceId: 'i-1',
        feed: 'current_metrics',
        lastRunAt: new Date('2026-11-23T11:59:20Z'),
        lastOutcome: 'failed',
        lastError: 'ThrottlingException: slow down',
        lastSuccessAt: new Date('2026-11-23T11:59:11Z'),
        lastSuccessRows: 29,
        lastDataTime: new Date('2026-11-23T11:59:09Z'),
      },
      {
        instanceId: 'i-2',
        feed: 'current_metrics',
        lastRunAt: new Date('2026-11-23T11:59:20Z'),
        lastOutcome: 'failed',
        lastError: 'boom',
        lastSuccessAt: null,
        lastSuccessRows: null,
        lastDataTime: null,
      },
      {
        instanceId: 'i-1',
        feed: 'metadata',
        lastRunAt: null,
        lastOutcome: null,
        lastError: null,
        lastSuccessAt: null,
        lastSuccessRows: null,
        lastDataTime: null,
      },
    ]);
  });

  test('gives the newest data of each fact table per instance, null where there is none', async () => {
    const latest = await sqlFreshnessStore(db.executor).latest(['i-1', 'i-2', 'i-3']);

    expect(latest).toEqual([
      {
        instanceId: 'i-1',
        latest: {
          queue_realtime_snapshot: new Date('2026-11-23T11:59:10Z'),
          agent_realtime_snapshot: null,
          queue_interval_metrics: null,
          agent_interval_metrics: null,
        },
      },
      expect.objectContaining({
        instanceId: 'i-2',
        latest: expect.objectContaining({ queue_realtime_snapshot: new Date('2026-11-23T10:00:00Z') }),
      }),
      expect.objectContaining({
        instanceId: 'i-3',
        latest: expect.objectContaining({ queue_realtime_snapshot: null }),
      }),
    ]);
  });

  test('gives the last reconciled day per instance (from its watermark) with its compared and out-of-tolerance figures', async () => {
    await db.executor.query(
      `INSERT INTO reconciliation (instance_id, queue_id, channel, day, metric, stored_value, connect_value,
         difference, tolerance, within_tolerance, reconciled_at) VALUES
         (:a, 'q1', 'VOICE', '2026-11-20', 'contacts_queued', 5, 5, 0, 0.01, true, '2026-11-22 00:05:00+00'),
         (:a, 'q1', 'VOICE', '2026-11-21', 'contacts_queued', 7, 7, 0, 0.01, true, '2026-11-23 00:05:00+00'),
         (:a, 'q1', 'VOICE', '2026-11-21', 'contacts_handled', 9, 6, 3, 0.01, false, '2026-11-23 00:05:00+00')`,
      { a: A },
    );
    // A reconciled through the 21st; B through the 22nd, a quiet day with nothing to compare.
    await db.executor.query(
      `INSERT INTO collection_watermark (instance_id, feed, watermark, updated_at) VALUES
         (:a, 'reconciliation', '2026-11-22 00:00:00+00', '2026-11-23 00:05:00+00'),
         (:b, 'reconciliation', '2026-11-23 00:00:00+00', '2026-11-24 00:05:00+00')`,
      { a: A, b: B },
    );

    const found = await sqlFreshnessStore(db.executor).reconciliations([A, B]);

    expect(found).toEqual([
      {
        instanceId: A,
        day: '2026-11-21',
        reconciledAt: new Date('2026-11-23T00:05:00Z'),
        compared: 2,
        outOfTolerance: 1,
      },
      {
        instanceId: B,
        day: '2026-11-22',
        reconciledAt: new Date('2026-11-24T00:05:00Z'),
        compared: 0,
        outOfTolerance: 0,
      },
    ]);
  });

  test('gives planner row estimates of this schema once the tables are analysed', async () => {
    await db.executor.query('ANALYZE collector_run');
    await db.executor.query('ANALYZE queue_realtime_snapshot');

    const estimates = await sqlFreshnessStore(db.executor).rowEstimates();

    expect(estimates.collector_run).toBe(4);
    expect(estimates.queue_realtime_snapshot).toBe(3);
    expect(Object.keys(estimates)).toEqual(
      expect.arrayContaining(['agent', 'queue', 'agent_interval_metrics']),
    );
  });
});
