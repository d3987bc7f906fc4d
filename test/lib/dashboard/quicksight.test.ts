import {
  type DashboardDefinition,
  dashboardDefinition,
  type Visual,
} from '../../../lib/dashboard/definition';
import { DashboardDefinitionError, quickSightDefinition } from '../../../lib/dashboard/quicksight';
import { REPORTING_VIEWS } from '../../../lib/reporting-views';

type Node = Record<string, unknown>;

const targets = {
  serviceLevelTargetPct: 80,
  serviceLevelThresholdSeconds: 20,
  maxWaitSeconds: 60,
  refreshSeconds: 10,
};
const definition = dashboardDefinition(targets);
const ARNS = Object.fromEntries(
  REPORTING_VIEWS.map((v) => [v.view, `arn:aws:quicksight:us-east-1:111111111111:dataset/${v.view}`]),
);
const generated = quickSightDefinition(definition, ARNS, REPORTING_VIEWS);
/** The generated Definition as plain JSON, as CloudFormation receives it (before PascalCase). */
const json = JSON.parse(JSON.stringify(generated)) as Node;

/** Every object under `node` for which `pick` holds. */
function collect(node: unknown, pick: (o: Node) => boolean): Node[] {
  if (Array.isArray(node)) return node.flatMap((n) => collect(n, pick));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Node;
  return [...(pick(o) ? [o] : []), ...Object.values(o).flatMap((v) => collect(v, pick))];
}
const list = (node: unknown): Node[] => (Array.isArray(node) ? (node as Node[]) : []);
const sheets = list(json.sheets);
const filterGroups = list(json.filterGroups);
const calculated = list(json.calculatedFields);

/** The inner object of a visual (whatever its kind) by visual id. */
function visual(id: string): Node {
  const found = collect(json, (o) => o.visualId === id);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The definition with one visual changed. */
function withVisual(id: string, change: (v: Visual) => Visual): DashboardDefinition {
  return {
    ...definition,
    sheets: definition.sheets.map((s) => ({
      ...s,
      visuals: s.visuals.map((v) => (v.id === id ? change(v) : v)),
    })),
  };
}

const columnsOf = (view: unknown) =>
  REPORTING_VIEWS.find((v) => v.view === view)?.columns.map(([c]) => c) ?? [];

test('every column the Definition names is a column of its dataset or one of its calculated fields', () => {
  const references = collect(json, (o) => typeof o.dataSetIdentifier === 'string' && 'columnName' in o);
  const known = (r: Node) =>
    columnsOf(r.dataSetIdentifier).includes(r.columnName as string) ||
    calculated.some((c) => c.dataSetIdentifier === r.dataSetIdentifier && c.name === r.columnName);

  expect(references.length).toBeGreaterThan(60);
  expect(references.filter((r) => !known(r)).map((r) => `${r.dataSetIdentifier}.${r.columnName}`)).toEqual(
    [],
  );
});

test('every calculated field reads only columns of its own dataset', () => {
  const unknown = calculated.flatMap((c) =>
    [...String(c.expression).matchAll(/\{([^}]+)\}/g)]
      .map((m) => m[1]!)
      .filter((name) => !columnsOf(c.dataSetIdentifier).includes(name))
      .map((name) => `${c.name}: ${name}`),
  );

  expect(calculated.length).toBeGreaterThan(0);
  expect(unknown).toEqual([]);
});

test('declares exactly the datasets the visuals read, each as its view name with its ARN', () => {
  const read = new Set(definition.sheets.flatMap((s) => s.visuals.map((v) => v.view)));

  expect(json.dataSetIdentifierDeclarations).toEqual(
    REPORTING_VIEWS.filter((v) => read.has(v.view)).map((v) => ({
      identifier: v.view,
      dataSetArn: ARNS[v.view],
    })),
  );
});

test('field, filter, filter group and control ids are each unique across the analysis', () => {
  const fieldIds = collect(
    json,
    (o) => typeof o.fieldId === 'string' && 'column' in o && !('filterId' in o),
  ).map((o) => o.fieldId);
  const filterIds = collect(json, (o) => typeof o.filterId === 'string').map((o) => o.filterId);
  const groupIds = filterGroups.map((g) => g.filterGroupId);
  const controlIds = collect(
    json,
    (o) => typeof o.filterControlId === 'string' || typeof o.parameterControlId === 'string',
  );

  for (const ids of [fieldIds, filterIds, groupIds, controlIds]) {
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }
  expect(fieldIds).toContain('now-queues.m1');
});

test('has the four sheets, each placing every one of its visuals once within QuickSight grid limits', () => {
  expect(sheets.map((s) => [s.sheetId, s.name])).toEqual(definition.sheets.map((s) => [s.id, s.title]));
  for (const [i, sheet] of sheets.entries()) {
    const visualIds = collect(sheet.visuals, (o) => typeof o.visualId === 'string').map((v) => v.visualId);
    const elements = collect(sheet.layouts, (o) => o.elementType === 'VISUAL');

    expect(visualIds).toEqual(definition.sheets[i]!.visuals.map((v) => v.id));
    expect(elements.map((e) => e.elementId).sort()).toEqual([...visualIds].sort());
    for (const e of elements) {
      expect(Number(e.columnIndex) + Number(e.columnSpan)).toBeLessThanOrEqual(36);
      expect(e.rowSpan).toBeLessThanOrEqual(21);
    }
  }
});

test('the 12-column grid becomes 36 columns, and rows of placements that touch still touch', () => {
  const elements = collect(sheets[0], (o) => o.elementType === 'VISUAL');
  const at = (id: string) => elements.find((e) => e.elementId === id)!;

  // Placed at column 4, 4 wide, on the definition's grid.
  expect(at('now-answered')).toMatchObject({ columnIndex: 12, columnSpan: 12 });
  expect(at('now-freshness')).toMatchObject({ columnIndex: 24, columnSpan: 12 });
  expect(Number(at('now-service-level').rowIndex) + Number(at('now-service-level').rowSpan)).toBe(
    at('now-queues').rowIndex,
  );
});

test('a ratio is an aggregated calculated field over sums, null on a zero denominator, read without a second aggregation', () => {
  const occupancy = calculated.find((c) => c.name === 'Occupancy');
  const [field] = collect(visual('agents-occupancy'), (o) => o.fieldId === 'agents-occupancy.m0');

  expect(occupancy).toEqual({
    dataSetIdentifier: 'v_agent_interval',
    name: 'Occupancy',
    expression:
      'ifelse(coalesce(sum({contact_time_sum_seconds}), 0) + coalesce(sum({idle_time_sum_seconds}), 0) = 0, NULL, ' +
      '(coalesce(sum({contact_time_sum_seconds}), 0)) * 100 / ' +
      '(coalesce(sum({contact_time_sum_seconds}), 0) + coalesce(sum({idle_time_sum_seconds}), 0)))',
  });
  expect(field?.column).toEqual({ dataSetIdentifier: 'v_agent_interval', columnName: 'Occupancy' });
  expect(field).not.toHaveProperty('aggregationFunction');
});

test('the service level is one calculated field per dataset, shared by every visual of that dataset', () => {
  const fields = calculated.filter((c) => c.name === 'Service level 20 s');
  const readers = collect(json, (o) => (o.column as Node | undefined)?.columnName === 'Service level 20 s');

  expect(fields.map((f) => f.dataSetIdentifier).sort()).toEqual([
    'v_queue_service_level',
    'v_queue_service_level_daily',
  ]);
  expect(new Set(fields.map((f) => f.expression)).size).toBe(1);
  expect(readers.map((r) => r.fieldId)).toEqual([
    'now-service-level.m0',
    'intraday-service-level.m0',
    'history-service-level.m0',
  ]);
});

test('time in status is the seconds from status_started_at to now, its largest value per row', () => {
  const [field] = collect(visual('agents-now'), (o) => o.fieldId === 'agents-now.m0');

  expect(calculated).toContainEqual({
    dataSetIdentifier: 'v_agent_realtime_latest',
    name: 'Time in status',
    expression: 'dateDiff({status_started_at}, now(), "SS")',
  });
  expect(field).toMatchObject({
    column: { columnName: 'Time in status' },
    aggregationFunction: { simpleNumericalAggregation: 'MAX' },
  });
});

test('fixed filters are scoped to their visual: the threshold as a numeric equality, today as this day', () => {
  const group = filterGroups.find((g) => g.filterGroupId === 'now-service-level-filters');

  expect(group).toMatchObject({
    crossDataset: 'SINGLE_DATASET',
    scopeConfiguration: {
      selectedSheets: {
        sheetVisualScopingConfigurations: [
          { sheetId: 'now', scope: 'SELECTED_VISUALS', visualIds: ['now-service-level'] },
        ],
      },
    },
    filters: [
      {
        numericEqualityFilter: {
          column: { columnName: 'threshold_seconds' },
          value: 20,
          matchOperator: 'EQUALS',
        },
      },
      {
        relativeDatesFilter: {
          column: { columnName: 'day_utc' },
          relativeDateType: 'THIS',
          timeGranularity: 'DAY',
        },
      },
    ],
  });
  expect(json.options).toEqual({ timezone: 'UTC' });
});

test('the History window follows the Dates control: parameters defaulting to the last 31 days, pickers on History only', () => {
  const windows = collect(json, (o) => 'timeRangeFilter' in o).map((f) => f.timeRangeFilter as Node);
  const pickers = sheets.map((s) => collect(s.parameterControls, (o) => 'sourceParameterName' in o).length);

  expect(json.parameterDeclarations).toEqual([
    {
      dateTimeParameterDeclaration: {
        name: 'datesFrom',
        timeGranularity: 'DAY',
        defaultValues: { rollingDate: { expression: "addDateTime(-30, 'DD', truncDate('DD', now()))" } },
      },
    },
    {
      dateTimeParameterDeclaration: {
        name: 'datesTo',
        timeGranularity: 'DAY',
        defaultValues: { rollingDate: { expression: "truncDate('DD', now())" } },
      },
    },
  ]);
  expect(windows.map((w) => (w.column as Node).columnName).sort()).toEqual(['day_utc', 'day_utc']);
  for (const w of windows) {
    expect(w).toMatchObject({
      rangeMinimumValue: { parameter: 'datesFrom' },
      rangeMaximumValue: { parameter: 'datesTo' },
    });
  }
  expect(pickers).toEqual([0, 0, 0, 2]);
});

test('client, queue and channel are dropdowns filtering, across datasets, the visuals whose view has the column', () => {
  const nowQueue = filterGroups.find((g) => g.filterGroupId === 'now-queue-group');
  const dropdowns = sheets.map((s) =>
    collect(s.filterControls, (o) => 'sourceFilterId' in o).map((c) => c.title),
  );

  expect(dropdowns).toEqual([
    ['Client', 'Queue', 'Channel'],
    ['Client'],
    ['Client', 'Queue', 'Channel'],
    ['Client', 'Queue', 'Channel'],
  ]);
  expect(nowQueue).toMatchObject({
    crossDataset: 'ALL_DATASETS',
    filters: [{ categoryFilter: { column: { columnName: 'queue_name' } } }],
    scopeConfiguration: {
      selectedSheets: {
        sheetVisualScopingConfigurations: [
          { sheetId: 'now', visualIds: ['now-queues', 'now-service-level', 'now-answered'] },
        ],
      },
    },
  });
});

test('thresholds colour KPI values and table cells green, amber and red', () => {
  const kpi = collect(visual('now-service-level').conditionalFormatting, (o) => 'expression' in o);
  const cells = collect(visual('now-queues').conditionalFormatting, (o) => 'fieldId' in o);

  expect(kpi).toEqual([
    { expression: '{Service level 20 s} >= 80', color: '#2E7D32' },
    { expression: '{Service level 20 s} < 70', color: '#C62828' },
    { expression: '{Service level 20 s} < 80 AND {Service level 20 s} >= 70', color: '#F9A825' },
  ]);
  expect(cells.map((c) => c.fieldId)).toEqual(['now-queues.m1', 'now-queues.m1', 'now-queues.m1']);
  expect(collect(cells, (o) => 'expression' in o).map((s) => s.expression)).toEqual([
    'MAX({oldest_contact_age_seconds}) <= 30',
    'MAX({oldest_contact_age_seconds}) > 60',
    'MAX({oldest_contact_age_seconds}) > 30 AND MAX({oldest_contact_age_seconds}) <= 60',
  ]);
});

test('a chart mixing units puts the other unit on the secondary axis, with its threshold lines', () => {
  const chart = visual('intraday-queue').chartConfiguration as Node;

  expect(chart.series).toEqual([
    { fieldSeriesItem: { fieldId: 'intraday-queue.m2', axisBinding: 'SECONDARY_YAXIS' } },
  ]);
  expect(list(chart.referenceLines).map((l) => l.dataConfiguration)).toEqual([
    { staticConfiguration: { value: 30 }, axisBinding: 'SECONDARY_YAXIS' },
    { staticConfiguration: { value: 60 }, axisBinding: 'SECONDARY_YAXIS' },
  ]);
});

test('charts put time on the x axis: by minute, and by day for the History service level', () => {
  const granularity = (id: string) =>
    collect(visual(id), (o) => o.fieldId === `${id}.t`).map((f) => f.dateGranularity);

  expect(granularity('intraday-queue')).toEqual(['MINUTE']);
  expect(granularity('intraday-volume')).toEqual(['MINUTE']);
  expect(granularity('history-service-level')).toEqual(['DAY']);
  expect(visual('history-service-level')).toMatchObject({ chartConfiguration: { orientation: 'VERTICAL' } });
});

test('a misspelt column makes generation throw, naming the visual and the column', () => {
  const broken = withVisual('now-queues', (v) => ({ ...v, dimensions: ['client_name', 'queue_nmae'] }));

  expect(() => quickSightDefinition(broken, ARNS, REPORTING_VIEWS)).toThrow(
    /now\/now-queues dimension: v_queue_realtime_latest has no column queue_nmae/,
  );
});

test('a missing dataset ARN and a KPI with three measures are reported together', () => {
  const { v_queue_interval: _, ...withoutInterval } = ARNS;
  const crowded = withVisual('now-service-level', (v) => ({
    ...v,
    measures: [1, 2, 3].map((n) => ({
      ...v.measures[0]!,
      label: n === 1 ? v.measures[0]!.label : `Copy ${n}`,
    })),
  }));

  let error: unknown;
  try {
    quickSightDefinition(crowded, withoutInterval, REPORTING_VIEWS);
  } catch (e) {
    error = e;
  }

  expect(error).toBeInstanceOf(DashboardDefinitionError);
  expect((error as DashboardDefinitionError).problems).toEqual(
    expect.arrayContaining([
      'now/now-service-level: a KPI shows one value and at most one target, without dimensions',
      'now/now-answered: no dataset ARN for v_queue_interval',
    ]),
  );
});
