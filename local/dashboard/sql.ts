import type { SqlParameters } from '../../lambdas/shared/db/executor';
import type { Filter, Measure, Visual } from '../../lib/dashboard/definition';
import { REPORTING_VIEWS, type ReportingView } from '../../lib/reporting-views';

/**
 * One SQL statement per visual of the dashboard definition, built from the definition only (view and
 * column names are constants there, checked against the datasets); everything a reader chooses (client,
 * queue, channel, dates) and every time ("now" is the caller's, so a simulated clock works) is a bound
 * parameter, never part of the SQL text.
 */

/** What a reader narrows a sheet to: values of the controls, all optional. */
export interface Selection {
  readonly client?: string;
  readonly queue?: string;
  readonly channel?: string;
  /** First and last UTC day (YYYY-MM-DD) of the date range, for visuals over past days. */
  readonly from?: string;
  readonly to?: string;
}

/** Control ids and the selection field each reads. */
const CONTROL_FIELDS = { client: 'client', queue: 'queue', channel: 'channel' } as const;

/** Most rows one visual returns (a day of 15-minute intervals per queue, or every agent). */
const MAX_ROWS = 5000;

const quote = (identifier: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`not a plain identifier: ${identifier}`);
  return `"${identifier}"`;
};

/** The SQL of a measure over the grouped rows. */
function measureSql(m: Measure): string {
  if ('ratio' in m) {
    const sum = (columns: readonly string[]) =>
      columns.map((c) => `coalesce(sum(${quote(c)}), 0)`).join(' + ');
    // numeric: sums of integer columns are bigint, and bigint division would truncate.
    return `(${sum(m.ratio.numerator)})::numeric * ${m.ratio.scale ?? 1} / nullif(${sum(m.ratio.denominator)}, 0)`;
  }
  // The largest age is the oldest timestamp's: max(age) = now - min(timestamp).
  if ('ageOf' in m)
    return `extract(epoch FROM (:now::timestamptz - ${m.aggregation === 'max' ? 'min' : 'max'}(${quote(m.ageOf)})))`;
  return `${m.aggregation}(${quote(m.column)})`;
}

/**
 * A fixed filter as SQL. Day-valued columns (`day_utc`) compare with UTC days; timestamps with the
 * UTC day of `:now`. A visual over past days takes the selection's date range instead of its default.
 */
function filterSql(f: Filter, index: number, params: Record<string, unknown>, selection: Selection): string {
  const column = quote(f.column);
  const isDay = f.column.startsWith('day');
  const todayStart = `date_trunc('day', :now::timestamptz AT TIME ZONE 'UTC')`;
  if ('equals' in f) {
    params[`f${index}`] = f.equals;
    return `${column} = :f${index}`;
  }
  if ('today' in f) {
    return isDay ? `${column} = (${todayStart})::date` : `${column} >= (${todayStart}) AT TIME ZONE 'UTC'`;
  }
  if (selection.from && selection.to) {
    params.fromDay = selection.from;
    params.toDay = selection.to;
    return isDay
      ? `${column} BETWEEN :fromDay::date AND :toDay::date`
      : `${column} >= :fromDay::date::timestamp AT TIME ZONE 'UTC' AND ${column} < (:toDay::date + 1)::timestamp AT TIME ZONE 'UTC'`;
  }
  params.lastDays = f.lastDays;
  return isDay
    ? `${column} > (${todayStart})::date - :lastDays::int`
    : `${column} > (${todayStart}) AT TIME ZONE 'UTC' - make_interval(days => :lastDays::int)`;
}

/** Every column a measure reads, with the aggregate it applies (ratios sum both sides). */
function measureColumns(m: Measure): [string, 'sum' | 'max' | 'min' | 'avg'][] {
  if ('ratio' in m) return [...m.ratio.numerator, ...m.ratio.denominator].map((c) => [c, 'sum']);
  // max(age) reads min(timestamp), and the other way round.
  if ('ageOf' in m) return [[m.ageOf, m.aggregation === 'max' ? 'min' : 'max']];
  return [[m.column, m.aggregation]];
}

/**
 * The view a statement reads: the visual's own, or an aggregate of it (ReportingView.aggregateOf) that
 * has every column the statement needs (keys, filters, the chosen controls) and rolled up each measure
 * column with the aggregate the measure applies, so that it gives the same answer from fewer rows.
 */
export function chooseView(
  visual: Visual,
  keyColumns: readonly string[],
  views: readonly ReportingView[] = REPORTING_VIEWS,
): string {
  const measures = visual.measures.flatMap(measureColumns);
  const answers = (view: ReportingView): boolean => {
    const has = (c: string) => view.columns.some(([name]) => name === c);
    const rollups = view.aggregateOf?.rollups ?? {};
    return (
      keyColumns.every((c) => has(c) && rollups[c] === undefined) &&
      measures.every(([c, aggregation]) => has(c) && rollups[c] === aggregation)
    );
  };
  return views.find((v) => v.aggregateOf?.view === visual.view && answers(v))?.view ?? visual.view;
}

/** The statement of one visual, with its parameters, for the selection and the caller's now. */
export function visualQuery(
  visual: Visual,
  controls: readonly { readonly id: string; readonly columns: Readonly<Record<string, string>> }[],
  selection: Selection,
  now: Date,
): { sql: string; params: SqlParameters } {
  const params: Record<string, unknown> = { now: now.toISOString() };
  const groups = [...visual.dimensions, ...(visual.time ? [visual.time] : [])].map(quote);
  const positions = groups.map((_, i) => i + 1).join(', ');
  const select = [...groups, ...visual.measures.map((m, i) => `${measureSql(m)} AS m${i}`)];
  const where = (visual.filters ?? []).map((f, i) => filterSql(f, i, params, selection));
  const keys = [
    ...visual.dimensions,
    ...(visual.time ? [visual.time] : []),
    ...(visual.filters ?? []).map((f) => f.column),
  ];
  for (const control of controls) {
    const field = CONTROL_FIELDS[control.id as keyof typeof CONTROL_FIELDS];
    const column = control.columns[visual.view];
    const value = field ? selection[field] : undefined;
    if (column && value !== undefined) {
      params[control.id] = value;
      where.push(`${quote(column)} = :${control.id}`);
      keys.push(column);
    }
  }
  const sql = [
    `SELECT ${select.join(', ')}`,
    `FROM ${quote(chooseView(visual, keys))}`,
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    groups.length > 0 ? `GROUP BY ${positions} ORDER BY ${positions}` : '',
    `LIMIT ${MAX_ROWS}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { sql, params: params as SqlParameters };
}

/** The distinct values of a control's options column, in order. */
export function optionsQuery(
  options: { readonly view: string; readonly column: string },
  limit: number,
): { sql: string } {
  const column = quote(options.column);
  return {
    sql: `SELECT DISTINCT ${column} AS value FROM ${quote(options.view)} WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT ${Math.trunc(limit)}`,
  };
}
