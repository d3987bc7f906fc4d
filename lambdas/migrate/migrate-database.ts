import type { SqlExecutor } from '../shared/db/executor';
import { type DatabaseUsers, ensureDatabaseUsers } from './database-users';
import { type Migration, type MigrationLogger, runMigrations } from './migrations';

/** What one deploy-time migration did, as CloudFormation attributes (strings). */
export interface MigrateDatabaseResult extends Record<string, string> {
  readonly Applied: string;
  readonly AlreadyApplied: string;
  readonly ReportingViews: string;
  /** `on`, `off`, or `unchanged` when no protection was asked for. */
  readonly DeletionProtection: string;
}

/** Dependencies of {@link migrateDatabase}. */
export interface MigrateDatabaseDeps {
  /** Runs as the admin user. */
  readonly executor: SqlExecutor;
  readonly loadUsers: () => Promise<DatabaseUsers>;
  /**
   * Turns the cluster's deletion protection on or off (RDS ModifyDBCluster).
   * @default - protection is left as it is
   */
  readonly setDeletionProtection?: (enabled: boolean) => Promise<void>;
  readonly logger?: MigrationLogger;
}

/** What the deploy asks for besides the migrations. */
export interface MigrateDatabaseOptions {
  /**
   * Deletion protection the cluster should have once the schema is in place.
   * @default - left as it is
   */
  readonly deletionProtection?: boolean;
}

/**
 * Applies pending migrations, creates or updates the collector and reporting users so their grants
 * cover every table and view the migrations made, and only then sets the cluster's deletion
 * protection: a deploy that fails before this point leaves a new cluster deletable, so its rollback
 * completes. Every step is idempotent.
 */
export async function migrateDatabase(
  migrations: readonly Migration[],
  deps: MigrateDatabaseDeps,
  options: MigrateDatabaseOptions = {},
): Promise<MigrateDatabaseResult> {
  const logger = deps.logger ? { logger: deps.logger } : {};
  const report = await runMigrations(deps.executor, migrations, logger);
  const users = await ensureDatabaseUsers(deps.executor, await deps.loadUsers(), logger);
  let protection = 'unchanged';
  if (options.deletionProtection !== undefined && deps.setDeletionProtection) {
    await deps.setDeletionProtection(options.deletionProtection);
    protection = options.deletionProtection ? 'on' : 'off';
    deps.logger?.info('cluster deletion protection set', { deletionProtection: protection });
  }
  return {
    Applied: report.applied.join(',') || 'none',
    AlreadyApplied: String(report.alreadyApplied),
    ReportingViews: String(users.reportingViews.length),
    DeletionProtection: protection,
  };
}
