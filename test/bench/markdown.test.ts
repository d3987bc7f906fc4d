import { collectorTable, otherRowsTable } from '../../bench/markdown';

const rows = [
  { scenario: 'S', collector: 'metadata', metric: 'api_calls_per_run', value: 4, unit: 'calls' },
  { scenario: 'S', collector: 'metadata', metric: 'run_latency_p50_pglite', value: 158, unit: 'ms' },
  { scenario: 'M', collector: 'metadata', metric: 'api_calls_per_run', value: 5, unit: 'calls' },
  { scenario: 'bundle', collector: 'metadata', metric: 'bundle_bytes', value: 1000, unit: 'bytes' },
];

describe('collectorTable', () => {
  test('has one row per scenario and collector and one column per metric present, blank where missing', () => {
    const lines = collectorTable(rows).split('\n');

    expect(lines[0]).toBe('| scenario | collector | Connect calls | p50 PGlite ms |');
    expect(lines[2]).toBe('| S | metadata | 4 | 158 |');
    expect(lines[3]).toBe('| M | metadata | 5 |  |');
    expect(lines).toHaveLength(4);
  });
});

describe('otherRowsTable', () => {
  test('lists the rows the collector table does not show', () => {
    const lines = otherRowsTable(rows).split('\n');

    expect(lines.slice(2)).toEqual(['| bundle | metadata | bundle_bytes | 1000 | bytes |']);
  });
});
