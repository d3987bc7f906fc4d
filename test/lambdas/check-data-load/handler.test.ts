import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import { mockClient } from 'aws-sdk-client-mock';
import { writeRuntimeConfigFile } from '../../../lib/constructs/pipeline-function';

const INSTANCE = '0000000a-2222-4333-8444-555555555555';
const rdsMock = mockClient(RDSDataClient);
const savedEnv = { ...process.env };

async function loadHandler() {
  process.env.PIPELINE_CONFIG_FILE = writeRuntimeConfigFile({
    instances: [
      {
        instanceId: INSTANCE,
        instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`,
        region: 'us-east-1',
        clientName: 'Acme',
        environment: 'prod',
      },
    ],
  });
  process.env.DB_CLUSTER_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:metrics';
  process.env.DB_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:collector';
  process.env.DB_NAME = 'metrics';
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  return (await import('../../../lambdas/check-data-load/handler')).handler;
}

afterEach(() => rdsMock.reset());
afterAll(() => {
  process.env = savedEnv;
});

describe('check-data-load handler', () => {
  test('answers JSON with 503 when no feed has run yet, after reading through the Data API', async () => {
    rdsMock.on(ExecuteStatementCommand).resolves({ formattedRecords: '[]' });
    const handler = await loadHandler();

    const response = await handler({ queryStringParameters: null });

    expect(response.statusCode).toBe(503);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const body = JSON.parse(response.body);
    expect(body.status).toBe('stale');
    expect(body.feeds).toHaveLength(4);
    // Feed runs, newest data per table, row estimates and the last reconciliation: one statement each
    // (whether an instance was open is asked only for a feed that succeeded once and is stale now).
    expect(rdsMock).toHaveReceivedCommandTimes(ExecuteStatementCommand, 4);
  });

  test('waits for a paused database to resume (DatabaseResumingException, retried) and then answers', async () => {
    const resuming = Object.assign(new Error('The database is resuming'), {
      name: 'DatabaseResumingException',
      $metadata: { httpStatusCode: 400 },
    });
    rdsMock
      .on(ExecuteStatementCommand)
      .rejectsOnce(resuming)
      .rejectsOnce(resuming)
      .resolves({ formattedRecords: '[]' });
    const handler = await loadHandler();

    const response = await handler(
      { queryStringParameters: null },
      { getRemainingTimeInMillis: () => 28_000 },
    );

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).status).toBe('stale'); // an answer about the feeds, not an error
    expect(rdsMock).toHaveReceivedCommandTimes(ExecuteStatementCommand, 6);
  });

  test('answers 400 for an unknown feed without touching the database', async () => {
    const handler = await loadHandler();

    const response = await handler({ queryStringParameters: { feed: 'nope' } });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toMatch(/feed: expected one of/);
    expect(rdsMock).toHaveReceivedCommandTimes(ExecuteStatementCommand, 0);
  });
});
