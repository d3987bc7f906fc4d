import type { QuickSightColumnType, ReportingView } from '../reporting-views';
import type { DashboardDefinition, Measure, Visual } from './definition';

/**
 * Every reference the dashboard makes, checked against the datasets: each visual's view exists, each
 * column it names exists there with a type that fits its role (numbers for measures, times for the time
 * axis and time filters), each placement names a visual of its sheet and each visual is placed once,
 * each threshold names a measure, and each control's columns exist. Returns every problem at once.
 */
export function checkDashboard(definition: DashboardDefinition, views: readonly ReportingView[]): string[] {
  const problems: string[] = [];
  const typeOf = (view: string, column: string): QuickSightColumnType | undefined =>
    views.find((v) => v.view === view)?.columns.find(([name]) => name === column)?.[1];
  const expect = (where: string, view: string, column: string, allowed: readonly QuickSightColumnType[]) => {
    const type = typeOf(view, column);
    if (type === undefined) problems.push(`${where}: ${view} has no column ${column}`);
    else if (!allowed.includes(type))
      problems.push(`${where}: ${view}.${column} is ${type}, expected ${allowed.join(' or ')}`);
  };
  const numeric = ['INTEGER', 'DECIMAL'] as const;
  const ids = new Set<string>();
  for (const sheet of definition.sheets) {
    const visuals = new Map(sheet.visuals.map((v) => [v.id, v]));
    for (const visual of sheet.visuals) {
      const where = `${sheet.id}/${visual.id}`;
      if (ids.has(visual.id)) problems.push(`${where}: the visual id is used twice`);
      ids.add(visual.id);
      if (!views.some((v) => v.view === visual.view)) {
        problems.push(`${where}: no dataset reads ${visual.view}`);
        continue;
      }
      checkVisual(visual, where, expect, numeric, problems);
    }
    const placed = new Map<string, number>();
    for (const p of sheet.layout) {
      if (!visuals.has(p.visual))
        problems.push(`${sheet.id}: the layout places ${p.visual}, which the sheet has not`);
      placed.set(p.visual, (placed.get(p.visual) ?? 0) + 1);
      if (p.column < 0 || p.width < 1 || p.column + p.width > 12 || p.row < 0 || p.height < 1)
        problems.push(`${sheet.id}: ${p.visual} does not fit the 12-column grid`);
    }
    for (const id of visuals.keys()) {
      const n = placed.get(id) ?? 0;
      if (n !== 1) problems.push(`${sheet.id}: ${id} is placed ${n} times, expected once`);
    }
  }
  for (const control of definition.controls) {
    for (const [view, column] of Object.entries(control.columns)) {
      expect(`control ${control.id}`, view, column, control.kind === 'dateRange' ? ['DATETIME'] : ['STRING']);
    }
    if (control.kind === 'values' && !control.options)
      problems.push(`control ${control.id}: a values control needs options (a view and column to list)`);
    if (control.options)
      expect(`control ${control.id} options`, control.options.view, control.options.column, ['STRING']);
  }
  return problems;
}

function checkVisual(
  visual: Visual,
  where: string,
  expect: (where: string, view: string, column: string, allowed: readonly QuickSightColumnType[]) => void,
  numeric: readonly QuickSightColumnType[],
  problems: string[],
): void {
  const { view } = visual;
  for (const d of visual.dimensions) expect(`${where} dimension`, view, d, ['STRING', 'DATETIME']);
  if (visual.kind === 'line' || visual.kind === 'bar') {
    if (!visual.time) problems.push(`${where}: a ${visual.kind} chart needs a time column`);
    else expect(`${where} time`, view, visual.time, ['DATETIME']);
  }
  if (visual.measures.length === 0) problems.push(`${where}: no measure`);
  for (const m of visual.measures) {
    for (const column of measureColumns(m)) {
      expect(`${where} measure ${m.label}`, view, column, 'ageOf' in m ? ['DATETIME'] : numeric);
    }
  }
  for (const f of visual.filters ?? []) {
    expect(
      `${where} filter`,
      view,
      f.column,
      'equals' in f ? ['STRING', 'INTEGER', 'DECIMAL'] : ['DATETIME'],
    );
  }
  for (const t of visual.thresholds ?? []) {
    if (!visual.measures.some((m) => m.label === t.measure))
      problems.push(`${where}: the threshold names ${t.measure}, which is not one of its measures`);
  }
}

/** The columns a measure reads. */
function measureColumns(m: Measure): string[] {
  if ('ratio' in m) return [...m.ratio.numerator, ...m.ratio.denominator];
  if ('ageOf' in m) return [m.ageOf];
  return [m.column];
}
