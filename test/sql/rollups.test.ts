import { loadMigrations, REPOSITORY_MIGRATIONS_DIR, runMigrations } from '../../lambdas/migrate/migrations';
import {
  createMigratedSchema,
  createTestSchema,
  databaseTargets,
  type TestSchema,
} from '../support/databases';

/**
 * The rollups behind v_queue_daily, v_queue_service_level_daily and v_queue_realtime_1min (migrations
 * V012, V013) are kept by statement triggers from their `rollup_start` on, and the views aggregate the raw
 * rows before it: after any insert, upsert, restatement, key change, delete or truncation, each view
 * must equal the aggregate of the raw rows (the views' definitions before V012, written out here). The
 * tests move each rollup's start into their data so both parts of each view are exercised.
 */

const DAILY_FROM_RAW = `
  SELECT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc,
    sum(contacts_queued_count)::integer AS contacts_queued_count,
    sum(contacts_handled_count)::integer AS contacts_handled_count,
    sum(aht_weighted_sum_seconds)
      / nullif(sum(contacts_handled_count) FILTER (WHERE aht_weighted_sum_seconds IS NOT NULL), 0) AS avg_handle_time_seconds,
    sum(queue_answer_time_sum_seconds) / nullif(sum(contacts_answered_count), 0) AS avg_queue_answer_time_seconds
  FROM queue_interval_metrics WHERE interval_minutes = 15
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const DAILY_FROM_VIEW = `
  SELECT instance_id, queue_id, channel, day_utc, contacts_queued_count, contacts_handled_count,
    avg_handle_time_seconds, avg_queue_answer_time_seconds
  FROM v_queue_daily ORDER BY 1, 2, 3, 4`;
const SERVICE_LEVEL_DAILY_FROM_INTERVALS = `
  SELECT instance_id, queue_id, channel, (interval_start AT TIME ZONE 'UTC')::date AS day_utc, threshold_seconds,
    sum(contacts_queued_count)::integer AS contacts_queued_count,
    sum(contacts_removed_in_threshold_count)::integer AS contacts_removed_in_threshold_count,
    100 * sum(contacts_removed_in_threshold_count)::double precision / nullif(sum(contacts_queued_count), 0) AS service_level_pct
  FROM v_queue_service_level GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
const SERVICE_LEVEL_DAILY_FROM_VIEW = `
  SELECT instance_id, queue_id, channel, day_utc, threshold_seconds, contacts_queued_count,
    contacts_removed_in_threshold_count, service_level_pct
  FROM v_queue_service_level_daily ORDER BY 1, 2, 3, 4, 5`;
const MINUTE_FROM_RAW = `
  SELECT instance_id, queue_id, channel, date_bin('1 minute', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute_start,
    count(*)::integer AS sample_count, avg(contacts_in_queue_count) AS contacts_in_queue_avg,
    max(contacts_in_queue_count) AS contacts_in_queue_max, max(oldest_contact_age_seconds) AS oldest_contact_age_max_seconds
  FROM queue_realtime_snapshot GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const MINUTE_FROM_VIEW = `
  SELECT instance_id, queue_id, channel, minute_start, sample_count, contacts_in_queue_avg,
    contacts_in_queue_max, oldest_contact_age_max_seconds
  FROM v_queue_realtime_1min ORDER BY 1, 2, 3, 4`;

const CHANNEL_FROM_QUEUE_MINUTES = `
  SELECT instance_id, channel, minute_start, count(*)::integer AS queue_count,
    sum(contacts_in_queue_avg) AS contacts_in_queue_avg, max(agents_available_max) AS agents_available_max,
    max(oldest_contact_age_max_seconds) AS oldest_contact_age_max_seconds
  FROM v_queue_realtime_1min GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const CHANNEL_FROM_VIEW = `
  SELECT instance_id, channel, minute_start, queue_count, contacts_in_queue_avg, agents_available_max,
    oldest_contact_age_max_seconds
  FROM v_channel_realtime_1min ORDER BY 1, 2, 3`;

const rows = async (db: TestSchema, sql: string) => (await db.executor.query(sql)).rows;

describe.each(databaseTargets())('rollups kept by triggers on $name', ({ url }) => {
  let db: TestSchema;
  const rows = async (sql: string) => (await db.executor.query(sql)).rows;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'rollups');
    await db.executor.query(
      `INSERT INTO connect_instance VALUES ('i-1', 'arn:aws:connect:us-east-1:111111111111:instance/i-1', 'us-east-1', 'Acme', 'prod', now(), now(), NULL)`,
    );
    // Days before 2026-03-09 and minutes before 10:01 are read raw; the rest from the rollups.
    await db.executor.query(
      `UPDATE rollup_start SET from_time = CASE WHEN rollup LIKE '%realtime_minute' THEN TIMESTAMPTZ '2026-03-09 10:01:00+00'
         ELSE TIMESTAMPTZ '2026-03-09 00:00:00+00' END`,
    );
  });
  afterAll(() => db.drop());

  test('v_queue_daily and v_queue_service_level_daily equal the sums of the 15-minute rows after inserts, restatements, an upsert and a delete', async () => {
    const insert = (values: string) =>
      db.executor.query(
        `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start, interval_minutes,
           interval_end, contacts_queued_count, contacts_handled_count, aht_weighted_sum_seconds,
           contacts_answered_count, queue_answer_time_sum_seconds, collected_at)
         VALUES ${values}
         ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes)
         DO UPDATE SET contacts_handled_count = excluded.contacts_handled_count,
           aht_weighted_sum_seconds = excluded.aht_weighted_sum_seconds`,
      );
    // Two days (23:45 and 00:00 UTC fall on different days), two queues, one v1 row left out.
    await insert(`('i-1', 'q1', 'VOICE', '2026-03-08 23:45:00+00', 15, '2026-03-09 00:00:00+00', 5, 4, 400, 3, 30, now()),
                  ('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 15, '2026-03-09 00:15:00+00', 2, 2, 100, 2, 8, now()),
                  ('i-1', 'q1', 'VOICE', '2026-03-09 00:15:00+00', 15, '2026-03-09 00:30:00+00', 3, 3, NULL, 3, 9, now()),
                  ('i-1', 'q2', 'CHAT', '2026-03-09 00:00:00+00', 15, '2026-03-09 00:15:00+00', 7, 6, 600, 6, 60, now()),
                  ('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 5, '2026-03-09 00:05:00+00', 99, 99, NULL, NULL, NULL, now())`);
    expect(await rows(DAILY_FROM_VIEW)).toEqual(await rows(DAILY_FROM_RAW));
    expect(await rows(DAILY_FROM_VIEW)).toHaveLength(3);

    // Service-level rows for two thresholds, then a re-read that restates one of them.
    const serviceLevel = (values: string) =>
      db.executor.query(
        `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
           threshold_seconds, contacts_answered_in_threshold_count, contacts_removed_in_threshold_count, collected_at)
         VALUES ${values}
         ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes, threshold_seconds)
         DO UPDATE SET contacts_removed_in_threshold_count = excluded.contacts_removed_in_threshold_count`,
      );
    await serviceLevel(`('i-1', 'q1', 'VOICE', '2026-03-08 23:45:00+00', 15, 20, 3, 4, now()),
                        ('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 15, 20, 1, 1, now()),
                        ('i-1', 'q1', 'VOICE', '2026-03-09 00:15:00+00', 15, 20, 2, 3, now()),
                        ('i-1', 'q1', 'VOICE', '2026-03-09 00:15:00+00', 15, 60, 3, 3, now()),
                        ('i-1', 'q2', 'CHAT', '2026-03-09 00:00:00+00', 15, 20, 5, 6, now())`);
    await serviceLevel(`('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 15, 20, 2, 2, now())`);
    expect(await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).toEqual(await rows(SERVICE_LEVEL_DAILY_FROM_INTERVALS));
    expect(
      (await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).map((r) => r.contacts_removed_in_threshold_count),
    ).toEqual([4, 5, 3, 6]);

    // A re-read that restates an interval (the collector's upsert), then a direct update and a delete.
    await insert(
      `('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 15, '2026-03-09 00:15:00+00', 2, 5, 250, 2, 8, now())`,
    );
    await db.executor.query(
      `UPDATE queue_interval_metrics SET contacts_queued_count = 9 WHERE queue_id = 'q2' AND interval_minutes = 15`,
    );
    await db.executor.query(
      `DELETE FROM queue_interval_metrics WHERE interval_start = '2026-03-08 23:45:00+00' AND queue_id = 'q1'`,
    );

    expect(await rows(DAILY_FROM_VIEW)).toEqual(await rows(DAILY_FROM_RAW));
    expect(await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).toEqual(await rows(SERVICE_LEVEL_DAILY_FROM_INTERVALS));
    expect((await rows(DAILY_FROM_VIEW)).map((r) => [r.day_utc, r.contacts_handled_count])).toEqual([
      ['2026-03-09', 8],
      ['2026-03-09', 6],
    ]);
    // Only the days from the rollup's start are in the rollup tables.
    expect(await rows('SELECT DISTINCT day_utc FROM queue_daily_metrics')).toEqual([
      { day_utc: '2026-03-09' },
    ]);

    // An update that moves an interval to another day leaves its old day as well.
    await db.executor.query(
      `UPDATE queue_interval_metrics SET interval_start = '2026-03-10 00:00:00+00', interval_end = '2026-03-10 00:15:00+00'
       WHERE queue_id = 'q2' AND interval_minutes = 15`,
    );
    expect(await rows(DAILY_FROM_VIEW)).toEqual(await rows(DAILY_FROM_RAW));
    expect(await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).toEqual(await rows(SERVICE_LEVEL_DAILY_FROM_INTERVALS));

    await db.executor.query('TRUNCATE queue_interval_metrics, queue_interval_service_level');
    expect(await rows(DAILY_FROM_VIEW)).toEqual([]);
    expect(await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).toEqual([]);

    // Rows the collector writes since V014 carry their interval's queued count: both views read it
    // there (no interval row needed), in both parts of the daily view.
    await db.executor.query(
      `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
         threshold_seconds, contacts_answered_in_threshold_count, contacts_removed_in_threshold_count,
         contacts_queued_count, collected_at)
       VALUES ('i-1', 'q1', 'VOICE', '2026-03-08 23:45:00+00', 15, 20, 3, 4, 8, now()),
              ('i-1', 'q1', 'VOICE', '2026-03-09 00:00:00+00', 15, 20, 1, 2, 5, now()),
              ('i-1', 'q1', 'VOICE', '2026-03-09 00:15:00+00', 15, 20, 2, 3, 5, now())`,
    );
    expect(await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).toEqual(await rows(SERVICE_LEVEL_DAILY_FROM_INTERVALS));
    expect(
      (await rows(SERVICE_LEVEL_DAILY_FROM_VIEW)).map((r) => [
        r.day_utc,
        r.contacts_queued_count,
        r.service_level_pct,
      ]),
    ).toEqual([
      ['2026-03-08', 8, 50],
      ['2026-03-09', 10, 50],
    ]);
    await db.executor.query('TRUNCATE queue_interval_service_level');
  });

  test('v_queue_realtime_1min equals the per-minute aggregates of the snapshots after ticks, a rewrite and a retention delete', async () => {
    const tick = (at: string, inQueue: number) =>
      db.executor.query(
        `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time,
           contacts_in_queue_count, oldest_contact_age_seconds, collected_at)
         VALUES ('i-1', 'q1', 'VOICE', :at::timestamptz, :n::int, :n::int * 4.5, now()),
                ('i-1', 'q1', 'CHAT', :at::timestamptz, :n::int + 1, NULL, now()),
                ('i-1', 'q2', 'VOICE', :at::timestamptz, :n::int * 2, :n::int * 3, now())
         ON CONFLICT (instance_id, queue_id, channel, snapshot_time)
         DO UPDATE SET contacts_in_queue_count = excluded.contacts_in_queue_count`,
        { at, n: inQueue },
      );
    for (const [i, at] of ['10:00:00', '10:00:10', '10:00:50', '10:01:00', '10:01:10'].entries()) {
      await tick(`2026-03-09 ${at}+00`, i + 1);
    }
    expect(await rows(MINUTE_FROM_VIEW)).toEqual(await rows(MINUTE_FROM_RAW));
    expect((await rows(MINUTE_FROM_VIEW)).map((r) => r.sample_count)).toEqual([3, 2, 3, 2, 3, 2]);
    // v_channel_realtime_1min: the queues of each channel and minute rolled up, both parts.
    expect(await rows(CHANNEL_FROM_VIEW)).toEqual(await rows(CHANNEL_FROM_QUEUE_MINUTES));
    expect((await rows(CHANNEL_FROM_VIEW)).map((r) => [r.channel, r.queue_count])).toEqual([
      ['CHAT', 1],
      ['CHAT', 1],
      ['VOICE', 2],
      ['VOICE', 2],
    ]);
    expect(await rows('SELECT count(*)::int AS n FROM channel_realtime_minute')).toEqual([{ n: 2 }]);

    await tick('2026-03-09 10:00:10+00', 40);
    await db.executor.query(
      `DELETE FROM queue_realtime_snapshot WHERE snapshot_time < '2026-03-09 10:01:00+00'`,
    );

    expect(await rows(MINUTE_FROM_VIEW)).toEqual(await rows(MINUTE_FROM_RAW));
    expect(await rows(MINUTE_FROM_VIEW)).toHaveLength(3);
    expect((await rows('SELECT count(*)::int AS n FROM queue_realtime_minute'))[0]).toEqual({ n: 3 });
    expect(await rows(CHANNEL_FROM_VIEW)).toEqual(await rows(CHANNEL_FROM_QUEUE_MINUTES));
    // A retention delete of one queue's minute rewrites its channel's minute from the queue left.
    await db.executor.query(
      `DELETE FROM queue_realtime_snapshot WHERE queue_id = 'q2' AND snapshot_time >= '2026-03-09 10:01:00+00'`,
    );
    expect(await rows(CHANNEL_FROM_VIEW)).toEqual(await rows(CHANNEL_FROM_QUEUE_MINUTES));
    expect((await rows(CHANNEL_FROM_VIEW)).map((r) => [r.channel, r.queue_count])).toEqual([
      ['CHAT', 1],
      ['VOICE', 1],
    ]);
    await db.executor.query('TRUNCATE queue_realtime_snapshot');
    expect(await rows(MINUTE_FROM_VIEW)).toEqual([]);
    expect(await rows(CHANNEL_FROM_VIEW)).toEqual([]);
  });
});

describe.each(databaseTargets())('upgrading a database that has data, on $name', ({ url }) => {
  let db: TestSchema;
  afterAll(() => db?.drop());

  test('the views answer the same before and after V012-V014, and the rollups start now, not in the past', async () => {
    db = await createTestSchema(url, 'rollups_upgrade');
    const all = loadMigrations(REPOSITORY_MIGRATIONS_DIR);
    await runMigrations(
      db.executor,
      all.filter((m) => m.version < 12),
    );
    await db.executor.query(
      `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start, interval_minutes,
         interval_end, contacts_queued_count, contacts_handled_count, collected_at)
       SELECT 'i-1', 'q' || q, 'VOICE', TIMESTAMPTZ '2026-03-01 00:00:00+00' + d * interval '15 minutes', 15,
         TIMESTAMPTZ '2026-03-01 00:15:00+00' + d * interval '15 minutes', q + d % 7, q + d % 5, now()
       FROM generate_series(1, 3) q, generate_series(0, 300) d`,
    );
    await db.executor.query(
      `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, contacts_in_queue_count, collected_at)
       SELECT 'i-1', 'q1', 'VOICE', TIMESTAMPTZ '2026-03-01 10:00:00+00' + s * interval '10 seconds', s % 4, now()
       FROM generate_series(0, 40) s`,
    );
    const before = { daily: await rows(db, DAILY_FROM_VIEW), minutes: await rows(db, MINUTE_FROM_VIEW) };

    await runMigrations(db.executor, all);

    expect(await rows(db, DAILY_FROM_VIEW)).toEqual(before.daily);
    expect(await rows(db, MINUTE_FROM_VIEW)).toEqual(before.minutes);
    expect(await rows(db, CHANNEL_FROM_VIEW)).toEqual(await rows(db, CHANNEL_FROM_QUEUE_MINUTES));
    expect(await rows(db, CHANNEL_FROM_VIEW)).toHaveLength(7);
    expect(before.daily).toHaveLength(12);
    // The existing rows stay in the raw part: nothing older than the migration was rolled up.
    expect(await rows(db, 'SELECT count(*)::int AS n FROM queue_daily_metrics')).toEqual([{ n: 0 }]);
    expect(await rows(db, 'SELECT count(*)::int AS n FROM queue_realtime_minute')).toEqual([{ n: 0 }]);
    expect(
      await rows(
        db,
        "SELECT rollup, from_time = '-infinity' AS from_the_start, from_time > now() - interval '1 day' AS recent FROM rollup_start ORDER BY 1",
      ),
    ).toEqual([
      // Rows existed: the rollup starts today (this minute); the table with none rolls everything up.
      { rollup: 'channel_realtime_minute', from_the_start: false, recent: true },
      { rollup: 'queue_daily_metrics', from_the_start: false, recent: true },
      { rollup: 'queue_daily_service_level', from_the_start: true, recent: false },
      { rollup: 'queue_realtime_minute', from_the_start: false, recent: true },
    ]);
  });
});

// Two writers of the same minute at once (a lease that lapsed mid-statement, a manual backfill): the
// second waits for the first and rolls up what it committed. Needs a server with real sessions, so it
// runs where DATABASE_URL names one (CI).
const servers = databaseTargets().filter((t) => t.name === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('concurrent writers on $name', ({ url }) => {
    let db: TestSchema;
    beforeAll(async () => {
      db = await createMigratedSchema(url, 'rollups_concurrent');
      await db.executor.query(`UPDATE rollup_start SET from_time = TIMESTAMPTZ '2026-03-09 00:00:00+00'`);
    });
    afterAll(() => db.drop());

    test('two transactions writing snapshots of the same minute both land, and the minute counts both', async () => {
      const pool = db.newPool();
      const [first, second] = await Promise.all([pool.connect(), pool.connect()]);
      const insert = (at: string) =>
        `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, contacts_in_queue_count, collected_at)
         VALUES ('i-1', 'q1', 'VOICE', '${at}', 1, now())`;
      try {
        await first.query('BEGIN');
        await first.query(insert('2026-03-09 10:00:00+00'));
        await second.query('BEGIN');
        const blocked = second.query(insert('2026-03-09 10:00:10+00'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.query('COMMIT');
        await blocked;
        await second.query('COMMIT');
      } finally {
        first.release();
        second.release();
      }
      expect((await db.executor.query(MINUTE_FROM_VIEW)).rows).toEqual(
        (await db.executor.query(MINUTE_FROM_RAW)).rows,
      );
      expect((await db.executor.query(MINUTE_FROM_VIEW)).rows.map((r) => r.sample_count)).toEqual([2]);
    });
  });
}
