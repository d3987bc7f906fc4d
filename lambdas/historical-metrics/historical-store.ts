import { type BatchRow, writeBatch } from '../shared/db/batch';
import { parseDbTimestamp, type SqlExecutor } from '../shared/db/executor';
import type { AgentInterval, QueueInterval } from './historical-source';
import type { Watermark } from './interval-plan';
import {
  AGENT_COUNT_COLUMNS,
  AGENT_MEASURE_COLUMNS,
  HISTORICAL_FEEDS,
  type HistoricalFeed,
  QUEUE_COUNT_COLUMNS,
  QUEUE_MEASURE_COLUMNS,
} from './metric-catalog';

/**
 * The historical collector's SQL: reads the watermarks and the queues and agents to ask about, and
 * writes one statement per table (v1 and v2 rows together), each an idempotent upsert on the natural key.
 */

/** Reads the watermark of every historical feed of an instance. */
export async function readWatermarks(
  db: SqlExecutor,
  instanceId: string,
): Promise<Partial<Record<HistoricalFeed, Watermark>>> {
  const { rows } = await db.query(
    `SELECT feed, watermark, updated_at FROM collection_watermark
     WHERE instance_id = :instanceId AND feed IN ('queue_v1', 'queue_v2', 'agent_v2')`,
    { instanceId },
  );
  const out: Partial<Record<HistoricalFeed, Watermark>> = {};
  for (const row of rows) {
    const feed = HISTORICAL_FEEDS.find((f) => f === row.feed);
    if (!feed) continue;
    out[feed] = { watermark: parseDbTimestamp(row.watermark), updatedAt: parseDbTimestamp(row.updated_at) };
  }
  return out;
}

/** Ids the historical feeds ask about: STANDARD queues and agents that existed at or after `since`. */
export interface HistoricalDimensions {
  readonly queueIds: string[];
  readonly agentIds: string[];
}

/**
 * Reads the STANDARD queues and the agents the metadata collector has seen, including those deleted
 * after `since` (their history is still served). GetMetricDataV2 does not take AGENT queues; agents'
 * own figures come from the agent feed.
 */
export async function readDimensions(
  db: SqlExecutor,
  instanceId: string,
  since: Date,
): Promise<HistoricalDimensions> {
  const { rows } = await db.query(
    `SELECT 'queue' AS kind, queue_id AS id FROM queue
       WHERE instance_id = :instanceId AND queue_type = 'STANDARD' AND (deleted_at IS NULL OR deleted_at > :since)
     UNION ALL
     SELECT 'agent' AS kind, agent_id AS id FROM agent
       WHERE instance_id = :instanceId AND (deleted_at IS NULL OR deleted_at > :since)
     ORDER BY 1, 2`,
    { instanceId, since },
  );
  const ids = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => String(r.id));
  return { queueIds: ids('queue'), agentIds: ids('agent') };
}

const recordsetColumns = (counts: readonly string[], measures: readonly string[]) =>
  [...counts.map((c) => `${c} numeric`), ...measures.map((c) => `${c} double precision`)].join(', ');
const selectColumns = (counts: readonly string[], measures: readonly string[]) =>
  [...counts.map((c) => `round(r.${c})::integer`), ...measures.map((c) => `r.${c}`)].join(', ');
const updateColumns = (columns: readonly string[]) =>
  columns.map((c) => `${c} = EXCLUDED.${c}`).join(',\n      ');

const QUEUE_COLUMNS = [...QUEUE_COUNT_COLUMNS, ...QUEUE_MEASURE_COLUMNS];
const UPSERT_QUEUE_INTERVALS = `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start,
    interval_minutes, interval_end, ${QUEUE_COLUMNS.join(', ')}, collected_at)
  SELECT :instanceId, r.queue_id, r.channel, r.interval_start, r.interval_minutes, r.interval_end,
    ${selectColumns(QUEUE_COUNT_COLUMNS, QUEUE_MEASURE_COLUMNS)}, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(queue_id text, channel text, interval_start timestamptz,
    interval_minutes smallint, interval_end timestamptz, ${recordsetColumns(QUEUE_COUNT_COLUMNS, QUEUE_MEASURE_COLUMNS)})
  ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes) DO UPDATE SET
      interval_end = EXCLUDED.interval_end,
      ${updateColumns(QUEUE_COLUMNS)},
      collected_at = EXCLUDED.collected_at`;

const UPSERT_SERVICE_LEVELS = `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel,
    interval_start, interval_minutes, threshold_seconds, service_level_pct, contacts_answered_in_threshold_count,
    contacts_abandoned_in_threshold_count, collected_at)
  SELECT :instanceId, r.queue_id, r.channel, r.interval_start, r.interval_minutes, r.threshold_seconds,
    r.service_level_pct, round(r.answered)::integer, round(r.abandoned)::integer, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(queue_id text, channel text, interval_start timestamptz,
    interval_minutes smallint, threshold_seconds integer, service_level_pct double precision, answered numeric,
    abandoned numeric)
  ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes, threshold_seconds) DO UPDATE SET
    service_level_pct = EXCLUDED.service_level_pct,
    contacts_answered_in_threshold_count = EXCLUDED.contacts_answered_in_threshold_count,
    contacts_abandoned_in_threshold_count = EXCLUDED.contacts_abandoned_in_threshold_count,
    collected_at = EXCLUDED.collected_at`;

const AGENT_COLUMNS = [...AGENT_COUNT_COLUMNS, ...AGENT_MEASURE_COLUMNS];
const UPSERT_AGENT_INTERVALS = `INSERT INTO agent_interval_metrics (instance_id, agent_id, interval_start,
    interval_minutes, interval_end, ${AGENT_COLUMNS.join(', ')}, collected_at)
  SELECT :instanceId, r.agent_id, r.interval_start, 15, r.interval_end,
    ${selectColumns(AGENT_COUNT_COLUMNS, AGENT_MEASURE_COLUMNS)}, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(agent_id text, interval_start timestamptz, interval_end timestamptz,
    ${recordsetColumns(AGENT_COUNT_COLUMNS, AGENT_MEASURE_COLUMNS)})
  ON CONFLICT (instance_id, agent_id, interval_start, interval_minutes) DO UPDATE SET
      interval_end = EXCLUDED.interval_end,
      ${updateColumns(AGENT_COLUMNS)},
      collected_at = EXCLUDED.collected_at`;

// GREATEST: a slower, older run finishing late never moves a watermark back.
const UPSERT_WATERMARKS = `INSERT INTO collection_watermark (instance_id, feed, watermark, updated_at)
  SELECT :instanceId, r.feed, r.watermark, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(feed text, watermark timestamptz)
  ON CONFLICT (instance_id, feed) DO UPDATE SET
    watermark = GREATEST(collection_watermark.watermark, EXCLUDED.watermark),
    updated_at = EXCLUDED.updated_at`;

function metricValues(
  columns: readonly string[],
  metrics: Readonly<Record<string, number | null | undefined>>,
): Record<string, number | null> {
  return Object.fromEntries(columns.map((c) => [c, metrics[c] ?? null]));
}

/**
 * One row per key, the last one winning: an upsert cannot touch the same row twice in one statement,
 * and a page boundary that moved between calls can repeat a result.
 */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item] as const)).values()];
}

/** Everything one historical run writes. */
export interface HistoricalWrite {
  readonly instanceId: string;
  readonly collectedAt: Date;
  readonly queueIntervals: readonly QueueInterval[];
  readonly agentIntervals: readonly AgentInterval[];
  /** New watermark per feed that fetched something. */
  readonly watermarks: Partial<Record<HistoricalFeed, Date>>;
}

/** Writes one run's rows (one statement per table); returns rows written per table. */
export async function writeHistorical(
  tx: SqlExecutor,
  write: HistoricalWrite,
): Promise<{ queueIntervals: number; serviceLevels: number; agentIntervals: number; watermarks: number }> {
  const params = { instanceId: write.instanceId, collectedAt: write.collectedAt };
  const queueIntervals = lastByKey(
    write.queueIntervals,
    (q) => `${q.queueId}|${q.channel}|${q.intervalStart.toISOString()}|${q.intervalMinutes}`,
  );
  const agentIntervals = lastByKey(
    write.agentIntervals,
    (a) => `${a.agentId}|${a.intervalStart.toISOString()}`,
  );
  const queueRows: BatchRow[] = queueIntervals.map((q) => ({
    queue_id: q.queueId,
    channel: q.channel,
    interval_start: q.intervalStart.toISOString(),
    interval_minutes: q.intervalMinutes,
    interval_end: q.intervalEnd.toISOString(),
    ...metricValues(QUEUE_COLUMNS, q.metrics),
  }));
  const levelRows: BatchRow[] = queueIntervals.flatMap((q) =>
    q.serviceLevels.map((s) => ({
      queue_id: q.queueId,
      channel: q.channel,
      interval_start: q.intervalStart.toISOString(),
      interval_minutes: q.intervalMinutes,
      threshold_seconds: s.thresholdSeconds,
      service_level_pct: s.serviceLevelPct,
      answered: s.answeredInThreshold,
      abandoned: s.abandonedInThreshold,
    })),
  );
  const agentRows: BatchRow[] = agentIntervals.map((a) => ({
    agent_id: a.agentId,
    interval_start: a.intervalStart.toISOString(),
    interval_end: a.intervalEnd.toISOString(),
    ...metricValues(AGENT_COLUMNS, a.metrics),
  }));
  const markRows: BatchRow[] = Object.entries(write.watermarks).map(([feed, watermark]) => ({
    feed,
    watermark: watermark.toISOString(),
  }));
  return {
    queueIntervals: await writeBatch(tx, UPSERT_QUEUE_INTERVALS, queueRows, { params }),
    serviceLevels: await writeBatch(tx, UPSERT_SERVICE_LEVELS, levelRows, { params }),
    agentIntervals: await writeBatch(tx, UPSERT_AGENT_INTERVALS, agentRows, { params }),
    watermarks: await writeBatch(tx, UPSERT_WATERMARKS, markRows, { params }),
  };
}
