import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DatabaseCluster } from 'aws-cdk-lib/aws-rds';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { FunctionDefinition } from '../../../lambdas/feeds';
import { PipelineFunction, type PipelineFunctionProps } from '../../../lib/constructs/pipeline-function';
import { testApp } from '../../support/cdk-fixtures';

const LOCAL = 'arn:aws:connect:us-east-1:111111111111:instance/11111111-2222-4333-8444-555555555555';
const REMOTE = 'arn:aws:connect:eu-west-2:222222222222:instance/66666666-7777-4888-9999-aaaaaaaaaaaa';
const ROLE = 'arn:aws:iam::222222222222:role/ConnectMetricsReader';

const DEFINITION: FunctionDefinition = {
  id: 'CurrentMetrics',
  serviceName: 'connect-metrics-pipeline',
  entry: 'lambdas/migrate/handler.ts',
  description: 'test collector',
  memorySize: 256,
  timeoutSeconds: 30,
};

function build(props: Partial<PipelineFunctionProps> = {}, definition: Partial<FunctionDefinition> = {}) {
  const stack = new Stack(testApp(), 'Fn');
  const fn = new PipelineFunction(stack, 'CurrentMetrics', {
    definition: { ...DEFINITION, ...definition },
    logRetention: RetentionDays.ONE_MONTH,
    metricsNamespace: 'ConnectMetricsPipeline',
    logLevel: 'INFO',
    failureQueue: new Queue(stack, 'Failures'),
    rolePath: '/ConnectMetrics/collectors/',
    runtimeConfig: '{"instances":[]}',
    ...props,
  });
  return { stack, fn };
}

const { stack, fn } = build();
const cluster = DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', {
  clusterIdentifier: 'metrics',
});
const secret = Secret.fromSecretCompleteArn(
  stack,
  'Secret',
  'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf',
);
fn.bindDatabase(cluster, secret, 'connect_metrics');
fn.grantConnectRead(
  [{ instanceArn: LOCAL }, { instanceArn: REMOTE, roleArn: ROLE }],
  ['connect:GetCurrentMetricData'],
);
const template = Template.fromStack(stack);

test('runs Node.js 22 on arm64 with the memory and timeout given, traced', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Architectures: ['arm64'],
    MemorySize: 256,
    Timeout: 30,
    TracingConfig: { Mode: 'Active' },
  });
});

test('logs to its own log group with the retention given', () => {
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  template.hasResourceProperties('AWS::Lambda::Function', {
    LoggingConfig: { LogGroup: Match.anyValue() },
  });
});

test('sends failed asynchronous invocations to the failure queue', () => {
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
  });
});

test('gets the Powertools settings and the database ARNs, but no secret values, in its environment', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        POWERTOOLS_SERVICE_NAME: 'connect-metrics-pipeline',
        POWERTOOLS_METRICS_NAMESPACE: 'ConnectMetricsPipeline',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        PIPELINE_CONFIG_FILE: 'pipeline-config.json',
        DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf',
        DB_NAME: 'connect_metrics',
        DB_CLUSTER_ARN: Match.anyValue(),
      }),
    },
  });
});

test('may use the Data API on its cluster only', () => {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: Match.arrayWith(['rds-data:BeginTransaction', 'rds-data:ExecuteStatement']),
          Resource: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith([':cluster:metrics'])]),
          }),
        }),
      ]),
    },
  });
});

test('gets the Connect actions named on a same-account instance and its sub-resources only', () => {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        { Effect: 'Allow', Action: 'connect:GetCurrentMetricData', Resource: [LOCAL, `${LOCAL}/*`] },
      ]),
    },
  });
});

test('reaches another account only by assuming the configured role', () => {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }]),
    },
  });
});

test('its role lives under the collector path that client accounts trust', () => {
  template.hasResourceProperties('AWS::IAM::Role', { Path: '/ConnectMetrics/collectors/' });
});

test('refuses a wildcard Connect action', () => {
  expect(() => build().fn.grantConnectRead([{ instanceArn: LOCAL }], ['connect:*'])).toThrow(
    /named connect:Action/,
  );
});

test('refuses memory and timeout outside Lambda limits, reporting both', () => {
  expect(() => build({}, { memorySize: 64, timeoutSeconds: 1200 })).toThrow(
    /memorySize: expected 128-10240 MB \(got 64\); timeoutSeconds: expected 1-900 seconds \(got 1200\)/,
  );
});

test('gets a secret ARN only with the right to read that secret', () => {
  const { stack, fn } = build();
  const pushTarget = Secret.fromSecretCompleteArn(
    stack,
    'PushTarget',
    'arn:aws:secretsmanager:us-east-1:111111111111:secret:push-AbCdEf',
  );

  fn.bindSecret('PUSH_TARGET_SECRET_ARN', pushTarget);

  const bound = Template.fromStack(stack);
  bound.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        PUSH_TARGET_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:push-AbCdEf',
      }),
    },
  });
  bound.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
          Resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:push-AbCdEf',
        }),
      ]),
    },
  });
});

test('bundles the runtime config beside the code, and a changed config is a new bundle', () => {
  // Real bundling (esbuild), into a cloud assembly of its own.
  const bundle = (runtimeConfig: string) => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bundled-config-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled');
    new PipelineFunction(stack, 'Check', {
      definition: { ...DEFINITION, id: 'Check', entry: 'lambdas/check-data-load/handler.ts' },
      logRetention: RetentionDays.ONE_MONTH,
      metricsNamespace: 'ConnectMetricsPipeline',
      logLevel: 'INFO',
      failureQueue: new Queue(stack, 'Failures'),
      runtimeConfig,
    });
    const assembly = app.synth();
    const [asset] = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const dir = path.join(assembly.directory, asset!);
    return { dir, hash: asset! };
  };
  const first = bundle('{"instances":[{"n":1}]}');
  const second = bundle('{"instances":[{"n":2}]}');

  expect(readFileSync(path.join(first.dir, 'pipeline-config.json'), 'utf8')).toBe('{"instances":[{"n":1}]}');
  expect(existsSync(path.join(first.dir, 'index.js'))).toBe(true);
  expect(second.hash).not.toBe(first.hash);
}, 120_000);
