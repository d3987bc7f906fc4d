import { parseDbTimestamp, type SqlExecutor, sqlJson } from '../shared/db/executor';
import { METRIC_KEYS, type QueueSnapshotRow, type SnapshotMetricColumn } from './flatten';

const COLUMNS = Object.keys(METRIC_KEYS) as SnapshotMetricColumn[];

// Per instance, the newest snapshot_time through the time index (walked backwards), then that
// snapshot's rows through the primary key; queue names from the queue dimension.
const LATEST_SQL = `WITH latest AS (
    SELECT ids.instance_id,
      (SELECT s.snapshot_time FROM queue_realtime_snapshot s WHERE s.instance_id = ids.instance_id
        ORDER BY s.snapshot_time DESC LIMIT 1) AS snapshot_time
    FROM (SELECT value AS instance_id FROM jsonb_array_elements_text(:ids::jsonb)) AS ids
  )
  SELECT s.instance_id, s.queue_id, q.queue_name, s.channel, s.snapshot_time, ${COLUMNS.map((c) => `s.${c}`).join(', ')}
  FROM latest
  JOIN queue_realtime_snapshot s ON s.instance_id = latest.instance_id AND s.snapshot_time = latest.snapshot_time
  LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id
  ORDER BY s.instance_id, q.queue_name, s.queue_id, s.channel`;

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Reads the newest real-time snapshot of each instance: one row per queue and channel. */
export async function readLatestSnapshots(
  db: SqlExecutor,
  instanceIds: readonly string[],
): Promise<QueueSnapshotRow[]> {
  if (instanceIds.length === 0) return [];
  const { rows } = await db.query(LATEST_SQL, { ids: sqlJson(instanceIds) });
  return rows.map((r) => ({
    instanceId: String(r.instance_id),
    queueId: String(r.queue_id),
    queueName: r.queue_name === null || r.queue_name === undefined ? null : String(r.queue_name),
    channel: String(r.channel),
    snapshotTime: parseDbTimestamp(r.snapshot_time),
    metrics: Object.fromEntries(COLUMNS.map((c) => [c, numberOrNull(r[c])])) as Record<
      SnapshotMetricColumn,
      number | null
    >,
  }));
}
