import type { CfnAnalysis } from 'aws-cdk-lib/aws-quicksight';
import type { QuickSightColumnType } from '../reporting-views';
import type { Control, DashboardDefinition, Filter, Sheet, Visual } from './definition';

/**
 * The dashboard's filters in a QuickSight analysis Definition (see quicksight.ts): each visual's fixed
 * filters as a filter group scoped to it, the values controls as cross-dataset category filters with a
 * dropdown per sheet, and the date-range control as two date parameters driving the `lastDays` windows.
 */

export type Dropdown = { dropdown: CfnAnalysis.FilterDropDownControlProperty };
export type DatePicker = { dateTimePicker: CfnAnalysis.ParameterDateTimePickerControlProperty };
export type TypeOf = (view: string, column: string) => QuickSightColumnType | undefined;

/** A dataset column, named by its view (each dataset's identifier is its view). */
export const column = (view: string, name: string): CfnAnalysis.ColumnIdentifierProperty => ({
  dataSetIdentifier: view,
  columnName: name,
});

export function filterGroup(
  filterGroupId: string,
  crossDataset: 'SINGLE_DATASET' | 'ALL_DATASETS',
  sheetId: string,
  visualIds: string[],
  filters: CfnAnalysis.FilterProperty[],
): CfnAnalysis.FilterGroupProperty {
  return {
    filterGroupId,
    crossDataset,
    status: 'ENABLED',
    filters,
    scopeConfiguration: {
      selectedSheets: {
        sheetVisualScopingConfigurations: [{ sheetId, scope: 'SELECTED_VISUALS', visualIds }],
      },
    },
  };
}

/** A visual's fixed filter; a `lastDays` window a dateRange control maps reads that control's dates. */
export function fixedFilter(
  definition: DashboardDefinition,
  v: Visual,
  f: Filter,
  filterId: string,
  typeOf: TypeOf,
): CfnAnalysis.FilterProperty {
  const col = column(v.view, f.column);
  const nullOption = 'NON_NULLS_ONLY';
  if ('equals' in f) {
    return typeOf(v.view, f.column) === 'STRING'
      ? {
          categoryFilter: {
            filterId,
            column: col,
            configuration: {
              customFilterConfiguration: {
                matchOperator: 'EQUALS',
                categoryValue: String(f.equals),
                nullOption,
              },
            },
          },
        }
      : {
          numericEqualityFilter: {
            filterId,
            column: col,
            value: Number(f.equals),
            matchOperator: 'EQUALS',
            nullOption,
          },
        };
  }
  const anchorDateConfiguration = { anchorOption: 'NOW' };
  if ('today' in f) {
    return {
      relativeDatesFilter: {
        filterId,
        column: col,
        anchorDateConfiguration,
        relativeDateType: 'THIS',
        timeGranularity: 'DAY',
        nullOption,
      },
    };
  }
  const range = rangeControl(definition, v, f);
  if (range) {
    const [from, to] = parameterNames(range);
    return {
      timeRangeFilter: {
        filterId,
        column: col,
        rangeMinimumValue: { parameter: from },
        rangeMaximumValue: { parameter: to },
        includeMinimum: true,
        includeMaximum: true,
        timeGranularity: 'DAY',
        nullOption,
      },
    };
  }
  return {
    relativeDatesFilter: {
      filterId,
      column: col,
      anchorDateConfiguration,
      relativeDateType: 'LAST',
      relativeDateValue: f.lastDays,
      timeGranularity: 'DAY',
      nullOption,
    },
  };
}

/** The dateRange control that maps `v`'s view to the column of its `lastDays` filter `f`, if any. */
function rangeControl(definition: DashboardDefinition, v: Visual, f: Filter): Control | undefined {
  if (!('lastDays' in f)) return undefined;
  return definition.controls.find((c) => c.kind === 'dateRange' && c.columns[v.view] === f.column);
}

/** The From and To date parameters of a dateRange control (names: letters and digits only). */
function parameterNames(control: Control): [string, string] {
  const base = control.id.replace(/[^A-Za-z0-9]/g, '');
  return [`${base}From`, `${base}To`];
}

/** The windows each dateRange control drives, by control: the `lastDays` of every visual it maps. */
function drivenWindows(definition: DashboardDefinition, sheets = definition.sheets): Map<Control, number[]> {
  const windows = new Map<Control, number[]>();
  for (const v of sheets.flatMap((s) => s.visuals)) {
    for (const f of v.filters ?? []) {
      const control = rangeControl(definition, v, f);
      if (control && 'lastDays' in f) windows.set(control, [...(windows.get(control) ?? []), f.lastDays]);
    }
  }
  return windows;
}

/** Per driven dateRange control, From and To parameters defaulting to the longest window it drives. */
export function dateParameters(definition: DashboardDefinition): CfnAnalysis.ParameterDeclarationProperty[] {
  return [...drivenWindows(definition)].flatMap(([control, windows]) => {
    const [from, to] = parameterNames(control);
    const today = "truncDate('DD', now())";
    return [
      [from, `addDateTime(${1 - Math.max(...windows)}, 'DD', ${today})`],
      [to, today],
    ].map(([name, expression]) => ({
      dateTimeParameterDeclaration: {
        name: name!,
        timeGranularity: 'DAY',
        defaultValues: { rollingDate: { expression: expression! } },
      },
    }));
  });
}

/** Date pickers for the From and To of every dateRange control driving a visual of `sheet`. */
export function dateControls(definition: DashboardDefinition, sheet: Sheet): DatePicker[] {
  return [...drivenWindows(definition, [sheet]).keys()].flatMap((control) =>
    parameterNames(control).map((name, i) => ({
      dateTimePicker: {
        parameterControlId: `${sheet.id}-${name}`,
        title: `${control.title} ${i === 0 ? 'from' : 'to'}`,
        sourceParameterName: name,
        displayOptions: { dateTimeFormat: 'YYYY-MM-DD' },
      },
    })),
  );
}

/**
 * Per values control, a dropdown on `sheet` over a category filter of the visuals whose view the
 * control maps. ALL_DATASETS: QuickSight applies it to every dataset with a column of that name.
 */
export function valuesControls(
  definition: DashboardDefinition,
  sheet: Sheet,
): { filterGroup: CfnAnalysis.FilterGroupProperty; control: Dropdown }[] {
  return definition.controls.flatMap((control) => {
    const visuals = sheet.visuals.filter((v) => control.columns[v.view] !== undefined);
    const first = visuals[0];
    if (control.kind !== 'values' || first === undefined) return [];
    const filterId = `${sheet.id}-${control.id}`;
    const filter: CfnAnalysis.FilterProperty = {
      categoryFilter: {
        filterId,
        column: column(first.view, control.columns[first.view]!),
        configuration: {
          filterListConfiguration: { matchOperator: 'CONTAINS', selectAllOptions: 'FILTER_ALL_VALUES' },
        },
      },
    };
    const ids = visuals.map((v) => v.id);
    return [
      {
        filterGroup: filterGroup(`${filterId}-group`, 'ALL_DATASETS', sheet.id, ids, [filter]),
        control: {
          dropdown: {
            filterControlId: `${filterId}-control`,
            sourceFilterId: filterId,
            title: control.title,
            type: 'MULTI_SELECT',
            displayOptions: { selectAllOptions: { visibility: 'VISIBLE' } },
          },
        },
      },
    ];
  });
}
