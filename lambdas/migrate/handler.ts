import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { readMigrateEnv } from '../shared/config/env';
import { dataApiExecutor } from '../shared/lambda/database';
import { createLogger } from '../shared/runtime/logger';
import { clusterDeletionProtection, stackRollbackCheck } from './aws-adapters';
import {
  type CustomResourceResponse,
  handleCustomResource,
  migrationOptions,
  putResponse,
} from './custom-resource';
import { migrateDatabase } from './migrate-database';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR } from './migrations';
import { readDatabaseUser } from './secrets';

// Composition root: env, clients and migrations are read once, at init.
const env = readMigrateEnv(process.env);
// Passwords never reach the log: users are logged by name, secrets by ARN.
const logger = createLogger('migrate');
const secrets = new SecretsManagerClient({});
const setDeletionProtection = clusterDeletionProtection(new RDSClient({}), env.DB_CLUSTER_ARN);
const isRollingBack = stackRollbackCheck(new CloudFormationClient({}));
const executor = dataApiExecutor(
  { clusterArn: env.DB_CLUSTER_ARN, secretArn: env.DB_SECRET_ARN, name: env.DB_NAME },
  logger,
  // A paused cluster can take over 30 s to resume; a deploy can afford to wait for it.
  { deadlineMs: 120_000 },
);
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
