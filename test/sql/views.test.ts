import { createMigratedSchema, databaseTargets, type TestSchema } from '../support/databases';
import { recordRun } from '../support/runs';

/**
 * A small fixture whose weighted averages are computed by hand ("AHT sum" is AVG_HANDLE_TIME x handled,
 * which leaves out custom-status time; "answered" is answered from the queue):
 * queue q1 VOICE, 10:00: 4 handled (3 answered, 1 outbound), 400 s contact handle time, 360 s AHT sum,
 *   30 s queue answer time, 2 put on hold for 60 s in all; 5 queued, 4 removed within 20 s (3 answered)
 * queue q1 VOICE, 10:15: 1 handled and answered, 500 s handle time and AHT sum, 90 s answer time,
 *   1 put on hold for 90 s; 1 queued, 1 removed and answered within 20 s
 * queue q2 VOICE, 10:00: 5 handled and answered, 250 s handle time and AHT sum, 50 s answer time, no hold
 * queue q2 VOICE, 10:15: 2 handled, 200 s handle time, collected before AHT was (AHT sum null)
 * Averaging the per-interval averages would give (90 + 500) / 2 = 295 s AHT for q1; the exact answer is
 * 860 / 5 = 172 s (180 s contact handle time); its answer time is 120 / 4 = 30 s, not 120 / 5.
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
       hold_time_sum_seconds, contacts_put_on_hold_count, aht_weighted_sum_seconds, contacts_answered_count,
       queue_answer_time_sum_seconds, collected_at)
     VALUES
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 15, '2026-11-23 10:15:00+00', 5, 4, 1, 400, 60, 2, 360, 3, 30, now()),
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:15:00+00', 15, '2026-11-23 10:30:00+00', 1, 1, 0, 500, 90, 1, 500, 1, 90, now()),
       ('i-1', 'q2', 'VOICE', '2026-11-23 10:00:00+00', 15, '2026-11-23 10:15:00+00', 5, 5, 0, 250, 0, 0, 250, 5, 50, now()),
       ('i-1', 'q2', 'VOICE', '2026-11-23 10:15:00+00', 15, '2026-11-23 10:30:00+00', 2, 2, 0, 200, 0, 0, NULL, NULL, NULL, now()),
       ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 5, '2026-11-23 10:05:00+00', 99, 99, 0, NULL, NULL, NULL, NULL, NULL, NULL, now())`,
  );
  await db.executor.query(
    `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
       threshold_seconds, contacts_answered_in_threshold_count, contacts_removed_in_threshold_count, collected_at)
     VALUES ('i-1', 'q1', 'VOICE', '2026-11-23 10:00:00+00', 15, 20, 3, 4, now()),
            ('i-1', 'q1', 'VOICE', '2026-11-23 10:15:00+00', 15, 20, 1, 1, now())`,
  );
}

describe.each(databaseTargets())('BI views on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'views');
    await seedIntervals(db);
  });
  afterAll(() => db.drop());

  test("v_queue_interval gives each 15-minute interval Connect's averages and leaves out v1 rows", async () => {
    const { rows } = await db.executor.query(
      `SELECT queue_name, interval_start, avg_handle_time_seconds AS aht, avg_contact_handle_time_seconds AS cht,
         avg_queue_answer_time_seconds AS answer, avg_hold_time_seconds AS hold, abandonment_rate_pct AS abandoned
       FROM v_queue_interval ORDER BY queue_id, interval_start`,
    );
    expect(rows).toEqual([
      {
        queue_name: 'Sales',
        interval_start: '2026-11-23 10:00:00.000',
        aht: 90,
        cht: 100,
        answer: 10,
        hold: 30,
        abandoned: 20,
      },
      {
        queue_name: 'Sales',
        interval_start: '2026-11-23 10:15:00.000',
        aht: 500,
        cht: 500,
        answer: 90,
        hold: 90,
        abandoned: 0,
      },
      {
        queue_name: 'Support',
        interval_start: '2026-11-23 10:00:00.000',
        aht: 50,
        cht: 50,
        answer: 10,
        hold: null,
        abandoned: 0,
      },
      // Collected before AHT was: no figure, rather than one by another definition.
      {
        queue_name: 'Support',
        interval_start: '2026-11-23 10:15:00.000',
        aht: null,
        cht: 100,
        answer: null,
        hold: null,
        abandoned: 0,
      },
    ]);
  });

  test('re-aggregating v_queue_interval by day and queue set stays exact', async () => {
    const { rows } = await db.executor.query(
      `SELECT sum(handle_time_sum_seconds) / sum(contacts_handled_count) AS handle,
              sum(hold_time_sum_seconds) / sum(contacts_put_on_hold_count) AS hold,
              sum(queue_answer_time_sum_seconds) / sum(contacts_answered_count) AS answer
       FROM v_queue_interval WHERE client_name = 'Acme'`,
    );
    expect(rows[0]).toEqual({ handle: 1350 / 12, hold: 50, answer: 170 / 9 });
  });

  test('v_queue_daily gives the exact daily weighted averages, not the average of averages', async () => {
    const { rows } = await db.executor.query(
      `SELECT queue_id, day_utc, contacts_handled_count AS handled, contacts_answered_count AS answered,
         avg_handle_time_seconds AS aht, avg_contact_handle_time_seconds AS cht,
         avg_queue_answer_time_seconds AS answer, avg_hold_time_seconds AS hold
       FROM v_queue_daily ORDER BY queue_id`,
    );
    expect(rows).toEqual([
      {
        queue_id: 'q1',
        day_utc: '2026-11-23',
        handled: 5,
        answered: 4,
        aht: 172,
        cht: 180,
        answer: 30,
        hold: 50,
      },
      // The interval without an AHT sum counts in neither side of the AHT (250 / 5, not 250 / 7).
      {
        queue_id: 'q2',
        day_utc: '2026-11-23',
        handled: 7,
        answered: 5,
        aht: 50,
        cht: 450 / 7,
        answer: 10,
        hold: null,
      },
    ]);
  });

  test("v_queue_service_level is Connect's: contacts removed from the queue within the threshold over contacts queued", async () => {
    const { rows } = await db.executor.query(
      `SELECT interval_start, service_level_pct AS pct, answered_in_threshold_pct AS answered
       FROM v_queue_service_level ORDER BY interval_start`,
    );
    expect(rows).toEqual([
      { interval_start: '2026-11-23 10:00:00.000', pct: 80, answered: 60 },
      { interval_start: '2026-11-23 10:15:00.000', pct: 100, answered: 100 },
    ]);
  });

  test("v_queue_realtime_latest and v_agent_realtime_latest show the latest run's snapshot: a quiet one shows nothing, never older rows", async () => {
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    const snapshot = async (time: Date, queues: string[], agents: string[]) => {
      for (const q of queues) {
        await db.executor.query(
          `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, contacts_in_queue_count, collected_at)
           VALUES ('i-2', :q, 'VOICE', :time, 3, now())`,
          { q, time },
        );
      }
      for (const a of agents) {
        await db.executor.query(
          `INSERT INTO agent_realtime_snapshot (instance_id, agent_id, snapshot_time, agent_status_name, contacts_count, collected_at)
           VALUES ('i-2', :a, :time, 'Available', 0, now())`,
          { a, time },
        );
      }
      await recordRun(db.executor, 'i-2', 'current_metrics', time);
      await recordRun(db.executor, 'i-2', 'current_users', time);
    };
    const latest = async () => ({
      queues: (
        await db.executor.query(
          "SELECT queue_id FROM v_queue_realtime_latest WHERE instance_id = 'i-2' ORDER BY queue_id",
        )
      ).rows,
      agents: (
        await db.executor.query(
          "SELECT agent_id FROM v_agent_realtime_latest WHERE instance_id = 'i-2' ORDER BY agent_id",
        )
      ).rows,
    });

    await snapshot(at(30), ['q1', 'q2'], ['a1']);
    const busy = await latest();
    await snapshot(at(20), [], []);
    const quiet = await latest();
    await snapshot(at(10), ['q2'], ['a2']);

    expect(busy).toEqual({ queues: [{ queue_id: 'q1' }, { queue_id: 'q2' }], agents: [{ agent_id: 'a1' }] });
    expect(quiet).toEqual({ queues: [], agents: [] });
    expect(await latest()).toEqual({ queues: [{ queue_id: 'q2' }], agents: [{ agent_id: 'a2' }] });
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
