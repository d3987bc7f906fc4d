import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from './runtime-config';

/**
 * The Lambda environment, read once at init. Only ARNs and non-secret settings live here: the
 * database credentials stay in Secrets Manager and reach the database through the Data API.
 */
export interface LambdaEnv {
  /** Aurora cluster ARN (DB_CLUSTER_ARN). */
  readonly dbClusterArn: string;
  /** Secrets Manager ARN of the collector database user (DB_SECRET_ARN). */
  readonly dbSecretArn: string;
  /** Database name (DB_NAME). */
  readonly dbName: string;
  /** The validated runtime config (PIPELINE_CONFIG, JSON). */
  readonly config: RuntimeConfig;
  /** Secret holding `{"url": "https://..."}` of the push target, when one is configured (PUSH_TARGET_SECRET_ARN). */
  readonly pushTargetSecretArn: string | undefined;
}

/** A variable the function cannot start without is missing or wrong. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/**
 * Reads and checks the environment.
 * @throws EnvError naming the variable that is missing or malformed
 */
export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new EnvError(`environment variable ${name} is not set`);
    return value;
  };
  const raw = required('PIPELINE_CONFIG');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new EnvError('environment variable PIPELINE_CONFIG is not valid JSON', { cause: error });
  }
  let config: RuntimeConfig;
  try {
    config = parseRuntimeConfig(parsed);
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    throw new EnvError(`environment variable PIPELINE_CONFIG is invalid: ${detail}`, { cause: error });
  }
  return {
    dbClusterArn: required('DB_CLUSTER_ARN'),
    dbSecretArn: required('DB_SECRET_ARN'),
    dbName: required('DB_NAME'),
    config,
    pushTargetSecretArn: env.PUSH_TARGET_SECRET_ARN || undefined,
  };
}
