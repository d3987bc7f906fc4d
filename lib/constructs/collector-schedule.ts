import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  type Chain,
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvocationType, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { InstanceGroup } from '../../lambdas/shared/config/fleet';
import { acknowledgeLoopFindings, loopLogGroup } from './polling-loop-defaults';

/** Props of {@link CollectorSchedule}. */
export interface CollectorScheduleProps {
  readonly function: IFunction;
  /** Minutes between runs (1-1440): sets how old an undelivered event may get. */
  readonly everyMinutes: number;
  /** The cron's minute and hour fields (UTC), from the feed table's `cronFields`. */
  readonly cron: { readonly minute: string; readonly hour: string };
  /** Where EventBridge sends an invocation it could not deliver. */
  readonly deadLetterQueue: IQueue;
  /**
   * The fleet's groups (`instanceGroups`, lambdas/shared/config/fleet.ts). One group: the rule invokes
   * the function, which runs every instance. More: each run fans out to one invocation per group.
   */
  readonly groups: readonly InstanceGroup[];
  /** Retention of the fan-out's execution logs (a fleet only). */
  readonly logRetention: RetentionDays;
}

const CRON_FIELD = /^[0-9*/,-]+$/;

/**
 * Runs one collector on a cron schedule through EventBridge, with a dead-letter queue.
 *
 * A fleet's run fans out by group, as the real-time loop's ticks do: the rule starts an Express state
 * machine whose Map invokes the function asynchronously once per group with the group's instance ids
 * (`{group, instanceIds}`), so each group's run has its own invocation, timeout, lease
 * and retries, and one client's slow backfill or broken role never holds up another's run. The
 * execution only hands the events to Lambda (a second or so); each invocation's retries and failure
 * queue are the function's own asynchronous-invocation settings.
 */
export class CollectorSchedule extends Construct {
  public readonly rule: Rule;
  /** The fan-out of a fleet's runs, when there is more than one group. */
  public readonly fanOut?: StateMachine;
  public readonly logGroup?: LogGroup;

  constructor(scope: Construct, id: string, props: CollectorScheduleProps) {
    super(scope, id);
    const m = props.everyMinutes;
    const problems: string[] = [];
    if (!Number.isInteger(m) || m < 1 || m > 1440) problems.push(`everyMinutes: expected 1-1440 (got ${m})`);
    for (const field of ['minute', 'hour'] as const) {
      if (!CRON_FIELD.test(props.cron[field])) {
        problems.push(`cron.${field}: expected a cron field such as 1/5 or 0 (got ${props.cron[field]})`);
      }
    }
    if (props.groups.length === 0) problems.push('groups: expected at least one group (got none)');
    if (problems.length > 0) throw new Error(`CollectorSchedule ${id}: ${problems.join('; ')}`);

    const retry = {
      deadLetterQueue: props.deadLetterQueue,
      // Collectors catch up from their watermark, so a late event is still worth running once.
      maxEventAge: Duration.minutes(Math.max(m, 5)),
      retryAttempts: 2,
    };
    if (props.groups.length === 1) {
      this.rule = new Rule(this, 'Rule', {
        description: `Runs ${props.function.node.path} every ${m} minutes`,
        schedule: Schedule.cron(props.cron),
        targets: [new LambdaFunction(props.function, retry)],
      });
      return;
    }

    this.logGroup = loopLogGroup(this, id, props.logRetention);
    this.fanOut = new StateMachine(this, 'FanOut', {
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(fanOutStates(this, props.function, props.groups)),
      // Handing every group's event to Lambda takes seconds; a run that has not by then is stuck.
      timeout: Duration.minutes(5),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.rule = new Rule(this, 'Rule', {
      description: `Runs ${props.function.node.path} every ${m} minutes, one invocation for each of ${props.groups.length} groups`,
      schedule: Schedule.cron(props.cron),
      targets: [
        new SfnStateMachine(this.fanOut, {
          ...retry,
        }),
      ],
    });
    acknowledgeLoopFindings(this, this.fanOut.role, [{ id, function: props.function }]);
  }
}

/**
 * The fan-out: the groups as a constant, then a Map invoking the function asynchronously for each
 * (`Invoke`, whose failure to hand over an event is caught in `InvokeFailed` so the other groups still
 * get theirs), then a failed execution when any group's event did not reach Lambda.
 */
function fanOutStates(scope: Construct, fn: IFunction, groups: readonly InstanceGroup[]): Chain {
  const listGroups = new Pass(scope, 'ListGroups', {
    result: Result.fromArray(groups.map((g) => ({ group: g.id, instanceIds: g.instanceIds }))),
    resultPath: '$.groups',
  });
  const invoke = new LambdaInvoke(scope, 'Invoke', {
    lambdaFunction: fn,
    invocationType: LambdaInvocationType.EVENT,
    payload: TaskInput.fromObject({
      'group.$': '$.group',
      'instanceIds.$': '$.instanceIds',
    }),
    retryOnServiceExceptions: false,
    resultPath: JsonPath.DISCARD,
  });
  invoke.addRetry({
    errors: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });
  // Each item answers whether its group's event failed to reach Lambda.
  invoke.addCatch(new Pass(scope, 'InvokeFailed', { result: Result.fromBoolean(true) }), {
    errors: [Errors.ALL],
  });
  const each = new MapState(scope, 'Groups', {
    itemsPath: '$.groups',
    // Each item only hands an event to Lambda; 40 is the inline Map's limit.
    maxConcurrency: 40,
    itemSelector: {
      'group.$': '$$.Map.Item.Value.group',
      'instanceIds.$': '$$.Map.Item.Value.instanceIds',
    },
    resultPath: '$.failed',
  });
  each.itemProcessor(invoke.next(new Pass(scope, 'Invoked', { result: Result.fromBoolean(false) })));
  // The other groups had their events; the execution still fails, so its alarm says a group missed a run.
  const outcome = new Choice(scope, 'AllGroupsInvoked')
    .when(
      Condition.booleanEquals('$.anyFailed', true),
      new Fail(scope, 'SomeGroupsNotInvoked', {
        error: 'GroupsNotInvoked',
        cause: 'The function could not be invoked for some groups; their runs catch up at the next schedule.',
      }),
    )
    .otherwise(new Succeed(scope, 'Done'));
  const tally = new Pass(scope, 'Tally', {
    parameters: { 'anyFailed.$': 'States.ArrayContains($.failed, true)' },
  });
  return listGroups.next(each).next(tally).next(outcome);
}
