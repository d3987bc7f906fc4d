import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseRuntimeConfig } from '../../../lambdas/shared/config/runtime-config';
import { runtimeConfigJson } from '../../../lib/config';
import { stalenessWindow } from '../../../lib/constructs/pipeline-alarm-definitions';
import { addPipelineStacks } from '../../../lib/pipeline-app';
import { exampleConfig, testApp } from '../../support/cdk-fixtures';

const { pipeline } = addPipelineStacks(testApp(), exampleConfig());
const template = Template.fromStack(pipeline);
const functions = () => Object.values(template.findResources('AWS::Lambda::Function'));

test('there is one function per collector plus the check handler', () => {
  expect(functions()).toHaveLength(5);
});

test('every collector is told where its bundled runtime config is, and gets the collector database secret', () => {
  for (const fn of functions()) {
    const vars = fn.Properties.Environment.Variables;
    expect(vars.PIPELINE_CONFIG_FILE).toBe('pipeline-config.json');
    expect(vars.PIPELINE_CONFIG).toBeUndefined();
    expect(vars.DB_SECRET_ARN).toBeDefined();
  }
});

test('historical metrics run one minute after each 5-minute interval closes, metadata every 15 minutes', () => {
  template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(1/5 * * * ? *)' });
  template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0/15 * * * ? *)' });
});

test('no collector is retried by Lambda, and a scheduled event older than its cadence is dropped', () => {
  const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
  const age = (fn: string) =>
    configs.find((c) => String(c.Properties.FunctionName.Ref).startsWith(fn))?.Properties
      .MaximumEventAgeInSeconds;

  expect(configs).toHaveLength(functions().length);
  expect(configs.every((c) => c.Properties.MaximumRetryAttempts === 0)).toBe(true);
  expect([age('HistoricalMetrics'), age('Metadata')]).toEqual([300, 900]);
});

test('every EventBridge target has a dead-letter queue', () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule'));

  expect(
    rules
      .flatMap((r) => r.Properties.Targets)
      .every((t: { DeadLetterConfig?: unknown }) => t.DeadLetterConfig),
  ).toBe(true);
});

/** An alarm's metrics: runs succeeded plus runs the poll gate kept closed, both under `dimensions`. */
function runsTaken(dimensions: object[], period?: number) {
  const stat = (id: string, name: string) =>
    Match.objectLike({
      Id: id,
      MetricStat: Match.objectLike({
        Metric: Match.objectLike({
          MetricName: name,
          Namespace: 'ConnectMetricsPipeline',
          Dimensions: Match.arrayWith(dimensions),
        }),
        ...(period ? { Period: period } : {}),
      }),
    });
  return Match.arrayWith([
    Match.objectLike({ Expression: 'FILL(succeeded, 0) + FILL(closed, 0)' }),
    stat('succeeded', 'RunSucceeded'),
    stat('closed', 'RunClosed'),
  ]);
}

test('each feed has a staleness alarm on RunSucceeded and RunClosed that treats missing data as breaching', () => {
  for (const feed of ['metadata', 'current_metrics', 'current_users', 'historical_metrics']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: runsTaken([{ Name: 'Feed', Value: feed }]),
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  }
});

test('each real-time feed alarms below 5 successful (or closed) ticks a minute per instance (2 instances: 10), 5 minutes running', () => {
  for (const feed of ['current_metrics', 'current_users']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: runsTaken([{ Name: 'Feed', Value: feed }], 60),
      Threshold: 10,
      EvaluationPeriods: 5,
    });
  }
  const missed = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
    String(a.Properties.AlarmDescription).includes('ticks are being lost'),
  );
  expect(missed).toHaveLength(2);
});

test('staleness alarms select the service dimension each collector names itself with', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Metrics: runsTaken([
      { Name: 'Feed', Value: 'current_metrics' },
      { Name: 'service', Value: 'current-metrics' },
    ]),
  });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'current-metrics' }) },
  });
});

test('collector errors, Connect throttles and loop failures raise alarms', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'Throttles',
    Namespace: 'ConnectMetricsPipeline',
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted' })]),
  });
});

test('alarms notify an encrypted topic with the configured e-mail subscribed', () => {
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  template.hasResourceProperties('AWS::SNS::Subscription', {
    Protocol: 'email',
    Endpoint: 'contact-centre-ops@example.com',
  });
});

test('a 10 s feed is stale after one empty minute; a 5-minute feed after three empty periods', () => {
  expect(stalenessWindow(10, 3)).toMatchObject({ evaluationPeriods: 1 });
  expect(stalenessWindow(10, 3).period.toSeconds()).toBe(60);
  expect(stalenessWindow(300, 3)).toMatchObject({ evaluationPeriods: 3 });
  expect(stalenessWindow(300, 3).period.toSeconds()).toBe(300);
});

test('a staleness window never exceeds the one day CloudWatch can evaluate', () => {
  const { period, evaluationPeriods } = stalenessWindow(1440 * 60, 100);

  expect(period.toSeconds() * evaluationPeriods).toBeLessThanOrEqual(86_400);
});

test("a client's own push target: only the pushing collector may read that secret, and its ARN travels in the config", () => {
  const base = exampleConfig();
  const OWN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:client-push-AbCdEf';
  const config = exampleConfig({
    instances: base.instances.map(({ account: _a, role: _r, ...i }, k) =>
      k === 0 ? { ...i, pushTargetSecretArn: OWN } : i,
    ),
  } as never);
  const withOwn = Template.fromStack(addPipelineStacks(testApp(), config).pipeline);
  const readers = Object.entries(withOwn.findResources('AWS::IAM::Policy')).filter(([, p]) =>
    (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some(
      (s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue') && s.Resource === OWN,
    ),
  );

  expect(readers.map(([id]) => id)).toEqual([expect.stringMatching(/^CurrentMetrics/)]);
  const runtime = parseRuntimeConfig(JSON.parse(runtimeConfigJson(config)));
  expect(runtime.instances.map((i) => i.pushTargetSecretArn)).toEqual([OWN, undefined]);
});

test("the client-failures alarm's periods last the slowest cadence (metadata's 15 minutes), so each holds a run", () => {
  const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
    JSON.stringify(a).includes('ClientRunFailed'),
  );
  expect(alarm).toBeDefined();
  const properties = alarm!.Properties;
  expect((properties.Metrics as { Period: number }[])[0]?.Period).toBe(900);
  expect([properties.EvaluationPeriods, properties.DatapointsToAlarm]).toEqual([2, 2]);
});
