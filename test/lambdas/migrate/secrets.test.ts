import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { DatabaseSecretError, readDatabaseUser } from '../../../lambdas/migrate/secrets';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
});

beforeEach(() => secrets.reset());

test('reads the user name and password of an RDS database secret', async () => {
  secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({
    SecretString: JSON.stringify({
      username: 'pipeline_collector',
      password: 's3cret-value',
      host: 'h',
      port: 5432,
    }),
  });

  await expect(readDatabaseUser(client, ARN)).resolves.toEqual({
    username: 'pipeline_collector',
    password: 's3cret-value',
  });
});

test('names the secret but not its content when the password is missing', async () => {
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ username: 'u', note: 'hush' }) });

  const error = await readDatabaseUser(client, ARN).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DatabaseSecretError);
  expect((error as Error).message).toContain(ARN);
  expect((error as Error).message).toContain('password');
  expect((error as Error).message).not.toContain('hush');
});

test('rejects a secret that is not JSON without echoing it', async () => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'plain-text-password' });

  const error = await readDatabaseUser(client, ARN).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DatabaseSecretError);
  expect((error as Error).message).not.toContain('plain-text-password');
});
