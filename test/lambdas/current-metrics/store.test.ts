import {
  CURRENT_METRIC_NAMES,
  type CurrentMetricName,
  type CurrentMetricValues,
} from '../../../lambdas/current-metrics/definitions';
import type { QueueChannelMetrics } from '../../../lambdas/current-metrics/ports';
import {
  activeStandardQueueIds,
  readLatestSnapshots,
  writeQueueSnapshot,
} from '../../../lambdas/current-metrics/store';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';
import { recordRun } from '../../support/runs';

const INSTANCE = 'a1b2c3d4-1111-4222-8333-444455556666';
const OTHER = '99999999-2222-3333-4444-555555555555';
const T1 = new Date('2026-11-23T04:00:10.000Z');
const T2 = new Date('2026-11-23T04:00:20.000Z');

function values(seed: number, overrides: Partial<Record<CurrentMetricName, number | null>> = {}) {
  const v = Object.fromEntries(
    CURRENT_METRIC_NAMES.map((n, i) => [
      n,
      n.endsWith('TIME') || n.endsWith('AGE') ? seed + i + 0.5 : seed + i,
    ]),
  ) as Record<CurrentMetricName, number | null>;
  return { ...v, ...overrides } as CurrentMetricValues;
}

const row = (
  queueId: string,
  channel: 'VOICE' | 'CHAT' | 'TASK',
  v: CurrentMetricValues,
): QueueChannelMetrics => ({
  queueId,
  channel,
  values: v,
});

describe.each(databaseTargets())('current-metrics store on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(target.url, 'current_metrics_store');
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('DELETE FROM queue_realtime_snapshot');
    await db.pool.query('DELETE FROM queue');
    await db.pool.query('DELETE FROM collector_run');
  });
  /** Writes a snapshot and its successful run, as a current-metrics run does. */
  const snapshot = async (
    instance: string,
    at: Date,
    rows: QueueChannelMetrics[],
    collectedAt = at,
  ): Promise<number> => {
    const written = await writeQueueSnapshot(db.executor, instance, at, rows, collectedAt);
    await recordRun(db.executor, instance, 'current_metrics', at);
    return written;
  };

  test('writes every queue and channel of a snapshot and reads back exactly what went in', async () => {
    const rows = [
      row('q1', 'VOICE', values(1)),
      row('q1', 'CHAT', values(20, { CONTACTS_IN_QUEUE: null, OLDEST_CONTACT_AGE: null })),
      row('q2', 'TASK', values(40, { AGENTS_ONLINE: 0, ESTIMATED_WAIT_TIME: 0 })),
    ];

    const written = await snapshot(INSTANCE, T1, rows, T1);

    expect(written).toBe(3);
    const latest = await readLatestSnapshots(db.executor, [INSTANCE]);
    expect(latest.map((r) => ({ queueId: r.queueId, channel: r.channel, values: r.values }))).toEqual([
      { queueId: 'q1', channel: 'CHAT', values: rows[1]?.values },
      { queueId: 'q1', channel: 'VOICE', values: rows[0]?.values },
      { queueId: 'q2', channel: 'TASK', values: rows[2]?.values },
    ]);
    expect(latest.every((r) => r.snapshotTime.getTime() === T1.getTime())).toBe(true);
  });

  test('keeps null as null and zero as zero in the table', async () => {
    await snapshot(
      INSTANCE,
      T1,
      [row('q1', 'VOICE', values(1, { CONTACTS_IN_QUEUE: null, AGENTS_ONLINE: 0 }))],
      T1,
    );

    const { rows } = await db.pool.query(
      'SELECT contacts_in_queue_count, agents_online_count FROM queue_realtime_snapshot',
    );
    expect(rows).toEqual([{ contacts_in_queue_count: null, agents_online_count: 0 }]);
  });

  test('a rerun of the same snapshot adds no rows and reports none written', async () => {
    const rows = [row('q1', 'VOICE', values(1)), row('q2', 'VOICE', values(2))];
    await snapshot(INSTANCE, T1, rows, T1);

    const again = await snapshot(INSTANCE, T1, rows, T2);

    expect(again).toBe(0);
    const { rows: count } = await db.pool.query('SELECT count(*)::int AS n FROM queue_realtime_snapshot');
    expect(count[0]?.n).toBe(2);
  });

  test('a rerun that brings a changed value updates that row only', async () => {
    await snapshot(INSTANCE, T1, [row('q1', 'VOICE', values(1)), row('q2', 'VOICE', values(2))], T1);

    const changed = await snapshot(
      INSTANCE,
      T1,
      [row('q1', 'VOICE', values(1, { CONTACTS_IN_QUEUE: 99 })), row('q2', 'VOICE', values(2))],
      T2,
    );

    expect(changed).toBe(1);
    const latest = await readLatestSnapshots(db.executor, [INSTANCE]);
    expect(latest.find((r) => r.queueId === 'q1')?.values.CONTACTS_IN_QUEUE).toBe(99);
  });

  test('readLatestSnapshots returns only the newest snapshot of the instance, with queue names', async () => {
    await db.pool.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
       VALUES ($1, 'q1', 'arn:q1', 'Sales', 'STANDARD', now(), now())`,
      [INSTANCE],
    );
    await snapshot(INSTANCE, T1, [row('q1', 'VOICE', values(1))], T1);
    await snapshot(INSTANCE, T2, [row('q1', 'VOICE', values(5)), row('q9', 'CHAT', values(6))], T2);
    await snapshot(OTHER, new Date(T2.getTime() + 10_000), [row('q1', 'VOICE', values(7))], T2);

    const latest = await readLatestSnapshots(db.executor, [INSTANCE]);

    expect(latest.map((r) => [r.queueId, r.queueName, r.channel, r.snapshotTime.toISOString()])).toEqual([
      ['q1', 'Sales', 'VOICE', T2.toISOString()],
      ['q9', null, 'CHAT', T2.toISOString()],
    ]);
    expect(latest[0]?.values.AGENTS_AFTER_CONTACT_WORK).toBe(5);
  });

  test('readLatestSnapshots returns nothing for an instance with no snapshot', async () => {
    expect(await readLatestSnapshots(db.executor, [OTHER])).toEqual([]);
  });

  test('a quiet latest run (Connect reported no queue) reads as no rows, never as the older snapshot', async () => {
    await snapshot(INSTANCE, T1, [row('q1', 'VOICE', values(1))]);
    await snapshot(INSTANCE, T2, []);

    expect(await readLatestSnapshots(db.executor, [INSTANCE])).toEqual([]);
  });

  test('a failed latest run leaves the last successful snapshot as the latest', async () => {
    await snapshot(INSTANCE, T1, [row('q1', 'VOICE', values(1))]);
    await recordRun(db.executor, INSTANCE, 'current_metrics', T2, 'failed');

    const latest = await readLatestSnapshots(db.executor, [INSTANCE]);

    expect(latest.map((r) => [r.queueId, r.snapshotTime.toISOString()])).toEqual([['q1', T1.toISOString()]]);
  });

  test('activeStandardQueueIds lists the STANDARD queues of the instance not marked deleted', async () => {
    await db.pool.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at, deleted_at) VALUES
       ($1, 'q2', 'a', 'STANDARD', now(), now(), NULL),
       ($1, 'q1', 'a', 'STANDARD', now(), now(), NULL),
       ($1, 'q3', 'a', 'STANDARD', now(), now(), now()),
       ($1, 'agent-q', 'a', 'AGENT', now(), now(), NULL),
       ($2, 'q4', 'a', 'STANDARD', now(), now(), NULL)`,
      [INSTANCE, OTHER],
    );

    expect(await activeStandardQueueIds(db.executor, INSTANCE)).toEqual(['q1', 'q2']);
  });
});
