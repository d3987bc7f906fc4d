import { checkDataLoad } from '../../lambdas/check-data-load/check';
import { sqlFreshnessStore } from '../../lambdas/check-data-load/freshness-store';
import { currentActivityProbe } from '../../lambdas/current-metrics/connect-source';
import type { Feed } from '../../lambdas/feeds';
import { PollGate } from '../../lambdas/shared/collector/poll-gate';
import { localInstant } from '../../lambdas/shared/connect/open-periods';
import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import { silentLog } from '../../lambdas/shared/runtime/logger';
import { runStepped } from '../../local/runner/stepped-run';
import { FAST_QUOTAS, startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ZONE = 'America/New_York';
/** A week that ended yesterday (the views keep days before the database's now()), from a UTC midnight. */
const START = simulationStart(0).getTime() - 8 * DAY;
const END = START + 7 * DAY;
/** The real-time feeds are sampled every 5 minutes (each sampled tick decides as any tick would). */
const SAMPLE = 5 * MIN;

jest.setTimeout(900_000);

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
});

/** yyyy-MM-dd and minutes after midnight of `ms` in New York. */
function local(ms: number): { date: string; minute: number; weekday: number } {
  const parts = NEW_YORK.formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minute: Number(get('hour')) * 60 + Number(get('minute')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

/**
 * A simulated week of an office-hours centre (Monday to Friday 08:00-20:00 in New York, closed at
 * weekends, on a company holiday and on New Year's and Christmas Day), every feed on its schedule with
 * the poll gate deciding each run, as deployed: closed nights, the weekend and the holiday write
 * nothing to the database but the scheduled feeds' closed batches, the real-time feeds ask Connect once
 * every 5 minutes, and what Connect serves is all stored: every 15-minute interval and every local
 * business day equals Connect's definitions computed from the simulator's own contact records.
 * Real-time ticks every minute and historical every 15 minutes here, so the week runs in minutes.
 */
describe('a simulated week of an office-hours centre, polled by its hours', () => {
  let pipeline: TestPipeline;
  /** Per due time: the feed, whether it was open (by the simulator's model), outcomes, calls, statements. */
  const steps: {
    at: number;
    feed: Feed;
    open: boolean;
    outcome: string;
    /** Why the poll gate decided as it did, when not simply open. */
    why: unknown;
    calls: number;
    statements: number;
  }[] = [];
  const checks: { label: string; at: number; statusCode: number; statuses: Record<string, string> }[] = [];
  let holiday: string | undefined;

  const openAt = (ms: number) =>
    pipeline.simulator.groundTruth
      .resources()
      .queueHours.some((q) => pipeline.simulator.groundTruth.queueOpen(q.queueId, ms));
  const check = async (label: string, at: number) => {
    const response = await checkDataLoad(null, {
      config: pipeline.config,
      store: sqlFreshnessStore(pipeline.db),
      now: () => new Date(at),
      log: silentLog,
    });
    checks.push({
      label,
      at,
      statusCode: response.statusCode,
      statuses: Object.fromEntries((response.body.feeds ?? []).map((f) => [f.feed, f.status])),
    });
  };

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      profile: 'office-hours',
      timeZone: ZONE,
      queues: 3,
      agents: 24,
      label: 'hours_week_it',
      startAt: new Date(START),
      contactRecords: true,
      quotas: FAST_QUOTAS,
      config: {
        cadences: { realtimeSeconds: 60, historicalMinutes: 15, metadataMinutes: 60 },
        // Stale after 6 minutes without a real-time run: the 5-minute samples keep an open centre fresh.
        staleAfterCadences: 6,
        historicalBackfillHours: 1,
        historicalRestateHours: [1, 6],
        apiQuotas: FAST_QUOTAS,
      },
    });
    // The company holiday: a weekday whose noon the simulator's hours say is closed (an override).
    const closedWeekdayNoon = firstLocal(
      START,
      (l) => l.weekday >= 1 && l.weekday <= 5 && l.minute === 12 * 60,
      (t) => !openAt(t),
    );
    holiday = local(closedWeekdayNoon).date;
    const gate = new PollGate({ config: pipeline.config, probe: currentActivityProbe, log: silentLog });
    // The open weekday hour the pipeline stops for 15 minutes (an outage while open), and its check.
    const outage = firstLocal(
      START + DAY,
      (l) => l.weekday >= 1 && l.weekday <= 5 && l.minute === 11 * 60 && !isHoliday(l.date),
    );
    const checkpoints = [
      { label: 'Saturday noon', at: firstLocal(START, (l) => l.weekday === 6 && l.minute === 12 * 60) },
      { label: 'holiday noon', at: firstLocal(START, (l) => l.date === holiday && l.minute === 12 * 60) },
      { label: 'weekday 03:00', at: firstLocal(START + DAY, (l) => l.weekday === 2 && l.minute === 3 * 60) },
      { label: 'open, running', at: outage - 10 * MIN },
      { label: 'open, stopped 15 minutes', at: outage + 10 * MIN },
    ];
    let statements = 0;
    await runStepped({
      from: START,
      until: END,
      setClock: (ms) => pipeline.clock.set(ms),
      deps: (feed) =>
        pipeline.deps({
          gate,
          ...(feed === 'historical_metrics' ? { deadlineAt: Date.now() + 240_000 } : {}),
        }),
      everyMs: { current_metrics: SAMPLE, current_users: SAMPLE },
      skip: (feed, at) => at >= outage && at < outage + 15 * MIN && feed !== 'metadata',
      after: async ({ at, feed, runs }) => {
        const now = pipeline.counters.statements;
        for (const run of runs) {
          steps.push({
            at,
            feed,
            open: openAt(at),
            outcome: run.outcome,
            why: run.details?.gate,
            calls: run.apiCalls,
            statements: now - statements,
          });
        }
        statements = now;
        for (const point of checkpoints) {
          if (feed === 'current_users' && at <= point.at && point.at < at + SAMPLE)
            await check(point.label, point.at);
        }
        // The check's own reads are a user's, not the collectors'.
        statements = pipeline.counters.statements;
      },
    });
  });
  afterAll(() => pipeline?.close());

  function isHoliday(date: string) {
    return date === holiday;
  }
  /** The first whole minute at or after `from` whose New York time matches (and `also` holds). */
  function firstLocal(
    from: number,
    match: (l: ReturnType<typeof local>) => boolean,
    also: (t: number) => boolean = () => true,
  ): number {
    for (let t = Math.ceil(from / MIN) * MIN; t < END; t += MIN) if (match(local(t)) && also(t)) return t;
    throw new Error('no such minute in the week');
  }

  test('the week holds a weekend and a company holiday override', () => {
    expect(holiday).toBeDefined();
    const dates = new Set(steps.map((s) => local(s.at).date));
    expect(dates.size).toBeGreaterThanOrEqual(7);
  });

  test('closed and idle, no run writes: the database sees statements only from runs that went ahead', () => {
    const closedRuns = steps.filter((s) => s.outcome === 'closed');
    expect(closedRuns.length).toBeGreaterThan(steps.length / 2);
    expect(closedRuns.filter((s) => s.statements > 0)).toEqual([]);
    // Every run while open went ahead.
    expect(steps.filter((s) => s.open && s.outcome === 'closed')).toEqual([]);
  });

  test('closed, the database is idle for hours on end: woken only by closed batches and after-hours activity', () => {
    const writes = steps.filter((s) => s.statements > 0).map((s) => s.at);
    let longest = 0;
    for (let i = 1; i < writes.length; i += 1) longest = Math.max(longest, writes[i]! - writes[i - 1]!);
    // A weekend night: from one 4-hour batch to the next (the batch blocks of the UTC day).
    expect(longest).toBeGreaterThanOrEqual(3.9 * HOUR);
    // Outside the hours (widened by the margin and, for a scheduled feed, its cadence: its run after
    // closing reads the last open intervals), what writes is a batch run or a probe that found someone.
    const cadence: Record<Feed, number> = {
      current_metrics: 0,
      current_users: 0,
      historical_metrics: 15 * MIN,
      metadata: HOUR,
    };
    const openNear = (s: (typeof steps)[number]) => {
      for (let t = s.at - cadence[s.feed] - 20 * MIN; t <= s.at + 20 * MIN; t += 5 * MIN)
        if (openAt(t)) return true;
      return false;
    };
    const closedWrites = steps.filter((s) => s.statements > 0 && !openNear(s));
    expect(closedWrites.length).toBeGreaterThan(0);
    expect([...new Set(closedWrites.map((s) => s.why))].sort()).toEqual(expect.arrayContaining(['batch']));
    for (const s of closedWrites) expect(['batch', 'activity', 'closing snapshot']).toContain(s.why);
    // Batches: the first historical and metadata runs of each 4-hour block of the UTC day.
    for (const s of closedWrites.filter((w) => w.why === 'batch'))
      expect(s.at % (4 * HOUR)).toBeLessThan(20 * MIN);
  });

  test('closed, each real-time feed asks Connect once every 5 minutes (the probe) and writes only after-hours activity', () => {
    for (const feed of ['current_metrics', 'current_users'] as const) {
      const closed = steps.filter(
        (s) => s.feed === feed && !s.open && !openAt(s.at - 20 * MIN) && !openAt(s.at + 20 * MIN),
      );
      const hours = (closed.length * SAMPLE) / HOUR;
      const probes = closed.filter((s) => s.why === 'closed, idle');
      // 12 probes an hour (every 5 minutes), each one GetCurrentMetricData for the 3 queues, and the open
      // periods read again each hour (one SearchQueues page, one GetEffectiveHoursOfOperations).
      expect(Math.abs(probes.length / hours - 12)).toBeLessThan(0.5);
      // Each idle probe is one call (3 queues: one GetCurrentMetricData page); the open periods are read
      // again hourly by whichever feed of the container asks first.
      expect([...new Set(probes.map((s) => s.calls))]).toEqual([1]);
      const calls = closed.reduce((n, s) => n + s.calls, 0);
      expect(calls / hours).toBeLessThan(13);
      // After hours, only a probe that found someone (contacts still queued, agents still logged in) runs,
      // every tick until the centre is idle, then once more to write it idle.
      const ran = closed.filter((s) => s.outcome !== 'closed');
      for (const s of ran) expect(['activity', 'closing snapshot']).toContain(s.why);
      if (ran.length > 0) expect(ran.some((s) => s.why === 'closing snapshot')).toBe(true);
    }
  });

  test('/check: 200 with the real-time feeds closed on a Saturday, the holiday and a weekday night; 503 when open and stopped', () => {
    const byLabel = Object.fromEntries(checks.map((c) => [c.label, c]));
    for (const label of ['Saturday noon', 'holiday noon', 'weekday 03:00']) {
      const c = byLabel[label];
      expect([label, c?.statusCode, c?.statuses.current_metrics, c?.statuses.current_users]).toEqual([
        label,
        200,
        'closed',
        'closed',
      ]);
      // Historical and metadata ran in the last closed batch: within their own windows (ok) or excused.
      expect(['ok', 'closed']).toContain(c?.statuses.historical_metrics);
      expect(['ok', 'closed']).toContain(c?.statuses.metadata);
    }
    const running = byLabel['open, running'];
    expect([running?.statusCode, running?.statuses.current_metrics, running?.statuses.current_users]).toEqual(
      [200, 'ok', 'ok'],
    );
    // Stopped since 10 minutes (its last run 15 minutes back): open, so stale.
    const stopped = byLabel['open, stopped 15 minutes'];
    expect([stopped?.statusCode, stopped?.statuses.current_metrics, stopped?.statuses.current_users]).toEqual(
      [503, 'stale', 'stale'],
    );
  });

  const query = async (sql: string, params = {}) =>
    (await pipeline.schema.executor.query<Record<string, unknown>>(sql, params)).rows;

  test('nothing Connect served is lost: every 15-minute interval of the week equals the contact records', async () => {
    // Intervals that have had their 6-hour re-read by the week's end.
    const rows = await query(
      `SELECT queue_id, channel, interval_start, contacts_queued_count, contacts_handled_count, contacts_answered_count
       FROM queue_interval_metrics WHERE interval_minutes = 15 AND interval_start >= :from AND interval_start < :to`,
      { from: new Date(START + HOUR), to: new Date(END - 7 * HOUR) },
    );
    const queues = pipeline.simulator.groundTruth.resources().queueHours.map((q) => q.queueId);
    // Every interval of every queue and channel with contacts is stored (none missing), and equal.
    let contacts = 0;
    let missing = 0;
    const stored = new Map(
      rows.map((r) => [`${r.queue_id} ${r.channel} ${parseDbTimestamp(r.interval_start).getTime()}`, r]),
    );
    for (const queueId of queues) {
      for (const channel of ['VOICE', 'CHAT', 'TASK'] as const) {
        for (let t = START + HOUR; t < END - 7 * HOUR; t += 15 * MIN) {
          const truth = pipeline.simulator.groundTruth.fromContactRecords(
            queueId,
            channel,
            t,
            t + 15 * MIN,
            [20, 60],
          );
          const row = stored.get(`${queueId} ${channel} ${t}`);
          if (truth.queued + truth.handled === 0 && !row) continue;
          if (!row) {
            missing += 1;
            continue;
          }
          contacts += truth.handled;
          expect([
            queueId,
            channel,
            new Date(t).toISOString(),
            row.contacts_queued_count,
            row.contacts_handled_count,
            row.contacts_answered_count,
          ]).toEqual([
            queueId,
            channel,
            new Date(t).toISOString(),
            truth.queued,
            truth.handled,
            truth.answered,
          ]);
        }
      }
    }
    expect(missing).toBe(0);
    expect(contacts).toBeGreaterThan(100);
  });

  test('each local business day equals the contact records of that New York day (v_queue_daily_local)', async () => {
    const rows = await query(
      `SELECT queue_id, channel, business_date::text AS business_date, contacts_handled_count, contacts_queued_count
       FROM v_queue_daily_local WHERE time_zone = :zone`,
      { zone: ZONE },
    );
    // Whole local days inside what was collected, by hand: New York midnight to midnight, DST included.
    const first = local(START + 2 * HOUR).date;
    const days: string[] = [];
    for (let d = first; days.length < 5; ) {
      const next = new Date(Date.parse(`${d}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
      days.push(next);
      d = next;
    }
    let compared = 0;
    for (const row of rows.filter((r) => days.includes(String(r.business_date)))) {
      const date = String(row.business_date);
      const from = localInstant(date, 0, ZONE);
      const to = localInstant(date, 1440, ZONE);
      const truth = pipeline.simulator.groundTruth.fromContactRecords(
        String(row.queue_id),
        row.channel as 'VOICE',
        from,
        to,
        [20],
      );
      expect([
        row.queue_id,
        row.channel,
        date,
        row.contacts_queued_count,
        row.contacts_handled_count,
      ]).toEqual([row.queue_id, row.channel, date, truth.queued, truth.handled]);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
