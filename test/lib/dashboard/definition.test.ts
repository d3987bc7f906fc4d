import { checkDashboard } from '../../../lib/dashboard/check';
import { type DashboardDefinition, dashboardDefinition } from '../../../lib/dashboard/definition';
import { REPORTING_VIEWS } from '../../../lib/reporting-views';

const targets = {
  serviceLevelTargetPct: 80,
  serviceLevelThresholdSeconds: 20,
  maxWaitSeconds: 60,
  refreshSeconds: 10,
};
const definition = dashboardDefinition(targets);

/** The definition with one visual changed. */
function withVisual(
  id: string,
  change: (v: Record<string, unknown>) => Record<string, unknown>,
): DashboardDefinition {
  return {
    ...definition,
    sheets: definition.sheets.map((s) => ({
      ...s,
      visuals: s.visuals.map((v) => (v.id === id ? (change({ ...v }) as unknown as typeof v) : v)),
    })),
  };
}

test('every visual, column, placement and control of the dashboard refers to a dataset column that exists, with a fitting type', () => {
  expect(checkDashboard(definition, REPORTING_VIEWS)).toEqual([]);
});

test('has the Now, Agents, Intraday and History sheets, with client, queue, channel and date controls', () => {
  expect(definition.sheets.map((s) => s.title)).toEqual(['Now', 'Agents', 'Intraday', 'History']);
  expect(definition.controls.map((c) => c.id)).toEqual(['client', 'queue', 'channel', 'dates']);
});

test('a broken column name fails the check, naming the visual and the column', () => {
  const broken = withVisual('now-queues', (v) => ({ ...v, dimensions: ['client_name', 'queue_nmae'] }));

  expect(checkDashboard(broken, REPORTING_VIEWS)).toEqual([
    'now/now-queues dimension: v_queue_realtime_latest has no column queue_nmae',
  ]);
});

test('a measure on a text column, a chart without time and an unplaced visual fail the check', () => {
  const textMeasure = withVisual('now-answered', (v) => ({
    ...v,
    measures: [{ label: 'x', column: 'queue_name', aggregation: 'sum', unit: 'count' }],
  }));
  const noTime = withVisual('intraday-volume', (v) => ({ ...v, time: undefined }));
  const unplaced: DashboardDefinition = {
    ...definition,
    sheets: definition.sheets.map((s) => (s.id === 'history' ? { ...s, layout: s.layout.slice(1) } : s)),
  };

  expect(checkDashboard(textMeasure, REPORTING_VIEWS)).toEqual([
    'now/now-answered measure x: v_queue_interval.queue_name is STRING, expected INTEGER or DECIMAL',
  ]);
  expect(checkDashboard(noTime, REPORTING_VIEWS)).toEqual([
    'intraday/intraday-volume: a bar chart needs a time column',
  ]);
  expect(checkDashboard(unplaced, REPORTING_VIEWS)).toEqual([
    'history: history-service-level is placed 0 times, expected once',
  ]);
});

test('service level reads the configured threshold and colours by the configured target', () => {
  const other = dashboardDefinition({
    ...targets,
    serviceLevelThresholdSeconds: 60,
    serviceLevelTargetPct: 90,
  });
  const kpi = other.sheets[0]!.visuals.find((v) => v.id === 'now-service-level');

  expect(kpi?.filters).toContainEqual({ column: 'threshold_seconds', equals: 60 });
  expect(kpi?.thresholds).toEqual([
    { measure: 'Service level 60 s', good: 90, bad: 80, higherIsBetter: true },
  ]);
});
