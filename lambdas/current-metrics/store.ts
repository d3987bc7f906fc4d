import { writeBatch } from '../shared/db/batch';
import { parseDbTimestamp, type SqlExecutor, sqlJson } from '../shared/db/executor';
import { CURRENT_METRICS, type CurrentMetricValues, emptyMetricValues } from './definitions';
import type { CurrentMetricsStore, QueueChannelMetrics } from './ports';

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

/** One queue and channel of the newest snapshot of an instance, with the queue's name. */
export interface QueueSnapshotRow {
  readonly instanceId: string;
  readonly queueId: string;
  /** Null when the metadata collector has not named the queue yet. */
  readonly queueName: string | null;
  readonly channel: string;
  readonly snapshotTime: Date;
  /** Stored values: counts, and ESTIMATED_WAIT_TIME and OLDEST_CONTACT_AGE in seconds; null = no value. */
  readonly values: CurrentMetricValues;
}

// Per instance, the snapshot of its latest successful current-metrics run (feed_freshness: the run's
// data time), then that snapshot's rows through the primary key; queue names from the queue dimension.
// Not the newest snapshot with rows: Connect answers only for queues with activity, so a quiet
// instance's latest snapshot has no rows, and older rows are not current.
const LATEST_SQL = `WITH latest AS (
    SELECT ids.instance_id, f.last_data_time AS snapshot_time
    FROM (SELECT value AS instance_id FROM jsonb_array_elements_text(:ids::jsonb)) AS ids
    CROSS JOIN LATERAL feed_freshness(ids.instance_id, 'current_metrics') f
  )
  SELECT s.instance_id, s.queue_id, q.queue_name, s.channel, s.snapshot_time, ${COLUMNS.map((c) => `s.${c}`).join(', ')}
  FROM latest
  JOIN queue_realtime_snapshot s ON s.instance_id = latest.instance_id AND s.snapshot_time = latest.snapshot_time
  LEFT JOIN queue q ON q.instance_id = s.instance_id AND q.queue_id = s.queue_id
  ORDER BY s.instance_id, q.queue_name, s.queue_id, s.channel`;

/**
 * The snapshot of each instance's latest successful current-metrics run, one row per queue and channel
 * Connect reported (by instance, queue name, queue id, channel): what a push target and `npm run
 * export` send. A quiet instance has none.
 */
export async function readLatestSnapshots(
  db: SqlExecutor,
  instanceIds: readonly string[],
): Promise<QueueSnapshotRow[]> {
  if (instanceIds.length === 0) return [];
  const { rows } = await db.query(LATEST_SQL, { ids: sqlJson(instanceIds) });
  return rows.map((row) => {
    const values = emptyMetricValues();
    for (const m of CURRENT_METRICS) {
      const value = row[m.column];
      values[m.name] = value === null || value === undefined ? null : Number(value);
    }
    return {
      instanceId: String(row.instance_id),
      queueId: String(row.queue_id),
      queueName: row.queue_name === null || row.queue_name === undefined ? null : String(row.queue_name),
      channel: String(row.channel),
      snapshotTime: parseDbTimestamp(row.snapshot_time),
      values,
    };
  });
}

/** The current-metrics store over SQL. */
export const sqlCurrentMetricsStore: CurrentMetricsStore = {
  activeStandardQueueIds,
  writeSnapshot: writeQueueSnapshot,
};
