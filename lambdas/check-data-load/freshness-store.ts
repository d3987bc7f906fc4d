import type { Feed } from '../feeds';
import { parseDbTimestampOrNull, type SqlExecutor, sqlJson } from '../shared/db/executor';

/** The last run and the last successful (or partial) run of one feed of one instance. */
export interface FeedRuns {
  readonly instanceId: string;
  readonly feed: Feed;
  readonly lastRunAt: Date | null;
  readonly lastOutcome: 'succeeded' | 'partial' | 'failed' | null;
  readonly lastError: string | null;
  readonly lastSuccessAt: Date | null;
  readonly lastSuccessRows: number | null;
  readonly lastDataTime: Date | null;
}

/** The newest data of each fact table for one instance (null when it has none). */
export interface InstanceLatest {
  readonly instanceId: string;
  readonly latest: Readonly<Record<FactTable, Date | null>>;
}

/** The last day reconciled with Connect for one instance (see the historical collector). */
export interface InstanceReconciliation {
  readonly instanceId: string;
  /** The last UTC day reconciled (YYYY-MM-DD), or null before the first reconciliation. */
  readonly day: string | null;
  readonly reconciledAt: Date | null;
  /** Figures compared that day (queue x channel x metric). */
  readonly compared: number;
  /** Figures farther from Connect's than the tolerance. */
  readonly outOfTolerance: number;
}

/** Fact tables whose newest time the check reports, each read through its time index. */
const FACT_TABLES = [
  'queue_realtime_snapshot',
  'agent_realtime_snapshot',
  'queue_interval_metrics',
  'agent_interval_metrics',
] as const;
/** A fact table the check reports on. */
export type FactTable = (typeof FACT_TABLES)[number];

/** Tables whose size the check reports (planner estimates). */
const COUNTED_TABLES = [
  ...FACT_TABLES,
  'agent_status_interval',
  'queue_realtime_15min',
  'collector_run',
  'queue',
  'agent',
  'routing_profile',
  'agent_status',
] as const;

/** The port the check logic reads through. */
export interface FreshnessStore {
  /** Last run and last success of each (instance, feed) pair. */
  feedRuns(pairs: readonly { instanceId: string; feed: Feed }[]): Promise<FeedRuns[]>;
  /** Newest snapshot time or interval start per fact table and instance. */
  latest(instanceIds: readonly string[]): Promise<InstanceLatest[]>;
  /** Approximate rows per table (`pg_class.reltuples`; null before the table was first analysed). */
  rowEstimates(): Promise<Record<string, number | null>>;
  /** The last day reconciled with Connect, per instance. */
  reconciliations(instanceIds: readonly string[]): Promise<InstanceReconciliation[]>;
  /**
   * Per window (its own instance and start), whether any of the instance's queues was open at some time
   * of [from, to) by its hours of operation; null when no queue's hours are known yet. Keyed by `key`.
   */
  openDuring(
    windows: readonly { key: string; instanceId: string; from: Date }[],
    to: Date,
  ): Promise<Map<string, boolean | null>>;
}

const OUTCOMES = ['succeeded', 'partial', 'failed'] as const;
const outcomeOf = (v: unknown) => OUTCOMES.find((o) => o === v) ?? null;
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

// feed_freshness (V009) is the one definition of a feed's last run and last success, shared with
// v_data_freshness; it reads each through the primary key backwards.
const FEED_RUNS_SQL = `SELECT pairs.instance_id, pairs.feed, s.last_run_at, s.last_outcome, s.last_error,
    s.last_success_at, s.last_success_rows, s.last_data_time
  FROM (
    SELECT p->>'instanceId' AS instance_id, p->>'feed' AS feed FROM jsonb_array_elements(:pairs::jsonb) AS p
  ) pairs
  CROSS JOIN LATERAL feed_freshness(pairs.instance_id, pairs.feed) s`;

// ORDER BY time DESC LIMIT 1 walks each table's time index backwards and stops at the instance's
// first row, instead of aggregating every row of the instance.
const LATEST_SQL = `SELECT ids.instance_id,
    (SELECT s.snapshot_time FROM queue_realtime_snapshot s WHERE s.instance_id = ids.instance_id
      ORDER BY s.snapshot_time DESC LIMIT 1) AS queue_realtime_snapshot,
    (SELECT s.snapshot_time FROM agent_realtime_snapshot s WHERE s.instance_id = ids.instance_id
      ORDER BY s.snapshot_time DESC LIMIT 1) AS agent_realtime_snapshot,
    (SELECT m.interval_start FROM queue_interval_metrics m WHERE m.instance_id = ids.instance_id
      ORDER BY m.interval_start DESC LIMIT 1) AS queue_interval_metrics,
    (SELECT m.interval_start FROM agent_interval_metrics m WHERE m.instance_id = ids.instance_id
      ORDER BY m.interval_start DESC LIMIT 1) AS agent_interval_metrics
  FROM (SELECT value AS instance_id FROM jsonb_array_elements_text(:ids::jsonb)) AS ids`;

// The last day reconciled is the one before the reconciliation watermark (a quiet day leaves no rows),
// then that day's rows through the primary key (instance_id, day, ...).
const RECONCILIATION_SQL = `SELECT ids.instance_id, to_char(last.day, 'YYYY-MM-DD') AS day, last.reconciled_at,
    (SELECT count(*) FROM reconciliation r WHERE r.instance_id = ids.instance_id AND r.day = last.day)::int AS compared,
    (SELECT count(*) FROM reconciliation r WHERE r.instance_id = ids.instance_id AND r.day = last.day
       AND NOT r.within_tolerance)::int AS out_of_tolerance
  FROM (SELECT value AS instance_id FROM jsonb_array_elements_text(:ids::jsonb)) AS ids
  LEFT JOIN LATERAL (
    SELECT ((w.watermark AT TIME ZONE 'UTC')::date - 1) AS day, w.updated_at AS reconciled_at
    FROM collection_watermark w WHERE w.instance_id = ids.instance_id AND w.feed = 'reconciliation'
  ) last ON true`;

const ESTIMATES_SQL = `SELECT c.relname AS table_name, c.reltuples::bigint AS estimate
  FROM pg_class c
  WHERE c.relkind = 'r' AND c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema())
    AND c.relname IN (SELECT value FROM jsonb_array_elements_text(:tables::jsonb))`;

/** The freshness store over the pipeline database (four cheap statements). */
export function sqlFreshnessStore(db: SqlExecutor): FreshnessStore {
  return {
    async feedRuns(pairs) {
      const { rows } = await db.query(FEED_RUNS_SQL, { pairs: sqlJson(pairs) });
      return rows.map((r) => ({
        instanceId: String(r.instance_id),
        feed: r.feed as Feed,
        lastRunAt: parseDbTimestampOrNull(r.last_run_at),
        lastOutcome: outcomeOf(r.last_outcome),
        lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
        lastSuccessAt: parseDbTimestampOrNull(r.last_success_at),
        lastSuccessRows: numberOrNull(r.last_success_rows),
        lastDataTime: parseDbTimestampOrNull(r.last_data_time),
      }));
    },
    async latest(instanceIds) {
      const { rows } = await db.query(LATEST_SQL, { ids: sqlJson(instanceIds) });
      return rows.map((r) => ({
        instanceId: String(r.instance_id),
        latest: Object.fromEntries(FACT_TABLES.map((t) => [t, parseDbTimestampOrNull(r[t])])) as Record<
          FactTable,
          Date | null
        >,
      }));
    },
    async reconciliations(instanceIds) {
      const { rows } = await db.query(RECONCILIATION_SQL, { ids: sqlJson(instanceIds) });
      return rows.map((r) => ({
        instanceId: String(r.instance_id),
        day: r.day === null || r.day === undefined ? null : String(r.day),
        reconciledAt: parseDbTimestampOrNull(r.reconciled_at),
        compared: numberOrNull(r.compared) ?? 0,
        outOfTolerance: numberOrNull(r.out_of_tolerance) ?? 0,
      }));
    },
    async openDuring(windows, to) {
      const { rows } = await db.query(
        `SELECT w->>'key' AS key,
                instance_open_during(w->>'instanceId', (w->>'from')::timestamptz, :to) AS open
         FROM jsonb_array_elements(:windows::jsonb) AS w`,
        { to, windows: sqlJson(windows.map((w) => ({ ...w, from: w.from.toISOString() }))) },
      );
      return new Map(
        rows.map((r) => [String(r.key), r.open === null || r.open === undefined ? null : r.open === true]),
      );
    },
    async rowEstimates() {
      const { rows } = await db.query(ESTIMATES_SQL, { tables: sqlJson(COUNTED_TABLES) });
      const out: Record<string, number | null> = {};
      for (const table of COUNTED_TABLES) out[table] = null;
      for (const r of rows) {
        const n = Number(r.estimate);
        // reltuples is -1 until the table is first vacuumed or analysed: unknown, not empty.
        out[String(r.table_name)] = n >= 0 ? n : null;
      }
      return out;
    },
  };
}
