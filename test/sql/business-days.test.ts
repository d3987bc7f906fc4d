import { createMigratedSchema, databaseTargets, type TestSchema } from '../support/databases';

/**
 * Local business days (V016): the daily views by local date of the queue's hours' time zone, on a
 * daylight-saving change day in a US zone (23 hours) and a European zone (25 hours), and in a centre
 * east of UTC whose business day starts on the UTC day before; service level and occupancy restricted
 * to open hours. Every expected figure is worked out by hand from the zone's offsets on those dates.
 */

const ALL_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const WEEKDAYS = ALL_WEEK.slice(1, 6);

describe.each(databaseTargets())('business-day views on $name', ({ url }) => {
  let db: TestSchema;
  const q = (sql: string, params: Parameters<TestSchema['executor']['query']>[1] = {}) =>
    db.executor.query(sql, params);

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'business_days');
    const centres = [
      // instance, queue, hours, zone, ranges
      ['i-ny', 'q-ny', 'h-ny', 'America/New_York', WEEKDAYS.map((day) => ({ day, start: 480, end: 1200 }))],
      [
        'i-berlin',
        'q-berlin',
        'h-berlin',
        'Europe/Berlin',
        ALL_WEEK.map((day) => ({ day, start: 540, end: 1020 })),
      ],
      [
        'i-syd',
        'q-syd',
        'h-syd',
        'Australia/Sydney',
        WEEKDAYS.map((day) => ({ day, start: 480, end: 1200 })),
      ],
    ] as const;
    for (const [instance, queue, hours, zone, config] of centres) {
      await q(
        `INSERT INTO hours_of_operation (instance_id, hours_id, hours_arn, time_zone, config, first_seen_at, last_seen_at)
         VALUES (:instance, :hours, :hours, :zone, :config::jsonb, now(), now())`,
        { instance, hours, zone, config: JSON.stringify(config) },
      );
      await q(
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at, hours_of_operation_id)
         VALUES (:instance, :queue, :queue, :queue, 'STANDARD', now(), now(), :hours)`,
        { instance, queue, hours },
      );
    }
    await q(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
       VALUES ('i-none', 'q-none', 'q-none', 'No hours', 'STANDARD', now(), now())`,
    );
    // One contact queued in every 15-minute interval of the given UTC range.
    const intervals = async (instance: string, queue: string, from: string, to: string) =>
      q(
        `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start, interval_minutes,
           interval_end, contacts_queued_count, collected_at)
         SELECT :instance, :queue, 'VOICE', t, 15, t + interval '15 minutes', 1, now()
         FROM generate_series(:from::timestamptz, :to::timestamptz - interval '15 minutes', interval '15 minutes') t`,
        { instance, queue, from, to },
      );
    await intervals('i-ny', 'q-ny', '2026-03-08T00:00Z', '2026-03-10T00:00Z');
    await intervals('i-berlin', 'q-berlin', '2026-10-24T12:00Z', '2026-10-26T12:00Z');
    await intervals('i-none', 'q-none', '2026-10-24T12:00Z', '2026-10-25T12:00Z');
    // Sydney: every interval of Monday 2026-04-06 (AEST, UTC+10) queues 2, and removes both within
    // 20 s only in open hours (08:00-20:00 local = 22:00Z-10:00Z).
    await q(
      `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
         threshold_seconds, contacts_answered_in_threshold_count, contacts_abandoned_in_threshold_count,
         contacts_removed_in_threshold_count, contacts_queued_count, collected_at)
       SELECT 'i-syd', 'q-syd', 'VOICE', t, 15, 20, CASE WHEN open THEN 2 ELSE 0 END, 0,
         CASE WHEN open THEN 2 ELSE 0 END, 2, now()
       FROM generate_series(TIMESTAMPTZ '2026-04-05 14:00Z', TIMESTAMPTZ '2026-04-06 13:45Z', interval '15 minutes') t,
         LATERAL (SELECT t >= TIMESTAMPTZ '2026-04-05 22:00Z' AND t < TIMESTAMPTZ '2026-04-06 10:00Z' AS open) o`,
    );
    // New York agent on Monday 2026-03-09 (EDT, UTC-4; local day = 04:00Z to 04:00Z): 600 s on contact
    // and 300 s idle in each open interval (08:00-20:00 = 12:00Z-00:00Z), idle all through otherwise.
    await q(
      `INSERT INTO agent_interval_metrics (instance_id, agent_id, interval_start, interval_minutes, interval_end,
         contact_time_sum_seconds, idle_time_sum_seconds, collected_at)
       SELECT 'i-ny', 'a-1', t, 15, t + interval '15 minutes',
         CASE WHEN open THEN 600 ELSE 0 END, CASE WHEN open THEN 300 ELSE 900 END, now()
       FROM generate_series(TIMESTAMPTZ '2026-03-09 04:00Z', TIMESTAMPTZ '2026-03-10 03:45Z', interval '15 minutes') t,
         LATERAL (SELECT t >= TIMESTAMPTZ '2026-03-09 12:00Z' AND t < TIMESTAMPTZ '2026-03-10 00:00Z' AS open) o`,
    );
  });
  afterAll(() => db.drop());

  const daily = async (queue: string) =>
    (
      await q(
        `SELECT business_date::text AS date, time_zone, contacts_queued_count AS queued
         FROM v_queue_daily_local WHERE queue_id = :queue ORDER BY business_date`,
        { queue },
      )
    ).rows;

  test('US: the local day clocks go forward holds 23 hours of intervals, the UTC day 24', async () => {
    // 2026-03-08 in New York: 05:00Z (EST) to 04:00Z next day (EDT). Data from 00:00Z on the 8th to
    // 00:00Z on the 10th: 5 h of the 7th, 23 h of the 8th, 20 h of the 9th.
    expect(await daily('q-ny')).toEqual([
      { date: '2026-03-07', time_zone: 'America/New_York', queued: 5 * 4 },
      { date: '2026-03-08', time_zone: 'America/New_York', queued: 23 * 4 },
      { date: '2026-03-09', time_zone: 'America/New_York', queued: 20 * 4 },
    ]);
    const utc = await q(
      "SELECT contacts_queued_count AS queued FROM v_queue_daily WHERE queue_id = 'q-ny' AND day_utc = '2026-03-08'",
    );
    expect(utc.rows).toEqual([{ queued: 96 }]);
  });

  test('Europe: the local day clocks go back holds 25 hours', async () => {
    // 2026-10-25 in Berlin: 22:00Z on the 24th (CEST) to 23:00Z on the 25th (CET). Data from 12:00Z on
    // the 24th to 12:00Z on the 26th: 10 h of the 24th, 25 h of the 25th, 13 h of the 26th.
    expect(await daily('q-berlin')).toEqual([
      { date: '2026-10-24', time_zone: 'Europe/Berlin', queued: 10 * 4 },
      { date: '2026-10-25', time_zone: 'Europe/Berlin', queued: 25 * 4 },
      { date: '2026-10-26', time_zone: 'Europe/Berlin', queued: 13 * 4 },
    ]);
  });

  test('a queue whose hours are not known stays on UTC days', async () => {
    expect(await daily('q-none')).toEqual([
      { date: '2026-10-24', time_zone: 'UTC', queued: 12 * 4 },
      { date: '2026-10-25', time_zone: 'UTC', queued: 12 * 4 },
    ]);
  });

  test("east of UTC: Sydney's Monday starts at 14:00Z on Sunday; service level over the day and in open hours", async () => {
    const rows = await q(
      `SELECT business_date::text AS date, contacts_queued_count AS queued, contacts_removed_in_threshold_count AS removed,
         round(service_level_pct::numeric, 2)::float AS sl, open_hours_contacts_queued_count AS open_queued,
         round(open_hours_service_level_pct::numeric, 2)::float AS open_sl
       FROM v_queue_service_level_daily_local WHERE queue_id = 'q-syd'`,
    );
    // 96 intervals x 2 queued; 48 open intervals x 2 removed.
    expect(rows.rows).toEqual([
      { date: '2026-04-06', queued: 192, removed: 96, sl: 50, open_queued: 96, open_sl: 100 },
    ]);
  });

  test('occupancy over the local day and in open hours only', async () => {
    const rows = await q(
      `SELECT business_date::text AS date, time_zone, round(occupancy_pct::numeric, 2)::float AS occupancy,
         round(open_hours_occupancy_pct::numeric, 2)::float AS open_occupancy
       FROM v_agent_daily_local WHERE agent_id = 'a-1'`,
    );
    // Whole day: 48 x 600 s on contact over 48 x 600 + 48 x 300 + 48 x 900 s: a third. Open hours:
    // 600 / (600 + 300): two thirds.
    expect(rows.rows).toEqual([
      { date: '2026-03-09', time_zone: 'America/New_York', occupancy: 33.33, open_occupancy: 66.67 },
    ]);
  });
});
