import { CfnResource, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  JsonPath,
  LogLevel,
  Map as MapState,
  Parallel,
  Pass,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { loopTickOffsets } from '../../lambdas/feeds';

/** One function the loop invokes on every tick. */
export interface PolledFunction {
  /** Names the tick's states (`Invoke<id>`, `<id>Failed`); a public contract like a construct id. */
  readonly id: string;
  readonly function: IFunction;
}

/** Props of {@link PollingLoop}. */
export interface PollingLoopProps {
  /** Functions invoked in parallel on every tick. */
  readonly functions: readonly PolledFunction[];
  /** Seconds between ticks; divides 60. */
  readonly cadenceSeconds: number;
  readonly logRetention: RetentionDays;
  /** Where EventBridge sends a start it could not deliver. */
  readonly deadLetterQueue: IQueue;
  /**
   * Longest time a function may take on one tick before the tick gives up on it.
   * @default Duration.seconds(30)
   */
  readonly taskTimeout?: Duration;
}

/**
 * A sub-minute polling loop: EventBridge starts an Express state machine every minute, which takes all
 * `60 / cadence` ticks of one whole minute, `cadence` seconds apart, whatever second it starts at.
 *
 * A rate rule fires at an arbitrary but steady second of each minute ("within that minute, but not
 * on the precise 0th second", EventBridge User Guide, eb-create-rule-schedule), so ticks planned from
 * the top of the start minute would lose every tick before that second. Instead the execution
 * started for minute M owns the ticks of minute M + 1 (M+1:00, :10 ... :50): it waits for that minute
 * (at most a minute), then ticks. Each minute's ticks belong to exactly one execution whatever the
 * start second and its jitter, so consecutive executions poll exactly one cadence apart and never
 * leave a gap. M is the minute of the scheduled event's `time` (a delivery EventBridge retried later
 * keeps it; such a late start takes only the ticks still due), or of the execution's start when it
 * was started by hand. (Wait states take whole seconds, so an execution that starts in the last second
 * of its minute reaches the next one up to a second late, and its first tick with it.)
 *
 * Tick `i` waits until its absolute due time (so a slow tick does not shift the next one) and then
 * invokes every function in parallel; each branch catches its own failure, so one failed tick or
 * function does not stop the rest. A tick reached only after the next one is due (the next minute's
 * first tick, for the last) is skipped, so a late start or a very slow tick never causes a burst.
 */
export class PollingLoop extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly rule: Rule;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PollingLoopProps) {
    super(scope, id);
    const problems: string[] = [];
    const c = props.cadenceSeconds;
    if (!Number.isInteger(c) || c < 5 || c > 60 || 60 % c !== 0) {
      problems.push(`cadenceSeconds: expected a divisor of 60 from 5 to 60 (got ${c})`);
    }
    if (props.functions.length === 0) problems.push('functions: expected at least one function (got none)');
    const ids = props.functions.map((f) => f.id);
    if (new Set(ids).size !== ids.length)
      problems.push(`functions: expected unique ids (got ${ids.join(', ')})`);
    if (problems.length > 0) throw new Error(`PollingLoop ${id}: ${problems.join('; ')}`);

    // Timestamps are ISO 8601 UTC ("2026-11-23T12:34:05.123Z"); split on ':', parts 0 and 1 are
    // "<date>T<hh>" and "<mm>", so '{}:{}' is the minute and '{}:{}:SSZ' a second in it.
    const minuteOf = (timestamp: string) =>
      `States.Format('{}:{}', States.ArrayGetItem(States.StringSplit(${timestamp}, ':'), 0), States.ArrayGetItem(States.StringSplit(${timestamp}, ':'), 1))`;
    const anchorOn = (name: string, timestamp: string) =>
      new Pass(this, name, {
        parameters: {
          'scheduledMinute.$': minuteOf(timestamp),
          'startMinute.$': minuteOf('$$.Execution.StartTime'),
          'scheduledMinuteEnd.$': `States.Format('{}:59Z', ${minuteOf(timestamp)})`,
        },
      });
    const anchor = new Choice(this, 'HasScheduledTime')
      .when(Condition.isPresent('$.scheduledAt'), anchorOn('AnchorOnScheduledTime', '$.scheduledAt'))
      .otherwise(anchorOn('AnchorOnStartTime', '$$.Execution.StartTime'));

    // Tick plan of the window minute, read off a timestamp inside it.
    const planFrom = (name: string, timestamp: string) =>
      new Pass(this, name, { parameters: { 'window.$': `States.StringSplit(${timestamp}, ':')` } });
    const dueAt = (second: string) =>
      `States.Format('{}:{}:${second}Z', States.ArrayGetItem($.window, 0), States.ArrayGetItem($.window, 1))`;
    const offsets = loopTickOffsets({ realtimeSeconds: c }).map((o) => String(o).padStart(2, '0'));
    // A tick is superseded once the next one is due; the last one at the next minute's first tick.
    const planTicks = new Pass(this, 'PlanTicks', {
      parameters: {
        'ticks.$': `States.Array(${offsets.map(dueAt).join(', ')})`,
        'supersededAt.$': `States.Array(${[...offsets.slice(1), '59.999'].map(dueAt).join(', ')})`,
      },
    });
    // Started within the scheduled minute (the usual case): wait for the next minute, which this
    // execution owns. Started after it (a late delivery): the window has begun; plan it now.
    const waitForWindow = new Wait(this, 'WaitForLastSecond', {
      time: WaitTime.timestampPath('$.scheduledMinuteEnd'),
    })
      .next(new Wait(this, 'WaitIntoWindow', { time: WaitTime.duration(Duration.seconds(1)) }))
      .next(planFrom('WindowFromClock', '$$.State.EnteredTime'))
      .next(planTicks);
    const window = new Choice(this, 'StartedInScheduledMinute')
      .when(Condition.stringEqualsJsonPath('$.scheduledMinute', '$.startMinute'), waitForWindow)
      .otherwise(planFrom('WindowFromStart', '$$.Execution.StartTime').next(planTicks));
    anchor.afterwards().next(window);

    const branches = props.functions.map((f) => {
      const invoke = new LambdaInvoke(this, `Invoke${f.id}`, {
        lambdaFunction: f.function,
        payload: TaskInput.fromObject({ 'tick.$': '$.tick', 'dueAt.$': '$.dueAt' }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        taskTimeout: Timeout.duration(props.taskTimeout ?? Duration.seconds(30)),
        resultPath: JsonPath.DISCARD,
      });
      invoke.addRetry({
        errors: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
        interval: Duration.seconds(1),
        maxAttempts: 1,
      });
      invoke.addCatch(new Pass(this, `${f.id}Failed`), { errors: [Errors.ALL], resultPath: '$.error' });
      return invoke;
    });
    const collect = new Parallel(this, 'Collect', { resultPath: JsonPath.DISCARD });
    for (const branch of branches) collect.branch(branch);

    const waitForTick = new Wait(this, 'WaitForTick', { time: WaitTime.timestampPath('$.dueAt') });
    // Read the clock when the tick starts (after the previous one finished).
    const stampTick = new Pass(this, 'StampTick', {
      parameters: {
        'tick.$': '$.tick',
        'dueAt.$': '$.dueAt',
        'supersededAt.$': '$.supersededAt',
        'startedAt.$': '$$.State.EnteredTime',
      },
    });
    // A tick reached after the next one is due (very slow predecessor, late start) is skipped, not
    // run in a burst: the next tick polls the same data, on time.
    const isSuperseded = new Choice(this, 'IsTickSuperseded')
      .when(
        Condition.timestampGreaterThanEqualsJsonPath('$.startedAt', '$.supersededAt'),
        new Pass(this, 'SkipSupersededTick'),
      )
      .otherwise(waitForTick.next(collect));
    const ticks = new MapState(this, 'Ticks', {
      itemsPath: '$.ticks',
      maxConcurrency: 1,
      itemSelector: {
        'dueAt.$': '$$.Map.Item.Value',
        'tick.$': '$$.Map.Item.Index',
        'supersededAt.$': 'States.ArrayGetItem($.supersededAt, $$.Map.Item.Index)',
      },
      resultPath: JsonPath.DISCARD,
    });
    ticks.itemProcessor(stampTick.next(isSuperseded));

    planTicks.next(ticks);

    const stack = Stack.of(this);
    this.logGroup = new LogGroup(this, 'Logs', {
      // Step Functions' best practice: under /aws/vendedlogs/states/, so the account's CloudWatch Logs
      // resource policy (5,120 characters) does not grow with every state machine. The stack id's UUID
      // keeps the name unique, also after a teardown that kept the old group.
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${id}-${Fn.select(2, Fn.split('/', stack.stackId))}`,
      retention: props.logRetention,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(anchor),
      // At most a minute's wait for the window, its six ticks, and a last slow tick (task timeout).
      timeout: Duration.minutes(3),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    this.rule = new Rule(this, 'EveryMinute', {
      description: `Starts the ${c}-second polling loop every minute, for the ticks of the minute after`,
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new SfnStateMachine(this.stateMachine, {
          input: RuleTargetInput.fromObject({ scheduledAt: EventField.time }),
          deadLetterQueue: props.deadLetterQueue,
          // Older than a minute, the window it owns has passed: the next minute's start takes over.
          maxEventAge: Duration.minutes(1),
          retryAttempts: 2,
        }),
      ],
    });

    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray actions do not support resource-level permissions.',
    });
    for (const f of props.functions) {
      const cfn = f.function.node.defaultChild;
      if (!(cfn instanceof CfnResource)) continue; // an imported function: nothing of ours to acknowledge
      const logicalId = Stack.of(this).getLogicalId(cfn);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: "Invoking the function's versions and aliases; the function itself is named.",
      });
    }
  }
}
