import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FEED_DIMENSION, RUN_METRICS } from '../../lambdas/shared/collector/metric-names';

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

const DAY_SECONDS = 86_400;

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
    if (!Number.isInteger(props.staleAfterCadences) || props.staleAfterCadences < 1) {
      throw new Error(
        `PipelineAlarms ${id}: staleAfterCadences: expected an integer >= 1 (got ${props.staleAfterCadences})`,
      );
    }
    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts pipeline alarm notifications',
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'Connect metrics pipeline alarms',
    });
    if (props.email) {
      this.topic.addSubscription(
        new EmailSubscription(props.email, { deadLetterQueue: props.deadLetterQueue }),
      );
    }
    const actions = [
      new SnsAction(this.topic),
      ...(props.existingTopic ? [new SnsAction(props.existingTopic)] : []),
    ];
    const add = (alarmId: string, alarm: Alarm) => {
      for (const action of actions) alarm.addAlarmAction(action);
      alarm.addOkAction(actions[0]!);
      this.alarms[alarmId] = alarm;
    };
    const custom = (metricName: string, f: WatchedFeed, period: Duration) =>
      new Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: f.serviceName, [FEED_DIMENSION]: f.feed },
        statistic: 'Sum',
        period,
      });

    for (const f of props.feeds) {
      const { period, evaluationPeriods } = stalenessWindow(f.cadenceSeconds, props.staleAfterCadences);
      add(
        `${f.feed}-stale`,
        new Alarm(this, `Stale-${f.feed}`, {
          alarmDescription: `No successful ${f.feed} run for ${props.staleAfterCadences} cadences (${f.cadenceSeconds} s each)`,
          metric: custom(RUN_METRICS.succeeded, f, period),
          threshold: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods,
          datapointsToAlarm: evaluationPeriods,
          treatMissingData: TreatMissingData.BREACHING,
        }),
      );
      if (f.minimumRunsPerMinute !== undefined && f.minimumRunsPerMinute >= 1) {
        add(
          `${f.feed}-missed-ticks`,
          new Alarm(this, `MissedTicks-${f.feed}`, {
            alarmDescription: `${f.feed} took fewer than ${f.minimumRunsPerMinute} successful snapshots a minute for 5 minutes: ticks are being lost`,
            metric: custom(RUN_METRICS.succeeded, f, Duration.minutes(1)),
            threshold: f.minimumRunsPerMinute,
            comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: TreatMissingData.BREACHING,
          }),
        );
      }
      add(
        `${f.feed}-failed-runs`,
        persistent(
          this,
          `FailedRuns-${f.feed}`,
          custom(RUN_METRICS.failed, f, Duration.minutes(5)),
          `${f.feed} runs failing for one or more instances`,
        ),
      );
      add(
        `${f.feed}-connect-throttles`,
        persistent(
          this,
          `ConnectThrottles-${f.feed}`,
          custom(RUN_METRICS.throttles, f, Duration.minutes(5)),
          `Connect throttling ${f.feed} calls: lower apiQuotaShare or raise the quota`,
        ),
      );
    }
    for (const fn of [...props.feeds.map((f) => f.function), ...props.otherFunctions]) {
      const name = fn.node.scope?.node.id ?? fn.node.id;
      add(
        `${name}-errors`,
        persistent(
          this,
          `Errors-${name}`,
          fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          `${name} function errors`,
        ),
      );
      add(
        `${name}-throttles`,
        persistent(
          this,
          `Throttles-${name}`,
          fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
          `${name} function throttled by Lambda concurrency`,
        ),
      );
    }
    props.stateMachines.forEach((machine, i) => {
      const failures = new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: machine.metricFailed({ statistic: 'Sum' }),
          timedOut: machine.metricTimedOut({ statistic: 'Sum' }),
          aborted: machine.metricAborted({ statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
        label: 'Failed, timed-out and aborted executions',
      });
      add(
        `state-machine-${i}-failures`,
        new Alarm(this, `ExecutionFailures${i}`, {
          alarmDescription: 'Polling loop executions failing',
          metric: failures,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    });
  }
}

/** Alarm period and count covering `staleAfter` cadences, within CloudWatch's limits (60 s steps, one day). */
export function stalenessWindow(
  cadenceSeconds: number,
  staleAfter: number,
): { period: Duration; evaluationPeriods: number } {
  const periodSeconds = Math.min(Math.max(60, Math.ceil(cadenceSeconds / 60) * 60), DAY_SECONDS);
  const windowSeconds = Math.min(cadenceSeconds * staleAfter, DAY_SECONDS);
  const evaluationPeriods = Math.max(1, Math.ceil(windowSeconds / periodSeconds));
  return {
    period: Duration.seconds(periodSeconds),
    evaluationPeriods: Math.min(evaluationPeriods, DAY_SECONDS / periodSeconds),
  };
}

/** Fires when a count is non-zero in 2 of 3 five-minute periods: one bad tick is noise, a pattern is not. */
function persistent(scope: Construct, id: string, metric: IMetric, description: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
