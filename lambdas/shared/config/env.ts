import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from './runtime-config';

/**
 * The one reader of the functions' environment, at init. Only ARNs and non-secret settings live
 * there: database credentials stay in Secrets Manager and reach the database through the Data API.
 * Each function declares the variables it needs; every bad or missing one is reported at once, by
 * name, and the function fails to start instead of failing later.
 *
 * The runtime config itself is a file in the function's bundle (PIPELINE_CONFIG_FILE names it): the
 * environment holds 4 KB for every variable together, about ten instances' worth, and a fleet needs
 * hundreds. Bundled, it is deployed with the code it was validated with (a changed config is a new
 * bundle hash, so a new version of every function), costs no call at init, and has no size limit short
 * of Lambda's 250 MB.
 */

/** A variable the function cannot start without is missing or wrong. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

const ARN = z.string({ error: 'is not set' }).regex(/^arn:aws[a-z-]*:/, { message: 'expected an ARN' });
const SET = z.string({ error: 'is not set' }).min(1, { message: 'is not set' });

/** The file name of the runtime config in a function's bundle (PIPELINE_CONFIG_FILE). */
export const RUNTIME_CONFIG_FILE = 'pipeline-config.json';

/**
 * The runtime config file (PIPELINE_CONFIG_FILE: a path, relative to the function's code directory
 * LAMBDA_TASK_ROOT), read, parsed and validated.
 */
const PipelineConfig = SET.transform((file, ctx): RuntimeConfig => {
  const at = path.resolve(process.env.LAMBDA_TASK_ROOT ?? '.', file);
  let text: string;
  try {
    text = readFileSync(at, 'utf8');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `names ${at}, which cannot be read (${(error as Error).message})`,
    });
    return z.NEVER;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `names ${at}, which is not valid JSON` });
    return z.NEVER;
  }
  try {
    return parseRuntimeConfig(json);
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    ctx.addIssue({ code: 'custom', message: `names ${at}, which is invalid: ${detail}` });
    return z.NEVER;
  }
});

/** The database every function reaches through the Data API. */
const DatabaseEnv = { DB_CLUSTER_ARN: ARN, DB_SECRET_ARN: ARN, DB_NAME: SET };

/** The collectors' and the check's environment. */
const LambdaEnvSchema = z
  .object({
    ...DatabaseEnv,
    PIPELINE_CONFIG_FILE: PipelineConfig,
    PUSH_TARGET_SECRET_ARN: ARN.optional().or(z.literal('').transform(() => undefined)),
  })
  .transform((e) => ({
    dbClusterArn: e.DB_CLUSTER_ARN,
    dbSecretArn: e.DB_SECRET_ARN,
    dbName: e.DB_NAME,
    config: e.PIPELINE_CONFIG_FILE,
    pushTargetSecretArn: e.PUSH_TARGET_SECRET_ARN,
  }));
/** The collectors' and the check's environment, read. */
export type LambdaEnv = z.infer<typeof LambdaEnvSchema>;

/** The migration function's environment: the admin database user, and the users it creates. */
const MigrateEnvSchema = z.object({ ...DatabaseEnv, COLLECTOR_SECRET_ARN: ARN, REPORTING_SECRET_ARN: ARN });
/** The migration function's environment, read. */
export type MigrateEnv = z.infer<typeof MigrateEnvSchema>;

/** The variables that carry a secret's ARN: PipelineFunction's `bindSecret` sets one with its grant. */
export type SecretArnVariable = Extract<
  keyof z.input<typeof LambdaEnvSchema> | keyof z.input<typeof MigrateEnvSchema>,
  `${string}_SECRET_ARN`
>;

function read<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new EnvError(`environment: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Reads a collector's (or the check's) environment.
 * @throws EnvError naming every variable that is missing or malformed
 */
export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  return read(LambdaEnvSchema, env);
}

/**
 * Reads the migration function's environment.
 * @throws EnvError naming every variable that is missing or malformed
 */
export function readMigrateEnv(env: NodeJS.ProcessEnv = process.env): MigrateEnv {
  return read(MigrateEnvSchema, env);
}
