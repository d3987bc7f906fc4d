import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { CollectorSchedule, scheduleFor } from '../../../lib/constructs/collector-schedule';
import { testApp } from '../fixtures';

function build(everyMinutes: number, offsetMinutes?: number) {
  const stack = new Stack(testApp(), 'Schedule');
  new CollectorSchedule(stack, 'Historical', {
    function: LambdaFunction.fromFunctionArn(
      stack,
      'Fn',
      'arn:aws:lambda:us-east-1:111111111111:function:historical',
    ),
    everyMinutes,
    ...(offsetMinutes === undefined ? {} : { offsetMinutes }),
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  return Template.fromStack(stack);
}

test('a period that divides an hour is an aligned cron, shifted by the offset', () => {
  expect(scheduleFor(5, 1).expressionString).toBe('cron(1/5 * * * ? *)');
  expect(scheduleFor(15).expressionString).toBe('cron(0/15 * * * ? *)');
  expect(scheduleFor(60, 1).expressionString).toBe('cron(1 * * * ? *)');
});

test('a period that does not divide an hour is a rate', () => {
  expect(scheduleFor(35).expressionString).toBe('rate(35 minutes)');
  expect(scheduleFor(120).expressionString).toBe('rate(2 hours)');
});

test('the rule targets the function with retries and a dead-letter queue', () => {
  build(5, 1).hasResourceProperties('AWS::Events::Rule', {
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

test('refuses a period and an offset out of range, reporting both', () => {
  expect(() => build(0, 75)).toThrow(
    /everyMinutes: expected 1-1440 \(got 0\); offsetMinutes: expected 0-59 \(got 75\)/,
  );
});
