import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  alarmTopic,
  checkPipelineAlarmsProps,
  clientFailuresAlarm,
  executionFailuresAlarm,
  feedAlarms,
  functionAlarms,
} from './pipeline-alarm-definitions';

/** A feed whose freshness is watched. */
export interface WatchedFeed {
  /** `Feed` dimension value. */
  readonly feed: string;
  /** `service` dimension Powertools adds to the collector's metrics. */
  readonly serviceName: string;
  /** Seconds between runs. */
  readonly cadenceSeconds: number;
  /** The collector writing the feed. */
  readonly function: IFunction;
  /**
   * Successful runs a minute below which the feed is losing snapshots (all instances together): the
   * real-time loop takes `60 / cadence` a minute per instance, so one less than that per instance.
   * Below it for 5 minutes running, an alarm fires.
   * @default - no such alarm (the staleness alarm still watches the feed)
   */
  readonly minimumRunsPerMinute?: number;
  /** Counts the feed's runs publish that raise an alarm whenever one is above 0 (from the feed table). */
  readonly alarmOnCounts?: readonly { readonly metric: string; readonly description: string }[];
}

/** Props of {@link PipelineAlarms}. */
export interface PipelineAlarmsProps {
  readonly feeds: readonly WatchedFeed[];
  /** Other functions whose errors and throttles are watched (e.g. the check handler). */
  readonly otherFunctions: readonly IFunction[];
  readonly stateMachines: readonly IStateMachine[];
  /** Namespace of the collectors' custom metrics. */
  readonly metricsNamespace: string;
  /** A feed is stale after this many cadences without a successful run. */
  readonly staleAfterCadences: number;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Existing SNS topic that also receives every alarm.
   * @default - only the topic this construct creates
   */
  readonly existingTopic?: ITopic;
  /** Where undeliverable e-mail notifications go. */
  readonly deadLetterQueue: IQueue;
}

/**
 * Alarms on what matters for a data pipeline: a feed going stale (too few `RunSucceeded` over
 * `staleAfterCadences` cadences, with missing data breaching), a real-time feed taking fewer snapshots
 * than its cadence allows (ticks lost, although the feed is not stale), collector errors and failed runs,
 * Connect and Lambda throttles, and failed state machine executions. All go to an encrypted SNS topic.
 */
export class PipelineAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly topic: Topic;
  /** Every alarm, by id. */
  public readonly alarms: Record<string, Alarm> = {};

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    checkPipelineAlarmsProps(id, props);

    this.topic = alarmTopic(this, props.email, props.deadLetterQueue);
    const actions = [
      new SnsAction(this.topic),
      ...(props.existingTopic ? [new SnsAction(props.existingTopic)] : []),
    ];
    const add = (alarms: Record<string, Alarm>) => {
      for (const [alarmId, alarm] of Object.entries(alarms)) {
        for (const action of actions) alarm.addAlarmAction(action);
        alarm.addOkAction(actions[0]!);
        this.alarms[alarmId] = alarm;
      }
    };

    for (const f of props.feeds) {
      add(feedAlarms(this, f, props.metricsNamespace, props.staleAfterCadences));
    }
    for (const fn of [...props.feeds.map((f) => f.function), ...props.otherFunctions]) {
      add(functionAlarms(this, fn));
    }
    const slowest = Math.max(...props.feeds.map((f) => f.cadenceSeconds));
    add({
      'client-failures': clientFailuresAlarm(
        this,
        props.metricsNamespace,
        Duration.minutes(Math.min(60, Math.max(5, Math.ceil(slowest / 60)))),
      ),
    });
    props.stateMachines.forEach((machine, i) => {
      add({ [`state-machine-${i}-failures`]: executionFailuresAlarm(this, machine, i) });
    });
  }
}
