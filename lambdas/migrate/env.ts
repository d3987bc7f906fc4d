import { z } from 'zod';

const ARN = z.string().regex(/^arn:aws[a-z-]*:/, { message: 'expected an ARN' });

/** The migration function's environment, set by the SchemaMigration construct. */
export const MigrateEnvSchema = z.object({
  DB_CLUSTER_ARN: ARN,
  /** Admin credentials the migrations run as. */
  DB_SECRET_ARN: ARN,
  DB_NAME: z.string().min(1),
  COLLECTOR_SECRET_ARN: ARN,
  REPORTING_SECRET_ARN: ARN,
});
export type MigrateEnv = z.infer<typeof MigrateEnvSchema>;

/** The environment is incomplete; names every missing or bad variable. */
export class MigrateEnvError extends Error {
  override readonly name = 'MigrateEnvError';
}

/**
 * Reads the environment once, at init.
 * @throws MigrateEnvError naming each bad variable
 */
export function readMigrateEnv(env: NodeJS.ProcessEnv): MigrateEnv {
  const result = MigrateEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new MigrateEnvError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}
