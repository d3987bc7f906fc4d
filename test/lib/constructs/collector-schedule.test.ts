import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';
import { CollectorSchedule } from '../../../lib/constructs/collector-schedule';
import { testApp } from '../../support/cdk-fixtures';
import { definitionOf } from '../../support/state-machine';

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
    groups: [
      { id: '111111111111-us-east-1', account: '111111111111', region: 'us-east-1', instanceIds: ['a'] },
    ],
    logRetention: RetentionDays.ONE_MONTH,
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

describe('a fleet: one invocation per group', () => {
  const groups = [
    { id: '111111111111-us-east-1', account: '111111111111', region: 'us-east-1', instanceIds: ['a1', 'a2'] },
    { id: '222222222222-us-east-1', account: '222222222222', region: 'us-east-1', instanceIds: ['b1'] },
    { id: '333333333333-eu-west-2', account: '333333333333', region: 'eu-west-2', instanceIds: ['c1'] },
  ];
  function buildFleet() {
    const stack = new Stack(testApp(), 'FleetSchedule');
    const schedule = new CollectorSchedule(stack, 'Historical', {
      function: LambdaFunction.fromFunctionArn(
        stack,
        'Fn',
        'arn:aws:lambda:us-east-1:111111111111:function:historical',
      ),
      everyMinutes: 5,
      cron: { minute: '1/5', hour: '*' },
      deadLetterQueue: new Queue(stack, 'Dlq'),
      groups,
      logRetention: RetentionDays.ONE_MONTH,
    });
    return { schedule, template: Template.fromStack(stack) };
  }

  test('the rule starts an Express fan-out, with retries and the dead-letter queue', () => {
    const { template } = buildFleet();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(1/5 * * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^HistoricalFanOut') },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
        }),
      ],
    });
    // The execution role may invoke the function and nothing else of Lambda's.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith(['arn:aws:lambda:us-east-1:111111111111:function:historical']),
          }),
        ]),
      },
    });
  });

  async function execute(failGroup?: string) {
    const definition = definitionOf(buildFleet().template);
    const calls: { group: string; instanceIds: string[]; invocationType: string }[] = [];
    const machine = new LocalStateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(
      { 'detail-type': 'Scheduled Event', time: '2026-11-30T12:01:00Z' },
      {
        overrides: {
          taskResourceLocalHandlers: {
            Invoke: async (input: unknown) => {
              const { Payload, InvocationType } = input as {
                Payload: { group: string; instanceIds: string[] };
                InvocationType: string;
              };
              if (Payload.group === failGroup) throw new Error('Lambda.ResourceNotFoundException');
              calls.push({ ...Payload, invocationType: InvocationType });
              return { StatusCode: 202 };
            },
          },
        },
      },
    );
    const result = await execution.result.then(
      () => 'succeeded',
      (error: Error) => error.message,
    );
    return { calls, result };
  }

  test('each group is handed to the function asynchronously, once, with its own instance ids', async () => {
    const { calls, result } = await execute();
    expect(result).toBe('succeeded');
    expect(calls.sort((a, b) => a.group.localeCompare(b.group))).toEqual(
      groups.map((g) => ({ group: g.id, instanceIds: g.instanceIds, invocationType: 'Event' })),
    );
  });

  test('a group whose event cannot be handed over does not keep the others from theirs', async () => {
    const { calls, result } = await execute('222222222222-us-east-1');
    expect(calls.map((c) => c.group).sort()).toEqual(['111111111111-us-east-1', '333333333333-eu-west-2']);
    // ...and the execution fails, which is what its alarm watches.
    expect(result).toMatch(/could not be invoked for some groups/);
  });
});
