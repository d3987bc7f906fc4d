import { historicalMetrics } from '../../lambdas/historical-metrics/index';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { parseDbTimestamp } from '../../lambdas/shared/db/executor';
import type { RecordTotals } from '../../local/simulator/ground-truth';
import { FAST_HISTORICAL_QUOTAS, startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

const MIN = 60_000;
const HOUR = 60 * MIN;
const THRESHOLDS = [20, 60];
/** Simulated evening of today (the real date): the centre runs from 19:00, the pipeline from 20:00. */
const START = simulationStart(20).getTime();
/** Midnight that ends the day compared whole. */
const MIDNIGHT = START + 4 * HOUR;
/** Runs go on until every interval of the day has passed its 6-hour re-read, and the day is reconciled. */
const END = MIDNIGHT + 6 * HOUR + 10 * MIN;
/** The run that reconciles the day: its end plus the last re-read age (6 h here) and a cadence. */
const RECONCILING_RUN = MIDNIGHT + 6 * HOUR + 6 * MIN;

type Row = Record<string, unknown>;

jest.setTimeout(240_000);

/**
 * The numbers the pipeline stores equal Connect's definitions computed from the simulator's own
 * contact records (not from the aggregates its API serves), over a centre with outbound calls, transfers,
 * contacts moved between queues, custom-status time on contacts and after-contact work that runs for
 * up to two and a half hours, so that intervals change long after they end.
 */
describe("stored KPIs equal Connect's definitions, late contact records included", () => {
  let pipeline: TestPipeline;
  const runs: { restated: number; at: number; metrics?: Readonly<Record<string, number>> }[] = [];
  /** The stored interval the test tampers with before the day is reconciled. */
  let tampered: { queue_id: string; channel: string; interval_start: string };

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 60,
      label: 'definitions_it',
      startAt: new Date(START),
      warmUpMs: HOUR,
      contactRecords: true,
      quotas: FAST_HISTORICAL_QUOTAS,
      config: {
        // From before midnight, so the whole day is collected (a day collected in part is not reconciled).
        historicalBackfillHours: 21,
        serviceLevelThresholdsSeconds: THRESHOLDS,
        apiQuotas: FAST_HISTORICAL_QUOTAS,
        // The day's last re-read at 6 hours, so it is reconciled within the run (24 h by default).
        historicalRestateHours: [1, 6],
      },
    });
    await runCollector(metadata, pipeline.deps());
    // Every cadence, one minute after the interval closes, as deployed.
    for (let t = START + MIN; t <= END; t += 5 * MIN) {
      pipeline.clock.set(t);
      if (t === RECONCILING_RUN) tampered = await tamperWithOneInterval();
      const [summary] = await runCollector(historicalMetrics, pipeline.deps());
      expect([t, summary?.outcome, summary?.skipped]).toEqual([t, 'succeeded', []]);
      const details = summary?.details as Record<string, { restated?: number }>;
      runs.push({ restated: details.queue_v2?.restated ?? 0, at: t, metrics: summary?.metrics });
    }
  });
  afterAll(() => pipeline.close());

  const query = async (sql: string, params = {}) =>
    (await pipeline.schema.executor.query<Row>(sql, params)).rows;
  /** Adds 3 handled contacts to one stored interval of the day, as a lost or doubled write would. */
  async function tamperWithOneInterval() {
    const [row] = await query(
      `SELECT queue_id, channel, interval_start FROM queue_interval_metrics
       WHERE interval_minutes = 15 AND contacts_handled_count > 0 AND interval_start < :midnight
       ORDER BY interval_start, queue_id, channel LIMIT 1`,
      { midnight: new Date(MIDNIGHT) },
    );
    await query(
      `UPDATE queue_interval_metrics SET contacts_handled_count = contacts_handled_count + 3
       WHERE queue_id = :q AND channel = :c AND interval_start = :s AND interval_minutes = 15`,
      { q: row!.queue_id, c: row!.channel, s: row!.interval_start },
    );
    return row as { queue_id: string; channel: string; interval_start: string };
  }
  const truth = (queueId: string, channel: string, from: number, to: number): RecordTotals =>
    pipeline.simulator.groundTruth.fromContactRecords(queueId, channel as 'VOICE', from, to, THRESHOLDS);
  /** Stored queued, handled and answered counts equal Connect's, from the contact records. */
  const expectCounts = (key: string, row: Row, t: RecordTotals) =>
    expect([key, row.contacts_queued_count, row.contacts_handled_count, row.contacts_answered_count]).toEqual(
      [key, t.queued, t.handled, t.answered],
    );
  /** Average queue answer time and average handle time equal Connect's, to its 2-decimal rounding. */
  const expectAverages = (key: string, row: Row, t: RecordTotals) =>
    expect([
      key,
      closeTo(row.avg_queue_answer_time_seconds, t.answered ? t.queueAnswerSeconds / t.answered : null),
      closeTo(row.avg_handle_time_seconds, t.handled ? t.averageHandleTimeSeconds / t.handled : null),
    ]).toEqual([key, true, true]);
  const isTampered = (row: Row) =>
    row.queue_id === tampered.queue_id &&
    row.channel === tampered.channel &&
    String(row.interval_start) === String(tampered.interval_start);
  /** Connect rounds averages to 2 decimals; the stored sums carry that rounding, per contact. */
  const closeTo = (stored: unknown, exact: number | null) =>
    exact === null ? stored === null : Math.abs(Number(stored) - exact) <= 0.005 + 1e-9;

  test('every 15-minute interval that has had its re-reads: counts, answer time, service level and handle times', async () => {
    const rows = await query(
      `SELECT i.*, sl20.service_level_pct AS sl20, sl60.service_level_pct AS sl60
       FROM v_queue_interval i
       LEFT JOIN v_queue_service_level sl20 ON sl20.queue_id = i.queue_id AND sl20.channel = i.channel
         AND sl20.interval_start = i.interval_start AND sl20.threshold_seconds = 20
       LEFT JOIN v_queue_service_level sl60 ON sl60.queue_id = i.queue_id AND sl60.channel = i.channel
         AND sl60.interval_start = i.interval_start AND sl60.threshold_seconds = 60
       WHERE i.interval_start < :until`,
      { until: new Date(MIDNIGHT) },
    );
    let outbound = 0;
    let custom = 0;
    let compared = 0;
    for (const row of rows) {
      const start = parseDbTimestamp(row.interval_start).getTime();
      const t = truth(String(row.queue_id), String(row.channel), start, start + 15 * MIN);
      if (isTampered(row)) continue;
      const key = `${row.queue_id} ${row.channel} ${new Date(start).toISOString()}`;
      expectCounts(key, row, t);
      expect([key, row.sl20, row.sl60]).toEqual([
        key,
        t.queued === 0 ? null : (100 * (t.removedWithin[20] ?? 0)) / t.queued,
        t.queued === 0 ? null : (100 * (t.removedWithin[60] ?? 0)) / t.queued,
      ]);
      expectAverages(key, row, t);
      expect([key, row.handle_time_sum_seconds === null ? 0 : Number(row.handle_time_sum_seconds)]).toEqual([
        key,
        t.contactHandleSeconds,
      ]);
      outbound += t.handled - t.answered;
      if (t.contactHandleSeconds > t.averageHandleTimeSeconds) custom += 1;
      compared += 1;
    }
    expect(compared).toBeGreaterThan(6 * 3 * 8); // most queue x channel x 15 minutes of the evening were busy
    // The comparison covers the cases where the obvious readings differ from Connect's.
    expect(outbound).toBeGreaterThan(0);
    expect(custom).toBeGreaterThan(0);
  });

  test('the whole day per queue and channel (v_queue_daily), re-aggregated exactly', async () => {
    const rows = await query(`SELECT * FROM v_queue_daily WHERE day_utc = :day`, {
      day: new Date(START).toISOString().slice(0, 10),
    });
    expect(rows.length).toBeGreaterThan(6);
    for (const row of rows) {
      const t = truth(String(row.queue_id), String(row.channel), START - 2 * HOUR, MIDNIGHT);
      const key = `${row.queue_id} ${row.channel}`;
      if (row.queue_id === tampered.queue_id && row.channel === tampered.channel) {
        expect(row.contacts_handled_count).toBe(t.handled + 3);
        continue;
      }
      expectCounts(key, row, t);
      expectAverages(key, row, t);
    }
  });

  test("the day is reconciled with Connect's own figures: no difference but the injected one, which the run reports for the alarm", async () => {
    const day = new Date(START).toISOString().slice(0, 10);
    const rows = await query(
      `SELECT * FROM v_reconciliation WHERE day = :day ORDER BY queue_id, channel, metric`,
      {
        day,
      },
    );
    const differences = rows.filter((r) => r.within_tolerance === false);

    expect(rows.length).toBeGreaterThan(6 * 6); // every queue x channel x figure compared
    expect(new Set(rows.map((r) => r.metric))).toEqual(
      new Set([
        'contacts_queued',
        'contacts_handled',
        'contacts_answered',
        'contacts_abandoned',
        'avg_queue_answer_time_seconds',
        'service_level_pct_20',
        'service_level_pct_60',
      ]),
    );
    expect(differences.map((r) => [r.queue_id, r.channel, r.metric, r.difference])).toEqual([
      [tampered.queue_id, tampered.channel, 'contacts_handled', 3],
    ]);
    const reconciling = runs.find((r) => r.at === RECONCILING_RUN);
    expect(reconciling?.metrics).toEqual({ ReconciliationDifferences: 1 });
    // Only that run reconciled: the others publish no reconciliation figure.
    expect(runs.filter((r) => r.metrics).map((r) => r.at)).toEqual([RECONCILING_RUN]);
  });

  test('intervals changed after their first read were restated, and the re-reads cost a few ranges a run', async () => {
    const restated = await query(
      `SELECT count(*)::int AS n, sum(contacts_handled_restated_by)::int AS added
       FROM v_queue_interval WHERE restated_at IS NOT NULL`,
    );
    expect(restated[0]!.n).toBeGreaterThan(0);
    expect(restated[0]!.added).toBeGreaterThan(0); // late records add handled contacts
    // A 15-minute interval end turns 1 and 6 hours old in every third run: those runs read one range
    // (the two ages are whole intervals apart, so not merged) or two.
    expect(Math.max(...runs.map((r) => r.restated))).toBeLessThanOrEqual(2);
    expect(runs.filter((r) => r.restated > 0).length).toBeGreaterThan(runs.length / 4);
  });
});
