import { RETENTION_LEASE, runRetention, runRetentionOnce } from '../../../lambdas/retention/retention';
import { acquireLease } from '../../../lambdas/shared/db/lease';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

/** Inserts one queue snapshot every 10 s from `from` for `minutes`, with contacts_in_queue = minute of hour. */
async function seedSnapshots(db: TestSchema, from: Date, minutes: number) {
  await db.executor.query(
    `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, contacts_in_queue_count,
       oldest_contact_age_seconds, collected_at)
     SELECT 'i-1', 'q-1', 'VOICE', t, extract(minute FROM t)::int,
       CASE WHEN extract(second FROM t)::int = 0 THEN NULL ELSE extract(second FROM t) END, t
     FROM generate_series(:from::timestamptz, :from::timestamptz + make_interval(mins => :minutes) - interval '10 seconds',
       interval '10 seconds') AS t`,
    { from, minutes },
  );
}

describe.each(databaseTargets())('runRetention on $name', ({ url }) => {
  let db: TestSchema;
  beforeEach(async () => {
    db = await createMigratedSchema(url, 'retention');
  });
  afterEach(() => db.drop());

  test('rolls up, then deletes, only snapshots older than the retention period', async () => {
    const old = new Date(NOW.getTime() - 40 * DAY);
    await seedSnapshots(db, old, 30); // 180 old snapshots in two 15-minute buckets
    await seedSnapshots(db, new Date(NOW.getTime() - DAY), 5); // 30 recent snapshots

    const report = await runRetention(db.executor, { retentionDays: 35, now: NOW });

    expect(report).toMatchObject({ done: true, queueSnapshotsDeleted: 180, bucketsRolledUp: 2 });
    const left = await db.executor.query(
      'SELECT count(*)::int AS n, min(snapshot_time) AS oldest FROM queue_realtime_snapshot',
    );
    expect(left.rows[0]?.n).toBe(30);
    const buckets = await db.executor.query(
      `SELECT bucket_start, sample_count, contacts_in_queue_avg, contacts_in_queue_max, oldest_contact_age_avg_seconds
       FROM queue_realtime_15min ORDER BY bucket_start`,
    );
    // minutes 0..14 each appear 6 times: average 7, max 14; seconds 10..50 (0 is NULL) average 30
    expect(buckets.rows).toEqual([
      {
        bucket_start: '2026-10-14 12:00:00.000',
        sample_count: 90,
        contacts_in_queue_avg: 7,
        contacts_in_queue_max: 14,
        oldest_contact_age_avg_seconds: 30,
      },
      {
        bucket_start: '2026-10-14 12:15:00.000',
        sample_count: 90,
        contacts_in_queue_avg: 22,
        contacts_in_queue_max: 29,
        oldest_contact_age_avg_seconds: 30,
      },
    ]);
  });

  test('a run stopped after one batch deletes only the snapshots it rolled up, and the next run finishes', async () => {
    await seedSnapshots(db, new Date(NOW.getTime() - 40 * DAY), 60);

    const first = await runRetention(db.executor, {
      retentionDays: 35,
      now: NOW,
      batchMinutes: 15,
      maxBatches: 1,
    });

    expect(first).toMatchObject({ done: false, batches: 1, queueSnapshotsDeleted: 90, bucketsRolledUp: 1 });
    const rolled = await db.executor.query<{ n: number }>(
      'SELECT coalesce(sum(sample_count), 0)::int AS n FROM queue_realtime_15min',
    );
    const raw = await db.executor.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM queue_realtime_snapshot',
    );
    expect((rolled.rows[0]?.n ?? 0) + (raw.rows[0]?.n ?? 0)).toBe(360);

    const second = await runRetention(db.executor, { retentionDays: 35, now: NOW, batchMinutes: 15 });
    expect(second).toMatchObject({ done: true, queueSnapshotsDeleted: 270, bucketsRolledUp: 3 });
  });

  test('deletes old agent snapshots and collector runs but keeps recent ones', async () => {
    const old = new Date(NOW.getTime() - 36 * DAY);
    const recent = new Date(NOW.getTime() - 3_600_000);
    for (const at of [old, recent]) {
      await db.executor.query(
        `INSERT INTO agent_realtime_snapshot (instance_id, agent_id, snapshot_time, contacts_count, collected_at)
         VALUES ('i-1', 'a-1', :at, 0, :at)`,
        { at },
      );
      await db.executor.query(
        `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome) VALUES ('i-1', 'metadata', :at, :at, 'succeeded')`,
        { at },
      );
    }
    const report = await runRetention(db.executor, { retentionDays: 35, now: NOW });
    expect(report).toMatchObject({ agentSnapshotsDeleted: 1, collectorRunsDeleted: 1, done: true });
    const runs = await db.executor.query('SELECT count(*)::int AS n FROM collector_run');
    expect(runs.rows[0]?.n).toBe(1);
  });

  test("runs one at a time: side-by-side runs (the metadata runs of a fleet's groups) roll each bucket up once", async () => {
    await seedSnapshots(db, new Date(NOW.getTime() - 40 * DAY), 60);
    const deadlineAt = Date.now() + 60_000;
    const reports = await Promise.all(
      [1, 2, 3].map(() => runRetentionOnce(db.executor, { retentionDays: 35, now: NOW, deadlineAt })),
    );
    expect(reports.filter((r) => 'skipped' in r)).toHaveLength(2);
    expect(reports.find((r) => 'batches' in r)).toMatchObject({ done: true, queueSnapshotsDeleted: 360 });
    const rolled = await db.executor.query<{ n: number }>(
      'SELECT sum(sample_count)::int AS n FROM queue_realtime_15min',
    );
    expect(rolled.rows[0]?.n).toBe(360);
    // The lease is given back: the next run is not skipped.
    expect(
      await runRetentionOnce(db.executor, { retentionDays: 35, now: NOW, deadlineAt: Date.now() + 60_000 }),
    ).toMatchObject({ done: true, batches: 0 });
  });

  test('a held lease makes a run skip without touching data, and a lapsed one does not', async () => {
    await seedSnapshots(db, new Date(NOW.getTime() - 40 * DAY), 15);
    expect(await acquireLease(db.executor, RETENTION_LEASE, 'a dead invocation', 60_000)).toBe(true);
    const skipped = await runRetentionOnce(db.executor, {
      retentionDays: 35,
      now: NOW,
      deadlineAt: Date.now() + 60_000,
    });
    expect(skipped).toEqual({ skipped: expect.stringMatching(/another retention run holds the lease/) });
    const raw = await db.executor.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM queue_realtime_snapshot',
    );
    expect(raw.rows[0]?.n).toBe(90);
    await db.executor.query("UPDATE collector_lease SET expires_at = now() - interval '1 second'");
    expect(
      await runRetentionOnce(db.executor, { retentionDays: 35, now: NOW, deadlineAt: Date.now() + 60_000 }),
    ).toMatchObject({ queueSnapshotsDeleted: 90 });
  });
});
