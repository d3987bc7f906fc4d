import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { InstanceGroup } from '../../lambdas/shared/config/fleet';
import { acknowledgeLoopFindings, checkPollingLoopProps, loopLogGroup } from './polling-loop-defaults';
import { groupStates, tickStates, windowStates } from './polling-loop-states';

/** One function the loop invokes on every tick. */
export interface PolledFunction {
  /** Names the tick's states (`Invoke<id>`, `<id>Failed`); a public contract like a construct id. */
  readonly id: string;
  readonly function: IFunction;
}

/** Props of {@link PollingLoop}. */
export interface PollingLoopProps {
  /** Functions invoked in parallel on every tick, once per group. */
  readonly functions: readonly PolledFunction[];
  /**
   * The fleet's groups in shards (`executionShards`, lambdas/shared/config/fleet.ts): each shard is one
   * execution a minute, which runs its groups (at most 40) side by side.
   */
  readonly shards: readonly (readonly InstanceGroup[])[];
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
 * A fleet runs in groups (the instances of one account and Region, fleet.ts): the execution of a shard
 * runs each of its groups' minutes side by side (a Map), so one group's slow or failing tick delays
 * only that group's next tick. Each shard has its own EventBridge rule, whose event says which shard.
 *
 * Within a group, tick `i` waits until its absolute due time (so a slow tick does not shift the next
 * one) and then invokes every function in parallel with the group's instance ids; each branch catches
 * its own failure, so one failed tick or function does not stop the rest. A tick reached only after
 * the next one is due (the next minute's first tick, for the last) is skipped, so a late start or a
 * very slow tick never causes a burst.
 */
export class PollingLoop extends Construct {
  public readonly stateMachine: StateMachine;
  /** One rule per shard, the first (`EveryMinute`) for shard 0. */
  public readonly rules: readonly Rule[];
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PollingLoopProps) {
    super(scope, id);
    checkPollingLoopProps(id, props);

    const { start, planTicks } = windowStates(this, props.cadenceSeconds, props.shards);
    const groupsPerExecution = Math.max(...props.shards.map((s) => s.length));
    planTicks.next(
      groupStates(this, tickStates(this, props.functions, props.taskTimeout), groupsPerExecution),
    );

    this.logGroup = loopLogGroup(this, id, props.logRetention);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(start),
      // At most a minute's wait for the window, its six ticks, and a last slow tick (task timeout).
      timeout: Duration.minutes(3),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    this.rules = props.shards.map(
      (groups, shard) =>
        new Rule(this, shard === 0 ? 'EveryMinute' : `EveryMinuteShard${shard}`, {
          description: `Starts the ${props.cadenceSeconds}-second polling loop every minute, for the ticks of the minute after (shard ${shard}: ${groups.length} groups)`,
          schedule: Schedule.rate(Duration.minutes(1)),
          targets: [
            new SfnStateMachine(this.stateMachine, {
              input: RuleTargetInput.fromObject({ scheduledAt: EventField.time, shard }),
              deadLetterQueue: props.deadLetterQueue,
              // Older than a minute, the window it owns has passed: the next minute's start takes over.
              maxEventAge: Duration.minutes(1),
              retryAttempts: 2,
            }),
          ],
        }),
    );

    acknowledgeLoopFindings(this, this.stateMachine.role, props.functions);
  }
}
