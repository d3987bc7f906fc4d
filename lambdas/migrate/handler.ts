import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { DataApiExecutor } from '../shared/db/data-api-executor';
import { loadMigrations } from '../shared/db/migrations';
import { type CustomResourceResponse, handleCustomResource, putResponse } from './custom-resource';
import { readMigrateEnv } from './env';
import { migrateDatabase } from './migrate-database';
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
const executor = new DataApiExecutor({
  client: new RDSDataClient({}),
  resourceArn: env.DB_CLUSTER_ARN,
  secretArn: env.DB_SECRET_ARN,
  database: env.DB_NAME,
  onRetry: (event) => logger.warn('retrying Data API call', { event }),
});
const migrations = loadMigrations(path.join(__dirname, 'migrations'));

/** CloudFormation custom resource `Custom::SchemaMigration`. */
export async function handler(event: unknown, context: Context): Promise<CustomResourceResponse> {
  return handleCustomResource(
    event,
    `schema-migration:${env.DB_NAME}`,
    () =>
      migrateDatabase(migrations, {
        executor,
        logger,
        loadUsers: async () => ({
          collector: await readDatabaseUser(secrets, env.COLLECTOR_SECRET_ARN),
          reporting: await readDatabaseUser(secrets, env.REPORTING_SECRET_ARN),
        }),
      }),
    { send: putResponse, remainingMs: () => context.getRemainingTimeInMillis(), logger },
  );
}
