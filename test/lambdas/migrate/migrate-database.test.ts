import { randomBytes } from 'node:crypto';
import { migrateDatabase } from '../../../lambdas/migrate/migrate-database';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR } from '../../../lambdas/shared/db/migrations';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

describe.each(databaseTargets())('migrateDatabase on $name', ({ url }) => {
  let db: TestSchema;
  const suffix = randomBytes(3).toString('hex');
  const users = {
    collector: { username: `mcol_${suffix}`, password: 'collector-password' },
    reporting: { username: `mrep_${suffix}`, password: 'reporting-password' },
  };
  const migrations = loadMigrations(REPOSITORY_MIGRATIONS_DIR);

  beforeAll(async () => {
    db = await createTestSchema(url, 'migrate');
  });
  afterAll(async () => {
    await db.pool
      .query(`DROP OWNED BY ${users.collector.username}, ${users.reporting.username}`)
      .catch(() => undefined);
    await db.drop();
    const cleanup = await createTestSchema(url, 'cleanup');
    await cleanup.pool.query(`DROP ROLE IF EXISTS ${users.collector.username}, ${users.reporting.username}`);
    await cleanup.drop();
  });

  test('applies every migration and grants the reporting user every view on a fresh database', async () => {
    const result = await migrateDatabase(migrations, { executor: db.executor, loadUsers: async () => users });

    expect(result.Applied.split(',')).toEqual(migrations.map((m) => m.name));
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_views WHERE schemaname = current_schema() AND viewname LIKE 'v\\_%'",
    );
    expect(Number(result.ReportingViews)).toBe(rows[0]?.n);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  test('is a no-op for the schema on the next deploy, and still succeeds', async () => {
    const result = await migrateDatabase(migrations, { executor: db.executor, loadUsers: async () => users });

    expect(result).toMatchObject({ Applied: 'none', AlreadyApplied: String(migrations.length) });
  });
});
