import type { Client } from 'pg';
import { openBenchDatabase, withPg } from './bench-database';
import { type Figure, figure } from './results';
import { median } from './stats';

/**
 * BI queries over a month of 10-second queue snapshots, straight on PostgreSQL (only with
 * DATABASE_URL): the rows are generated with generate_series into a fresh, migrated schema that is
 * dropped at the end. Each question is asked through the project's views/rollup and over the raw
 * snapshots; the ratio raw / view says how much the views save.
 */

/** Size of the generated data. */
export interface BiDataSize {
  readonly queues: number;
  readonly days: number;
}

/** The issue's size: 100 queues x 30 days x 8,640 snapshots a day = 25.9 million rows. */
export const DEFAULT_BI_SIZE: BiDataSize = { queues: 100, days: 30 };

/** Rows a size generates (one channel, one snapshot every 10 s). */
function biRows(size: BiDataSize): number {
  return size.queues * size.days * 8_640;
}

// Snapshot column -> rollup column stem, as the retention job names them.
const METRICS: readonly [string, string, string][] = [
  ['agents_after_contact_work_count', 'agents_after_contact_work_avg', 'agents_after_contact_work_max'],
  ['agents_available_count', 'agents_available_avg', 'agents_available_max'],
  ['agents_error_count', 'agents_error_avg', 'agents_error_max'],
  ['agents_non_productive_count', 'agents_non_productive_avg', 'agents_non_productive_max'],
  ['agents_online_count', 'agents_online_avg', 'agents_online_max'],
  ['agents_on_call_count', 'agents_on_call_avg', 'agents_on_call_max'],
  ['agents_on_contact_count', 'agents_on_contact_avg', 'agents_on_contact_max'],
  ['agents_staffed_count', 'agents_staffed_avg', 'agents_staffed_max'],
  ['contacts_in_queue_count', 'contacts_in_queue_avg', 'contacts_in_queue_max'],
  ['contacts_scheduled_count', 'contacts_scheduled_avg', 'contacts_scheduled_max'],
  ['estimated_wait_time_seconds', 'estimated_wait_time_avg_seconds', 'estimated_wait_time_max_seconds'],
  ['oldest_contact_age_seconds', 'oldest_contact_age_avg_seconds', 'oldest_contact_age_max_seconds'],
  ['slots_active_count', 'slots_active_avg', 'slots_active_max'],
  ['slots_available_count', 'slots_available_avg', 'slots_available_max'],
];

const INSTANCE = '00000000-0000-4000-8000-0000000000b1';
const ORIGIN = "TIMESTAMPTZ '2000-01-01 00:00:00+00'";

/** The questions, each through the views/rollup and over raw rows. */
const BI_QUESTIONS = {
  last24hBy15min: {
    view: `SELECT queue_id, date_bin('15 minutes', minute_start, ${ORIGIN}) AS bucket,
             sum(contacts_in_queue_avg * sample_count) / sum(sample_count) AS contacts_in_queue,
             max(contacts_in_queue_max) AS contacts_in_queue_max,
             sum(agents_available_avg * sample_count) / sum(sample_count) AS agents_available
           FROM v_queue_realtime_1min WHERE minute_start >= $1::timestamptz - interval '24 hours'
           GROUP BY 1, 2`,
    raw: `SELECT queue_id, date_bin('15 minutes', snapshot_time, ${ORIGIN}) AS bucket,
            avg(contacts_in_queue_count) AS contacts_in_queue, max(contacts_in_queue_count) AS contacts_in_queue_max,
            avg(agents_available_count) AS agents_available
          FROM queue_realtime_snapshot WHERE snapshot_time >= $1::timestamptz - interval '24 hours'
          GROUP BY 1, 2`,
  },
  last30dByDay: {
    view: `SELECT queue_id, date_trunc('day', bucket_start) AS day,
             sum(contacts_in_queue_avg * sample_count) / sum(sample_count) AS contacts_in_queue,
             max(contacts_in_queue_max) AS contacts_in_queue_max,
             sum(agents_available_avg * sample_count) / sum(sample_count) AS agents_available
           FROM queue_realtime_15min WHERE bucket_start >= $1::timestamptz - interval '30 days'
           GROUP BY 1, 2`,
    raw: `SELECT queue_id, date_trunc('day', snapshot_time) AS day,
            avg(contacts_in_queue_count) AS contacts_in_queue, max(contacts_in_queue_count) AS contacts_in_queue_max,
            avg(agents_available_count) AS agents_available
          FROM queue_realtime_snapshot WHERE snapshot_time >= $1::timestamptz - interval '30 days'
          GROUP BY 1, 2`,
  },
} as const;

/** Options of {@link benchBiQueries}. */
export interface BiBenchOptions {
  readonly databaseUrl: string;
  readonly size?: BiDataSize;
  /** Timed runs of each query (after one warm-up). @default 5 */
  readonly repeats?: number;
  readonly progress: (line: string) => void;
}

/** Generates the month of snapshots, fills the 15-minute rollup, then times each question both ways. */
export async function benchBiQueries(options: BiBenchOptions): Promise<Figure[]> {
  const size = options.size ?? DEFAULT_BI_SIZE;
  const repeats = options.repeats ?? 5;
  const database = await openBenchDatabase({ kind: 'postgres', url: options.databaseUrl });
  const schema = await database.db.query<{ s: string }>('SELECT current_schema() AS s');
  const searchPath = String(schema.rows[0]?.s);
  try {
    return await withPg(options.databaseUrl, async (pg) => {
      await pg.query(`SET search_path TO ${searchPath}`);
      const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      const generated = await generate(pg, size, end, options.progress);
      const figures: Figure[] = [
        figure('bi', 'queue_realtime_snapshot', 'bi_rows', biRows(size), 'rows'),
        figure(
          'bi',
          'queue_realtime_snapshot',
          'bi_generate_s',
          Math.round(generated.generateMs / 100) / 10,
          's',
        ),
        figure('bi', 'queue_realtime_15min', 'bi_rollup_s', Math.round(generated.rollupMs / 100) / 10, 's'),
      ];
      for (const [name, question] of Object.entries(BI_QUESTIONS)) {
        const viewMs = await timeQuery(pg, question.view, end, repeats);
        const rawMs = await timeQuery(pg, question.raw, end, repeats);
        figures.push(
          figure('bi', name, 'view_query_ms', Math.round(viewMs * 10) / 10, 'ms'),
          figure('bi', name, 'raw_query_ms', Math.round(rawMs * 10) / 10, 'ms'),
          figure('bi', name, 'raw_over_view_ratio', Math.round((rawMs / viewMs) * 100) / 100, 'x'),
        );
        options.progress(`  bi ${name}: view ${Math.round(viewMs)} ms, raw ${Math.round(rawMs)} ms`);
      }
      return figures;
    });
  } finally {
    await database.close();
  }
}

async function generate(
  pg: Client,
  size: BiDataSize,
  end: Date,
  progress: (line: string) => void,
): Promise<{ generateMs: number; rollupMs: number }> {
  const t0 = performance.now();
  await pg.query('SET synchronous_commit TO off');
  await pg.query(
    `INSERT INTO connect_instance (instance_id, instance_arn, region, client_name, environment, first_seen_at, last_seen_at)
     VALUES ($1, 'arn:aws:connect:us-east-1:111122223333:instance/' || $1, 'us-east-1', 'BI bench', 'bench', now(), now())`,
    [INSTANCE],
  );
  await pg.query(
    `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
     SELECT $1, 'queue-' || lpad(q::text, 4, '0'), 'arn:queue/' || q, 'Queue ' || q, 'STANDARD', now(), now()
     FROM generate_series(1, $2::int) q`,
    [INSTANCE, size.queues],
  );
  // Cheap deterministic values that vary by queue and time (no random(): the same data every run).
  const values = METRICS.map(([column], k) =>
    column.endsWith('_seconds')
      ? `((q * 7 + s / ${k + 3}) % 300)::double precision`
      : `((q * ${k + 1} + s / ${k + 2}) % ${20 + k})::int`,
  ).join(', ');
  for (let day = size.days; day >= 1; day -= 1) {
    const from = new Date(end.getTime() - day * 86_400_000);
    await pg.query(
      `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time,
         ${METRICS.map(([c]) => c).join(', ')}, collected_at)
       SELECT $1, 'queue-' || lpad(q::text, 4, '0'), 'VOICE', $2::timestamptz + s * interval '10 seconds',
         ${values}, $2::timestamptz + s * interval '10 seconds'
       FROM generate_series(1, $3::int) q, generate_series(0, 8639) s`,
      [INSTANCE, from, size.queues],
    );
    if (day % 5 === 0) progress(`  bi: ${size.days - day + 1}/${size.days} days generated`);
  }
  await pg.query('ANALYZE queue_realtime_snapshot');
  const generateMs = performance.now() - t0;
  const t1 = performance.now();
  // The rollup the retention job writes (lambdas/shared/db/retention.ts), for the whole month at once.
  await pg.query(
    `INSERT INTO queue_realtime_15min (instance_id, queue_id, channel, bucket_start, sample_count,
       ${METRICS.map(([, avg, max]) => `${avg}, ${max}`).join(', ')}, rolled_up_at)
     SELECT instance_id, queue_id, channel, date_bin('15 minutes', snapshot_time, ${ORIGIN}), count(*),
       ${METRICS.map(([c]) => `avg(${c}), max(${c})`).join(', ')}, now()
     FROM queue_realtime_snapshot
     GROUP BY 1, 2, 3, 4`,
  );
  await pg.query('ANALYZE queue_realtime_15min');
  return { generateMs, rollupMs: performance.now() - t1 };
}

async function timeQuery(pg: Client, sql: string, end: Date, repeats: number): Promise<number> {
  await pg.query(sql, [end]);
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const t = performance.now();
    await pg.query(sql, [end]);
    times.push(performance.now() - t);
  }
  return median(times);
}
