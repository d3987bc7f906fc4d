import { type BatchRow, type BatchValue, writeBatch } from '../shared/db/batch';
import { parseDbTimestamp, type SqlExecutor, type SqlParameters, sqlJson } from '../shared/db/executor';
import {
  AGENT_COUNT_COLUMNS,
  AGENT_MEASURE_COLUMNS,
  HISTORICAL_FEEDS,
  QUEUE_COUNT_COLUMNS,
  QUEUE_MEASURE_COLUMNS,
} from './definitions';
import type { TimeRange, Watermark } from './interval-plan';
import type {
  HistoricalDimensions,
  HistoricalStore,
  HistoricalWrite,
  HistoricalWritten,
  WatermarkFeed,
} from './ports';
import type { DayFigures } from './reconciliation';

/**
 * The historical collector's SQL: reads the watermarks and the queues and agents to ask about, and
 * writes one statement per table (v1 and v2 rows together), each an idempotent upsert on the natural key.
 */

const WATERMARK_FEEDS: readonly WatermarkFeed[] = [...HISTORICAL_FEEDS, 'reconciliation'];

/** Reads the watermark of every historical feed of an instance, and reconciliation's. */
export async function readWatermarks(
  db: SqlExecutor,
  instanceId: string,
): Promise<Partial<Record<WatermarkFeed, Watermark>>> {
  const { rows } = await db.query(
    `SELECT feed, watermark, updated_at, collected_from FROM collection_watermark
     WHERE instance_id = :instanceId AND feed IN ('queue_v1', 'queue_v2', 'agent_v2', 'reconciliation')`,
    { instanceId },
  );
  const out: Partial<Record<WatermarkFeed, Watermark>> = {};
  for (const row of rows) {
    const feed = WATERMARK_FEEDS.find((f) => f === row.feed);
    if (!feed) continue;
    out[feed] = {
      watermark: parseDbTimestamp(row.watermark),
      updatedAt: parseDbTimestamp(row.updated_at),
      collectedFrom: row.collected_from === null ? null : parseDbTimestamp(row.collected_from),
    };
  }
  return out;
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
  const queueIds = await readIdPages(
    db,
    `SELECT queue_id AS id FROM queue
     WHERE instance_id = :instanceId AND queue_type = 'STANDARD' AND (deleted_at IS NULL OR deleted_at > :since)
       AND queue_id > :after ORDER BY queue_id LIMIT :limit`,
    { instanceId, since },
  );
  const agentIds = await readIdPages(
    db,
    `SELECT agent_id AS id FROM agent
     WHERE instance_id = :instanceId AND (deleted_at IS NULL OR deleted_at > :since)
       AND agent_id > :after ORDER BY agent_id LIMIT :limit`,
    { instanceId, since },
  );
  return { queueIds, agentIds };
}

/** Ids a statement may return at once: well under the Data API's 1 MiB response at 20,000 agents. */
const ID_PAGE = 5000;

/** Reads ids in key order, a page per statement (keyset paging on `:after`). */
async function readIdPages(db: SqlExecutor, sql: string, params: SqlParameters): Promise<string[]> {
  const ids: string[] = [];
  let after = '';
  for (;;) {
    const { rows } = await db.query(sql, { ...params, after, limit: ID_PAGE });
    for (const row of rows) ids.push(String(row.id));
    if (rows.length < ID_PAGE) return ids;
    after = ids[ids.length - 1]!;
  }
}

/**
 * Rows travel with short keys (m0, m1, ...) and without their null values: the JSON of a 5-minute
 * backfill is several times smaller, so it stays within one Data API request far longer.
 */
const alias = (i: number) => `m${i}`;
const recordsetColumns = (counts: readonly string[], measures: readonly string[]) =>
  [
    ...counts.map((_, i) => `${alias(i)} numeric`),
    ...measures.map((_, i) => `${alias(counts.length + i)} double precision`),
  ].join(', ');
const selectColumns = (counts: readonly string[], measures: readonly string[]) =>
  [
    ...counts.map((_, i) => `round(r.${alias(i)})::integer`),
    ...measures.map((_, i) => `r.${alias(counts.length + i)}`),
  ].join(', ');
const updateColumns = (columns: readonly string[]) =>
  columns.map((c) => `${c} = EXCLUDED.${c}`).join(',\n      ');

const QUEUE_COLUMNS = [...QUEUE_COUNT_COLUMNS, ...QUEUE_MEASURE_COLUMNS];

/**
 * On a re-read: a row whose values changed is restated (when, how often); the handled count of the
 * first read stays, so the size of the change can be seen.
 */
const restatement = (table: string, columns: readonly string[]) => {
  const changed = `(${columns.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${columns
    .map((c) => `EXCLUDED.${c}`)
    .join(', ')})`;
  return `restated_at = CASE WHEN ${changed} THEN EXCLUDED.collected_at ELSE ${table}.restated_at END,
      restatement_count = ${table}.restatement_count + CASE WHEN ${changed} THEN 1 ELSE 0 END`;
};
/** The handled count of a row as inserted (its first read). */
const handledAlias = (counts: readonly string[]) =>
  `round(r.${alias(counts.indexOf('contacts_handled_count'))})::integer`;

const UPSERT_QUEUE_INTERVALS = `INSERT INTO queue_interval_metrics (instance_id, queue_id, channel, interval_start,
    interval_minutes, interval_end, ${QUEUE_COLUMNS.join(', ')}, contacts_handled_first_read_count, collected_at)
  SELECT :instanceId, r.q, r.c, r.s, r.l, r.e,
    ${selectColumns(QUEUE_COUNT_COLUMNS, QUEUE_MEASURE_COLUMNS)}, ${handledAlias(QUEUE_COUNT_COLUMNS)}, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(q text, c text, s timestamptz, l smallint, e timestamptz,
    ${recordsetColumns(QUEUE_COUNT_COLUMNS, QUEUE_MEASURE_COLUMNS)})
  ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes) DO UPDATE SET
      interval_end = EXCLUDED.interval_end,
      ${restatement('queue_interval_metrics', QUEUE_COLUMNS)},
      ${updateColumns(QUEUE_COLUMNS)},
      collected_at = EXCLUDED.collected_at`;

// Each threshold row carries its interval's queued count (the service level's denominator), written
// from the same answer as the interval row, so a view reads it without a lookup (migration V014).
const UPSERT_SERVICE_LEVELS = `INSERT INTO queue_interval_service_level (instance_id, queue_id, channel,
    interval_start, interval_minutes, threshold_seconds, service_level_pct, contacts_answered_in_threshold_count,
    contacts_abandoned_in_threshold_count, contacts_removed_in_threshold_count, contacts_queued_count, collected_at)
  SELECT :instanceId, r.q, r.c, r.s, r.l, r.t, r.p, round(r.a)::integer, round(r.b)::integer,
    round(r.r)::integer, round(r.n)::integer, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(q text, c text, s timestamptz, l smallint, t integer,
    p double precision, a numeric, b numeric, r numeric, n numeric)
  ON CONFLICT (instance_id, queue_id, channel, interval_start, interval_minutes, threshold_seconds) DO UPDATE SET
    service_level_pct = EXCLUDED.service_level_pct,
    contacts_answered_in_threshold_count = EXCLUDED.contacts_answered_in_threshold_count,
    contacts_abandoned_in_threshold_count = EXCLUDED.contacts_abandoned_in_threshold_count,
    contacts_removed_in_threshold_count = EXCLUDED.contacts_removed_in_threshold_count,
    contacts_queued_count = EXCLUDED.contacts_queued_count,
    collected_at = EXCLUDED.collected_at`;

const AGENT_COLUMNS = [...AGENT_COUNT_COLUMNS, ...AGENT_MEASURE_COLUMNS];
const UPSERT_AGENT_INTERVALS = `INSERT INTO agent_interval_metrics (instance_id, agent_id, interval_start,
    interval_minutes, interval_end, ${AGENT_COLUMNS.join(', ')}, contacts_handled_first_read_count, collected_at)
  SELECT :instanceId, r.a, r.s, 15, r.e,
    ${selectColumns(AGENT_COUNT_COLUMNS, AGENT_MEASURE_COLUMNS)}, ${handledAlias(AGENT_COUNT_COLUMNS)}, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(a text, s timestamptz, e timestamptz,
    ${recordsetColumns(AGENT_COUNT_COLUMNS, AGENT_MEASURE_COLUMNS)})
  ON CONFLICT (instance_id, agent_id, interval_start, interval_minutes) DO UPDATE SET
      interval_end = EXCLUDED.interval_end,
      ${restatement('agent_interval_metrics', AGENT_COLUMNS)},
      ${updateColumns(AGENT_COLUMNS)},
      collected_at = EXCLUDED.collected_at`;

// GREATEST: a slower, older run finishing late never moves a watermark back; collected_from only
// moves back (LEAST), and a row from before it existed keeps it unknown.
const UPSERT_WATERMARKS = `INSERT INTO collection_watermark (instance_id, feed, watermark, updated_at, collected_from)
  SELECT :instanceId, r.feed, r.watermark, :collectedAt, r.collected_from
  FROM jsonb_to_recordset(:rows::jsonb) AS r(feed text, watermark timestamptz, collected_from timestamptz)
  ON CONFLICT (instance_id, feed) DO UPDATE SET
    watermark = GREATEST(collection_watermark.watermark, EXCLUDED.watermark),
    updated_at = EXCLUDED.updated_at,
    collected_from = CASE WHEN collection_watermark.collected_from IS NULL THEN NULL
      ELSE LEAST(collection_watermark.collected_from, EXCLUDED.collected_from) END`;

/** Metric values under their short keys, nulls left out (a missing key reads as NULL). */
function metricValues(
  columns: readonly string[],
  metrics: Readonly<Record<string, number | null | undefined>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  columns.forEach((c, i) => {
    const v = metrics[c];
    if (v !== null && v !== undefined) out[alias(i)] = v;
  });
  return out;
}

/** A row without its null values. */
function withoutNulls(row: Record<string, BatchValue>): BatchRow {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * One row per key, the last one winning: an upsert cannot touch the same row twice in one statement,
 * and a page boundary that moved between calls can repeat a result.
 */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item] as const)).values()];
}

/** Writes one run's rows (one statement per table); returns rows written per table. */
export async function writeHistorical(tx: SqlExecutor, write: HistoricalWrite): Promise<HistoricalWritten> {
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
    q: q.queueId,
    c: q.channel,
    s: q.intervalStart.toISOString(),
    l: q.intervalMinutes,
    e: q.intervalEnd.toISOString(),
    ...metricValues(QUEUE_COLUMNS, q.metrics),
  }));
  const levelRows: BatchRow[] = queueIntervals.flatMap((q) =>
    q.serviceLevels.map((s) =>
      withoutNulls({
        q: q.queueId,
        c: q.channel,
        s: q.intervalStart.toISOString(),
        l: q.intervalMinutes,
        t: s.thresholdSeconds,
        p: s.serviceLevelPct,
        a: s.answeredInThreshold,
        b: s.abandonedInThreshold,
        r: s.removedInThreshold,
        n: q.metrics.contacts_queued_count ?? null,
      }),
    ),
  );
  const agentRows: BatchRow[] = agentIntervals.map((a) => ({
    a: a.agentId,
    s: a.intervalStart.toISOString(),
    e: a.intervalEnd.toISOString(),
    ...metricValues(AGENT_COLUMNS, a.metrics),
  }));
  const markRows: BatchRow[] = Object.entries(write.watermarks).map(([feed, mark]) => ({
    feed,
    watermark: mark.to.toISOString(),
    collected_from: mark.from.toISOString(),
  }));
  return {
    queueIntervals: await writeBatch(tx, UPSERT_QUEUE_INTERVALS, queueRows, { params }),
    serviceLevels: await writeBatch(tx, UPSERT_SERVICE_LEVELS, levelRows, { params }),
    agentIntervals: await writeBatch(tx, UPSERT_AGENT_INTERVALS, agentRows, { params }),
    watermarks: await writeBatch(tx, UPSERT_WATERMARKS, markRows, { params }),
    reconciliation: await writeBatch(
      tx,
      UPSERT_RECONCILIATION,
      (write.reconciliation ?? []).map((r) =>
        withoutNulls({
          q: r.queueId,
          c: r.channel,
          d: r.day,
          m: r.metric,
          s: r.stored,
          v: r.connect,
          x: r.difference,
          t: r.tolerance,
          w: r.withinTolerance,
        }),
      ),
      { params },
    ),
  };
}

const UPSERT_RECONCILIATION = `INSERT INTO reconciliation (instance_id, queue_id, channel, day, metric, stored_value,
    connect_value, difference, tolerance, within_tolerance, reconciled_at)
  SELECT :instanceId, r.q, r.c, r.d, r.m, r.s, r.v, r.x, r.t, r.w, :collectedAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(q text, c text, d date, m text, s double precision,
    v double precision, x double precision, t double precision, w boolean)
  ON CONFLICT (instance_id, day, queue_id, channel, metric) DO UPDATE SET
    stored_value = EXCLUDED.stored_value, connect_value = EXCLUDED.connect_value,
    difference = EXCLUDED.difference, tolerance = EXCLUDED.tolerance,
    within_tolerance = EXCLUDED.within_tolerance, reconciled_at = EXCLUDED.reconciled_at`;

// Per queue, channel and UTC day, the stored 15-minute rows re-aggregated as the views do: counts
// summed, answer time as sum / answered, service level as removed within the threshold / queued.
const DAY_FIGURES_SQL = `WITH totals AS (
    SELECT m.queue_id, m.channel, to_char(m.interval_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
      sum(m.contacts_queued_count) AS queued, sum(m.contacts_handled_count) AS handled,
      sum(m.contacts_answered_count) AS answered, sum(m.contacts_abandoned_count) AS abandoned,
      sum(m.queue_answer_time_sum_seconds) / nullif(sum(m.contacts_answered_count), 0) AS answer_time
    FROM queue_interval_metrics m
    WHERE m.instance_id = :instanceId AND m.interval_minutes = 15 AND m.interval_start >= :from AND m.interval_start < :to
      AND m.queue_id IN (SELECT value FROM jsonb_array_elements_text(:ids::jsonb))
    GROUP BY 1, 2, 3
  ), removed AS (
    SELECT sl.queue_id, sl.channel, to_char(sl.interval_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
      sl.threshold_seconds, sum(sl.contacts_removed_in_threshold_count) AS removed
    FROM queue_interval_service_level sl
    WHERE sl.instance_id = :instanceId AND sl.interval_minutes = 15 AND sl.interval_start >= :from AND sl.interval_start < :to
      AND sl.queue_id IN (SELECT value FROM jsonb_array_elements_text(:ids::jsonb))
    GROUP BY 1, 2, 3, 4
  )
  SELECT t.*,
    (SELECT jsonb_object_agg(r.threshold_seconds, 100 * r.removed::double precision / nullif(t.queued, 0))
     FROM removed r WHERE r.queue_id = t.queue_id AND r.channel = t.channel AND r.day = t.day) AS levels
  FROM totals t`;

/** Queues a day-figures statement reads: a day of 500 queues x 3 channels answers in about 400 KB. */
const DAY_FIGURES_QUEUES = 500;

/**
 * Per queue, channel and UTC day of `range`: the stored totals of `queueIds`, as the views re-aggregate
 * them, 500 queues a statement so every answer stays well under the Data API's 1 MiB.
 */
export async function readDayFigures(
  db: SqlExecutor,
  instanceId: string,
  range: TimeRange,
  thresholds: readonly number[],
  queueIds: readonly string[],
): Promise<DayFigures[]> {
  const rows = [];
  for (let i = 0; i < queueIds.length; i += DAY_FIGURES_QUEUES) {
    const ids = sqlJson(queueIds.slice(i, i + DAY_FIGURES_QUEUES));
    rows.push(
      ...(await db.query(DAY_FIGURES_SQL, { instanceId, from: range.start, to: range.end, ids })).rows,
    );
  }
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((row) => {
    const levels = (typeof row.levels === 'string' ? JSON.parse(row.levels) : (row.levels ?? {})) as Record<
      string,
      number | null
    >;
    return {
      queueId: String(row.queue_id),
      channel: String(row.channel),
      day: String(row.day),
      queued: num(row.queued),
      handled: num(row.handled),
      answered: num(row.answered),
      abandoned: num(row.abandoned),
      avgQueueAnswerTime: num(row.answer_time),
      serviceLevels: Object.fromEntries(thresholds.map((t) => [t, num(levels[String(t)])])),
    };
  });
}

/** The historical store over SQL. */
export const sqlHistoricalStore: HistoricalStore = {
  readWatermarks,
  readDimensions,
  readDayFigures,
  writeHistorical,
};
