import { checkDataLoad } from '../../lambdas/check-data-load/check';
import { sqlFreshnessStore } from '../../lambdas/check-data-load/freshness-store';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { ConnectGateway } from '../../lambdas/shared/connect/gateway';
import { openDuring, readOpenPeriods } from '../../lambdas/shared/connect/open-periods';
import { silentLog } from '../../lambdas/shared/runtime/logger';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';
import { recordRun } from '../support/runs';

/**
 * The metadata collector reads an office-hours centre's hours of operation from the simulator through
 * the real SDK and Data API, and the database then answers "is this queue open at t" exactly as the
 * simulator's own model does, for every half hour of the collected dates: two implementations (the
 * simulator's Intl time zones, PostgreSQL's AT TIME ZONE) that must agree, weekends and the holiday
 * override included. Simulated time starts from today's date, so the window moves with the real date.
 */
describe.each([
  ['America/New_York', 'a US zone'],
  ['Australia/Sydney', 'a zone east of UTC'],
])('hours of operation from an office-hours centre in %s (%s)', (timeZone) => {
  let pipeline: TestPipeline;
  let instanceId: string;
  beforeAll(async () => {
    pipeline = await startTestPipeline({ profile: 'office-hours', timeZone, label: 'hours_it' });
    instanceId = pipeline.simulator.instances[0]!.instanceId;
    const [run] = await runCollector(metadata, pipeline.deps());
    expect(run?.error).toBeNull();
  });
  afterAll(() => pipeline.close());

  test('stores the hours, their overrides, nine effective days and each queue’s hours', async () => {
    const truth = pipeline.simulator.groundTruth.resources(instanceId);
    const hours = await pipeline.db.query<{
      hours_id: string;
      time_zone: string;
      overrides: number;
      days: number;
    }>(
      `SELECT h.hours_id, h.time_zone,
         (SELECT count(*) FROM hours_of_operation_override o WHERE o.hours_id = h.hours_id)::int AS overrides,
         (SELECT count(*) FROM hours_of_operation_day d WHERE d.hours_id = h.hours_id)::int AS days
       FROM hours_of_operation h WHERE h.instance_id = :instanceId AND h.deleted_at IS NULL ORDER BY h.hours_id`,
      { instanceId },
    );
    expect(hours.rows).toEqual(
      truth.hours
        .map((h) => ({ hours_id: h.id, time_zone: h.timeZone, overrides: h.overrides, days: 9 }))
        .sort((a, b) => a.hours_id.localeCompare(b.hours_id)),
    );
    const queues = await pipeline.db.query<{ queue_id: string; hours_of_operation_id: string }>(
      `SELECT queue_id, hours_of_operation_id FROM queue
       WHERE instance_id = :instanceId AND queue_type = 'STANDARD' ORDER BY queue_id`,
      { instanceId },
    );
    expect(queues.rows.map((q) => ({ queueId: q.queue_id, hoursId: q.hours_of_operation_id }))).toEqual(
      [...truth.queueHours].sort((a, b) => a.queueId.localeCompare(b.queueId)),
    );
  });

  test('every half hour of the collected dates, each queue is open in the database exactly when in the simulator', async () => {
    const window = await pipeline.db.query<{ first: string; last: string }>(
      `SELECT min(local_date)::text AS first, max(local_date)::text AS last FROM hours_of_operation_day
       WHERE instance_id = :instanceId`,
      { instanceId },
    );
    const { first, last } = window.rows[0]!;
    // From the first local date's start to the last one's end, whatever the zone's offset.
    const from = Date.parse(`${first}T00:00:00Z`) - 14 * 3_600_000;
    const to = Date.parse(`${last}T00:00:00Z`) + 38 * 3_600_000;
    const [queue] = pipeline.simulator.groundTruth.resources(instanceId).queueHours;
    const answers = await pipeline.db.query<{ at: string; open: boolean | null }>(
      `SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
              queue_is_open(:instanceId, :queueId, t) AS open
       FROM generate_series(:from::timestamptz, :to::timestamptz, interval '30 minutes') AS t`,
      { instanceId, queueId: queue!.queueId, from: new Date(from), to: new Date(to) },
    );
    expect(answers.rows.length).toBeGreaterThan(9 * 48);
    const disagree = answers.rows.filter(
      (r) =>
        r.open !== pipeline.simulator.groundTruth.queueOpen(queue!.queueId, Date.parse(r.at), instanceId),
    );
    expect(disagree).toEqual([]);
    // The week has both: open weekday hours and closed nights and weekends.
    expect(new Set(answers.rows.map((r) => r.open))).toEqual(new Set([true, false]));
  });

  test('the holiday override is a closed date in the effective hours, named, with no open period', async () => {
    const holiday = await pipeline.db.query<{ local_date: string; periods: number; override_name: string }>(
      `SELECT d.local_date::text AS local_date, jsonb_array_length(d.periods) AS periods, d.override_name
       FROM hours_of_operation_day d
       WHERE d.instance_id = :instanceId AND d.override_name = 'Company holiday'`,
      { instanceId },
    );
    expect(holiday.rows).toEqual([
      {
        local_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        periods: 0,
        override_name: 'Company holiday',
      },
    ]);
    const periods = await pipeline.db.query(
      'SELECT 1 FROM v_queue_open_period WHERE instance_id = :instanceId AND local_date = :date::date',
      { instanceId, date: holiday.rows[0]!.local_date },
    );
    expect(periods.rows).toEqual([]);
  });

  test('/check: 200 with the real-time feeds closed at noon on the holiday; 503 stale in an open period', async () => {
    const noon = await pipeline.db.query<{ holiday: string }>(
      `SELECT to_char(((d.local_date + time '12:00') AT TIME ZONE h.time_zone) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS holiday
       FROM hours_of_operation_day d JOIN hours_of_operation h USING (instance_id, hours_id)
       WHERE d.instance_id = :instanceId AND d.override_name = 'Company holiday'`,
      { instanceId },
    );
    // The middle of the first open period collected (whatever holidays today's date brings).
    const during = await pipeline.db.query<{ at: string }>(
      `SELECT to_char((opens_at + (closes_at - opens_at) / 2) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
       FROM v_queue_open_period WHERE instance_id = :instanceId ORDER BY opens_at LIMIT 1`,
      { instanceId },
    );
    const check = async (at: string) => {
      const now = new Date(at);
      // Only these runs: the scheduled feeds ran just now; the real-time ones last ran two hours before
      // (all of it within the holiday, closed; or, in the open period, partly open).
      await pipeline.db.query('DELETE FROM collector_run WHERE instance_id = :instanceId', { instanceId });
      for (const feed of ['metadata', 'historical_metrics'] as const)
        await recordRun(pipeline.db, instanceId, feed, now);
      for (const feed of ['current_metrics', 'current_users'] as const)
        await recordRun(pipeline.db, instanceId, feed, new Date(now.getTime() - 2 * 3_600_000));
      return checkDataLoad(null, {
        config: pipeline.config,
        store: sqlFreshnessStore(pipeline.db),
        now: () => now,
        log: silentLog,
      });
    };
    const statuses = (r: Awaited<ReturnType<typeof check>>) => r.body.feeds?.map((f) => [f.feed, f.status]);

    const closed = await check(noon.rows[0]!.holiday);
    expect(closed.statusCode).toBe(200);
    expect(statuses(closed)).toEqual([
      ['metadata', 'ok'],
      ['current_metrics', 'closed'],
      ['current_users', 'closed'],
      ['historical_metrics', 'ok'],
    ]);
    const open = await check(during.rows[0]!.at);
    expect(open.statusCode).toBe(503);
    expect(statuses(open)).toEqual([
      ['metadata', 'ok'],
      ['current_metrics', 'stale'],
      ['current_users', 'stale'],
      ['historical_metrics', 'ok'],
    ]);
  });
  test("the poll gate's open periods, read from Connect, say open exactly when the simulator is, every 10 minutes", async () => {
    const deps = pipeline.deps();
    const instance = deps.config.instances[0]!;
    const connect = new ConnectGateway(deps.clients.for(instance), {
      limiter: deps.limiters.for(instance),
      deadlineAt: Date.now() + 30_000,
    });
    const now = pipeline.clock.now();
    const read = await readOpenPeriods(connect, instanceId, now);
    const truth = pipeline.simulator.groundTruth.resources(instanceId);
    // SearchQueues (one page) and one GetEffectiveHoursOfOperations per hours the queues use.
    expect(read.calls).toBe(1 + new Set(truth.queueHours.map((q) => q.hoursId)).size);
    expect([...read.queueIds].sort()).toEqual(truth.queueHours.map((q) => q.queueId).sort());
    const disagree: string[] = [];
    for (let t = read.coversFrom; t < read.coversUntil; t += 10 * 60_000) {
      const open = truth.queueHours.some((q) =>
        pipeline.simulator.groundTruth.queueOpen(q.queueId, t, instanceId),
      );
      if (openDuring(read.periods, t, t) !== open) disagree.push(new Date(t).toISOString());
    }
    expect(disagree).toEqual([]);
  });
});
