import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { instanceInput } from '../../lambdas/shared/config/runtime-config';
import { lambdaBuildOptions } from '../../lib/constructs/function-defaults';
import { writeRuntimeConfigFile } from '../../lib/constructs/pipeline-function';
import { LOCAL_CREDENTIALS, startTestPipeline, type TestPipeline } from '../support/pipeline';

// The functions as deployed: each handler bundled with the esbuild settings PipelineFunction gives
// NodejsFunction (lambdaBuildOptions), loaded in a fresh Node process with only its environment, and
// invoked as Lambda's runtime would: the bundled SDK talks to the simulator and the local Data API.
const run = promisify(execFile);
const REPOSITORY = path.join(__dirname, '..', '..');
const FUNCTIONS = [
  'metadata',
  'current-metrics',
  'current-users',
  'historical-metrics',
  'check-data-load',
  'migrate',
];

/** Loads `bundle` in a fresh process, calls its handler with `event`, and returns what it returned. */
const INVOKE = `
const { handler } = require(process.argv[2]);
const context = { getRemainingTimeInMillis: () => 30000, awsRequestId: 'bundle-test' };
handler(JSON.parse(process.argv[3]), context).then(
  (result) => process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n'),
  (error) => { process.stdout.write('\\nFAILED ' + String(error && error.stack) + '\\n'); process.exitCode = 1; },
);`;

describe('the deployed bundles, run in fresh processes', () => {
  let pipeline: TestPipeline;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const bundle = (name: string) => path.join(dir, name, 'index.js');

  beforeAll(async () => {
    // The bundles read the real clock, so the simulated contact centre runs on it too.
    pipeline = await startTestPipeline({ queues: 3, agents: 6, label: 'bundles_it', startAt: new Date() });
    dir = mkdtempSync(path.join(tmpdir(), 'deployed-bundles-'));
    writeFileSync(path.join(dir, 'invoke.js'), INVOKE);
    for (const name of FUNCTIONS) {
      await build(lambdaBuildOptions(path.join(REPOSITORY, 'lambdas', name, 'handler.ts'), bundle(name)));
    }
    env = {
      PATH: process.env.PATH ?? '',
      // A clock moved by faketime (LD_PRELOAD) must move the bundles' clock too.
      ...Object.fromEntries(
        Object.entries(process.env).filter(([key]) => key === 'LD_PRELOAD' || key.startsWith('FAKETIME')),
      ),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_RDS_DATA: pipeline.dataApi.endpoint,
      DB_CLUSTER_ARN: pipeline.dataApi.resourceArn,
      DB_SECRET_ARN: pipeline.dataApi.secretArn,
      DB_NAME: pipeline.dataApi.database,
      // The runtime config as deployed: a file beside the bundle. One hour of backfill keeps the first
      // historical run to a dozen calls.
      PIPELINE_CONFIG_FILE: writeRuntimeConfigFile({
        instances: pipeline.config.instances.map(instanceInput),
        historicalBackfillHours: 1,
      }),
      POWERTOOLS_SERVICE_NAME: 'bundle-test',
      POWERTOOLS_METRICS_NAMESPACE: 'BundleTest',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await pipeline.close();
  });

  const invoke = async (name: string, event: unknown = {}): Promise<unknown> => {
    // The simulated centre catches up with the real clock, so that a request for the interval that
    // just ended is not in the simulator's future.
    pipeline.clock.set(Math.max(pipeline.clock.now(), Date.now()));
    const { stdout } = await run(
      process.execPath,
      [path.join(dir, 'invoke.js'), bundle(name), JSON.stringify(event)],
      { env, timeout: 60_000 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`${name} returned nothing: ${stdout}`);
    return JSON.parse(line.slice('RESULT '.length));
  };

  test('the metadata bundle lists the instance into the database', async () => {
    const result = await invoke('metadata');

    expect(result).toMatchObject({ runs: [{ outcome: 'succeeded', rowsWritten: expect.any(Number) }] });
    const { rows } = await pipeline.db.query<{ n: number }>('SELECT count(*)::int AS n FROM queue');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  test('the real-time and historical bundles collect after it, each run recorded as succeeded', async () => {
    const results = [];
    for (const name of ['current-metrics', 'current-users', 'historical-metrics']) {
      results.push(await invoke(name));
    }

    expect(results).toEqual([
      expect.objectContaining({ runs: [expect.objectContaining({ outcome: 'succeeded' })] }),
      expect.objectContaining({ runs: [expect.objectContaining({ outcome: 'succeeded' })] }),
      expect.objectContaining({ runs: [expect.objectContaining({ outcome: 'succeeded' })] }),
    ]);
    const { rows } = await pipeline.db.query<{ feed: string }>(
      "SELECT DISTINCT feed FROM collector_run WHERE outcome = 'succeeded' ORDER BY feed",
    );
    expect(rows.map((r) => r.feed)).toEqual([
      'current_metrics',
      'current_users',
      'historical_metrics',
      'metadata',
    ]);
  });

  test('the migration bundle loads with its environment and exports its handler', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', bundle('migrate')],
      {
        env: {
          ...env,
          COLLECTOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf',
          REPORTING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:reporting-AbCdEf',
        },
      },
    );

    expect(stdout).toBe('function');
  });

  test('the check bundle answers GET /check from those runs, and refuses a bad query', async () => {
    const instance = pipeline.config.instances[0]!.instanceId;

    const fresh = (await invoke('check-data-load', {
      queryStringParameters: { instance, feed: 'current_metrics' },
    })) as { statusCode: number; body: string };
    const bad = (await invoke('check-data-load', {
      queryStringParameters: { feed: 'nope' },
    })) as { statusCode: number };

    expect(fresh.statusCode).toBe(200);
    expect(JSON.parse(fresh.body)).toMatchObject({ status: 'ok' });
    expect(bad.statusCode).toBe(400);
  });
});
