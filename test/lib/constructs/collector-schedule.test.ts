import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { CollectorSchedule } from '../../../lib/constructs/collector-schedule';
import { testApp } from '../../support/cdk-fixtures';

function build(everyMinutes: number, cron = { minute: '1/5', hour: '*' }) {
  const stack = new Stack(testApp(), 'Schedule');
  new CollectorSchedule(stack, 'Historical', {
    function: LambdaFunction.fromFunctionArn(
      stack,
      'Fn',
      'arn:aws:lambda:us-east-1:111111111111:function:historical',
    ),
    everyMinutes,
    cron,
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  return Template.fromStack(stack);
}

test('the rule fires on the cron fields it is given (UTC)', () => {
  build(120, { minute: '1', hour: '0/2' }).hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'cron(1 0/2 * * ? *)',
  });
});

test('the rule targets the function with retries and a dead-letter queue', () => {
  build(5).hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'cron(1/5 * * * ? *)',
    Targets: [
      {
        Arn: 'arn:aws:lambda:us-east-1:111111111111:function:historical',
        Id: 'Target0',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
      },
    ],
  });
});

test('refuses a period out of range and a cron field that is not one, reporting both', () => {
  expect(() => build(0, { minute: 'every 5', hour: '*' })).toThrow(
    /everyMinutes: expected 1-1440 \(got 0\); cron.minute: expected a cron field such as 1\/5 or 0 \(got every 5\)/,
  );
});
