import {
  loadMigrations,
  MigrationError,
  migrationFrom,
  REPOSITORY_MIGRATIONS_DIR,
  runMigrations,
} from '../../../lambdas/migrate/migrations';
import { PgExecutor } from '../../../lambdas/shared/db/pg-executor';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

const migrations = loadMigrations(REPOSITORY_MIGRATIONS_DIR);

describe('loadMigrations', () => {
  test('reads the repository migrations in version order', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(6);
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
    expect(migrations[0]?.name).toBe('V001__dimensions');
  });

  test('refuses a file that is not named V<NNN>__<name>.sql', () => {
    expect(() => migrationFrom('001-init.sql', 'select 1')).toThrow(MigrationError);
    expect(() => migrationFrom('001-init.sql', 'select 1')).toThrow(
      /'001-init.sql' is not named V<NNN>__<snake_case_name>.sql/,
    );
  });

  test('gives the same checksum whatever the line endings', () => {
    expect(migrationFrom('V001__a.sql', 'a;\r\nb;').checksum).toBe(
      migrationFrom('V001__a.sql', 'a;\nb;').checksum,
    );
  });
});

describe.each(databaseTargets())('runMigrations on $name', ({ url }) => {
  let db: TestSchema;
  beforeEach(async () => {
    db = await createTestSchema(url, 'migrations');
  });
  afterEach(() => db.drop());

  test('applies every migration to an empty database and records each with its checksum', async () => {
    const report = await runMigrations(db.executor, migrations);
    expect(report.applied).toEqual(migrations.map((m) => m.name));
    const { rows } = await db.executor.query('SELECT name, checksum FROM schema_migration ORDER BY version');
    expect(rows).toEqual(migrations.map((m) => ({ name: m.name, checksum: m.checksum })));
    const views = await db.executor.query(
      "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema() AND table_name LIKE 'v\\_%'",
    );
    expect(views.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'v_queue_realtime_latest',
        'v_queue_realtime_1min',
        'v_queue_interval',
        'v_agent_status_timeline',
        'v_data_freshness',
      ]),
    );
  });

  test('is a no-op the second time', async () => {
    await runMigrations(db.executor, migrations);
    const again = await runMigrations(db.executor, migrations);
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.length });
  });

  test('refuses to run, changing nothing, when an applied migration file was edited', async () => {
    const first = migrations.slice(0, 2);
    await runMigrations(db.executor, first);
    const edited = [
      first[0]!,
      migrationFrom(`${first[1]!.name}.sql`, `${first[1]!.sql}\n-- edited`),
      ...migrations.slice(2),
    ];
    await expect(runMigrations(db.executor, edited)).rejects.toThrow(
      new RegExp(`${first[1]!.name}.sql changed after it was applied`),
    );
    const { rows } = await db.executor.query('SELECT count(*)::int AS n FROM schema_migration');
    expect(rows[0]?.n).toBe(2);
  });

  test('refuses to run when an applied migration file is missing', async () => {
    await runMigrations(db.executor, migrations.slice(0, 2));
    await expect(runMigrations(db.executor, migrations.slice(1))).rejects.toThrow(
      /V001__dimensions was applied but its file is missing/,
    );
  });

  test('rolls back a failing migration whole, keeping the ones before it', async () => {
    const broken = migrationFrom(
      'V900__broken.sql',
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();',
    );
    await expect(runMigrations(db.executor, [...migrations, broken])).rejects.toThrow(
      /migration V900__broken failed: .*no_such_function/,
    );
    const tables = await db.executor.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'",
    );
    expect(tables.rows[0]?.n).toBe(0);
    const recorded = await db.executor.query('SELECT count(*)::int AS n FROM schema_migration');
    expect(recorded.rows[0]?.n).toBe(migrations.length);
  });

  test('two runners started at once apply each migration exactly once', async () => {
    const other = new PgExecutor(db.newPool());
    const [a, b] = await Promise.all([
      runMigrations(db.executor, migrations),
      runMigrations(other, migrations),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual(migrations.map((m) => m.name).sort());
    const { rows } = await db.executor.query('SELECT count(*)::int AS n FROM schema_migration');
    expect(rows[0]?.n).toBe(migrations.length);
  });
});
