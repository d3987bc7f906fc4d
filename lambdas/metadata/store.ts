import type { InstanceConfig } from '../shared/config/runtime-config';
import { writeBatch } from '../shared/db/batch';
import type { SqlExecutor } from '../shared/db/executor';
import type { DimensionItem, DimensionKind, HoursItem, HoursRangeMinutes, MetadataStore } from './ports';

/** Columns of one dimension table (constants of this module, never input). */
interface DimensionTable {
  readonly table: 'queue' | 'routing_profile' | 'agent_status' | 'agent';
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly type?: string;
  /** The queue's hours of operation (queues only). */
  readonly hours?: string;
}

/** The table and columns each dimension lands in. */
const DIMENSION_TABLES = {
  queues: {
    table: 'queue',
    id: 'queue_id',
    arn: 'queue_arn',
    name: 'queue_name',
    type: 'queue_type',
    hours: 'hours_of_operation_id',
  },
  routingProfiles: {
    table: 'routing_profile',
    id: 'routing_profile_id',
    arn: 'routing_profile_arn',
    name: 'routing_profile_name',
  },
  agentStatuses: {
    table: 'agent_status',
    id: 'agent_status_id',
    arn: 'agent_status_arn',
    name: 'agent_status_name',
    type: 'agent_status_type',
  },
  agents: { table: 'agent', id: 'agent_id', arn: 'agent_arn', name: 'username' },
} as const satisfies Record<DimensionKind, DimensionTable>;

/**
 * One statement per table: upsert what the API returned (first_seen_at kept, last_seen_at moved,
 * deleted_at cleared) and mark deleted what was seen before this run but not now. When a very large
 * list is split across statements (over the Data API's 4 MiB request), the marking stays right: an
 * item a later chunk brings back is cleared again, and items already written by this run have
 * last_seen_at = :seenAt, so no later chunk marks them.
 */
function upsertSql(t: DimensionTable): string {
  const typeCol = (t.type ? `, ${t.type}` : '') + (t.hours ? `, ${t.hours}` : '');
  const typeDef = (t.type ? `, type text` : '') + (t.hours ? ', hours_id text' : '');
  const typeSel = (t.type ? ', r.type' : '') + (t.hours ? ', r.hours_id' : '');
  const typeSet =
    (t.type ? `, ${t.type} = EXCLUDED.${t.type}` : '') +
    // A queue's hours are kept when this run could not read them (Connect gives every queue hours).
    (t.hours ? `, ${t.hours} = coalesce(EXCLUDED.${t.hours}, ${t.table}.${t.hours})` : '');
  return `WITH input AS (
    SELECT * FROM jsonb_to_recordset(:rows::jsonb) AS r(id text, arn text, name text${typeDef}, last_modified_at timestamptz)
  ), upserted AS (
    INSERT INTO ${t.table} (instance_id, ${t.id}, ${t.arn}, ${t.name}${typeCol}, last_modified_at, first_seen_at, last_seen_at, deleted_at)
    SELECT :instanceId, r.id, r.arn, r.name${typeSel}, r.last_modified_at, :seenAt, :seenAt, NULL FROM input r
    ON CONFLICT (instance_id, ${t.id}) DO UPDATE SET
      ${t.arn} = EXCLUDED.${t.arn}, ${t.name} = EXCLUDED.${t.name}${typeSet},
      last_modified_at = EXCLUDED.last_modified_at, last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL
    RETURNING 1
  ), gone AS (
    UPDATE ${t.table} d SET deleted_at = :seenAt
    WHERE d.instance_id = :instanceId AND d.deleted_at IS NULL AND d.last_seen_at < :seenAt
      -- NOT IN over the input's ids is a hashed subplan: linear whatever the planner knows of the
      -- table (NOT EXISTS became a nested-loop anti-join on tables without statistics, quadratic).
      AND d.${t.id} NOT IN (SELECT r.id FROM input r WHERE r.id IS NOT NULL)
    RETURNING 1
  )
  SELECT 1 FROM upserted UNION ALL SELECT 1 FROM gone`;
}

// Nothing listed: everything known before is gone (one statement for the table). Table names are
// constants of this module, never input.
const MARK_ALL_GONE = (table: string) =>
  `UPDATE ${table} SET deleted_at = :seenAt WHERE instance_id = :instanceId AND deleted_at IS NULL AND last_seen_at < :seenAt`;

/** Writes one dimension; returns rows inserted, updated or marked deleted. */
export async function writeDimension(
  db: SqlExecutor,
  table: DimensionTable,
  instanceId: string,
  items: readonly DimensionItem[],
  seenAt: Date,
): Promise<number> {
  if (items.length === 0) {
    // Nothing listed: everything known before is gone (still one statement for the table).
    return (await db.query(MARK_ALL_GONE(table.table), { instanceId, seenAt })).rowCount;
  }
  const rows = items.map((i) => ({
    id: i.id,
    arn: i.arn,
    name: i.name,
    ...(table.type ? { type: i.type } : {}),
    ...(table.hours ? { hours_id: i.hoursId ?? null } : {}),
    last_modified_at: i.lastModifiedAt ? i.lastModifiedAt.toISOString() : null,
  }));
  return writeBatch(db, upsertSql(table), rows, { params: { instanceId, seenAt } });
}

/** Upserts the instance row from config (client name and environment labels). */
export async function writeInstance(
  db: SqlExecutor,
  instance: InstanceConfig,
  seenAt: Date,
): Promise<number> {
  const result = await db.query(
    `INSERT INTO connect_instance (instance_id, instance_arn, region, client_name, environment, first_seen_at, last_seen_at)
     VALUES (:id, :arn, :region, :client, :environment, :seenAt, :seenAt)
     ON CONFLICT (instance_id) DO UPDATE SET instance_arn = EXCLUDED.instance_arn, region = EXCLUDED.region,
       client_name = EXCLUDED.client_name, environment = EXCLUDED.environment,
       last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL`,
    {
      id: instance.instanceId,
      arn: instance.instanceArn,
      region: instance.region,
      client: instance.clientName,
      environment: instance.environment,
      seenAt,
    },
  );
  return result.rowCount;
}

// Hours of operation, upserted with first/last seen and marked deleted when no longer listed, as the
// dimensions are (the marking of a statement split in chunks stays right for the same reason).
const UPSERT_HOURS = `WITH input AS (
    SELECT * FROM jsonb_to_recordset(:rows::jsonb)
      AS r(id text, arn text, name text, time_zone text, config jsonb, last_modified_at timestamptz)
  ), upserted AS (
    INSERT INTO hours_of_operation (instance_id, hours_id, hours_arn, hours_name, time_zone, config,
      last_modified_at, first_seen_at, last_seen_at, deleted_at)
    SELECT :instanceId, r.id, r.arn, r.name, r.time_zone, r.config, r.last_modified_at, :seenAt, :seenAt, NULL
    FROM input r
    ON CONFLICT (instance_id, hours_id) DO UPDATE SET hours_arn = EXCLUDED.hours_arn,
      hours_name = EXCLUDED.hours_name, time_zone = EXCLUDED.time_zone, config = EXCLUDED.config,
      last_modified_at = EXCLUDED.last_modified_at, last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL
    RETURNING 1
  ), gone AS (
    UPDATE hours_of_operation d SET deleted_at = :seenAt
    WHERE d.instance_id = :instanceId AND d.deleted_at IS NULL AND d.last_seen_at < :seenAt
      AND d.hours_id NOT IN (SELECT r.id FROM input r WHERE r.id IS NOT NULL)
    RETURNING 1
  )
  SELECT 1 FROM upserted UNION ALL SELECT 1 FROM gone`;

const UPSERT_OVERRIDES = `WITH input AS (
    SELECT * FROM jsonb_to_recordset(:rows::jsonb)
      AS r(hours_id text, id text, name text, description text, effective_from date, effective_till date, config jsonb)
  ), upserted AS (
    INSERT INTO hours_of_operation_override (instance_id, hours_id, override_id, override_name, description,
      effective_from, effective_till, config, first_seen_at, last_seen_at, deleted_at)
    SELECT :instanceId, r.hours_id, r.id, r.name, r.description, r.effective_from, r.effective_till, r.config,
      :seenAt, :seenAt, NULL
    FROM input r
    ON CONFLICT (instance_id, hours_id, override_id) DO UPDATE SET override_name = EXCLUDED.override_name,
      description = EXCLUDED.description, effective_from = EXCLUDED.effective_from,
      effective_till = EXCLUDED.effective_till, config = EXCLUDED.config,
      last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL
    RETURNING 1
  ), gone AS (
    UPDATE hours_of_operation_override d SET deleted_at = :seenAt
    WHERE d.instance_id = :instanceId AND d.deleted_at IS NULL AND d.last_seen_at < :seenAt
      AND (d.hours_id, d.override_id) NOT IN (SELECT r.hours_id, r.id FROM input r WHERE r.id IS NOT NULL)
    RETURNING 1
  )
  SELECT 1 FROM upserted UNION ALL SELECT 1 FROM gone`;

// A date's effective hours as last read: the dates of this run's window are rewritten, earlier ones kept.
const UPSERT_DAYS = `INSERT INTO hours_of_operation_day (instance_id, hours_id, local_date, periods, override_name, collected_at)
  SELECT :instanceId, r.hours_id, r.local_date, r.periods, r.override_name, :seenAt
  FROM jsonb_to_recordset(:rows::jsonb) AS r(hours_id text, local_date date, periods jsonb, override_name text)
  ON CONFLICT (instance_id, hours_id, local_date) DO UPDATE SET periods = EXCLUDED.periods,
    override_name = EXCLUDED.override_name, collected_at = EXCLUDED.collected_at`;

const plainRanges = (ranges: readonly HoursRangeMinutes[]) =>
  ranges.map((r) => ({ day: r.day, start: r.start, end: r.end }));

/**
 * Hours of operation, their overrides and the effective days read: one statement per table (none for
 * days when there are none; the hours and overrides always, since their absence marks the known ones
 * deleted).
 */
export async function writeHours(
  db: SqlExecutor,
  instanceId: string,
  hours: readonly HoursItem[],
  seenAt: Date,
): Promise<number> {
  const params = { instanceId, seenAt };
  const markAllGone = async (table: string) => (await db.query(MARK_ALL_GONE(table), params)).rowCount;
  const hourRows = hours.map((h) => ({
    id: h.id,
    arn: h.arn,
    name: h.name,
    time_zone: h.timeZone,
    config: plainRanges(h.config),
    last_modified_at: h.lastModifiedAt ? h.lastModifiedAt.toISOString() : null,
  }));
  const overrideRows = hours.flatMap((h) =>
    h.overrides.map((o) => ({
      hours_id: h.id,
      id: o.id,
      name: o.name,
      description: o.description,
      effective_from: o.effectiveFrom,
      effective_till: o.effectiveTill,
      config: plainRanges(o.config),
    })),
  );
  const dayRows = hours.flatMap((h) =>
    h.days.map((d) => ({
      hours_id: h.id,
      local_date: d.date,
      periods: d.periods,
      override_name: d.overrideName,
    })),
  );
  let written =
    hourRows.length > 0
      ? await writeBatch(db, UPSERT_HOURS, hourRows, { params })
      : await markAllGone('hours_of_operation');
  written +=
    overrideRows.length > 0
      ? await writeBatch(db, UPSERT_OVERRIDES, overrideRows, { params })
      : await markAllGone('hours_of_operation_override');
  written += await writeBatch(db, UPSERT_DAYS, dayRows, { params });
  return written;
}

/** The metadata store over SQL. */
export const sqlMetadataStore: MetadataStore = {
  writeHours,
  writeInstance,
  writeDimension: (tx, kind, instanceId, items, seenAt) =>
    writeDimension(tx, DIMENSION_TABLES[kind], instanceId, items, seenAt),
};
