import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { type LambdaEnv, readLambdaEnv } from '../config/env';
import { DataApiExecutor } from '../db/data-api-executor';
import { createLogger, type Log } from '../runtime/logger';
import type { RetryOptions } from '../runtime/retry';

/**
 * The database half of a function's composition root: the Data API executor over the cluster, built
 * once at init. Functions that never call Connect (the check, the migration) use only this, so their
 * bundles carry no Connect client.
 */

/** The Data API executor over one database, logging each retry (never the secret). */
export function dataApiExecutor(
  database: { readonly clusterArn: string; readonly secretArn: string; readonly name: string },
  log: Pick<Log, 'warn'>,
  retry?: RetryOptions,
): DataApiExecutor {
  return new DataApiExecutor({
    client: new RDSDataClient({}),
    resourceArn: database.clusterArn,
    secretArn: database.secretArn,
    database: database.name,
    retry,
    onRetry: ({ error, attempt, delayMs }) =>
      log.warn('retrying a Data API call', {
        attempt,
        delayMs,
        error: error instanceof Error ? error.name : String(error),
      }),
  });
}

/** What a function that reads the pipeline database builds at init. */
export interface DatabaseRuntime {
  readonly env: LambdaEnv;
  readonly db: DataApiExecutor;
  readonly log: Log;
}

/** Reads the env and builds the executor (throws EnvError at init when the env is wrong). */
export function createDatabaseRuntime(serviceName: string): DatabaseRuntime {
  const env = readLambdaEnv();
  const log = createLogger(serviceName);
  const db = dataApiExecutor(
    { clusterArn: env.dbClusterArn, secretArn: env.dbSecretArn, name: env.dbName },
    log,
  );
  return { env, db, log };
}
