import type { SqlExecutor } from '../shared/db/executor';
import { parseDbTimestampOrNull } from '../shared/db/executor';

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

const ROLL_UP = `INSERT INTO queue_realtime_15min AS t (
    instance_id, queue_id, channel, bucket_start, sample_count,
    agents_after_contact_work_avg, agents_after_contact_work_max,
    agents_available_avg, agents_available_max,
    agents_error_avg, agents_error_max,
    agents_non_productive_avg, agents_non_productive_max,
    agents_online_avg, agents_online_max,
    agents_on_call_avg, agents_on_call_max,
    agents_on_contact_avg, agents_on_contact_max,
    agents_staffed_avg, agents_staffed_max,
    contacts_in_queue_avg, contacts_in_queue_max,
    contacts_scheduled_avg, contacts_scheduled_max,
    estimated_wait_time_avg_seconds, estimated_wait_time_max_seconds,
    oldest_contact_age_avg_seconds, oldest_contact_age_max_seconds,
    slots_active_avg, slots_active_max,
    slots_available_avg, slots_available_max,
    rolled_up_at)
  SELECT instance_id, queue_id, channel,
    date_bin('15 minutes', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket_start,
    count(*),
    avg(agents_after_contact_work_count), max(agents_after_contact_work_count),
    avg(agents_available_count), max(agents_available_count),
    avg(agents_error_count), max(agents_error_count),
    avg(agents_non_productive_count), max(agents_non_productive_count),
    avg(agents_online_count), max(agents_online_count),
    avg(agents_on_call_count), max(agents_on_call_count),
    avg(agents_on_contact_count), max(agents_on_contact_count),
    avg(agents_staffed_count), max(agents_staffed_count),
    avg(contacts_in_queue_count), max(contacts_in_queue_count),
    avg(contacts_scheduled_count), max(contacts_scheduled_count),
    avg(estimated_wait_time_seconds), max(estimated_wait_time_seconds),
    avg(oldest_contact_age_seconds), max(oldest_contact_age_seconds),
    avg(slots_active_count), max(slots_active_count),
    avg(slots_available_count), max(slots_available_count),
    :now
  FROM queue_realtime_snapshot
  WHERE snapshot_time >= :from AND snapshot_time < :to
  GROUP BY instance_id, queue_id, channel, date_bin('15 minutes', snapshot_time, TIMESTAMPTZ '2000-01-01 00:00:00+00')
  ON CONFLICT (instance_id, queue_id, channel, bucket_start) DO UPDATE SET
    agents_after_contact_work_avg = (coalesce(t.agents_after_contact_work_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_after_contact_work_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_after_contact_work_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_after_contact_work_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_after_contact_work_max = greatest(t.agents_after_contact_work_max, EXCLUDED.agents_after_contact_work_max),
    agents_available_avg = (coalesce(t.agents_available_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_available_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_available_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_available_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_available_max = greatest(t.agents_available_max, EXCLUDED.agents_available_max),
    agents_error_avg = (coalesce(t.agents_error_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_error_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_error_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_error_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_error_max = greatest(t.agents_error_max, EXCLUDED.agents_error_max),
    agents_non_productive_avg = (coalesce(t.agents_non_productive_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_non_productive_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_non_productive_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_non_productive_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_non_productive_max = greatest(t.agents_non_productive_max, EXCLUDED.agents_non_productive_max),
    agents_online_avg = (coalesce(t.agents_online_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_online_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_online_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_online_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_online_max = greatest(t.agents_online_max, EXCLUDED.agents_online_max),
    agents_on_call_avg = (coalesce(t.agents_on_call_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_on_call_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_on_call_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_on_call_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_on_call_max = greatest(t.agents_on_call_max, EXCLUDED.agents_on_call_max),
    agents_on_contact_avg = (coalesce(t.agents_on_contact_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_on_contact_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_on_contact_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_on_contact_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_on_contact_max = greatest(t.agents_on_contact_max, EXCLUDED.agents_on_contact_max),
    agents_staffed_avg = (coalesce(t.agents_staffed_avg * t.sample_count, 0) + coalesce(EXCLUDED.agents_staffed_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.agents_staffed_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.agents_staffed_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    agents_staffed_max = greatest(t.agents_staffed_max, EXCLUDED.agents_staffed_max),
    contacts_in_queue_avg = (coalesce(t.contacts_in_queue_avg * t.sample_count, 0) + coalesce(EXCLUDED.contacts_in_queue_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.contacts_in_queue_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.contacts_in_queue_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    contacts_in_queue_max = greatest(t.contacts_in_queue_max, EXCLUDED.contacts_in_queue_max),
    contacts_scheduled_avg = (coalesce(t.contacts_scheduled_avg * t.sample_count, 0) + coalesce(EXCLUDED.contacts_scheduled_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.contacts_scheduled_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.contacts_scheduled_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    contacts_scheduled_max = greatest(t.contacts_scheduled_max, EXCLUDED.contacts_scheduled_max),
    estimated_wait_time_avg_seconds = (coalesce(t.estimated_wait_time_avg_seconds * t.sample_count, 0) + coalesce(EXCLUDED.estimated_wait_time_avg_seconds * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.estimated_wait_time_avg_seconds IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.estimated_wait_time_avg_seconds IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    estimated_wait_time_max_seconds = greatest(t.estimated_wait_time_max_seconds, EXCLUDED.estimated_wait_time_max_seconds),
    oldest_contact_age_avg_seconds = (coalesce(t.oldest_contact_age_avg_seconds * t.sample_count, 0) + coalesce(EXCLUDED.oldest_contact_age_avg_seconds * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.oldest_contact_age_avg_seconds IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.oldest_contact_age_avg_seconds IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    oldest_contact_age_max_seconds = greatest(t.oldest_contact_age_max_seconds, EXCLUDED.oldest_contact_age_max_seconds),
    slots_active_avg = (coalesce(t.slots_active_avg * t.sample_count, 0) + coalesce(EXCLUDED.slots_active_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.slots_active_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.slots_active_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    slots_active_max = greatest(t.slots_active_max, EXCLUDED.slots_active_max),
    slots_available_avg = (coalesce(t.slots_available_avg * t.sample_count, 0) + coalesce(EXCLUDED.slots_available_avg * EXCLUDED.sample_count, 0)) / nullif((CASE WHEN t.slots_available_avg IS NULL THEN 0 ELSE t.sample_count END) + (CASE WHEN EXCLUDED.slots_available_avg IS NULL THEN 0 ELSE EXCLUDED.sample_count END), 0),
    slots_available_max = greatest(t.slots_available_max, EXCLUDED.slots_available_max),
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
