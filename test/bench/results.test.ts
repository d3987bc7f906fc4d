import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  figure,
  formatTable,
  formatValue,
  orderFigures,
  ResultRowSchema,
  toRows,
  writeResults,
} from '../../bench/results';

describe('figure', () => {
  test('flags call and statement counts as the same on every machine', () => {
    expect(figure('S', 'metadata', 'api_calls_per_run', 4, 'calls').machineIndependent).toBe(true);
    expect(figure('S', 'metadata', 'statements_per_run', 6, 'statements').machineIndependent).toBe(true);
  });

  test('flags latencies as depending on the machine', () => {
    expect(figure('S', 'metadata', 'run_latency_p50_pglite', 150, 'ms').machineIndependent).toBe(false);
  });

  test('rejects a value that is not a finite number', () => {
    expect(() => figure('S', 'metadata', 'run_latency_p50_pglite', Number.NaN, 'ms')).toThrow();
  });
});

describe('orderFigures', () => {
  test('puts machine-independent figures first, then scenarios S to XL, keeping the given order within', () => {
    const figures = [
      figure('M', 'current_users', 'run_latency_p50_pglite', 2, 'ms'),
      figure('cost', 'pipeline:total', 'monthly_cost', 65, 'USD'),
      figure('XL', 'current_users', 'api_calls_per_run', 70, 'calls'),
      figure('S', 'current_users', 'api_calls_per_run', 1, 'calls'),
      figure('S', 'current_users', 'min_api_calls_per_run', 1, 'calls'),
    ];

    const ordered = orderFigures(figures).map((f) => `${f.scenario} ${f.metric}`);

    expect(ordered).toEqual([
      'S api_calls_per_run',
      'S min_api_calls_per_run',
      'XL api_calls_per_run',
      'cost monthly_cost',
      'M run_latency_p50_pglite',
    ]);
  });
});

describe('toRows and writeResults', () => {
  test('write exactly the five documented fields per row, as a JSON array', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-results-')), 'sub', 'latest.json');
    const figures = [
      figure('S', 'metadata', 'run_latency_p50_pglite', 150, 'ms'),
      figure('S', 'metadata', 'api_calls_per_run', 4, 'calls'),
    ];

    writeResults(figures, file);
    const written: unknown = JSON.parse(readFileSync(file, 'utf8'));

    expect(written).toEqual([
      { scenario: 'S', collector: 'metadata', metric: 'api_calls_per_run', value: 4, unit: 'calls' },
      { scenario: 'S', collector: 'metadata', metric: 'run_latency_p50_pglite', value: 150, unit: 'ms' },
    ]);
    for (const row of written as unknown[])
      expect(Object.keys(ResultRowSchema.strict().parse(row))).toHaveLength(5);
  });

  test('toRows drops the machine-independence flag', () => {
    expect(toRows([figure('bundle', 'metadata', 'bundle_bytes', 1, 'bytes')])[0]).not.toHaveProperty(
      'machineIndependent',
    );
  });
});

describe('formatValue', () => {
  test('prints integers as they are and fractions with precision that shrinks as values grow', () => {
    expect([formatValue(42), formatValue(0.2), formatValue(3.333), formatValue(237.33)]).toEqual([
      '42',
      '0.200',
      '3.33',
      '237.3',
    ]);
  });
});

describe('formatTable', () => {
  test('heads the machine-independent group before the machine-dependent one and aligns values right', () => {
    const table = formatTable([
      figure('S', 'metadata', 'run_latency_p50_pglite', 158, 'ms'),
      figure('S', 'metadata', 'api_calls_per_run', 4, 'calls'),
    ]);
    const lines = table.split('\n');

    expect(lines[2]).toBe('# the same on every machine');
    expect(lines[3]).toMatch(/^S\s+metadata\s+api_calls_per_run\s+4\s+calls\s*$/);
    expect(lines[4]).toBe('# depends on this machine');
    expect(lines[5]).toMatch(/run_latency_p50_pglite\s+158\s+ms/);
  });
});
