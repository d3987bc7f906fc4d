import { CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
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

/** A timestamp no tick reaches (the last tick of a minute is never superseded). */
const NEVER = '9999-12-31T23:59:59Z';

/** The seconds past the minute each tick is due at: `[0, c, 2c, ...]` below 60. */
export function tickOffsets(cadenceSeconds: number): number[] {
  return Array.from({ length: 60 / cadenceSeconds }, (_, i) => i * cadenceSeconds);
}

/**
 * A sub-minute polling loop: EventBridge starts an Express state machine every minute, which ticks
 * `60 / cadence` times. Tick `i` waits until `start of the minute + i * cadence` (an absolute time
 * computed from the execution's start, so a slow tick does not shift the next one) and then invokes
 * every function in parallel; each branch catches its own failure, so one failed tick or function
 * does not stop the rest of the minute. A tick reached only after the next one is due is skipped,
 * so a late start or a very slow tick never causes a burst of back-to-back polls.
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

    // StartTime is ISO 8601 UTC ("2026-11-23T12:34:05.123Z"): split on ':' to keep "<date>T<hh>" and "<mm>".
    const splitStart = new Pass(this, 'SplitStartTime', {
      parameters: { 'parts.$': "States.StringSplit($$.Execution.StartTime, ':')" },
    });
    const dueAt = (offset: number) =>
      `States.Format('{}:{}:${String(offset).padStart(2, '0')}Z', States.ArrayGetItem($.parts, 0), States.ArrayGetItem($.parts, 1))`;
    const offsets = tickOffsets(c);
    // A tick is superseded once the next one is due; the last one never is within its minute.
    const superseded = [...offsets.slice(1).map(dueAt), `'${NEVER}'`];
    const planTicks = new Pass(this, 'PlanTicks', {
      parameters: {
        'ticks.$': `States.Array(${offsets.map(dueAt).join(', ')})`,
        'supersededAt.$': `States.Array(${superseded.join(', ')})`,
      },
    });

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

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(splitStart.next(planTicks).next(ticks)),
      timeout: Duration.minutes(2),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    this.rule = new Rule(this, 'EveryMinute', {
      description: `Starts the ${c}-second polling loop at the start of every minute`,
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new SfnStateMachine(this.stateMachine, {
          deadLetterQueue: props.deadLetterQueue,
          // A start older than a minute would only overlap the next minute's loop.
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
