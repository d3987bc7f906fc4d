import { writeBatch } from '../shared/db/batch';
import { parseDbTimestamp, type SqlExecutor } from '../shared/db/executor';
import {
  CURRENT_METRICS,
  type CurrentMetricName,
  type CurrentMetricValues,
  emptyMetricValues,
} from './current-metric-definitions';
import type { QueueChannelMetrics } from './current-metrics-source';

/** Ids of the instance's STANDARD queues that metadata last saw (not deleted), in id order. */
export async function activeStandardQueueIds(db: SqlExecutor, instanceId: string): Promise<string[]> {
  const { rows } = await db.query<{ queue_id: string }>(
    `SELECT queue_id FROM queue
     WHERE instance_id = :instanceId AND queue_type = 'STANDARD' AND deleted_at IS NULL
     ORDER BY queue_id`,
    { instanceId },
  );
  return rows.map((r) => r.queue_id);
}

const sqlType = (kind: 'count' | 'seconds') => (kind === 'count' ? 'integer' : 'double precision');
const COLUMNS = CURRENT_METRICS.map((m) => m.column);

/**
 * One statement for the whole snapshot: every queue and channel of the run, keyed on
 * (instance, queue, channel, snapshot_time). A rerun of the same snapshot rewrites nothing (the
 * update only fires when a value differs), so it neither duplicates rows nor counts them again.
 */
const UPSERT_SNAPSHOT = `INSERT INTO queue_realtime_snapshot AS s
    (instance_id, queue_id, channel, snapshot_time, ${COLUMNS.join(', ')}, collected_at)
  SELECT :instanceId, r.queue_id, r.channel, :snapshotTime::timestamptz, ${COLUMNS.map((c) => `r.${c}`).join(', ')},
    :collectedAt::timestamptz
  FROM jsonb_to_recordset(:rows::jsonb) AS r(queue_id text, channel text, ${CURRENT_METRICS.map(
    (m) => `${m.column} ${sqlType(m.kind)}`,
  ).join(', ')})
  ON CONFLICT (instance_id, queue_id, channel, snapshot_time) DO UPDATE SET
    ${COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, collected_at = EXCLUDED.collected_at
  WHERE (${COLUMNS.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})`;

/** Writes one snapshot of every queue and channel; returns the rows inserted or changed. */
export async function writeQueueSnapshot(
  db: SqlExecutor,
  instanceId: string,
  snapshotTime: Date,
  rows: readonly QueueChannelMetrics[],
  collectedAt: Date,
): Promise<number> {
  const batch = rows.map((row) => ({
    queue_id: row.queueId,
    channel: row.channel,
    ...Object.fromEntries(CURRENT_METRICS.map((m) => [m.column, row.values[m.name]])),
  }));
  // ISO strings with an explicit offset: the stored instant never depends on the session time zone.
  return writeBatch(db, UPSERT_SNAPSHOT, batch, {
    params: { instanceId, snapshotTime: snapshotTime.toISOString(), collectedAt: collectedAt.toISOString() },
  });
}

/** One queue and channel of the newest snapshot, with the queue's name. */
export interface LatestQueueRow {
  readonly instanceId: string;
  readonly queueId: string;
  /** From the queue dimension; null until metadata has seen the queue. */
  readonly queueName: string | null;
  readonly channel: string;
  readonly snapshotTime: Date;
  /** Stored values: counts, and ESTIMATED_WAIT_TIME and OLDEST_CONTACT_AGE in seconds; null = no value. */
  readonly metrics: CurrentMetricValues;
}

/**
 * The newest snapshot of an instance, one row per queue and channel (ordered by queue name, queue id,
 * channel): what a push target such as a Power BI streaming dataset sends after each run.
 */
export async function latestQueueRows(db: SqlExecutor, instanceId: string): Promise<LatestQueueRow[]> {
  const { rows } = await db.query(
    `SELECT s.queue_id, q.queue_name, s.channel, s.snapshot_time, ${COLUMNS.map((c) => `s.${c}`).join(', ')}
     FROM queue_realtime_snapshot s
     LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id
     WHERE s.instance_id = :instanceId
       AND s.snapshot_time = (SELECT max(snapshot_time) FROM queue_realtime_snapshot WHERE instance_id = :instanceId)
     ORDER BY q.queue_name, s.queue_id, s.channel`,
    { instanceId },
  );
  return rows.map((row) => {
    const metrics = emptyMetricValues();
    for (const m of CURRENT_METRICS) {
      const value = row[m.column];
      metrics[m.name as CurrentMetricName] = typeof value === 'number' ? value : null;
    }
    return {
      instanceId,
      queueId: String(row.queue_id),
      queueName: typeof row.queue_name === 'string' ? row.queue_name : null,
      channel: String(row.channel),
      snapshotTime: parseDbTimestamp(row.snapshot_time),
      metrics,
    };
  });
}
