import type { CfnAnalysis } from 'aws-cdk-lib/aws-quicksight';
import type { ReportingView } from '../reporting-views';
import { checkDashboard } from './check';
import type { DashboardDefinition, Measure, Sheet, Threshold, Unit, Visual } from './definition';
import {
  column,
  type DatePicker,
  type Dropdown,
  dateControls,
  dateParameters,
  filterGroup,
  fixedFilter,
  type TypeOf,
  valuesControls,
} from './quicksight-filters';

/**
 * The dashboard definition (definition.ts) as a QuickSight analysis `Definition`, the one object the
 * Analysis and the Dashboard are both created from. Pure: the dataset ARNs come in (CloudFormation
 * tokens in the stack, strings in tests). Filters, date parameters and controls are in
 * quicksight-filters.ts.
 *
 * Mapping: a visual's measures become NumericalMeasureFields (`${visualId}.m${i}`); a ratio becomes an
 * aggregated calculated field named by its label (exact over any selection, referenced without an
 * aggregation), an `ageOf` a row-level `dateDiff(..., now())` field aggregated like a column; fixed
 * filters one filter group per visual; values controls one dropdown per sheet over a cross-dataset
 * category filter; a dateRange control two date parameters driving the `lastDays` window of the
 * visuals it maps (as on the live page, where the selection replaces that default window); thresholds
 * text colours (tables, KPIs) or reference lines (charts); the 12-column grid QuickSight's 36 columns.
 */

/** The CloudFormation `Definition` of the Analysis (and, unchanged, of the Dashboard). */
export type QuickSightDefinition = CfnAnalysis.AnalysisDefinitionProperty;

/** The definition refers to something QuickSight cannot resolve or show; `problems` lists every one. */
export class DashboardDefinitionError extends Error {
  override readonly name = 'DashboardDefinitionError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`the dashboard cannot be generated for QuickSight: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** QuickSight's grid has 36 columns; the definition's 12. */
const COLUMN_SCALE = 3;
/** The definition's tallest sensible placement (12 rows) maps to QuickSight's tallest element, 21 rows. */
const ROW_SCALE = 21 / 12;
const MAX_ROW_SPAN = 21;
const COLOURS = { good: '#2E7D32', warn: '#F9A825', bad: '#C62828' } as const;
const AGGREGATION = { sum: 'SUM', max: 'MAX', min: 'MIN', avg: 'AVERAGE' } as const;
/** The same aggregations as functions in an expression (conditional formatting). */
const EXPRESSION_AGGREGATION = { sum: 'SUM', max: 'MAX', min: 'MIN', avg: 'AVG' } as const;
const FORMAT: Record<Unit, { decimals: number; suffix?: string }> = {
  count: { decimals: 0 },
  seconds: { decimals: 0, suffix: ' s' },
  percent: { decimals: 1, suffix: '%' },
};

/**
 * The QuickSight Definition of `definition` over the datasets of `views` (ARNs by view name). Throws a
 * {@link DashboardDefinitionError} listing every reference that does not resolve (checkDashboard) and
 * everything QuickSight cannot show as defined (a KPI with more than a value and a target, ...).
 */
export function quickSightDefinition(
  definition: DashboardDefinition,
  dataSetArns: Readonly<Record<string, string>>,
  views: readonly ReportingView[],
): QuickSightDefinition {
  const typeOf: TypeOf = (view, column) =>
    views.find((v) => v.view === view)?.columns.find(([name]) => name === column)?.[1];
  const calculated = calculatedFields(definition, typeOf);
  const problems = [
    ...checkDashboard(definition, views),
    ...quickSightProblems(definition, dataSetArns, typeOf),
    ...calculated.problems,
  ];
  if (problems.length > 0) throw new DashboardDefinitionError(problems);

  const used = new Set(definition.sheets.flatMap((s) => s.visuals.map((v) => v.view)));
  const filterGroups: CfnAnalysis.FilterGroupProperty[] = [];
  const sheets = definition.sheets.map((sheet) => {
    for (const v of sheet.visuals) {
      const filters = (v.filters ?? []).map((f, i) => fixedFilter(definition, v, f, `${v.id}-f${i}`, typeOf));
      if (filters.length > 0)
        filterGroups.push(filterGroup(`${v.id}-filters`, 'SINGLE_DATASET', sheet.id, [v.id], filters));
    }
    const values = valuesControls(definition, sheet);
    filterGroups.push(...values.map((c) => c.filterGroup));
    return sheetDefinition(
      sheet,
      values.map((c) => c.control),
      dateControls(definition, sheet),
      typeOf,
    );
  });
  return {
    dataSetIdentifierDeclarations: views
      .filter((v) => used.has(v.view))
      .map((v) => ({ identifier: v.view, dataSetArn: dataSetArns[v.view]! })),
    calculatedFields: calculated.fields,
    parameterDeclarations: nonEmpty(dateParameters(definition)),
    filterGroups,
    sheets,
    // "Today" and day boundaries in UTC, like the views' day_utc and the live page.
    options: { timezone: 'UTC' },
  };
}

/** What QuickSight cannot show as the definition says, beyond unresolved references. */
function quickSightProblems(
  definition: DashboardDefinition,
  dataSetArns: Readonly<Record<string, string>>,
  typeOf: TypeOf,
): string[] {
  const problems: string[] = [];
  for (const sheet of definition.sheets) {
    for (const v of sheet.visuals) {
      const where = `${sheet.id}/${v.id}`;
      if (dataSetArns[v.view] === undefined) problems.push(`${where}: no dataset ARN for ${v.view}`);
      if (v.kind === 'kpi' && (v.measures.length > 2 || v.dimensions.length > 0))
        problems.push(`${where}: a KPI shows one value and at most one target, without dimensions`);
      if (v.kind === 'kpi' && (v.thresholds ?? []).some((t) => t.measure !== v.measures[0]?.label))
        problems.push(`${where}: a KPI colours only its first measure`);
      if ((v.kind === 'line' || v.kind === 'bar') && v.dimensions.length > (v.measures.length > 1 ? 0 : 1))
        problems.push(`${where}: a chart colours by one dimension, and only with a single measure`);
      for (const f of v.filters ?? []) {
        const numeric = ['INTEGER', 'DECIMAL'].includes(typeOf(v.view, f.column) ?? '');
        if ('equals' in f && numeric && !Number.isFinite(Number(f.equals)))
          problems.push(`${where}: ${f.column} is a number, the filter compares it with ${f.equals}`);
      }
    }
    for (const p of sheet.layout) {
      const { rowSpan } = gridRows(p.row, p.height);
      if (rowSpan > MAX_ROW_SPAN)
        problems.push(`${sheet.id}: ${p.visual} is ${rowSpan} QuickSight rows tall, at most ${MAX_ROW_SPAN}`);
    }
    for (const control of definition.controls.filter((c) => c.kind === 'values')) {
      const columns = new Set(sheet.visuals.map((v) => control.columns[v.view]).filter(Boolean));
      if (columns.size > 1)
        problems.push(
          `${sheet.id}: control ${control.id} filters ${[...columns].join(' and ')}; one sheet control matches one column name`,
        );
    }
  }
  return problems;
}

/** One analysis calculated field per distinct (view, label) of a ratio or an age. */
function calculatedFields(
  definition: DashboardDefinition,
  typeOf: TypeOf,
): { fields: CfnAnalysis.CalculatedFieldProperty[]; problems: string[] } {
  const fields = new Map<string, CfnAnalysis.CalculatedFieldProperty>();
  const problems: string[] = [];
  for (const v of definition.sheets.flatMap((s) => s.visuals)) {
    for (const m of v.measures) {
      const expression = calculation(m);
      if (expression === undefined) continue;
      const key = `${v.view}/${m.label}`;
      const existing = fields.get(key);
      if (existing && existing.expression !== expression)
        problems.push(`${v.id}: two measures named ${m.label} on ${v.view} compute different values`);
      else if (typeOf(v.view, m.label) !== undefined)
        problems.push(`${v.id}: the measure ${m.label} has the name of a column of ${v.view}`);
      else fields.set(key, { dataSetIdentifier: v.view, name: m.label, expression });
    }
  }
  return { fields: [...fields.values()], problems };
}

/** The expression of a measure's calculated field; undefined for a plain column. */
function calculation(m: Measure): string | undefined {
  if ('ageOf' in m) return `dateDiff({${m.ageOf}}, now(), "SS")`;
  if (!('ratio' in m)) return undefined;
  const sum = (columns: readonly string[]) => columns.map((c) => `coalesce(sum({${c}}), 0)`).join(' + ');
  const scale = (m.ratio.scale ?? 1) === 1 ? '' : ` * ${m.ratio.scale}`;
  const denominator = sum(m.ratio.denominator);
  return `ifelse(${denominator} = 0, NULL, (${sum(m.ratio.numerator)})${scale} / (${denominator}))`;
}

/** A measure's aggregated value in an expression (conditional formatting). */
function aggregatedValue(m: Measure): string {
  if ('ratio' in m) return `{${m.label}}`;
  return `${EXPRESSION_AGGREGATION[m.aggregation]}({${'ageOf' in m ? m.label : m.column}})`;
}

function sheetDefinition(
  sheet: Sheet,
  filterControls: Dropdown[],
  parameterControls: DatePicker[],
  typeOf: TypeOf,
): CfnAnalysis.SheetDefinitionProperty {
  const controlIds = [
    ...filterControls.map((c) => ({ id: c.dropdown.filterControlId, type: 'FILTER_CONTROL' })),
    ...parameterControls.map((c) => ({
      id: c.dateTimePicker.parameterControlId,
      type: 'PARAMETER_CONTROL',
    })),
  ];
  return {
    sheetId: sheet.id,
    name: sheet.title,
    contentType: 'INTERACTIVE',
    visuals: sheet.visuals.map((v) => visual(v, typeOf)),
    filterControls: nonEmpty(filterControls),
    parameterControls: nonEmpty(parameterControls),
    layouts: [
      {
        configuration: {
          gridLayout: {
            elements: sheet.layout.map((p) => ({
              elementId: p.visual,
              elementType: 'VISUAL',
              columnIndex: p.column * COLUMN_SCALE,
              columnSpan: p.width * COLUMN_SCALE,
              ...gridRows(p.row, p.height),
            })),
            canvasSizeOptions: {
              screenCanvasSizeOptions: { resizeOption: 'FIXED', optimizedViewPortWidth: '1600px' },
            },
          },
        },
      },
    ],
    sheetControlLayouts:
      controlIds.length === 0
        ? undefined
        : [
            {
              configuration: {
                gridLayout: {
                  elements: controlIds.map((c, i) => ({
                    elementId: c.id,
                    elementType: c.type,
                    columnIndex: i * 2,
                    columnSpan: 2,
                    rowSpan: 1,
                  })),
                },
              },
            },
          ],
  };
}

/** Rows scaled from the top and the bottom edge, so placements that touch keep touching. */
function gridRows(row: number, height: number): { rowIndex: number; rowSpan: number } {
  const top = Math.round(row * ROW_SCALE);
  return { rowIndex: top, rowSpan: Math.round((row + height) * ROW_SCALE) - top };
}

function visual(v: Visual, typeOf: TypeOf): CfnAnalysis.VisualProperty {
  const base = { visualId: v.id, title: { visibility: 'VISIBLE', formatText: { plainText: v.title } } };
  const values = v.measures.map((m, i) => measureField(v, m, i));
  const dimensions = v.dimensions.map((d, i) => dimensionField(v.view, d, `${v.id}.d${i}`, typeOf));
  const time = v.time ? [dimensionField(v.view, v.time, `${v.id}.t`, typeOf)] : [];
  const colours = (m: Measure) =>
    bands(v, m).map(({ expression, color }) => ({ solid: { expression, color } }));
  switch (v.kind) {
    case 'table':
      return {
        tableVisual: {
          ...base,
          chartConfiguration: {
            fieldWells: { tableAggregatedFieldWells: { groupBy: dimensions, values } },
            fieldOptions: {
              selectedFieldOptions: v.measures.map((m, i) => ({
                fieldId: `${v.id}.m${i}`,
                customLabel: m.label,
              })),
            },
          },
          conditionalFormatting: formatting(
            v.measures.flatMap((m, i) =>
              colours(m).map((textColor) => ({
                cell: { fieldId: `${v.id}.m${i}`, textFormat: { textColor } },
              })),
            ),
          ),
        },
      };
    case 'kpi':
      return {
        kpiVisual: {
          ...base,
          chartConfiguration: {
            fieldWells: { values: values.slice(0, 1), targetValues: nonEmpty(values.slice(1)) },
          },
          conditionalFormatting: formatting(
            colours(v.measures[0]!).map((textColor) => ({ primaryValue: { textColor } })),
          ),
        },
      };
    case 'line': {
      const first = v.measures[0]?.unit;
      const secondary = new Set(v.measures.flatMap((m, i) => (m.unit === first ? [] : [i])));
      return {
        lineChartVisual: {
          ...base,
          chartConfiguration: {
            type: 'LINE',
            fieldWells: {
              lineChartAggregatedFieldWells: { category: time, colors: nonEmpty(dimensions), values },
            },
            series: nonEmpty(
              [...secondary].map((i) => ({
                fieldSeriesItem: { fieldId: `${v.id}.m${i}`, axisBinding: 'SECONDARY_YAXIS' },
              })),
            ),
            referenceLines: nonEmpty(referenceLines(v, secondary)),
          },
        },
      };
    }
    case 'bar':
      return {
        barChartVisual: {
          ...base,
          chartConfiguration: {
            orientation: 'VERTICAL',
            barsArrangement: 'CLUSTERED',
            fieldWells: {
              barChartAggregatedFieldWells: { category: time, colors: nonEmpty(dimensions), values },
            },
            referenceLines: nonEmpty(referenceLines(v, new Set())),
          },
        },
      };
  }
}

function measureField(v: Visual, m: Measure, i: number): CfnAnalysis.MeasureFieldProperty {
  const { decimals, suffix } = FORMAT[m.unit];
  const formatConfiguration = {
    formatConfiguration: {
      numberDisplayFormatConfiguration: { decimalPlacesConfiguration: { decimalPlaces: decimals }, suffix },
    },
  };
  const fieldId = `${v.id}.m${i}`;
  // An aggregated calculated field (the ratio) takes no aggregation of its own.
  if ('ratio' in m)
    return { numericalMeasureField: { fieldId, column: column(v.view, m.label), formatConfiguration } };
  return {
    numericalMeasureField: {
      fieldId,
      column: column(v.view, 'ageOf' in m ? m.label : m.column),
      aggregationFunction: { simpleNumericalAggregation: AGGREGATION[m.aggregation] },
      formatConfiguration,
    },
  };
}

/**
 * A text dimension, or a time one: by DAY for day-valued columns (day_utc), otherwise by MINUTE
 * (QuickSight has no 15-minute granularity; interval starts fall on whole minutes, one point each).
 */
function dimensionField(
  view: string,
  name: string,
  fieldId: string,
  typeOf: TypeOf,
): CfnAnalysis.DimensionFieldProperty {
  if (typeOf(view, name) !== 'DATETIME')
    return { categoricalDimensionField: { fieldId, column: column(view, name) } };
  const dateGranularity = name.startsWith('day') ? 'DAY' : 'MINUTE';
  return { dateDimensionField: { fieldId, column: column(view, name), dateGranularity } };
}

/** An empty list as absent, so the template carries no empty wells and options. */
const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);
const formatting = <T>(options: T[]) =>
  options.length > 0 ? { conditionalFormattingOptions: options } : undefined;

/** Green at or beyond `good`, red beyond `bad`, amber between, for the thresholds naming `m`. */
function bands(v: Visual, m: Measure): { expression: string; color: string }[] {
  return (v.thresholds ?? [])
    .filter((t) => t.measure === m.label)
    .flatMap((t) => {
      const value = aggregatedValue(m);
      const [better, worse, notWorse] = t.higherIsBetter ? ['>=', '<', '>='] : ['<=', '>', '<='];
      return [
        { expression: `${value} ${better} ${t.good}`, color: COLOURS.good },
        { expression: `${value} ${worse} ${t.bad}`, color: COLOURS.bad },
        { expression: `${value} ${worse} ${t.good} AND ${value} ${notWorse} ${t.bad}`, color: COLOURS.warn },
      ];
    });
}

/** A chart's thresholds as dashed lines at `good` and `bad`, on the axis of the measure they name. */
function referenceLines(v: Visual, secondary: Set<number>): CfnAnalysis.ReferenceLineProperty[] {
  return (v.thresholds ?? []).flatMap((t: Threshold) => {
    const axisBinding = secondary.has(v.measures.findIndex((m) => m.label === t.measure))
      ? 'SECONDARY_YAXIS'
      : 'PRIMARY_YAXIS';
    return (['good', 'bad'] as const).map((level) => ({
      status: 'ENABLED',
      dataConfiguration: { staticConfiguration: { value: t[level] }, axisBinding },
      styleConfiguration: { pattern: 'DASHED', color: COLOURS[level] },
      labelConfiguration: {
        customLabelConfiguration: { customLabel: `${t.measure}: ${level}` },
        fontColor: COLOURS[level],
      },
    }));
  });
}
