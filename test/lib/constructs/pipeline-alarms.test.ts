import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
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

test('a 5-minute feed goes stale after three empty 5-minute periods', () => {
  build().hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'RunSucceeded',
    Period: 300,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: 1,
    Dimensions: Match.arrayWith([{ Name: 'service', Value: 'historical-metrics' }]),
  });
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

  Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'RunSucceeded',
    Dimensions: Match.arrayWith([{ Name: 'Feed', Value: 'current_users' }]),
    Statistic: 'Sum',
    Period: 60,
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
