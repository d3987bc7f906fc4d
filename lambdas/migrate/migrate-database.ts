import type { SqlExecutor } from '../shared/db/executor';
import { type Migration, type MigrationLogger, runMigrations } from '../shared/db/migrations';
import { type DatabaseUsers, ensureDatabaseUsers } from './database-users';

/** What one deploy-time migration did, as CloudFormation attributes (strings). */
export interface MigrateDatabaseResult extends Record<string, string> {
  readonly Applied: string;
  readonly AlreadyApplied: string;
  readonly ReportingViews: string;
}

/** Dependencies of {@link migrateDatabase}. */
export interface MigrateDatabaseDeps {
  /** Runs as the admin user. */
  readonly executor: SqlExecutor;
  readonly loadUsers: () => Promise<DatabaseUsers>;
  readonly logger?: MigrationLogger;
}

/**
 * Applies pending migrations, then creates or updates the collector and reporting users so their
 * grants cover every table and view the migrations made. Both steps are idempotent.
 */
export async function migrateDatabase(
  migrations: readonly Migration[],
  deps: MigrateDatabaseDeps,
): Promise<MigrateDatabaseResult> {
  const report = await runMigrations(deps.executor, migrations, deps.logger ? { logger: deps.logger } : {});
  const users = await ensureDatabaseUsers(
    deps.executor,
    await deps.loadUsers(),
    deps.logger ? { logger: deps.logger } : {},
  );
  return {
    Applied: report.applied.join(',') || 'none',
    AlreadyApplied: String(report.alreadyApplied),
    ReportingViews: String(users.reportingViews.length),
  };
}
