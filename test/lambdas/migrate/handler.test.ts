import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { CustomResourceResponse } from '../../../lambdas/migrate/custom-resource';
import { type RunningDataApi, startLocalDataApi } from '../../../local/data-api/server';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

// The real handler module, end to end: the real RDS Data client against the local Data API over
// this worker's database, Secrets Manager mocked, and CloudFormation's response URL a local server.
const COLLECTOR_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf';
const REPORTING_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:reporting-AbCdEf';
const suffix = randomBytes(3).toString('hex');
const users = { collector: `hcol_${suffix}`, reporting: `hrep_${suffix}` };

let schema: TestSchema;
let dataApi: RunningDataApi;
let responses: Server;
const received: CustomResourceResponse[] = [];
let handler: (event: unknown, context: Context) => Promise<CustomResourceResponse>;
/** What the handler asked RDS and CloudFormation (mocked inside its module registry). */
const control = { protection: [] as boolean[], stackStatus: 'UPDATE_IN_PROGRESS' };
const saved = { ...process.env };
const logged: string[] = [];
const capture = (chunk: unknown) => {
  logged.push(String(chunk));
  return true;
};

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => capture(args.join(' ')));
  }
  const url = databaseTargets()[0]!.url;
  schema = await createTestSchema(url, 'migrate_handler');
  dataApi = await startLocalDataApi({ databaseUrl: url, searchPath: schema.schema });
  responses = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push(JSON.parse(body) as CustomResourceResponse);
      res.end();
    });
  });
  await new Promise<void>((resolve) => responses.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    DB_CLUSTER_ARN: dataApi.resourceArn,
    DB_SECRET_ARN: dataApi.secretArn,
    DB_NAME: dataApi.database,
    COLLECTOR_SECRET_ARN: COLLECTOR_ARN,
    REPORTING_SECRET_ARN: REPORTING_ARN,
    AWS_ENDPOINT_URL_RDS_DATA: dataApi.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_DEV: 'false',
  });
  jest.isolateModules(() => {
    // The handler gets its own module registry, so the SDK it uses is mocked from inside it.
    const sdk =
      require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
    const secrets = mockClient(sdk.SecretsManagerClient);
    secrets.on(sdk.GetSecretValueCommand, { SecretId: COLLECTOR_ARN }).resolves({
      SecretString: JSON.stringify({ username: users.collector, password: 'collector-password-x' }),
    });
    secrets.on(sdk.GetSecretValueCommand, { SecretId: REPORTING_ARN }).resolves({
      SecretString: JSON.stringify({ username: users.reporting, password: 'reporting-password-x' }),
    });
    const rdsSdk = require('@aws-sdk/client-rds') as typeof import('@aws-sdk/client-rds');
    mockClient(rdsSdk.RDSClient)
      .on(rdsSdk.ModifyDBClusterCommand)
      .callsFake(async (input: { DeletionProtection: boolean }) => {
        control.protection.push(input.DeletionProtection);
        return {};
      });
    const cfnSdk =
      require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
    mockClient(cfnSdk.CloudFormationClient)
      .on(cfnSdk.DescribeStacksCommand)
      .callsFake(async () => ({
        Stacks: [{ StackName: 'db', StackStatus: control.stackStatus, CreationTime: new Date() }],
      }));
    ({ handler } = require('../../../lambdas/migrate/handler') as { handler: typeof handler });
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => responses.close(resolve));
  await dataApi.close();
  await schema.pool.query(`DROP OWNED BY ${users.collector}, ${users.reporting}`).catch(() => undefined);
  await schema.drop();
  const cleanup = await createTestSchema(databaseTargets()[0]!.url, 'cleanup');
  await cleanup.pool.query(`DROP ROLE IF EXISTS ${users.collector}, ${users.reporting}`);
  await cleanup.drop();
});

const event = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  ResponseURL: `http://127.0.0.1:${(responses.address() as AddressInfo).port}/response?signed=1`,
  StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/ConnectMetrics-Database/1',
  RequestId: `req-${RequestType}`,
  LogicalResourceId: 'SchemaResource',
  ...(RequestType === 'Create' ? {} : { PhysicalResourceId: `schema-migration:${process.env.DB_NAME}` }),
  ResourceProperties: { MigrationsHash: 'x', DeletionProtection: 'true' },
});
const context = { getRemainingTimeInMillis: () => 600_000 } as Context;

test('Create migrates an empty database, creates both users and reports SUCCESS to CloudFormation', async () => {
  await handler(event('Create'), context);

  expect(received.at(-1)?.Reason).toBe('Create succeeded');
  expect(received.at(-1)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-Create' });
  expect(received.at(-1)?.Data?.Applied).toMatch(/^V001__/);
  const { rows } = await schema.pool.query(
    'SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1',
    [[users.collector, users.reporting]],
  );
  expect(rows.map((r) => r.rolname)).toEqual([users.collector, users.reporting]);
  expect(control.protection).toEqual([true]);
  expect(received.at(-1)?.Data?.DeletionProtection).toBe('on');
});

test('a later Update applies nothing new and still succeeds', async () => {
  await handler(event('Update'), context);

  expect(received.at(-1)).toMatchObject({ Status: 'SUCCESS', Data: { Applied: 'none' } });
});

test('an Update CloudFormation sends while rolling the stack back does nothing and succeeds', async () => {
  control.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
  control.protection.length = 0;

  try {
    await handler(event('Update'), context);
  } finally {
    control.stackStatus = 'UPDATE_IN_PROGRESS';
  }

  // The migration work did not run: no Applied in the answer, no protection call after it.
  expect(received.at(-1)).toMatchObject({ Status: 'SUCCESS', Data: {} });
  expect(received.at(-1)?.Reason).toMatch(/rollback: nothing to undo/);
  expect(control.protection).toEqual([]);
});

test('Delete leaves the database alone and succeeds', async () => {
  await handler(event('Delete'), context);

  expect(received.at(-1)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-Delete' });
  const { rows } = await schema.pool.query(
    "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'collector_run'",
  );
  expect(rows[0]?.n).toBeGreaterThan(0);
});

test('no CloudFormation response and no log line carries a password', () => {
  expect(logged.join('\n')).toContain('database users up to date');

  expect(JSON.stringify(received)).not.toMatch(/password-x/);
  expect(logged.join('\n')).not.toMatch(/password-x/);
});
