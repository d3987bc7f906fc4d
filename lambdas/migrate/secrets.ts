import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { DatabaseUser } from './database-users';

const DatabaseSecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/** A secret that does not hold database credentials. */
export class DatabaseSecretError extends Error {
  override readonly name = 'DatabaseSecretError';
}

/**
 * Reads `{username, password}` from a Secrets Manager secret (as RDS `DatabaseSecret` stores them).
 * @throws DatabaseSecretError naming the secret, never its content
 */
export async function readDatabaseUser(
  client: SecretsManagerClient,
  secretArn: string,
): Promise<DatabaseUser> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let json: unknown;
  try {
    json = JSON.parse(SecretString ?? '');
  } catch (cause) {
    throw new DatabaseSecretError(`secret ${secretArn} is not JSON`, { cause });
  }
  const parsed = DatabaseSecretSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new DatabaseSecretError(`secret ${secretArn} lacks database credentials (${fields})`);
  }
  return { username: parsed.data.username, password: parsed.data.password };
}
