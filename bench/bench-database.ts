import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR, runMigrations } from '../lambdas/migrate/migrations';
import type { DataApiExecutor } from '../lambdas/shared/db/data-api-executor';
import type { RunningDataApi } from '../local/data-api/server';
import { openLocalDataStack } from '../local/runner/database';

/** Which database the local Data API runs the collectors' SQL on. */
export type BenchDatabaseKind =
  | { readonly kind: 'pglite' }
  | { readonly kind: 'postgres'; readonly url: string };

/** One statement the collectors sent, as the executor's hook saw it. */
export interface SentStatement {
  readonly sql: string;
  readonly bytes: number;
  readonly inTransaction: boolean;
}

/** A migrated, empty database behind the local Data API, and the collectors' executor. */
export interface BenchDatabase {
  /** `pglite` or `postgres`: the suffix of latency metrics. */
  readonly label: string;
  readonly dataApi: RunningDataApi;
  readonly db: DataApiExecutor;
  /** Every ExecuteStatement sent since the last `sent.length = 0`. */
  readonly sent: SentStatement[];
  close(): Promise<void>;
}

/**
 * Opens an in-memory PGlite, or a fresh schema on a PostgreSQL server (dropped on close, so the
 * benchmark never touches other data), serves the local Data API over it and applies the migrations
 * through the Data API, as deployed.
 */
export async function openBenchDatabase(target: BenchDatabaseKind): Promise<BenchDatabase> {
  const schema = target.kind === 'postgres' ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  if (target.kind === 'postgres') await withPg(target.url, (pg) => pg.query(`CREATE SCHEMA ${schema}`));
  const sent: SentStatement[] = [];
  const data = await openLocalDataStack(
    target.kind === 'postgres'
      ? { kind: 'postgres', url: target.url, searchPath: schema }
      : { kind: 'pglite' },
    { onStatement: ({ sql, bytes, inTransaction }) => void sent.push({ sql, bytes, inTransaction }) },
  );
  await runMigrations(data.db, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
  sent.length = 0;
  return {
    label: target.kind,
    dataApi: data.dataApi,
    db: data.db,
    sent,
    async close() {
      await data.close();
      if (schema && target.kind === 'postgres') {
        await withPg(target.url, (pg) => pg.query(`DROP SCHEMA ${schema} CASCADE`));
      }
    },
  };
}

/** Runs `work` on a fresh pg connection and closes it. */
export async function withPg<T>(url: string, work: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return await work(pg);
  } finally {
    await pg.end();
  }
}
