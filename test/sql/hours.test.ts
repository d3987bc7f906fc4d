import { createMigratedSchema, databaseTargets, type TestSchema } from '../support/databases';

/**
 * Hours of operation in SQL (V015): open periods of a local date as instants, across daylight-saving
 * changes in a US zone, a European zone and a zone east of UTC, ranges past midnight, Connect's
 * effective hours (overrides applied) taking precedence over the standard week, and "is this queue open
 * at t". Every expected instant is worked out by hand from the zone's offset on that date.
 */

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];
const OFFICE = WEEKDAYS.map((day) => ({ day, start: 480, end: 1200 })); // 08:00-20:00
const ALL_DAY = ['SUNDAY', ...WEEKDAYS, 'SATURDAY'].map((day) => ({ day, start: 0, end: 1440 }));

describe.each(databaseTargets())('hours of operation on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'hours');
    const hours = [
      ['h-ny', 'America/New_York', OFFICE],
      ['h-ny-24', 'America/New_York', ALL_DAY],
      ['h-berlin-24', 'Europe/Berlin', ALL_DAY],
      ['h-sydney', 'Australia/Sydney', OFFICE],
      // Friday night 22:00 to Saturday 06:00 (Connect's end not after its start: past midnight).
      ['h-night', 'Europe/London', [{ day: 'FRIDAY', start: 1320, end: 360 + 1440 }]],
    ] as const;
    for (const [id, zone, config] of hours) {
      await db.executor.query(
        `INSERT INTO hours_of_operation (instance_id, hours_id, hours_arn, hours_name, time_zone, config, first_seen_at, last_seen_at)
         VALUES ('i-1', :id, :id, :id, :zone, :config::jsonb, now(), now())`,
        { id, zone, config: JSON.stringify(config) },
      );
      await db.executor.query(
        `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at, hours_of_operation_id)
         VALUES ('i-1', :queue, :queue, :queue, 'STANDARD', now(), now(), :id)`,
        { queue: `q-${id}`, id },
      );
    }
    await db.executor.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
       VALUES ('i-1', 'q-unknown', 'q-unknown', 'No hours yet', 'STANDARD', now(), now())`,
    );
    // An override past the collected dates: New Year's Day 2027 closed, and Saturday 2027-01-02 open
    // 10:00-14:00 (an override gives its own ranges per weekday).
    await db.executor.query(
      `INSERT INTO hours_of_operation_override (instance_id, hours_id, override_id, override_name, effective_from,
         effective_till, config, first_seen_at, last_seen_at) VALUES
         ('i-1', 'h-ny', 'o-1', 'New Year', '2027-01-01', '2027-01-02',
          '[{"day": "SATURDAY", "start": 600, "end": 840}]', now(), now())`,
    );
    // Connect's effective hours of two New York dates: a holiday (closed) and a day with shorter hours.
    await db.executor.query(
      `INSERT INTO hours_of_operation_day (instance_id, hours_id, local_date, periods, override_name, collected_at) VALUES
         ('i-1', 'h-ny', '2026-11-26', '[]', 'Thanksgiving', now()),
         ('i-1', 'h-ny', '2026-11-27', '[[540, 900]]', 'Short Friday', now())`,
    );
  });
  afterAll(() => db.drop());

  const periods = async (hoursId: string, date: string) =>
    (
      await db.executor.query<{ opens_at: string; closes_at: string }>(
        `SELECT to_char(opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS opens_at,
                to_char(closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS closes_at
         FROM hours_open_periods('i-1', :hoursId, :date::date)`,
        { hoursId, date },
      )
    ).rows.map((r) => [r.opens_at, r.closes_at]);
  const open = async (queueId: string, at: string) =>
    (
      await db.executor.query<{ open: boolean | null }>(
        'SELECT queue_is_open(:instanceId, :queueId, :at::timestamptz) AS open',
        { instanceId: 'i-1', queueId, at },
      )
    ).rows[0]?.open;

  test('US: the day clocks go forward is 23 hours long, and office hours move with the offset', async () => {
    // 2026-03-08: EST (UTC-5) until 02:00, then EDT (UTC-4).
    expect(await periods('h-ny-24', '2026-03-08')).toEqual([['2026-03-08T05:00Z', '2026-03-09T04:00Z']]);
    expect(await periods('h-ny', '2026-03-06')).toEqual([['2026-03-06T13:00Z', '2026-03-07T01:00Z']]);
    expect(await periods('h-ny', '2026-03-09')).toEqual([['2026-03-09T12:00Z', '2026-03-10T00:00Z']]);
    // A Sunday: closed.
    expect(await periods('h-ny', '2026-03-08')).toEqual([]);
  });

  test('Europe: the day clocks go back is 25 hours long', async () => {
    // 2026-10-25: CEST (UTC+2) until 03:00, then CET (UTC+1).
    expect(await periods('h-berlin-24', '2026-10-25')).toEqual([['2026-10-24T22:00Z', '2026-10-25T23:00Z']]);
    expect(await periods('h-berlin-24', '2026-10-26')).toEqual([['2026-10-25T23:00Z', '2026-10-26T23:00Z']]);
  });

  test('east of UTC: a Sydney business day starts on the UTC day before, and DST ends between Friday and Monday', async () => {
    // 2026-04-03 (Friday): AEDT (UTC+11); 2026-04-05 03:00 clocks go back; 2026-04-06 (Monday): AEST (UTC+10).
    expect(await periods('h-sydney', '2026-04-03')).toEqual([['2026-04-02T21:00Z', '2026-04-03T09:00Z']]);
    expect(await periods('h-sydney', '2026-04-06')).toEqual([['2026-04-05T22:00Z', '2026-04-06T10:00Z']]);
    expect(await open('q-h-sydney', '2026-04-05T22:30Z')).toBe(true); // Monday 08:30 in Sydney
    expect(await open('q-h-sydney', '2026-04-05T21:30Z')).toBe(false); // Monday 07:30
  });

  test("Connect's effective hours of a date (its overrides) take the standard week's place", async () => {
    expect(await periods('h-ny', '2026-11-26')).toEqual([]); // Thanksgiving, a Thursday
    expect(await periods('h-ny', '2026-11-27')).toEqual([['2026-11-27T14:00Z', '2026-11-27T20:00Z']]);
    expect(await periods('h-ny', '2026-11-30')).toEqual([['2026-11-30T13:00Z', '2026-12-01T01:00Z']]);
    expect(await open('q-h-ny', '2026-11-26T17:00Z')).toBe(false);
    expect(await open('q-h-ny', '2026-11-27T15:00Z')).toBe(true);
    expect(await open('q-h-ny', '2026-11-27T21:00Z')).toBe(false); // 16:00: closed early
    const view = await db.executor.query<{ local_date: string; override_name: string | null }>(
      `SELECT local_date::text AS local_date, override_name FROM v_queue_open_period
       WHERE queue_id = 'q-h-ny' ORDER BY opens_at`,
    );
    // The holiday has no open period; the short Friday has one, named by its override.
    expect(view.rows).toEqual([{ local_date: '2026-11-27', override_name: 'Short Friday' }]);
  });

  test('a date not collected: an override covering it gives its ranges (none: closed), else the standard week', async () => {
    expect(await periods('h-ny', '2027-01-01')).toEqual([]); // a Friday, closed by the override
    expect(await periods('h-ny', '2027-01-02')).toEqual([['2027-01-02T15:00Z', '2027-01-02T19:00Z']]);
    expect(await periods('h-ny', '2027-01-04')).toEqual([['2027-01-04T13:00Z', '2027-01-05T01:00Z']]);
  });

  test('a range past midnight: open on the next local date until its end', async () => {
    // London, 2026-11-27 is a Friday (GMT = UTC).
    expect(await periods('h-night', '2026-11-27')).toEqual([['2026-11-27T22:00Z', '2026-11-28T06:00Z']]);
    expect(await open('q-h-night', '2026-11-28T03:00Z')).toBe(true);
    expect(await open('q-h-night', '2026-11-28T06:00Z')).toBe(false);
    expect(await open('q-h-night', '2026-11-27T21:59Z')).toBe(false);
  });

  test('a queue whose hours are not known yet is neither open nor closed, and instance_is_open ignores it', async () => {
    expect(await open('q-unknown', '2026-11-30T15:00Z')).toBeNull();
    const instance = async (at: string) =>
      (
        await db.executor.query<{ open: boolean | null }>(
          'SELECT instance_is_open(:i, :at::timestamptz) AS open',
          {
            i: 'i-1',
            at,
          },
        )
      ).rows[0]?.open;
    expect(await instance('2026-11-30T15:00Z')).toBe(true); // the 24x7 queues at least
  });
});
