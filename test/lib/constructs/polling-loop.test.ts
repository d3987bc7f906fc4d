import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { loopTickOffsets } from '../../../lambdas/feeds';
import { executionShards, type InstanceGroup } from '../../../lambdas/shared/config/fleet';
import { parseRuntimeConfig } from '../../../lambdas/shared/config/runtime-config';
import { PollingLoop } from '../../../lib/constructs/polling-loop';
import { testApp } from '../../support/cdk-fixtures';
import { definitionOf, executeLoop, type TaskBehaviour, type TaskCall } from '../../support/state-machine';

/** One group of one instance: the single-instance deployment. */
const ONE_GROUP: InstanceGroup[][] = [
  [{ id: '111111111111-us-east-1', account: '111111111111', region: 'us-east-1', instanceIds: ['i-1'] }],
];

function loopStack(cadenceSeconds = 10, shards: readonly (readonly InstanceGroup[])[] = ONE_GROUP) {
  const stack = new Stack(testApp(), 'Loop');
  const fn = (name: string) =>
    LambdaFunction.fromFunctionArn(stack, name, `arn:aws:lambda:us-east-1:111111111111:function:${name}`);
  const loop = new PollingLoop(stack, 'RealtimeLoop', {
    functions: [
      { id: 'CurrentMetrics', function: fn('current-metrics') },
      { id: 'CurrentUsers', function: fn('current-users') },
    ],
    cadenceSeconds,
    shards,
    logRetention: RetentionDays.ONE_MONTH,
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  return { stack, loop, template: Template.fromStack(stack) };
}

const { template } = loopStack();
const definition = definitionOf(template);

const TASKS = ['InvokeCurrentMetrics', 'InvokeCurrentUsers'];

/** Runs the synthesized definition (see executeLoop); tasks are named by their function. */
async function execute(options: {
  start: number;
  scheduledAt?: number;
  behaviour?: (fn: string, tick: number) => ReturnType<TaskBehaviour>;
}): Promise<Array<{ fn: string; tick: number; at: number }>> {
  const fnOf = (task: string) => (task === 'InvokeCurrentMetrics' ? 'current-metrics' : 'current-users');
  const calls: TaskCall[] = await executeLoop(definition, {
    start: options.start,
    ...(options.scheduledAt === undefined ? {} : { scheduledAt: options.scheduledAt }),
    tasks: TASKS,
    ...(options.behaviour
      ? { behaviour: (task: string, tick: number) => options.behaviour!(fnOf(task), tick) }
      : {}),
  });
  return calls.map((c) => ({ fn: fnOf(c.task), tick: c.tick, at: c.at }));
}

/** A minute boundary where the simulated executions are scheduled (fake timers: no real clock is read). */
const M = Date.parse('2026-11-23T12:00:00Z');
const S = 1000;
/** Seconds after M, to 0.1 s (the engine spends a few simulated milliseconds between states). */
const secondsAfterM = (calls: Array<{ fn: string; at: number }>, fn: string) =>
  calls.filter((c) => c.fn === fn).map((c) => Math.round((c.at - M) / 100) / 10);
const ticksOf = (calls: Array<{ fn: string; tick: number }>, fn: string) =>
  calls.filter((c) => c.fn === fn).map((c) => c.tick);

test('the loop ticks 6 times a minute at a 10 s cadence, anchored at +0 s', () => {
  expect(loopTickOffsets({ realtimeSeconds: 10 })).toEqual([0, 10, 20, 30, 40, 50]);
});

test('the state machine is an Express machine started every minute by EventBridge with the event time', () => {
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
  template.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'rate(1 minute)',
    Targets: [
      Match.objectLike({
        DeadLetterConfig: Match.anyValue(),
        InputTransformer: {
          InputPathsMap: { time: '$.time' },
          InputTemplate: '{"scheduledAt":<time>,"shard":0}',
        },
      }),
    ],
  });
});

test('its execution logs go to a log group under /aws/vendedlogs/states/', () => {
  const [group] = Object.values(template.findResources('AWS::Logs::LogGroup'));
  const name = group?.Properties.LogGroupName as { 'Fn::Join': [string, unknown[]] };

  expect(name['Fn::Join'][1][0]).toMatch(/^\/aws\/vendedlogs\/states\/Loop-RealtimeLoop-/);
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
    LoggingConfiguration: {
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
    },
  });
});

test('the definition plans one tick per cadence of the window minute; the last is superseded by the next minute', () => {
  const plan = (definition.States as Record<string, { Parameters?: Record<string, string> }>).PlanTicks;
  const seconds = (key: string) =>
    [...(plan?.Parameters?.[key] ?? '').matchAll(/'\{\}:\{\}:([\d.]+)Z'/g)].map((m) => m[1]);

  expect(seconds('ticks.$')).toEqual(['00', '10', '20', '30', '40', '50']);
  expect(seconds('supersededAt.$')).toEqual(['10', '20', '30', '40', '50', '59.999']);
});

test('the synthesized definition is valid Amazon States Language', () => {
  const aslValidator =
    jest.requireActual<
      (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string }
    >('asl-validator');

  const { isValid, errorsText } = aslValidator(definition);

  expect(errorsText('\n')).toBe('');
  expect(isValid).toBe(true);
});

test('a 15 s cadence plans 4 ticks', () => {
  const plan = (
    definitionOf(loopStack(15).template).States as Record<string, { Parameters?: Record<string, string> }>
  ).PlanTicks;

  expect([...(plan?.Parameters?.['ticks.$'] ?? '').matchAll(/:(\d\d)Z'/g)].map((m) => m[1])).toEqual([
    '00',
    '15',
    '30',
    '45',
  ]);
});

test('a cadence that does not divide a minute is refused with the value received', () => {
  expect(() => loopStack(7)).toThrow(/cadenceSeconds: expected a divisor of 60 from 5 to 60 \(got 7\)/);
});

describe('the synthesized definition, executed locally', () => {
  test('takes all 6 ticks, 10 s apart on the next minute, whatever second of its minute it starts at', async () => {
    // Started in the last second of its minute, it can reach the next minute only a second after its
    // start (Wait takes whole seconds): its first tick is then that fraction of a second late.
    const seen: string[] = [];
    for (let second = 0; second < 60; second++) {
      // EventBridge fires at some second of the minute; the execution starts a moment later.
      const calls = await execute({ scheduledAt: M + second * S, start: M + second * S + 400 });

      for (const fn of ['current-metrics', 'current-users']) {
        seen.push(`:${second} ${fn} ${secondsAfterM(calls, fn).join(' ')}`);
      }
    }

    for (let second = 0; second < 60; second++) {
      const first = second === 59 ? '60.4' : '60';
      for (const fn of ['current-metrics', 'current-users']) {
        expect(seen).toContain(`:${second} ${fn} ${first} 70 80 90 100 110`);
      }
    }
  });

  test('consecutive executions poll exactly one cadence apart, with no gap, as their start second jitters', async () => {
    const starts = [7.3, 7.9, 6.8, 7.1, 8.6];
    const calls: Array<{ fn: string; tick: number; at: number }> = [];
    for (const [k, second] of starts.entries()) {
      calls.push(
        ...(await execute({ scheduledAt: M + k * 60 * S + 7 * S, start: M + k * 60 * S + second * S })),
      );
    }

    const at = secondsAfterM(calls, 'current-users');
    expect(at).toHaveLength(starts.length * 6);
    expect(at.slice(1).map((t, i) => Math.round((t - at[i]!) * 10) / 10)).toEqual(
      Array(starts.length * 6 - 1).fill(10),
    );
  });

  test('an execution that starts just past its minute still takes its six ticks, and the next takes the minute after', async () => {
    // Fired at :59, delivered 0.6 s later, in the next minute; the next one is on time.
    const late = await execute({ scheduledAt: M + 59 * S, start: M + 60.6 * S });
    const next = await execute({ scheduledAt: M + 118 * S, start: M + 118.3 * S });

    expect(secondsAfterM(late, 'current-metrics')).toEqual([60.6, 70, 80, 90, 100, 110]);
    expect(secondsAfterM(next, 'current-metrics')).toEqual([120, 130, 140, 150, 160, 170]);
  });

  test('a delivery retried late takes only the ticks of its window still due, so it never doubles the next one', async () => {
    const retried = await execute({ scheduledAt: M + 30 * S, start: M + 85 * S });

    expect(ticksOf(retried, 'current-metrics')).toEqual([2, 3, 4, 5]);
    expect(secondsAfterM(retried, 'current-metrics')).toEqual([85, 90, 100, 110]);
  });

  test('started by hand, without an event time, it takes the next minute from its own start', async () => {
    const calls = await execute({ start: M + 44.2 * S });

    expect(secondsAfterM(calls, 'current-users')).toEqual([60, 70, 80, 90, 100, 110]);
  });

  const onTime = { scheduledAt: M + 12 * S, start: M + 12.3 * S };

  test('a slow tick delays only the next tick; the one after is back on the grid', async () => {
    const calls = await execute({
      ...onTime,
      behaviour: (fn, tick) => (fn === 'current-metrics' && tick === 0 ? { delayMs: 15_000 } : {}),
    });

    expect(secondsAfterM(calls, 'current-metrics')).toEqual([60, 75, 80, 90, 100, 110]);
  });

  test('a tick reached after the next one is due is skipped instead of run in a burst', async () => {
    const calls = await execute({
      ...onTime,
      behaviour: (fn, tick) => (fn === 'current-metrics' && tick === 0 ? { delayMs: 25_000 } : {}),
    });

    expect(ticksOf(calls, 'current-metrics')).toEqual([0, 2, 3, 4, 5]);
    expect(secondsAfterM(calls, 'current-metrics')).toEqual([60, 85, 90, 100, 110]);
  });

  test('the last tick, reached only after the next minute has begun, is skipped: the next execution polls then', async () => {
    const calls = await execute({
      ...onTime,
      behaviour: (fn, tick) => (fn === 'current-users' && tick === 4 ? { delayMs: 25_000 } : {}),
    });

    expect(ticksOf(calls, 'current-users')).toEqual([0, 1, 2, 3, 4]);
  });

  test('a failed collector does not stop the other collector or the rest of the minute', async () => {
    const calls = await execute({
      ...onTime,
      behaviour: (fn, tick) => ({ fail: fn === 'current-users' && tick === 2 }),
    });

    expect(ticksOf(calls, 'current-metrics')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticksOf(calls, 'current-users')).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('a tick where every collector fails still lets the execution succeed', async () => {
    await expect(execute({ ...onTime, behaviour: () => ({ fail: true }) })).resolves.toEqual(
      expect.any(Array),
    );
  });
});

describe('a fleet: groups by account and Region, side by side', () => {
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  // 7 instances in 3 accounts (one account in two Regions), 2 groups per execution: 4 groups, 2 shards.
  const config = parseRuntimeConfig({
    instances: [
      [1, '111111111111', 'us-east-1'],
      [2, '222222222222', 'us-east-1'],
      [3, '111111111111', 'us-east-1'],
      [4, '333333333333', 'eu-west-2'],
      [5, '222222222222', 'us-east-1'],
      [6, '111111111111', 'eu-west-2'],
      [7, '222222222222', 'us-east-1'],
    ].map(([n, account, region]) => ({
      instanceId: uuid(n as number),
      instanceArn: `arn:aws:connect:${region}:${account}:instance/${uuid(n as number)}`,
      region,
      clientName: `Client ${account}`,
      environment: 'prod',
    })),
    fleet: { instancesPerInvocation: 10, groupsPerExecution: 2 },
  });
  const shards = executionShards(config);
  const fleet = loopStack(10, shards);
  const fleetDefinition = definitionOf(fleet.template);
  const run = (shard: number, behaviour?: TaskBehaviour) =>
    executeLoop(fleetDefinition, {
      start: M + 12.3 * S,
      scheduledAt: M + 12 * S,
      shard,
      tasks: TASKS,
      ...(behaviour ? { behaviour } : {}),
    });
  const groupsOf = (calls: TaskCall[]) => [...new Set(calls.map((c) => c.group))];
  const at = (calls: TaskCall[], group: string, task = 'InvokeCurrentMetrics') =>
    calls.filter((c) => c.group === group && c.task === task).map((c) => Math.round((c.at - M) / 100) / 10);

  test('each shard has its own rule, whose event names it', () => {
    expect(shards.map((groups) => groups.map((g) => g.id))).toEqual([
      ['111111111111-us-east-1', '222222222222-us-east-1'],
      ['333333333333-eu-west-2', '111111111111-eu-west-2'],
    ]);
    const inputs = Object.values(fleet.template.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties.Targets[0].InputTransformer.InputTemplate,
    );
    expect(inputs.sort()).toEqual(['{"scheduledAt":<time>,"shard":0}', '{"scheduledAt":<time>,"shard":1}']);
  });

  test("every group of a shard takes the minute's six ticks side by side, each invocation with its own account's instances", async () => {
    const calls = await run(0);

    expect(groupsOf(calls)).toEqual(['111111111111-us-east-1', '222222222222-us-east-1']);
    expect(at(calls, '111111111111-us-east-1')).toEqual([60, 70, 80, 90, 100, 110]);
    expect(at(calls, '222222222222-us-east-1')).toEqual([60, 70, 80, 90, 100, 110]);
    expect(at(calls, '222222222222-us-east-1', 'InvokeCurrentUsers')).toEqual([60, 70, 80, 90, 100, 110]);
    const payloads = new Map(calls.map((c) => [c.group, c.instanceIds]));
    expect(payloads.get('111111111111-us-east-1')).toEqual([uuid(1), uuid(3)]);
    expect(payloads.get('222222222222-us-east-1')).toEqual([uuid(2), uuid(5), uuid(7)]);
  });

  test('the other shard runs its own groups, one of them the same account in another Region', async () => {
    const calls = await run(1);

    expect(groupsOf(calls)).toEqual(['333333333333-eu-west-2', '111111111111-eu-west-2']);
    expect(calls.find((c) => c.group === '111111111111-eu-west-2')?.instanceIds).toEqual([uuid(6)]);
  });

  test("one client's slow or failing ticks delay only its own group", async () => {
    const calls = await run(0, (_task, tick, group) =>
      group === '222222222222-us-east-1' ? (tick === 0 ? { delayMs: 25_000 } : { fail: tick === 2 }) : {},
    );

    expect(at(calls, '111111111111-us-east-1')).toEqual([60, 70, 80, 90, 100, 110]);
    // The slow group skips the tick its slowness superseded, and is back on the grid after.
    expect(at(calls, '222222222222-us-east-1')).toEqual([60, 85, 90, 100, 110]);
  });

  test('a shard of more than 40 groups (the inline Map limit) is refused', () => {
    const group = ONE_GROUP[0]![0]!;
    expect(() => loopStack(10, [Array.from({ length: 41 }, () => group)])).toThrow(
      /shards: expected at least one shard of 1-40 groups, the inline Map's concurrency \(got 41\)/,
    );
  });
});
