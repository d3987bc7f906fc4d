import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { RDSClient } from '@aws-sdk/client-rds';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { DataApiExecutor } from '../shared/db/data-api-executor';
import { clusterDeletionProtection, stackRollbackCheck } from './aws-adapters';
import {
  type CustomResourceResponse,
  handleCustomResource,
  migrationOptions,
  putResponse,
} from './custom-resource';
import { readMigrateEnv } from './env';
import { migrateDatabase } from './migrate-database';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR } from './migrations';
import { readDatabaseUser } from './secrets';

// Composition root: env, clients and migrations are read once, at init.
const env = readMigrateEnv(process.env);
const powertools = new Logger();
// Passwords never reach these: users are logged by name, secrets by ARN.
const logger = {
  info: (message: string, extra: Record<string, unknown> = {}) =>
    powertools.info(message, extra as LogAttributes),
  warn: (message: string, extra: Record<string, unknown> = {}) =>
    powertools.warn(message, extra as LogAttributes),
  error: (message: string, extra: Record<string, unknown> = {}) =>
    powertools.error(message, extra as LogAttributes),
};
const secrets = new SecretsManagerClient({});
const setDeletionProtection = clusterDeletionProtection(new RDSClient({}), env.DB_CLUSTER_ARN);
const isRollingBack = stackRollbackCheck(new CloudFormationClient({}));
const executor = new DataApiExecutor({
  client: new RDSDataClient({}),
  resourceArn: env.DB_CLUSTER_ARN,
  secretArn: env.DB_SECRET_ARN,
  database: env.DB_NAME,
  // A paused cluster can take over 30 s to resume; a deploy can afford to wait for it.
  retry: { deadlineMs: 120_000 },
  onRetry: (event) => logger.warn('retrying Data API call', { event }),
});
// The bundle carries the SQL next to index.js; run from source (local mode, tests) it is sql/migrations.
const BUNDLED_MIGRATIONS = path.join(__dirname, 'migrations');
const MIGRATIONS_DIR = existsSync(BUNDLED_MIGRATIONS) ? BUNDLED_MIGRATIONS : REPOSITORY_MIGRATIONS_DIR;

/** CloudFormation custom resource `Custom::SchemaMigration`. */
export async function handler(event: unknown, context: Context): Promise<CustomResourceResponse> {
  return handleCustomResource(
    event,
    `schema-migration:${env.DB_NAME}`,
    (request) =>
      // Loaded inside the work, so a bad migration file is reported to CloudFormation, not thrown at init.
      migrateDatabase(
        loadMigrations(MIGRATIONS_DIR),
        {
          executor,
          logger,
          setDeletionProtection,
          loadUsers: async () => ({
            collector: await readDatabaseUser(secrets, env.COLLECTOR_SECRET_ARN),
            reporting: await readDatabaseUser(secrets, env.REPORTING_SECRET_ARN),
          }),
        },
        migrationOptions(request.ResourceProperties),
      ),
    { send: putResponse, remainingMs: () => context.getRemainingTimeInMillis(), logger, isRollingBack },
  );
}
