import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { quickSightDescription, renderMetricsDoc } from '../../lib/metrics-doc';
import { COLUMN_DOCS } from '../../lib/reporting-columns';
import { REPORTING_VIEWS } from '../../lib/reporting-views';

test('every dataset column is documented, and nothing else is', () => {
  for (const view of REPORTING_VIEWS) {
    expect([view.view, Object.keys(COLUMN_DOCS[view.view] ?? {})]).toEqual([
      view.view,
      view.columns.map(([name]) => name),
    ]);
  }
  expect(Object.keys(COLUMN_DOCS).sort()).toEqual(REPORTING_VIEWS.map((v) => v.view).sort());
});

test('every column says where it comes from, its unit and how it re-aggregates', () => {
  for (const [view, columns] of Object.entries(COLUMN_DOCS)) {
    for (const [column, doc] of Object.entries(columns)) {
      for (const field of ['description', 'source', 'unit', 'reaggregation'] as const) {
        expect([view, column, field, doc[field].length > 2]).toEqual([view, column, field, true]);
      }
      expect(quickSightDescription(view, column).length).toBeLessThanOrEqual(500);
    }
  }
});

test('docs/metrics.md is the rendering of the column docs (run `npm run docs:metrics` after changing them)', () => {
  const file = readFileSync(path.join(__dirname, '..', '..', 'docs', 'metrics.md'), 'utf8');

  expect(file).toBe(renderMetricsDoc());
});
