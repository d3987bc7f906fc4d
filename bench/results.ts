import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';

/**
 * The benchmark's output: flat rows `{scenario, collector, metric, value, unit}` in
 * `bench/results/latest.json`, and the same rows printed as a table. Rows whose figure does not depend
 * on the machine (call counts, statement counts, bytes, prices) are flagged so they print first.
 */

/** Where `npm run bench` writes its rows. */
export const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

/** One figure of the benchmark. */
export const ResultRowSchema = z.object({
  /** S, M, L, XL, or the section (`bundle`, `cost`, `bi`) for figures that are not per scenario. */
  scenario: z.string().min(1),
  /** Collector feed, Lambda function, or cost item the figure is about. */
  collector: z.string().min(1),
  metric: z.string().min(1),
  value: z.number().finite(),
  unit: z.string().min(1),
});
export type ResultRow = z.infer<typeof ResultRowSchema>;

/** A result row and whether its value is the same on every machine. */
export interface Figure extends ResultRow {
  readonly machineIndependent: boolean;
}

/** Metrics whose values depend only on the code, the scenario and the prices, never on the machine. */
const MACHINE_INDEPENDENT = new Set([
  'api_calls_per_run',
  'min_api_calls_per_run',
  'restatement_calls_per_hour_max',
  'reconciliation_calls_per_day_max',
  'throttles_per_run',
  'statements_per_run',
  'write_statements_per_run',
  'data_api_calls_per_run',
  'tables_written_per_run',
  'bytes_sent_per_run',
  'rows_written_per_run',
  'refresh_period_allowed',
  'bundle_bytes',
  'monthly_cost',
  'monthly_cost_ratio',
  'monthly_cost_per_instance',
  'separate_deployments/fleet',
  'bi_rows',
  'instances',
  'accounts',
  'groups',
  'executions_per_minute',
  'connect_calls_per_tick_max',
  'connect_calls_per_tick_minimum',
  'throttles',
  'ticks_without_throttles',
  'instances_refreshed_every_tick',
  'lambda_invocations_per_minute',
  'data_api_requests_per_tick',
]);

/** Builds a figure, flagging it machine-independent by its metric name. */
export function figure(
  scenario: string,
  collector: string,
  metric: string,
  value: number,
  unit: string,
): Figure {
  const row = ResultRowSchema.parse({ scenario, collector, metric, value, unit });
  return { ...row, machineIndependent: MACHINE_INDEPENDENT.has(metric) };
}

const SCENARIO_ORDER = ['S', 'M', 'L', 'XL'];

/** Machine-independent figures first; then by scenario (S..XL, then sections), collector and metric as given. */
export function orderFigures(figures: readonly Figure[]): Figure[] {
  const rank = (f: Figure) => {
    const s = SCENARIO_ORDER.indexOf(f.scenario);
    return s === -1 ? SCENARIO_ORDER.length : s;
  };
  return figures
    .map((f, index) => ({ f, index }))
    .sort(
      (a, b) =>
        Number(b.f.machineIndependent) - Number(a.f.machineIndependent) ||
        rank(a.f) - rank(b.f) ||
        a.index - b.index,
    )
    .map(({ f }) => f);
}

/** The rows as written to latest.json (the five documented fields only, validated). */
export function toRows(figures: readonly Figure[]): ResultRow[] {
  return orderFigures(figures).map(({ scenario, collector, metric, value, unit }) =>
    ResultRowSchema.parse({ scenario, collector, metric, value, unit }),
  );
}

/** Formats a value for the table: integers as they are, others with up to three significant decimals. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

/** Renders the figures as a fixed-width text table, machine-independent ones first, in two groups. */
export function formatTable(figures: readonly Figure[]): string {
  const ordered = orderFigures(figures);
  const header = ['scenario', 'collector', 'metric', 'value', 'unit'];
  const cells = ordered.map((f) => [f.scenario, f.collector, f.metric, formatValue(f.value), f.unit]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i === 3 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let group: boolean | undefined;
  ordered.forEach((f, i) => {
    if (f.machineIndependent !== group) {
      group = f.machineIndependent;
      out.push(group ? '# the same on every machine' : '# depends on this machine');
    }
    out.push(line(cells[i] ?? []));
  });
  return out.join('\n');
}

/** Writes the rows to `file` (creating its folder) and returns the rows written. */
export function writeResults(figures: readonly Figure[], file: string = RESULTS_FILE): ResultRow[] {
  const rows = toRows(figures);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  return rows;
}
