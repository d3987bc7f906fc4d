import { type QuickSightColumnType, REPORTING_VIEWS } from '../../lib/reporting-views';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../support/databases';

/** PostgreSQL `information_schema` data types to QuickSight input column types. */
const POSTGRES_TO_QUICKSIGHT: Readonly<Record<string, QuickSightColumnType>> = {
  text: 'STRING',
  integer: 'INTEGER',
  smallint: 'INTEGER',
  bigint: 'INTEGER',
  'double precision': 'DECIMAL',
  numeric: 'DECIMAL',
  'timestamp with time zone': 'DATETIME',
  date: 'DATETIME',
  boolean: 'BOOLEAN',
};

describe.each(databaseTargets())('QuickSight datasets against the migrated views on $name', ({ url }) => {
  let db: TestSchema;
  let actual: Map<string, Array<[string, string]>>;

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'reporting_views');
    const { rows } = await db.pool.query<{ view: string; column: string; type: string }>(
      `SELECT table_name AS view, column_name AS column, data_type AS type
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name LIKE 'v\\_%'
        ORDER BY table_name, ordinal_position`,
    );
    actual = new Map();
    for (const r of rows) actual.set(r.view, [...(actual.get(r.view) ?? []), [r.column, r.type]]);
  });
  afterAll(() => db.drop());

  test('every v_ view has a dataset', () => {
    expect(REPORTING_VIEWS.map((v) => v.view).sort()).toEqual([...actual.keys()].sort());
  });

  test.each(REPORTING_VIEWS.map((v) => [v.view, v] as const))(
    '%s: the dataset columns and types are the view columns',
    (view, dataset) => {
      const expected = (actual.get(view) ?? []).map(([name, type]) => [
        name,
        POSTGRES_TO_QUICKSIGHT[type] ?? type,
      ]);

      expect(dataset.columns).toEqual(expected);
    },
  );

  test('real-time views are queried directly and interval views go through SPICE', () => {
    const mode = Object.fromEntries(REPORTING_VIEWS.map((v) => [v.view, v.importMode]));

    expect(mode).toMatchObject({ v_queue_realtime_latest: 'DIRECT_QUERY', v_queue_interval: 'SPICE' });
  });
});
