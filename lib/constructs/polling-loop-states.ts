import { Duration } from 'aws-cdk-lib';
import {
  Choice,
  Condition,
  Errors,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  Result,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { loopTickOffsets } from '../../lambdas/feeds';
import type { InstanceGroup } from '../../lambdas/shared/config/fleet';
import type { PolledFunction } from './polling-loop';

/**
 * The states of PollingLoop's state machine, as plain functions beside it: the window states that
 * find the minute an execution owns and plan its ticks, and the tick states that run them. State
 * names are a public contract like construct ids: each state is created in the loop's scope, under
 * the name it always had.
 */

/** The window states' first state and the last, which the tick states follow. */
export interface WindowStates {
  /**
   * Where an execution starts: takes the shard from the input (0 when started by hand without one),
   * then anchors the window on the scheduled time, or on the start time.
   */
  readonly start: Choice;
  /** Plans the window's ticks and picks the shard's groups; every path through the window states ends here. */
  readonly planTicks: Pass;
}

/**
 * States that find the minute an execution owns (the one after its scheduled minute) and plan the
 * `60 / cadenceSeconds` ticks of it (their due times and the time each is superseded at), with the
 * groups of the execution's shard of the fleet (`shards`, one per execution a minute).
 */
export function windowStates(
  scope: Construct,
  cadenceSeconds: number,
  shards: readonly (readonly InstanceGroup[])[],
): WindowStates {
  const anchorOn = (name: string, timestamp: string) =>
    new Pass(scope, name, {
      parameters: {
        'shard.$': '$.shard',
        'scheduledMinute.$': minuteOf(timestamp),
        'startMinute.$': minuteOf('$$.Execution.StartTime'),
        'scheduledMinuteEnd.$': `States.Format('{}:59Z', ${minuteOf(timestamp)})`,
      },
    });
  const anchor = new Choice(scope, 'HasScheduledTime')
    .when(Condition.isPresent('$.scheduledAt'), anchorOn('AnchorOnScheduledTime', '$.scheduledAt'))
    .otherwise(anchorOn('AnchorOnStartTime', '$$.Execution.StartTime'));
  // Started by hand without a shard: the first. (Two steps, not `Result: 0` at `$.shard`: the local
  // engine the tests run, aws-local-stepfunctions, takes a falsy Result for none.)
  const firstShard = new Pass(scope, 'FirstShard', {
    result: Result.fromObject({ shard: 0 }),
    resultPath: '$.defaults',
  }).next(new Pass(scope, 'UseFirstShard', { inputPath: '$.defaults.shard', resultPath: '$.shard' }));
  const start = new Choice(scope, 'HasShard')
    .when(Condition.isPresent('$.shard'), anchor)
    .otherwise(firstShard.next(anchor));

  // Tick plan of the window minute, read off a timestamp inside it.
  const planFrom = (name: string, timestamp: string) =>
    new Pass(scope, name, {
      parameters: { 'window.$': `States.StringSplit(${timestamp}, ':')`, 'shard.$': '$.shard' },
    });
  const offsets = loopTickOffsets({ realtimeSeconds: cadenceSeconds }).map((o) => String(o).padStart(2, '0'));
  // A tick is superseded once the next one is due; the last one at the next minute's first tick. The
  // groups are a constant of the definition (the deploy config's fleet), one list per shard.
  const planTicks = new Pass(scope, 'PlanTicks', {
    parameters: {
      'ticks.$': `States.Array(${offsets.map(dueAt).join(', ')})`,
      'supersededAt.$': `States.Array(${[...offsets.slice(1), '59.999'].map(dueAt).join(', ')})`,
      'shard.$': '$.shard',
      shards: shards.map((groups) => groups.map((g) => ({ group: g.id, instanceIds: [...g.instanceIds] }))),
    },
  });
  // Started within the scheduled minute (the usual case): wait for the next minute, which this
  // execution owns. Started after it (a late delivery): the window has begun; plan it now.
  const waitForWindow = new Wait(scope, 'WaitForLastSecond', {
    time: WaitTime.timestampPath('$.scheduledMinuteEnd'),
  })
    .next(new Wait(scope, 'WaitIntoWindow', { time: WaitTime.duration(Duration.seconds(1)) }))
    .next(planFrom('WindowFromClock', '$$.State.EnteredTime'))
    .next(planTicks);
  const window = new Choice(scope, 'StartedInScheduledMinute')
    .when(Condition.stringEqualsJsonPath('$.scheduledMinute', '$.startMinute'), waitForWindow)
    .otherwise(planFrom('WindowFromStart', '$$.Execution.StartTime').next(planTicks));
  anchor.afterwards().next(window);
  return { start, planTicks };
}

/**
 * A Map over the shard's groups, all at once (a shard holds at most 40, the inline Map's limit), each
 * running the minute's ticks for its own instances ({@link tickStates}): a slow or failing group delays
 * only its own next tick.
 */
export function groupStates(scope: Construct, ticks: MapState, groupsPerExecution: number): Pass {
  const select = new Pass(scope, 'SelectGroups', {
    parameters: {
      'ticks.$': '$.ticks',
      'supersededAt.$': '$.supersededAt',
      'groups.$': 'States.ArrayGetItem($.shards, $.shard)',
    },
  });
  const groups = new MapState(scope, 'Groups', {
    itemsPath: '$.groups',
    maxConcurrency: groupsPerExecution,
    itemSelector: {
      'group.$': '$$.Map.Item.Value.group',
      'instanceIds.$': '$$.Map.Item.Value.instanceIds',
      'ticks.$': '$.ticks',
      'supersededAt.$': '$.supersededAt',
    },
    resultPath: JsonPath.DISCARD,
  });
  groups.itemProcessor(ticks);
  select.next(groups);
  return select;
}

/**
 * A Map over the planned ticks, one at a time: each waits until its due time, then invokes every
 * function in parallel for the group's instances, or is skipped when it is reached only after the next
 * tick is due.
 */
export function tickStates(
  scope: Construct,
  functions: readonly PolledFunction[],
  taskTimeout: Duration | undefined,
): MapState {
  const branches = functions.map((f) => invokeState(scope, f, taskTimeout));
  const collect = new Parallel(scope, 'Collect', { resultPath: JsonPath.DISCARD });
  for (const branch of branches) collect.branch(branch);

  const waitForTick = new Wait(scope, 'WaitForTick', { time: WaitTime.timestampPath('$.dueAt') });
  // Read the clock when the tick starts (after the previous one finished).
  const stampTick = new Pass(scope, 'StampTick', {
    parameters: {
      'tick.$': '$.tick',
      'dueAt.$': '$.dueAt',
      'supersededAt.$': '$.supersededAt',
      'group.$': '$.group',
      'instanceIds.$': '$.instanceIds',
      'startedAt.$': '$$.State.EnteredTime',
    },
  });
  // A tick reached after the next one is due (very slow predecessor, late start) is skipped, not
  // run in a burst: the next tick polls the same data, on time.
  const isSuperseded = new Choice(scope, 'IsTickSuperseded')
    .when(
      Condition.timestampGreaterThanEqualsJsonPath('$.startedAt', '$.supersededAt'),
      new Pass(scope, 'SkipSupersededTick'),
    )
    .otherwise(waitForTick.next(collect));
  const ticks = new MapState(scope, 'Ticks', {
    itemsPath: '$.ticks',
    maxConcurrency: 1,
    itemSelector: {
      'dueAt.$': '$$.Map.Item.Value',
      'tick.$': '$$.Map.Item.Index',
      'supersededAt.$': 'States.ArrayGetItem($.supersededAt, $$.Map.Item.Index)',
      'group.$': '$.group',
      'instanceIds.$': '$.instanceIds',
    },
    resultPath: JsonPath.DISCARD,
  });
  ticks.itemProcessor(stampTick.next(isSuperseded));
  return ticks;
}

/** One function's branch of a tick: `Invoke<id>`, which catches its own failure in `<id>Failed`. */
function invokeState(scope: Construct, f: PolledFunction, taskTimeout: Duration | undefined): LambdaInvoke {
  const invoke = new LambdaInvoke(scope, `Invoke${f.id}`, {
    lambdaFunction: f.function,
    payload: TaskInput.fromObject({
      'tick.$': '$.tick',
      'dueAt.$': '$.dueAt',
      'group.$': '$.group',
      'instanceIds.$': '$.instanceIds',
    }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(taskTimeout ?? Duration.seconds(30)),
    resultPath: JsonPath.DISCARD,
  });
  invoke.addRetry({
    errors: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
    interval: Duration.seconds(1),
    maxAttempts: 1,
  });
  invoke.addCatch(new Pass(scope, `${f.id}Failed`), { errors: [Errors.ALL], resultPath: '$.error' });
  return invoke;
}

// Timestamps are ISO 8601 UTC ("2026-11-23T12:34:05.123Z"); split on ':', parts 0 and 1 are
// "<date>T<hh>" and "<mm>", so '{}:{}' is the minute and '{}:{}:SSZ' a second in it.
function minuteOf(timestamp: string): string {
  return `States.Format('{}:{}', States.ArrayGetItem(States.StringSplit(${timestamp}, ':'), 0), States.ArrayGetItem(States.StringSplit(${timestamp}, ':'), 1))`;
}

/** The intrinsic naming `second` of the planned window minute (`$.window`). */
function dueAt(second: string): string {
  return `States.Format('{}:{}:${second}Z', States.ArrayGetItem($.window, 0), States.ArrayGetItem($.window, 1))`;
}
