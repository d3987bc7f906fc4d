import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  CLIENT_DIMENSIONS,
  CLIENT_RUN_FAILED,
  FEED_DIMENSION,
} from '../../../lambdas/shared/collector/metric-names';
import { PipelineAlarms, type PipelineAlarmsProps } from '../../../lib/constructs/pipeline-alarms';
import { testApp } from '../../support/cdk-fixtures';

const EXISTING = 'arn:aws:sns:us-east-1:111111111111:ops-pager';

function build(props: Partial<PipelineAlarmsProps> = {}) {
  const stack = new Stack(testApp(), 'Alarms');
  const fn = LambdaFunction.fromFunctionArn(
    stack,
    'Fn',
    'arn:aws:lambda:us-east-1:111111111111:function:historical',
  );
  new PipelineAlarms(stack, 'Alarms', {
    feeds: [
      { feed: 'historical_metrics', serviceName: 'historical-metrics', cadenceSeconds: 300, function: fn },
    ],
    otherFunctions: [],
    stateMachines: [],
    metricsNamespace: 'ConnectMetricsPipeline',
    staleAfterCadences: 3,
    existingTopic: Topic.fromTopicArn(stack, 'Existing', EXISTING),
    deadLetterQueue: new Queue(stack, 'Dlq'),
    ...props,
  });
  return Template.fromStack(stack);
}

test('without an e-mail the topic has no subscription', () => {
  build().resourceCountIs('AWS::SNS::Subscription', 0);
});

test('every alarm also notifies the existing topic from the config', () => {
  const alarms = Object.values(build().findResources('AWS::CloudWatch::Alarm'));

  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toContain(EXISTING);
});

/**
 * The alarms on runs taken (`RunSucceeded` + `RunClosed`: a tick the poll gate kept closed is taken as
 * planned) of the feed whose dimensions include `dimension`, with each metric's period.
 */
function takenAlarms(template: Template, dimension: { Name: string; Value: string }) {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((a) => a.Properties)
    .filter((p) => {
      const stats = (p.Metrics ?? []).filter((m: { MetricStat?: unknown }) => m.MetricStat);
      return (
        stats.length === 2 &&
        stats.every((m: { MetricStat: { Metric: { Dimensions: unknown[] } } }) =>
          JSON.stringify(m.MetricStat.Metric.Dimensions).includes(JSON.stringify(dimension)),
        )
      );
    })
    .map((p) => ({
      expression: p.Metrics.find((m: { Expression?: string }) => m.Expression)?.Expression,
      metrics: p.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
        (m: { Id: string; MetricStat: { Metric: { MetricName: string }; Period: number; Stat: string } }) => [
          m.Id,
          m.MetricStat.Metric.MetricName,
          m.MetricStat.Period,
          m.MetricStat.Stat,
        ],
      ),
      EvaluationPeriods: p.EvaluationPeriods,
      DatapointsToAlarm: p.DatapointsToAlarm,
      Threshold: p.Threshold,
      ComparisonOperator: p.ComparisonOperator,
      TreatMissingData: p.TreatMissingData,
    }));
}

test('a 5-minute feed goes stale after three periods with no run succeeded or kept closed', () => {
  expect(takenAlarms(build(), { Name: 'service', Value: 'historical-metrics' })).toEqual([
    {
      expression: 'FILL(succeeded, 0) + FILL(closed, 0)',
      metrics: [
        ['succeeded', 'RunSucceeded', 300, 'Sum'],
        ['closed', 'RunClosed', 300, 'Sum'],
      ],
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    },
  ]);
});

test('a real-time feed alarms when it takes fewer than its minimum successful runs a minute for 5 minutes', () => {
  const stack = new Stack(testApp(), 'Realtime');
  const fn = LambdaFunction.fromFunctionArn(
    stack,
    'Fn',
    'arn:aws:lambda:us-east-1:111111111111:function:users',
  );
  new PipelineAlarms(stack, 'Alarms', {
    feeds: [
      {
        feed: 'current_users',
        serviceName: 'current-users',
        cadenceSeconds: 10,
        function: fn,
        minimumRunsPerMinute: 5,
      },
    ],
    otherFunctions: [],
    stateMachines: [],
    metricsNamespace: 'ConnectMetricsPipeline',
    staleAfterCadences: 3,
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });

  expect(takenAlarms(Template.fromStack(stack), { Name: 'Feed', Value: 'current_users' })).toContainEqual({
    expression: 'FILL(succeeded, 0) + FILL(closed, 0)',
    metrics: [
      ['succeeded', 'RunSucceeded', 60, 'Sum'],
      ['closed', 'RunClosed', 60, 'Sum'],
    ],
    Threshold: 5,
    ComparisonOperator: 'LessThanThreshold',
    EvaluationPeriods: 5,
    DatapointsToAlarm: 5,
    TreatMissingData: 'breaching',
  });
});

test('a feed without a minimum of runs a minute gets no missed-ticks alarm', () => {
  const alarms = Object.values(build().findResources('AWS::CloudWatch::Alarm'));

  expect(
    alarms.filter((a) => String(a.Properties.AlarmDescription).includes('ticks are being lost')),
  ).toEqual([]);
});

test('a count a feed alarms on (reconciliation differences) alarms on any point above 0 in an hour', () => {
  const template = build({
    feeds: [
      {
        feed: 'historical_metrics',
        serviceName: 'historical-metrics',
        cadenceSeconds: 300,
        function: LambdaFunction.fromFunctionArn(
          new Stack(testApp(), 'Fns'),
          'Fn',
          'arn:aws:lambda:us-east-1:111111111111:function:historical',
        ),
        alarmOnCounts: [{ metric: 'ReconciliationDifferences', description: 'differs from Connect' }],
      },
    ],
  });

  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ReconciliationDifferences',
    Namespace: 'ConnectMetricsPipeline',
    Statistic: 'Sum',
    Period: 3600,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmDescription: 'differs from Connect',
    Dimensions: Match.arrayWith([{ Name: 'Feed', Value: 'historical_metrics' }]),
  });
});

test('CloudWatch may use the topic key to publish alarms', () => {
  build().hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      ]),
    },
  });
});

test('refuses a staleness of zero cadences', () => {
  expect(() => build({ staleAfterCadences: 0 })).toThrow(
    /staleAfterCadences: expected an integer >= 1 \(got 0\)/,
  );
});

test("one alarm names the failing client: a Metrics Insights query grouped by the client metric's own dimensions", () => {
  const alarms = Object.values(build().findResources('AWS::CloudWatch::Alarm')).filter((a) =>
    JSON.stringify(a).includes(CLIENT_RUN_FAILED),
  );
  expect(alarms).toHaveLength(1);
  const alarm = alarms[0]!.Properties;
  const [query] = alarm.Metrics as { Expression: string; Period: number; ReturnData: boolean }[];
  const match = /^SELECT SUM\((\w+)\) FROM SCHEMA\("([^"]+)", ([\w, ]+)\) GROUP BY ([\w, ]+)$/.exec(
    query!.Expression,
  );
  expect(match).not.toBeNull();
  const [, metric, namespace, schema, groupBy] = match!;
  expect([metric, namespace]).toEqual([CLIENT_RUN_FAILED, 'ConnectMetricsPipeline']);
  // SCHEMA matches metrics with exactly these dimensions: the ones the collectors publish it with
  // (Powertools' service, and the run-metrics test's Feed, Client and InstanceId).
  expect(schema!.split(', ').sort()).toEqual(
    ['service', FEED_DIMENSION, CLIENT_DIMENSIONS.client, CLIENT_DIMENSIONS.instance].sort(),
  );
  // Each client, instance and feed is a contributor of its own, so its notification names them.
  expect(groupBy!.split(', ').sort()).toEqual(
    [CLIENT_DIMENSIONS.client, CLIENT_DIMENSIONS.instance, FEED_DIMENSION].sort(),
  );
  expect(alarm).toMatchObject({
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    TreatMissingData: 'notBreaching',
  });
  // Periods as long as the slowest feed's cadence (historical every 300 s here), so each holds a run.
  expect(query!.Period).toBe(300);
  expect(alarm.AlarmActions).toContain(EXISTING);
  expect(alarm.OKActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
});
