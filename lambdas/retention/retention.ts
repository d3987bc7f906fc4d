import { randomUUID } from 'node:crypto';
import { CURRENT_METRICS } from '../current-metrics/definitions';
import type { SqlExecutor } from '../shared/db/executor';
import { parseDbTimestampOrNull } from '../shared/db/executor';
import { acquireLease, releaseLease } from '../shared/db/lease';

/**
 * Retention of raw real-time data. Queue snapshots older than the retention period are first rolled up
 * into 15-minute rows (`queue_realtime_15min`: per metric the average over the snapshots that had a
 * value, the maximum, and the sample count), then deleted, in the same transaction: only what was
 * rolled up is ever deleted. Agent snapshots (whose history lives on in `agent_status_interval`) and
 * old `collector_run` rows are deleted the same way. Work goes in batches of `batchMinutes` of data, one
 * transaction each, so no lock is held for long; a run stops at its deadline and the next run goes on.
 */

/** How much to keep and how big a batch is. */
export interface RetentionOptions {
  /** Keep raw snapshots this many days. */
  readonly retentionDays: number;
  /** The run's "now". */
  readonly now: Date;
  /**
   * Minutes of data per batch (rounded to whole 15-minute buckets).
   * @default 15
   */
  readonly batchMinutes?: number;
  /**
   * Stop after this many batches.
   * @default unlimited (the deadline bounds it)
   */
  readonly maxBatches?: number;
  /**
   * Epoch ms after which no new batch starts.
   * @default no deadline
   */
  readonly deadlineAt?: number;
  /** Current epoch ms, for the deadline. @default Date.now */
  readonly clock?: () => number;
}

/** What a retention run did. */
export interface RetentionReport {
  readonly cutoff: Date;
  readonly batches: number;
  readonly bucketsRolledUp: number;
  readonly queueSnapshotsDeleted: number;
  readonly agentSnapshotsDeleted: number;
  readonly collectorRunsDeleted: number;
  /** True when nothing older than the cutoff is left. */
  readonly done: boolean;
}

const BUCKET_MS = 15 * 60_000;

// One line per current metric, from the metric list: the bucket's average over the snapshots that had
// a value, its maximum, and on conflict (a bucket rolled up in two batches) the weighted merge of both.
const BUCKET = "date_bin('15 minutes', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00')";
const weighted = (c: string) =>
  `${c} = (coalesce(t.${c} * t.sample_count, 0) + coalesce(EXCLUDED.${c} * EXCLUDED.sample_count, 0)) / ` +
  `nullif((CASE WHEN t.${c} IS NULL THEN 0 ELSE t.sample_count END) + ` +
  `(CASE WHEN EXCLUDED.${c} IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0)`;
const ROLL_UP = `INSERT INTO queue_realtime_15min AS t (
    instance_id, queue_id, channel, bucket_start, sample_count,
    ${CURRENT_METRICS.map((m) => `${m.rollup.avg}, ${m.rollup.max}`).join(',\n    ')},
    rolled_up_at
  )
  SELECT instance_id, queue_id, channel, ${BUCKET},
    count(*),
    ${CURRENT_METRICS.map((m) => `avg(${m.column}), max(${m.column})`).join(',\n    ')},
    :now
  FROM queue_realtime_snapshot
  WHERE snapshot_time >= :from AND snapshot_time < :to
  GROUP BY instance_id, queue_id, channel, ${BUCKET}
  ON CONFLICT (instance_id, queue_id, channel, bucket_start) DO UPDATE SET
    ${CURRENT_METRICS.map((m) => `${weighted(m.rollup.avg)},\n    ${m.rollup.max} = greatest(t.${m.rollup.max}, EXCLUDED.${m.rollup.max})`).join(',\n    ')},
    sample_count = t.sample_count + EXCLUDED.sample_count,
    rolled_up_at = EXCLUDED.rolled_up_at`;

/** Rolls up, then deletes, everything older than the retention period, batch by batch. */
export async function runRetention(db: SqlExecutor, options: RetentionOptions): Promise<RetentionReport> {
  const clock = options.clock ?? Date.now;
  const batchMs = Math.max(1, Math.round(((options.batchMinutes ?? 15) * 60_000) / BUCKET_MS)) * BUCKET_MS;
  const cutoffMs =
    Math.floor((options.now.getTime() - options.retentionDays * 86_400_000) / BUCKET_MS) * BUCKET_MS;
  const cutoff = new Date(cutoffMs);
  const totals = {
    batches: 0,
    bucketsRolledUp: 0,
    queueSnapshotsDeleted: 0,
    agentSnapshotsDeleted: 0,
    collectorRunsDeleted: 0,
  };
  const budgetLeft = () =>
    (options.maxBatches === undefined || totals.batches < options.maxBatches) &&
    (options.deadlineAt === undefined || clock() < options.deadlineAt);

  const tables = [
    { table: 'queue_realtime_snapshot', column: 'snapshot_time' },
    { table: 'agent_realtime_snapshot', column: 'snapshot_time' },
    { table: 'collector_run', column: 'started_at' },
  ] as const;
  let done = true;
  for (const { table, column } of tables) {
    for (;;) {
      const oldest = await db.query(`SELECT min(${column}) AS oldest FROM ${table}`);
      const oldestAt = parseDbTimestampOrNull(oldest.rows[0]?.oldest);
      if (!oldestAt || oldestAt.getTime() >= cutoffMs) break;
      if (!budgetLeft()) {
        done = false;
        break;
      }
      const from = new Date(Math.floor(oldestAt.getTime() / BUCKET_MS) * BUCKET_MS);
      const to = new Date(Math.min(cutoffMs, from.getTime() + batchMs));
      // Counted after the commit: the executor may run the whole transaction again on a transient error.
      const { rolled, deleted } = await db.transaction(async (tx) => {
        const rolledUp =
          table === 'queue_realtime_snapshot'
            ? (await tx.query(ROLL_UP, { from, to, now: options.now })).rowCount
            : 0;
        const removed = (
          await tx.query(`DELETE FROM ${table} WHERE ${column} >= :from AND ${column} < :to`, { from, to })
        ).rowCount;
        return { rolled: rolledUp, deleted: removed };
      });
      totals.bucketsRolledUp += rolled;
      if (table === 'queue_realtime_snapshot') totals.queueSnapshotsDeleted += deleted;
      else if (table === 'agent_realtime_snapshot') totals.agentSnapshotsDeleted += deleted;
      else totals.collectorRunsDeleted += deleted;
      totals.batches += 1;
    }
  }
  return { cutoff, ...totals, done };
}

/** What a retention run that found another one in flight returns. */
export interface SkippedRetention {
  readonly skipped: string;
}

/** The lease retention runs under (collector_lease). */
export const RETENTION_LEASE = 'retention';

/**
 * {@link runRetention}, by one run at a time: retention follows every metadata run, and a fleet's
 * metadata runs by group side by side, each in its own invocation; two passes over the same bucket would
 * roll it up twice before either deletes it. The others skip, and the next run goes on where this one
 * stops. The lease lapses at `deadlineAt` should the run die.
 */
export async function runRetentionOnce(
  db: SqlExecutor,
  options: RetentionOptions & { readonly deadlineAt: number },
): Promise<RetentionReport | SkippedRetention> {
  const clock = options.clock ?? Date.now;
  const holder = randomUUID();
  if (!(await acquireLease(db, RETENTION_LEASE, holder, options.deadlineAt - clock()))) {
    return { skipped: 'another retention run holds the lease; the next run goes on' };
  }
  try {
    return await runRetention(db, options);
  } finally {
    // The work is committed; a lease that cannot be given back lapses at deadlineAt by itself.
    await releaseLease(db, RETENTION_LEASE, holder).catch(() => undefined);
  }
}
