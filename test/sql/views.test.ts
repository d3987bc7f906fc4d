import { createMigratedSchema, databaseTargets, type TestSchema } from '../support/databases';

/**
 * A small fixture whose weighted averages are computed by hand:
 * queue q1 VOICE, 10:00: 4 handled, 400 s handle time, 2 put on hold for 60 s in all
 * queue q1 VOICE, 10:15: 1 handled, 500 s handle time, 1 put on hold for 90 s
 * queue q2 VOICE, 10:00: 5 handled, 250 s handle time, no hold
 * Averaging the per-interval averages would give (100 + 500) / 2 = 300 s for q1; the exact answer is
 * 900 / 5 = 180 s. Over both queues: 1150 / 10 = 115 s handle, 150 / 3 = 50 s hold.
 */
async function seedIntervals(db: TestSchema) {
  await db.executor.query(
    `INSERT INTO connect_instance VALUES ('i-1', 'arn:aws:connect:us-east-1:111111111111:instance/i-1', 'us-east-1', 'Acme', 'prod', now(), now(), NULL)`,
  );
  await db.executor.query(
    `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
     VALUES ('i-1', 'q1', 'arn:q1', 'Sales', 'STANDARD', now(), now()), ('i-1', 'q2', 'arn:q2', 'Support', 'STANDARD', now(), now())`,
  );
  await db.executor.query(
    `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start, interval_minutes, interval_end,
       contacts_queued_count, contacts_handled_count, contacts_abandoned_count, handle_time_sum_seconds,
       hold_time_sum_seconds, contacts_put_on_hold_count, collected_at)
     VALUES
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 15, '2026-11-23 10:15:00+00', 5, 4, 1, 400, 60, 2, now()),
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:15:00+00', 15, '2026-11-23 10:30:00+00', 1, 1, 0, 500, 90, 1, now()),
       ('i-1', 'q2', 'VOICE', '2026-11-23 10:00:00+00', 15, '2026-11-23 10:15:00+00', 5, 5, 0, 250, 0, 0, now()),
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 5, '2026-11-23 10:05:00+00', 99, 99, 0, NULL, NULL, NULL, now())`,
  );
  await db.executor.query(
    `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
       threshold_seconds, contacts_answered_in_threshold_count, collected_at)
     VALUES ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 15, 20, 3, now()),
            ('i-1', 'q1', 'VOICE', '2026-11-23 10:15:00+00', 15, 20, 1, now())`,
  );
}

describe.each(databaseTargets())('BI views on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'views');
    await seedIntervals(db);
  });
  afterAll(() => db.drop());

  test('v_queue_interval gives each 15-minute interval its exact averages and leaves out v1 rows', async () => {
    const { rows } = await db.executor.query(
      `SELECT queue_name, interval_start, avg_handle_time_seconds, avg_hold_time_seconds, abandonment_rate_pct
       FROM v_queue_interval ORDER BY queue_id, interval_start`,
    );
    expect(rows).toEqual([
      {
        queue_name: 'Sales',
        interval_start: '2026-11-23 10:00:00.000',
        avg_handle_time_seconds: 100,
        avg_hold_time_seconds: 30,
        abandonment_rate_pct: 20,
      },
      {
        queue_name: 'Sales',
        interval_start: '2026-11-23 10:15:00.000',
        avg_handle_time_seconds: 500,
        avg_hold_time_seconds: 90,
        abandonment_rate_pct: 0,
      },
      {
        queue_name: 'Support',
        interval_start: '2026-11-23 10:00:00.000',
        avg_handle_time_seconds: 50,
        avg_hold_time_seconds: null,
        abandonment_rate_pct: 0,
      },
    ]);
  });

  test('re-aggregating v_queue_interval by day and queue set stays exact', async () => {
    const { rows } = await db.executor.query(
      `SELECT sum(handle_time_sum_seconds) / sum(contacts_handled_count) AS handle,
              sum(hold_time_sum_seconds) / sum(contacts_put_on_hold_count) AS hold
       FROM v_queue_interval WHERE client_name = 'Acme'`,
    );
    expect(rows[0]).toEqual({ handle: 115, hold: 50 });
  });

  test('v_queue_daily gives the exact daily weighted averages, not the average of averages', async () => {
    const { rows } = await db.executor.query(
      `SELECT queue_id, day_utc, contacts_handled_count, avg_handle_time_seconds, avg_hold_time_seconds
       FROM v_queue_daily ORDER BY queue_id`,
    );
    expect(rows).toEqual([
      {
        queue_id: 'q1',
        day_utc: '2026-11-23',
        contacts_handled_count: 5,
        avg_handle_time_seconds: 180,
        avg_hold_time_seconds: 50,
      },
      {
        queue_id: 'q2',
        day_utc: '2026-11-23',
        contacts_handled_count: 5,
        avg_handle_time_seconds: 50,
        avg_hold_time_seconds: null,
      },
    ]);
  });

  test('v_queue_service_level divides contacts answered within the threshold by contacts queued', async () => {
    const { rows } = await db.executor.query(
      `SELECT interval_start, service_level_pct AS pct FROM v_queue_service_level ORDER BY interval_start`,
    );
    expect(rows).toEqual([
      { interval_start: '2026-11-23 10:00:00.000', pct: 60 },
      { interval_start: '2026-11-23 10:15:00.000', pct: 100 },
    ]);
  });

  test('every v_* view answers a query', async () => {
    const views = await db.executor.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.views WHERE table_schema = current_schema() AND table_name LIKE 'v\\_%'",
    );
    expect(views.rows.length).toBeGreaterThanOrEqual(10);
    for (const { name } of views.rows) {
      await expect(db.executor.query(`SELECT * FROM ${name} LIMIT 1`)).resolves.toBeDefined();
    }
  });
});
