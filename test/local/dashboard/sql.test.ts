import { dashboardDefinition, type Visual } from '../../../lib/dashboard/definition';
import { chooseView, visualQuery } from '../../../local/dashboard/sql';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const definition = dashboardDefinition({
  serviceLevelTargetPct: 80,
  serviceLevelThresholdSeconds: 20,
  maxWaitSeconds: 60,
  refreshSeconds: 10,
});
const visual = (id: string): Visual => {
  const found = definition.sheets.flatMap((s) => s.visuals).find((v) => v.id === id);
  if (!found) throw new Error(`no visual ${id}`);
  return found;
};
const NOW = new Date('2026-03-09T10:05:00Z');
const fromOf = (sql: string) => /FROM "([a-z0-9_]+)"/.exec(sql)?.[1];

describe('the view a dashboard statement reads', () => {
  test('the minute curve reads the per-channel rollup unless a queue is chosen', () => {
    const curve = visual('intraday-queue');
    const from = (selection: object) => fromOf(visualQuery(curve, definition.controls, selection, NOW).sql);
    expect(from({})).toBe('v_channel_realtime_1min');
    expect(from({ client: 'Acme', channel: 'VOICE' })).toBe('v_channel_realtime_1min');
    expect(from({ queue: 'Support' })).toBe('v_queue_realtime_1min');
  });

  test('an aggregate serves a measure only with the aggregate it was rolled up with', () => {
    const base = visual('intraday-queue');
    const averaged: Visual = {
      ...base,
      measures: [{ label: 'x', column: 'contacts_in_queue_avg', aggregation: 'max', unit: 'count' }],
    };
    expect(chooseView(base, ['minute_start'])).toBe('v_channel_realtime_1min');
    expect(chooseView(averaged, ['minute_start'])).toBe('v_queue_realtime_1min');
    // A key it does not have (or one it rolled up) sends the statement to the base view.
    expect(chooseView(base, ['minute_start', 'queue_id'])).toBe('v_queue_realtime_1min');
    expect(chooseView(base, ['contacts_in_queue_avg'])).toBe('v_queue_realtime_1min');
    // Views nothing declares an aggregate of are read as they are.
    expect(chooseView(visual('history-days'), ['day_utc'])).toBe('v_queue_daily');
  });
});

describe.each(databaseTargets())('the minute curve on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'dashboard_sql');
    await db.executor.query(
      `INSERT INTO connect_instance VALUES ('i-1', 'arn:aws:connect:us-east-1:111111111111:instance/i-1', 'us-east-1', 'Acme', 'prod', now(), now(), NULL)`,
    );
    // Three queues, two channels, 5 minutes of 10-second snapshots from 10:00.
    await db.executor.query(
      `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, contacts_in_queue_count,
         agents_available_count, oldest_contact_age_seconds, collected_at)
       SELECT 'i-1', 'q' || q, c, TIMESTAMPTZ '2026-03-09 10:00:00+00' + s * interval '10 seconds',
         (q * 3 + s) % 5, (q + s) % 4, CASE WHEN (q + s) % 5 = 0 THEN NULL ELSE (q * 7 + s) % 60 END, now()
       FROM generate_series(1, 3) q, unnest(ARRAY['VOICE', 'CHAT']) c, generate_series(0, 29) s`,
    );
  });
  afterAll(() => db.drop());

  test('reads the same answer from the rollup as from the queue minutes, whatever the selection', async () => {
    const curve = visual('intraday-queue');
    for (const selection of [{}, { channel: 'CHAT' }, { client: 'Acme' }]) {
      const { sql, params } = visualQuery(curve, definition.controls, selection, NOW);
      expect(fromOf(sql)).toBe('v_channel_realtime_1min');
      const rollup = (await db.executor.query(sql, params)).rows;
      const base = (
        await db.executor.query(sql.replace('"v_channel_realtime_1min"', '"v_queue_realtime_1min"'), params)
      ).rows;
      expect(rollup).toEqual(base);
      expect(rollup).toHaveLength(5);
    }
  });
});
