import type { Client } from 'pg';
import { CURRENT_METRICS } from '../lambdas/current-metrics/definitions';
import { cadenceSeconds, FEEDS } from '../lambdas/feeds';
import { CadencesSchema, RuntimeConfigSchema } from '../lambdas/shared/config/runtime-config';
import type { SqlExecutor } from '../lambdas/shared/db/executor';
import { dashboardDefinition, type Sheet } from '../lib/dashboard/definition';
import { controlOptions, sheetRows } from '../local/dashboard/api';
import { type Selection, visualQuery } from '../local/dashboard/sql';
import { openBenchDatabase, withPg } from './bench-database';
import { type Figure, figure } from './results';
import { SCENARIOS } from './scenarios';
import { median, percentile } from './stats';

/**
 * The dashboard's API queries on PostgreSQL (only with DATABASE_URL), against the budget "each
 * dashboard API query p95 at most 100 ms with 30 days of data at the M scenario (100 queues, 1,000
 * agents)". A fresh, migrated schema (dropped at the end) is filled with generate_series (no random():
 * the same data every run), then every visual of every sheet, the control options and each whole
 * sheet (one API answer) are timed through the project's executor, as `npm start` serves them.
 *
 * What is generated, for the `days` ending at the bench's clock:
 * - 15-minute queue intervals (3 channels), their service-level rows at the default thresholds, and
 *   15-minute agent intervals: every day;
 * - 10-second queue snapshots for the last 24 hours only (30 days would be 78 million rows, too slow to
 *   generate), and the 15-minute rollup the retention job writes for the days before;
 * - 10-second agent snapshots for the last hour; collector runs of every feed at its cadence for a day.
 *
 * The clock is 23:59:50 UTC of the current day, so "today" visuals read a whole day (their worst
 * case) whatever the hour the bench runs. Data then reaches past the database's now(); the views use
 * now() only to keep "latest" within the last day, which that data satisfies.
 */

/** The budget the figures are read against, per query. */
const DASHBOARD_QUERY_BUDGET_MS = 100;

/** Options of {@link benchDashboardQueries}. */
export interface DashboardBenchOptions {
  readonly databaseUrl: string;
  /** Days of interval data. @default 30 */
  readonly days?: number;
  /** Timed runs of each query (after one warm-up). @default 20 */
  readonly repeats?: number;
  readonly progress: (line: string) => void;
}

const SIZE = SCENARIOS.find((s) => s.name === 'M') ?? { queues: 100, agents: 1_000 };
const INSTANCE = '00000000-0000-4000-8000-0000000000d1';
const CHANNELS = "(ARRAY['VOICE', 'CHAT', 'TASK'])[c + 1]";
const DAY_MS = 86_400_000;
const INTERVAL_MS = 15 * 60_000;
/** The queue the one-queue selection reads. */
const QUEUE = 'Queue 7';
const queueId = (q: string) => `'queue-' || lpad(${q}::text, 4, '0')`;
const agentId = (a: string) => `'agent-' || lpad(${a}::text, 5, '0')`;

/** Generates the data, then times every dashboard query; figures in scenario `dashboard`. */
export async function benchDashboardQueries(options: DashboardBenchOptions): Promise<Figure[]> {
  const days = options.days ?? 30;
  const repeats = options.repeats ?? 20;
  const now = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS - 10_000);
  const database = await openBenchDatabase({ kind: 'postgres', url: options.databaseUrl });
  try {
    const schema = await database.db.query<{ s: string }>('SELECT current_schema() AS s');
    const t0 = performance.now();
    const rows = await withPg(options.databaseUrl, async (pg) => {
      await pg.query(`SET search_path TO ${String(schema.rows[0]?.s)}`);
      return generate(pg, days, now, options.progress);
    });
    const generateS = Math.round((performance.now() - t0) / 100) / 10;
    options.progress(`  dashboard: data generated in ${generateS} s`);
    const figures: Figure[] = [
      figure('dashboard', 'all', 'generate_s', generateS, 's'),
      // Says how much raw real-time data there is: the rollup holds the days before.
      figure('dashboard', 'queue_realtime_snapshot', 'raw_snapshot_hours', 24, 'h'),
      ...Object.entries(rows).map(([table, n]) => figure('dashboard', table, 'generated_rows', n, 'rows')),
      ...(await timeDashboard(database.db, days, repeats, now, options.progress)),
    ];
    return figures;
  } finally {
    await database.close();
  }
}

/** Times every visual per selection, the control options and each whole sheet. */
async function timeDashboard(
  db: SqlExecutor,
  days: number,
  repeats: number,
  now: Date,
  progress: (line: string) => void,
): Promise<Figure[]> {
  const definition = dashboardDefinition({
    serviceLevelTargetPct: 80,
    serviceLevelThresholdSeconds: 20,
    maxWaitSeconds: 60,
    refreshSeconds: CadencesSchema.parse({}).realtimeSeconds,
  });
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const dates: Selection = { from: day(now.getTime() - (days - 1) * DAY_MS), to: day(now.getTime()) };
  // The date range only changes visuals over past days (the others read "today").
  const selections = (sheet: Sheet): [string, Selection][] => [
    ['all', {}],
    ['queue', { queue: QUEUE }],
    ...(sheet.visuals.some((v) => v.filters?.some((f) => 'lastDays' in f))
      ? [['dates', dates] as [string, Selection]]
      : []),
  ];
  const queryP95s: number[] = [];
  const sheetP95s: number[] = [];
  const figures: Figure[] = [];
  const explained = new Set<string>();
  const record = async (
    key: string,
    metric: string,
    run: () => Promise<unknown>,
    explain?: () => Promise<string[]>,
  ) => {
    const times = await timed(run, repeats);
    const p95 = Math.round(percentile(times, 95) * 10) / 10;
    const over = p95 > DASHBOARD_QUERY_BUDGET_MS;
    const runs = times.length < repeats ? ` (${times.length} runs: time cap)` : '';
    progress(
      `  ${over ? '!! OVER BUDGET ' : ''}dashboard ${key}: p95 ${p95} ms, median ${Math.round(median(times) * 10) / 10} ms${runs}`,
    );
    if (over && explain) for (const line of await explain()) progress(`     ${line}`);
    figures.push(figure('dashboard', key, metric, p95, 'ms'));
    return p95;
  };
  for (const sheet of definition.sheets) {
    for (const [name, selection] of selections(sheet)) {
      for (const visual of sheet.visuals) {
        const { sql, params } = visualQuery(visual, definition.controls, selection, now);
        const key = name === 'all' ? visual.id : `${visual.id}:${name}`;
        // The plan of the first selection over budget says why; the others mostly repeat it.
        const explain = async () => {
          if (explained.has(visual.id)) return [];
          explained.add(visual.id);
          const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          return plan.rows.map((r) => String(Object.values(r)[0]));
        };
        queryP95s.push(await record(key, 'query_p95_ms', () => db.query(sql, params), explain));
      }
      const query = { ...selection };
      const answer = await sheetRows(db, definition, sheet.id, query, now);
      if (answer.statusCode !== 200) progress(`  !! sheet ${sheet.id}: ${JSON.stringify(answer.body)}`);
      const key = name === 'all' ? sheet.id : `${sheet.id}:${name}`;
      sheetP95s.push(
        await record(key, 'sheet_p95_ms', () => sheetRows(db, definition, sheet.id, query, now)),
      );
    }
  }
  queryP95s.push(await record('controls', 'query_p95_ms', () => controlOptions(db, definition)));
  figures.push(
    figure('dashboard', 'all', 'query_p95_ms_max', Math.max(...queryP95s), 'ms'),
    figure('dashboard', 'all', 'sheet_p95_ms_max', Math.max(...sheetP95s), 'ms'),
  );
  progress(
    `  dashboard: query p95 max ${Math.max(...queryP95s)} ms, sheet p95 max ${Math.max(...sheetP95s)} ms`,
  );
  return figures;
}

/**
 * Time one query may spend on its timed runs before it stops early (after at least 3): a query that
 * slow is far over budget whatever its p95, and the bench stays minutes long.
 */
const TIME_CAP_MS = 15_000;

/** Milliseconds of `repeats` runs after one warm-up (fewer past {@link TIME_CAP_MS}). */
async function timed(run: () => Promise<unknown>, repeats: number): Promise<number[]> {
  await run();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < repeats; i += 1) {
    if (i >= 3 && performance.now() - started > TIME_CAP_MS) break;
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times;
}

/** Fills every table the dashboard's views read; returns the rows written per table. */
async function generate(
  pg: Client,
  days: number,
  now: Date,
  progress: (line: string) => void,
): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  const t0 = performance.now();
  const run = async (table: string, sql: string, params: unknown[], quiet = false) => {
    const { rowCount } = await pg.query(sql, params);
    rows[table] = (rows[table] ?? 0) + (rowCount ?? 0);
    const s = Math.round((performance.now() - t0) / 100) / 10;
    if (!quiet) progress(`  dashboard: ${table} ${rows[table]} rows (${s} s)`);
  };
  await pg.query('SET synchronous_commit TO off');
  await dimensions(pg);
  const intervalEnd = new Date(Math.floor(now.getTime() / INTERVAL_MS) * INTERVAL_MS);
  const todayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  // A day of intervals per statement: k counts 15-minute intervals back from the last complete one.
  for (let d = 0; d < days; d += 1) {
    const k = [d * 96 + 1, (d + 1) * 96];
    const quiet = (d + 1) % 10 !== 0 && d + 1 !== days;
    await run('queue_interval_metrics', QUEUE_INTERVALS, [INSTANCE, intervalEnd, ...k, SIZE.queues], quiet);
    await run('agent_interval_metrics', AGENT_INTERVALS, [INSTANCE, intervalEnd, ...k, SIZE.agents], quiet);
  }
  const thresholds = [...RuntimeConfigSchema.shape.serviceLevelThresholdsSeconds.parse(undefined)];
  await run('queue_interval_service_level', SERVICE_LEVELS, [thresholds.sort((a, b) => a - b)]);
  for (let h = 0; h < 24; h += 6) {
    await run('queue_realtime_snapshot', QUEUE_SNAPSHOTS, [
      INSTANCE,
      now,
      h * 360,
      h * 360 + 2159,
      SIZE.queues,
    ]);
  }
  await run('queue_realtime_15min', QUEUE_ROLLUP, [INSTANCE, todayStart, (days - 1) * 96, SIZE.queues]);
  await run('agent_realtime_snapshot', AGENT_SNAPSHOTS, [INSTANCE, now, 359, SIZE.agents]);
  const cadences = CadencesSchema.parse({});
  for (const feed of FEEDS) {
    const every = cadenceSeconds(feed, cadences);
    const last = new Date(Math.floor(now.getTime() / (every * 1000)) * every * 1000);
    await run('collector_run', COLLECTOR_RUNS, [INSTANCE, feed, last, every, 86_400 / every - 1]);
  }
  // A running pipeline's tables are autovacuumed; a fresh bulk load is not (no visibility map, hint
  // bits unset), and an autovacuum starting mid-measurement would skew it.
  const t = performance.now();
  const tables = [
    'connect_instance',
    'queue',
    'routing_profile',
    'agent_status',
    'agent',
    ...Object.keys(rows),
    // The rollups the triggers wrote while loading (migrations V012, V013).
    'queue_realtime_minute',
    'queue_daily_metrics',
    'queue_daily_service_level',
  ];
  await pg.query(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  progress(`  dashboard: VACUUM (ANALYZE) in ${Math.round(performance.now() - t)} ms`);
  return rows;
}

/** The instance, 100 queues, 10 routing profiles, 4 agent statuses and 1,000 agents. */
async function dimensions(pg: Client): Promise<void> {
  const seen = 'now(), now()';
  await pg.query(
    `INSERT INTO connect_instance (instance_id, instance_arn, region, client_name, environment, first_seen_at, last_seen_at)
     VALUES ($1, 'arn:aws:connect:us-east-1:111122223333:instance/' || $1, 'us-east-1', 'Dashboard bench', 'bench', ${seen})`,
    [INSTANCE],
  );
  await pg.query(
    `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
     SELECT $1, ${queueId('q')}, 'arn:queue/' || q, 'Queue ' || q, 'STANDARD', ${seen} FROM generate_series(1, $2::int) q`,
    [INSTANCE, SIZE.queues],
  );
  await pg.query(
    `INSERT INTO routing_profile (instance_id, routing_profile_id, routing_profile_arn, routing_profile_name, first_seen_at, last_seen_at)
     SELECT $1, 'profile-' || p, 'arn:profile/' || p, 'Profile ' || p, ${seen} FROM generate_series(1, 10) p`,
    [INSTANCE],
  );
  await pg.query(
    `INSERT INTO agent_status (instance_id, agent_status_id, agent_status_arn, agent_status_name, agent_status_type, first_seen_at, last_seen_at)
     SELECT $1, 'status-' || n, 'arn:status/' || n, name, type, ${seen}
     FROM unnest(ARRAY['Available', 'Break', 'Training', 'Offline'], ARRAY['ROUTABLE', 'CUSTOM', 'CUSTOM', 'OFFLINE'])
       WITH ORDINALITY AS s(name, type, n)`,
    [INSTANCE],
  );
  await pg.query(
    `INSERT INTO agent (instance_id, agent_id, agent_arn, username, first_seen_at, last_seen_at)
     SELECT $1, ${agentId('a')}, 'arn:agent/' || a, 'agent' || lpad(a::text, 4, '0'), ${seen}
     FROM generate_series(1, $2::int) a`,
    [INSTANCE, SIZE.agents],
  );
}

// Volumes follow the hour of the day (k % 96 counts quarter hours) and differ by queue and channel.
const QUEUE_INTERVALS = `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start,
    interval_minutes, interval_end, contacts_queued_count, contacts_abandoned_count, contacts_answered_count,
    contacts_handled_count, contacts_handled_incoming_count, contacts_handled_first_read_count,
    contacts_put_on_hold_count, handle_time_sum_seconds, aht_weighted_sum_seconds, hold_time_sum_seconds,
    after_contact_work_time_sum_seconds, interaction_time_sum_seconds, queue_answer_time_sum_seconds,
    abandon_time_sum_seconds, collected_at)
  SELECT $1, ${queueId('q')}, ${CHANNELS}, t, 15, t + interval '15 minutes', queued, abandoned,
    queued - abandoned, queued - abandoned, queued - abandoned, queued - abandoned, (q + k) % 3,
    (queued - abandoned) * aht, (queued - abandoned) * aht, ((q + k) % 3) * 45.0, (queued - abandoned) * 30.0,
    (queued - abandoned) * (aht - 40), (queued - abandoned) * ((q * 3 + k) % 40), abandoned * 25.0,
    t + interval '20 minutes'
  FROM (
    SELECT q, c, k, $2::timestamptz - k * interval '15 minutes' AS t,
      1 + (q * 7 + c * 11 + k) % 13 + (48 - abs(48 - k % 96)) / 4 AS queued, (q + c + k) % 4 AS abandoned,
      (180 + (q * 13 + c * 29 + k) % 240)::double precision AS aht
    FROM generate_series($3::int, $4::int) k, generate_series(1, $5::int) q, generate_series(0, 2) c
  ) g`;

// Per threshold (ascending), contacts removed from the queue within it: more for a longer threshold.
const SERVICE_LEVELS = `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start,
    interval_minutes, threshold_seconds, contacts_removed_in_threshold_count, contacts_answered_in_threshold_count,
    contacts_abandoned_in_threshold_count, contacts_queued_count, collected_at)
  SELECT m.instance_id, m.queue_id, m.channel, m.interval_start, 15, t.seconds, r.removed,
    greatest(r.removed - m.contacts_abandoned_count, 0), least(m.contacts_abandoned_count, r.removed),
    m.contacts_queued_count, m.collected_at
  FROM queue_interval_metrics m
  CROSS JOIN unnest($1::int[]) WITH ORDINALITY AS t(seconds, n)
  CROSS JOIN LATERAL (SELECT m.contacts_queued_count
    - m.contacts_queued_count / (2 + t.n::int + extract(hour FROM m.interval_start AT TIME ZONE 'UTC')::int % 3) AS removed) r
  WHERE m.interval_minutes = 15`;

const AGENT_INTERVALS = `INSERT INTO agent_interval_metrics (instance_id, agent_id, interval_start, interval_minutes,
    interval_end, contacts_handled_count, contacts_handled_first_read_count, handle_time_sum_seconds,
    aht_weighted_sum_seconds, hold_time_sum_seconds, contacts_put_on_hold_count, after_contact_work_time_sum_seconds,
    interaction_time_sum_seconds, online_time_sum_seconds, idle_time_sum_seconds, non_productive_time_sum_seconds,
    contact_time_sum_seconds, occupancy_pct, collected_at)
  SELECT $1, ${agentId('a')}, t, 15, t + interval '15 minutes', contact / 180, contact / 180,
    contact + 30 * (contact / 180), contact + 30 * (contact / 180), (a + k) % 3 * 40, (a + k) % 3,
    30 * (contact / 180), contact * 0.8, 900, 900 - contact - non_productive, non_productive, contact,
    100.0 * contact / (900 - non_productive), t + interval '20 minutes'
  FROM (
    SELECT a, k, $2::timestamptz - k * interval '15 minutes' AS t,
      (a * 37 + k * 13) % 600 AS contact, (a + k) % 5 * 20 AS non_productive
    FROM generate_series($3::int, $4::int) k, generate_series(1, $5::int) a
  ) g`;

// s counts 10-second snapshots back from the clock; values by queue, channel and time.
const QUEUE_SNAPSHOTS = `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time,
    ${CURRENT_METRICS.map((m) => m.column).join(', ')}, collected_at)
  SELECT $1, ${queueId('q')}, ${CHANNELS}, $2::timestamptz - s * interval '10 seconds',
    ${CURRENT_METRICS.map((m, i) =>
      m.kind === 'seconds'
        ? `((q * 7 + c + s / ${i + 3}) % 300)::double precision`
        : `(q * ${i + 1} + c + s / ${i + 2}) % ${20 + i}`,
    ).join(', ')},
    $2::timestamptz - s * interval '10 seconds'
  FROM generate_series($3::int, $4::int) s, generate_series(1, $5::int) q, generate_series(0, 2) c`;

// What the retention job leaves of older snapshots: 90 samples a quarter hour, average and maximum.
const QUEUE_ROLLUP = `INSERT INTO queue_realtime_15min (instance_id, queue_id, channel, bucket_start, sample_count,
    ${CURRENT_METRICS.map((m) => `${m.rollup.avg}, ${m.rollup.max}`).join(', ')}, rolled_up_at)
  SELECT $1, ${queueId('q')}, ${CHANNELS}, $2::timestamptz - k * interval '15 minutes', 90,
    ${CURRENT_METRICS.map((_, i) => `(q * ${i + 1} + c + k) % ${20 + i} / 2.0, (q * ${i + 1} + c + k) % ${20 + i}`).join(', ')},
    $2::timestamptz
  FROM generate_series(1, $3::int) k, generate_series(1, $4::int) q, generate_series(0, 2) c`;

const AGENT_SNAPSHOTS = `INSERT INTO agent_realtime_snapshot (instance_id, agent_id, snapshot_time, routing_profile_id,
    agent_status_arn, agent_status_name, status_started_at, available_slots_count, active_slots_count,
    max_slots_count, contacts_count, collected_at)
  SELECT $1, ${agentId('a')}, t, 'profile-' || (a % 10 + 1), 'arn:status/' || (1 + (a + s / 60) % 3),
    (ARRAY['Available', 'Break', 'Training'])[1 + (a + s / 60) % 3], t - ((a * 17) % 600) * interval '1 second',
    (a + s) % 2, 1 - (a + s) % 2, 1, 1 - (a + s) % 2, t
  FROM (SELECT s, $2::timestamptz - s * interval '10 seconds' AS t FROM generate_series(0, $3::int) s) g,
    generate_series(1, $4::int) a`;

// Runs at the feed's cadence back from the clock; one in 97 failed (never the latest).
const COLLECTOR_RUNS = `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome, rows_written,
    api_calls, data_time, error_text)
  SELECT $1, $2, t - interval '2 seconds', t, CASE WHEN k % 97 = 50 THEN 'failed' ELSE 'succeeded' END,
    CASE WHEN k % 97 = 50 THEN 0 ELSE 300 END, 3,
    CASE WHEN k % 97 <> 50 THEN t END, CASE WHEN k % 97 = 50 THEN 'ThrottlingException' END
  FROM (SELECT k, $3::timestamptz - k * $4::int * interval '1 second' AS t FROM generate_series(0, $5::int) k) g`;
