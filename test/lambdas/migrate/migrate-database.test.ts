import { randomBytes } from 'node:crypto';
import { migrateDatabase } from '../../../lambdas/migrate/migrate-database';
import {
  loadMigrations,
  migrationFrom,
  REPOSITORY_MIGRATIONS_DIR,
} from '../../../lambdas/migrate/migrations';
import { type LocalDataStack, openLocalDataStack } from '../../../local/runner/database';
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

  test('sets deletion protection last, once the schema and the users are in place', async () => {
    const seen: Array<{ enabled: boolean; migrations: number; users: number }> = [];

    const result = await migrateDatabase(
      migrations,
      {
        executor: db.executor,
        loadUsers: async () => users,
        setDeletionProtection: async (enabled) => {
          const applied = await db.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM schema_migration',
          );
          const roles = await db.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY($1)',
            [[users.collector.username, users.reporting.username]],
          );
          seen.push({ enabled, migrations: applied.rows[0]!.n, users: roles.rows[0]!.n });
        },
      },
      { deletionProtection: true },
    );

    expect(seen).toEqual([{ enabled: true, migrations: migrations.length, users: 2 }]);
    expect(result.DeletionProtection).toBe('on');
  });

  test('a migration that fails never turns deletion protection on, so the first deploy can roll back', async () => {
    const fresh = await createTestSchema(url, 'migrate_fail');
    const broken = [...migrations, migrationFrom('V999__broken.sql', 'CREATE TABLE nope (;')];
    const calls: boolean[] = [];

    try {
      await expect(
        migrateDatabase(
          broken,
          {
            executor: fresh.executor,
            loadUsers: async () => users,
            setDeletionProtection: async (enabled) => {
              calls.push(enabled);
            },
          },
          { deletionProtection: true },
        ),
      ).rejects.toThrow(/V999__broken/);
    } finally {
      await fresh.drop();
    }

    expect(calls).toEqual([]);
  });
});

describe.each(databaseTargets())(
  'migrateDatabase through the local Data API on $name, as the deploy runs it',
  ({ url }) => {
    let db: TestSchema;
    let stack: LocalDataStack;
    const suffix = randomBytes(3).toString('hex');
    const users = {
      collector: { username: `dcol_${suffix}`, password: 'collector-password' },
      reporting: { username: `drep_${suffix}`, password: 'reporting-password' },
    };

    beforeAll(async () => {
      db = await createTestSchema(url, 'migrate_api');
      stack = await openLocalDataStack({ kind: 'postgres', url, searchPath: db.schema });
    });
    afterAll(async () => {
      await stack.close();
      await db.pool
        .query(`DROP OWNED BY ${users.collector.username}, ${users.reporting.username}`)
        .catch(() => undefined);
      await db.drop();
      const cleanup = await createTestSchema(url, 'cleanup');
      await cleanup.pool.query(
        `DROP ROLE IF EXISTS ${users.collector.username}, ${users.reporting.username}`,
      );
      await cleanup.drop();
    });

    test('every statement of the migrations and the user setup returns only types the Data API can return', async () => {
      const result = await migrateDatabase(loadMigrations(REPOSITORY_MIGRATIONS_DIR), {
        executor: stack.db.until(Date.now() + 30_000),
        loadUsers: async () => users,
      });

      expect(result.Applied).not.toBe('none');
      expect(Number(result.ReportingViews)).toBeGreaterThan(0);
    });
  },
);
