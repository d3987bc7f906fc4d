import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../shared/db/executor';
import { splitStatements } from '../shared/db/sql-text';
import type { Log } from '../shared/runtime/logger';

/**
 * The one migration runner: used by the deploy-time custom resource (through the Data API), the
 * local mode, `npm run migrate` and the tests (through pg). Each pending migration runs in its own
 * transaction under a transaction-scoped advisory lock, and is re-checked inside that lock, so two
 * runners started at once apply each migration exactly once. No session state is needed, which is
 * what the Data API requires (each call may use a different connection).
 */

/** One forward-only migration file, `V<NNN>__<snake_name>.sql`. */
export interface Migration {
  readonly version: number;
  /** File name without `.sql`, e.g. `V001__dimensions`: the key recorded in schema_migration. */
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file (line endings normalised). */
  readonly checksum: string;
}

/** What a run did. */
export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/** Where the runner reports progress (Powertools Logger fits). */
export type MigrationLogger = Pick<Log, 'info'>;

/** A migration set that must not run: a bad file name, a changed or missing applied migration. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const FILE_NAME = /^V(\d{3,})__([a-z0-9_]+)\.sql$/;
/** Advisory lock key shared by every runner of this schema history. */
const LOCK_KEY = 72_641_300_001;

/** Builds a migration from its file name and text. */
export function migrationFrom(fileName: string, text: string): Migration {
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    throw new MigrationError(`migration file '${fileName}' is not named V<NNN>__<snake_case_name>.sql`);
  }
  const sql = text.replace(/\r\n/g, '\n');
  return {
    version: Number(match[1]),
    name: fileName.slice(0, -'.sql'.length),
    sql,
    checksum: createHash('sha256').update(sql).digest('hex'),
  };
}

/**
 * Reads every `.sql` file of a folder as a migration, in version order.
 * @throws MigrationError on a misnamed file or two files with one version
 */
export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const migrations = files.map((f) => migrationFrom(f, readFileSync(join(dir, f), 'utf8')));
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new MigrationError(
        `migrations ${migrations[i - 1]!.name} and ${migrations[i]!.name} share version ${migrations[i]!.version}`,
      );
    }
  }
  return migrations;
}

/** The folder of this repository's migrations (sql/migrations), for the local mode and scripts. */
export const REPOSITORY_MIGRATIONS_DIR = join(__dirname, '..', '..', 'sql', 'migrations');

/**
 * Applies every pending migration in version order, each in its own transaction.
 * @throws MigrationError, before applying anything, if an applied migration's file changed or is gone
 */
export async function runMigrations(
  executor: SqlExecutor,
  migrations: readonly Migration[],
  options: { logger?: MigrationLogger } = {},
): Promise<MigrationReport> {
  await executor.transaction(async (tx) => {
    await lock(tx);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migration (
         name        text        PRIMARY KEY,
         version     integer     NOT NULL UNIQUE,
         checksum    text        NOT NULL,
         applied_at  timestamptz NOT NULL DEFAULT now(),
         duration_ms integer     NOT NULL
       )`,
    );
  });
  const { rows } = await executor.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM schema_migration ORDER BY version',
  );
  verifyApplied(rows, migrations);
  const done = new Set(rows.map((r) => r.name));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    const ran = await executor.transaction(async (tx) => {
      await lock(tx);
      const again = await tx.query('SELECT 1 FROM schema_migration WHERE name = :name', {
        name: migration.name,
      });
      if (again.rowCount > 0) return false; // another runner applied it while we waited for the lock
      const started = Date.now();
      for (const statement of splitStatements(migration.sql)) {
        try {
          await tx.query(statement);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(
            `migration ${migration.name} failed: ${reason}\n  in: ${statement.slice(0, 200)}`,
            {
              cause: error,
            },
          );
        }
      }
      await tx.query(
        'INSERT INTO schema_migration (name, version, checksum, duration_ms) VALUES (:name, :version, :checksum, :ms)',
        {
          name: migration.name,
          version: migration.version,
          checksum: migration.checksum,
          ms: Date.now() - started,
        },
      );
      return true;
    });
    if (ran) {
      applied.push(migration.name);
      options.logger?.info('applied migration', { migration: migration.name });
    }
  }
  const report = { applied, alreadyApplied: migrations.length - applied.length };
  options.logger?.info('migrations up to date', {
    applied: applied.length,
    alreadyApplied: report.alreadyApplied,
  });
  return report;
}

async function lock(tx: SqlExecutor): Promise<void> {
  // pg_advisory_xact_lock returns void, a type the Data API cannot return (UnsupportedResultException):
  // called in FROM, the statement's only column is a boolean.
  await tx.query('SELECT true AS locked FROM pg_advisory_xact_lock(:key)', { key: LOCK_KEY });
}

function verifyApplied(
  applied: readonly { name: string; checksum: string }[],
  migrations: readonly Migration[],
) {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const problems: string[] = [];
  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) {
      problems.push(`${row.name} was applied but its file is missing (migrations are never deleted)`);
    } else if (file.checksum !== row.checksum) {
      problems.push(
        `${row.name}.sql changed after it was applied (checksum ${row.checksum.slice(0, 12)} applied, ` +
          `${file.checksum.slice(0, 12)} now): restore the file and put the change in a new migration`,
      );
    }
  }
  if (problems.length > 0) throw new MigrationError(`refusing to migrate:\n  - ${problems.join('\n  - ')}`);
}
