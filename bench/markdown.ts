import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { formatValue, RESULTS_FILE, type ResultRow, ResultRowSchema } from './results';

/**
 * `npx tsx bench/markdown.ts [file]`: the collector figures of a results file as one markdown table
 * per scenario x collector (the table docs/performance.md shows), then the other sections' rows.
 */

const COLUMNS: readonly [string, string][] = [
  ['api_calls_per_run', 'Connect calls'],
  ['min_api_calls_per_run', 'minimum'],
  ['throttles_per_run', 'throttles'],
  ['statements_per_run', 'statements'],
  ['write_statements_per_run', 'in tx'],
  ['tables_written_per_run', 'tables'],
  ['data_api_calls_per_run', 'Data API calls'],
  ['bytes_sent_per_run', 'bytes sent'],
  ['rows_written_per_run', 'rows'],
  ['run_latency_p50_pglite', 'p50 PGlite ms'],
  ['run_latency_p95_pglite', 'p95 PGlite ms'],
  ['run_latency_p50_postgres', 'p50 PG ms'],
  ['run_latency_p95_postgres', 'p95 PG ms'],
];

/** One markdown row per scenario and collector, one column per per-run metric (blank when absent). */
export function collectorTable(rows: readonly ResultRow[]): string {
  const keys = [
    ...new Set(
      rows.filter((r) => /^(S|M|L|XL)$/.test(r.scenario)).map((r) => `${r.scenario}|${r.collector}`),
    ),
  ];
  const value = (key: string, metric: string) => {
    const row = rows.find((r) => `${r.scenario}|${r.collector}` === key && r.metric === metric);
    return row ? formatValue(row.value) : '';
  };
  const used = COLUMNS.filter(([metric]) => rows.some((r) => r.metric === metric));
  const header = ['scenario', 'collector', ...used.map(([, label]) => label)];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...keys.map((key) => `| ${key.replace('|', ' | ')} | ${used.map(([m]) => value(key, m)).join(' | ')} |`),
  ].join('\n');
}

/** Every row not in the collector table, as a plain markdown table. */
export function otherRowsTable(rows: readonly ResultRow[]): string {
  const inCollectorTable = new Set(COLUMNS.map(([m]) => m));
  const rest = rows.filter((r) => !(/^(S|M|L|XL)$/.test(r.scenario) && inCollectorTable.has(r.metric)));
  return [
    '| scenario | collector | metric | value | unit |',
    '|---|---|---|---:|---|',
    ...rest.map(
      (r) => `| ${r.scenario} | ${r.collector} | ${r.metric} | ${formatValue(r.value)} | ${r.unit} |`,
    ),
  ].join('\n');
}

if (require.main === module) {
  const rows = z
    .array(ResultRowSchema)
    .parse(JSON.parse(readFileSync(process.argv[2] ?? RESULTS_FILE, 'utf8')));
  process.stdout.write(`${collectorTable(rows)}\n\n${otherRowsTable(rows)}\n`);
}
