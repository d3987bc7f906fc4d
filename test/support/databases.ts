import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR, runMigrations } from '../../lambdas/migrate/migrations';
import { createPgPool, PgExecutor, quoteIdentifier } from '../../lambdas/shared/db/pg-executor';

/** A PostgreSQL the database tests run against. */
export interface DatabaseTarget {
  /** `pglite` (always) or `postgres` (when DATABASE_URL is set, as in CI). */
  readonly name: string;
  readonly url: string;
}

/**
 * The databases every database test runs on: this worker's embedded PGlite, plus the PostgreSQL server
 * named by DATABASE_URL when there is one. Use with `describe.each(databaseTargets())`.
 */
export function databaseTargets(): DatabaseTarget[] {
  const worker = process.env.JEST_WORKER_ID ?? '1';
  const pglite = process.env[`PGLITE_URL_${worker}`] ?? process.env.PGLITE_URL_1;
  if (!pglite)
    throw new Error('PGLITE_URL_<worker> is not set: run the tests through jest (globalSetup starts PGlite)');
  const targets: DatabaseTarget[] = [{ name: 'pglite', url: pglite }];
  if (process.env.DATABASE_URL) targets.push({ name: 'postgres', url: process.env.DATABASE_URL });
  return targets;
}

/** A fresh, empty schema for one test file, with a pool and executor pinned to it. */
export interface TestSchema {
  readonly schema: string;
  readonly url: string;
  readonly pool: Pool;
  readonly executor: PgExecutor;
  /** Opens another pool on the same schema (for concurrency tests). */
  newPool(): Pool;
  /** Drops the schema and closes every pool. */
  drop(): Promise<void>;
}

/** {@link createTestSchema} with every migration of the repository applied: the schema as deployed. */
export async function createMigratedSchema(url: string, label = 'test'): Promise<TestSchema> {
  const schema = await createTestSchema(url, label);
  await runMigrations(schema.executor, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
  return schema;
}

/** Creates an empty schema named after `label` and a pool whose connections all use it. */
export async function createTestSchema(url: string, label = 'test'): Promise<TestSchema> {
  const schema = `t_${label.replace(/\W/g, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = createPgPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  await admin.end();
  const pools: Pool[] = [];
  // PGlite's socket server interleaves concurrent queries of different connections outside a
  // transaction, so on PGlite each pool keeps one connection (transactions are pinned correctly).
  const max = url === databaseTargets()[0]?.url ? 1 : 5;
  const newPool = () => {
    const pool = createPgPool(url, { searchPath: schema, max });
    pools.push(pool);
    return pool;
  };
  const pool = newPool();
  const { rows } = await pool.query<{ s: string | null }>('SELECT current_schema() AS s');
  if (rows[0]?.s !== schema) {
    // PGlite's socket server ignores startup options, but its connections all share one session, so
    // setting the path once holds for every connection of this worker's database.
    await pool.query(`SET search_path TO ${quoteIdentifier(schema)}`);
  }
  return {
    schema,
    url,
    pool,
    executor: new PgExecutor(pool),
    newPool,
    async drop() {
      await pool.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    },
  };
}
