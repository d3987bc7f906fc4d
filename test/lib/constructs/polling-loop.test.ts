import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';
import { PollingLoop, tickOffsets } from '../../../lib/constructs/polling-loop';
import { testApp } from '../fixtures';

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

function loopStack(cadenceSeconds = 10) {
  const stack = new Stack(testApp(), 'Loop');
  const fn = (name: string) =>
    LambdaFunction.fromFunctionArn(stack, name, `arn:aws:lambda:us-east-1:111111111111:function:${name}`);
  const loop = new PollingLoop(stack, 'RealtimeLoop', {
    functions: [
      { id: 'CurrentMetrics', function: fn('current-metrics') },
      { id: 'CurrentUsers', function: fn('current-users') },
    ],
    cadenceSeconds,
    logRetention: RetentionDays.ONE_MONTH,
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  return { stack, loop, template: Template.fromStack(stack) };
}

/** The synthesized definition: DefinitionString, with any Fn::Join of literals joined. */
function definitionOf(template: Template): Record<string, unknown> {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const raw = machine!.Properties.DefinitionString as unknown;
  const text = typeof raw === 'string' ? raw : joinLiterals(raw);
  return JSON.parse(text) as Record<string, unknown>;
}
function joinLiterals(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'arn:aws')).join(join[0]);
}

const { template } = loopStack();
const definition = definitionOf(template);

interface Run {
  calls: Array<{ fn: string; tick: number; at: number }>;
  result: unknown;
}
/** Runs the real synthesized definition on a fake clock starting at `start`; handlers may be slow or throw. */
async function runMinute(
  start: string,
  behaviour: (fn: string, tick: number) => { delayMs?: number; fail?: boolean } = () => ({}),
): Promise<Run> {
  jest.useFakeTimers({ now: new Date(start) });
  const calls: Run['calls'] = [];
  const handler = (fn: string) => async (input: unknown) => {
    const tick = (input as { tick: number }).tick;
    calls.push({ fn, tick, at: Date.now() });
    const { delayMs, fail } = behaviour(fn, tick);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fail) throw new Error(`${fn} failed on tick ${tick}`);
    return { ok: true };
  };
  const machine = new LocalStateMachine(definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(
    {},
    {
      // aws-local-stepfunctions does not set $$.State.EnteredTime; a getter reads the (fake) clock
      // when the state reads it, which is when the state is entered.
      context: {
        State: {
          get EnteredTime() {
            return new Date().toISOString();
          },
        },
      },
      overrides: {
        taskResourceLocalHandlers: {
          InvokeCurrentMetrics: handler('current-metrics'),
          InvokeCurrentUsers: handler('current-users'),
        },
      },
    },
  );
  let settled: { result?: unknown; error?: unknown } | undefined;
  execution.result.then(
    (result) => {
      settled = { result };
    },
    (error: unknown) => {
      settled = { error };
    },
  );
  for (let i = 0; i < 200 && !settled; i++) await jest.advanceTimersByTimeAsync(1000);
  jest.useRealTimers();
  if (!settled) throw new Error('the execution did not finish within 200 simulated seconds');
  if (settled.error) throw settled.error;
  return { calls, result: settled.result };
}

const secondsPast = (start: string, calls: Run['calls'], fn: string) =>
  calls
    .filter((c) => c.fn === fn)
    // Simulated clock: rounding to 0.1 s only drops the millisecond the engine spends between states.
    .map((c) => Math.round((c.at - Date.parse(start.replace(/:\d\d(\.\d+)?Z$/, ':00Z'))) / 100) / 10);

test('tickOffsets gives 6 ticks a minute at a 10 s cadence, anchored at +0 s', () => {
  expect(tickOffsets(10)).toEqual([0, 10, 20, 30, 40, 50]);
});

test('the state machine is an Express machine started every minute by EventBridge', () => {
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
  template.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'rate(1 minute)',
    Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
  });
});

test('the definition plans one tick per cadence, each due at the minute plus its offset', () => {
  const plan = (definition.States as Record<string, { Parameters?: Record<string, string> }>).PlanTicks;
  const due = [...(plan?.Parameters?.['ticks.$'] ?? '').matchAll(/'\{\}:\{\}:(\d\d)Z'/g)].map((m) => m[1]);
  const superseded = [...(plan?.Parameters?.['supersededAt.$'] ?? '').matchAll(/'\{\}:\{\}:(\d\d)Z'/g)].map(
    (m) => m[1],
  );

  expect(due).toEqual(['00', '10', '20', '30', '40', '50']);
  expect(superseded).toEqual(['10', '20', '30', '40', '50']);
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
  const start = '2026-11-23T12:00:02.500Z';

  test('invokes both collectors on each of 6 ticks, at +0 (start), 10, 20, 30, 40 and 50 s', async () => {
    const { calls } = await runMinute(start);

    expect(secondsPast(start, calls, 'current-metrics')).toEqual([2.5, 10, 20, 30, 40, 50]);
    expect(secondsPast(start, calls, 'current-users')).toEqual([2.5, 10, 20, 30, 40, 50]);
  });

  test('a slow tick delays only the next tick; the one after is back on the minute grid', async () => {
    const { calls } = await runMinute(start, (fn, tick) =>
      fn === 'current-metrics' && tick === 0 ? { delayMs: 15_000 } : {},
    );

    expect(secondsPast(start, calls, 'current-metrics')).toEqual([2.5, 17.5, 20, 30, 40, 50]);
  });

  test('a tick reached after the next one is due is skipped instead of run in a burst', async () => {
    const { calls } = await runMinute(start, (fn, tick) =>
      fn === 'current-metrics' && tick === 0 ? { delayMs: 25_000 } : {},
    );

    expect(calls.filter((c) => c.fn === 'current-metrics').map((c) => c.tick)).toEqual([0, 2, 3, 4, 5]);
    expect(secondsPast(start, calls, 'current-metrics')).toEqual([2.5, 27.5, 30, 40, 50]);
  });

  test('a late start polls once, on the tick still due, then keeps the grid', async () => {
    const late = '2026-11-23T12:00:44.000Z';

    const { calls } = await runMinute(late);

    expect(calls.filter((c) => c.fn === 'current-users').map((c) => c.tick)).toEqual([4, 5]);
    expect(secondsPast(late, calls, 'current-users')).toEqual([44, 50]);
  });

  test('a failed collector does not stop the other collector or the rest of the minute', async () => {
    const { calls } = await runMinute(start, (fn, tick) => ({ fail: fn === 'current-users' && tick === 2 }));

    expect(calls.filter((c) => c.fn === 'current-metrics').map((c) => c.tick)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(calls.filter((c) => c.fn === 'current-users').map((c) => c.tick)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('a tick where every collector fails still lets the execution succeed', async () => {
    await expect(runMinute(start, () => ({ fail: true }))).resolves.toMatchObject({
      calls: expect.any(Array),
    });
  });
});
