import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  CLIENT_DIMENSIONS,
  CLIENT_RUN_FAILED,
  FEED_DIMENSION,
  RUN_METRICS,
} from '../../lambdas/shared/collector/metric-names';
import type { PipelineAlarmsProps, WatchedFeed } from './pipeline-alarms';

/**
 * The alarms PipelineAlarms raises and the topic they notify, as plain functions beside it: the check
 * of its props, the encrypted topic, and the alarms of each feed, function and state machine, each
 * keyed by its alarm id. Construct ids are a public contract: each alarm is created in the
 * construct's scope, under the id it always had.
 */

const DAY_SECONDS = 86_400;

/** `staleAfterCadences` as the staleness alarm needs it, every problem reported at once. */
export function checkPipelineAlarmsProps(id: string, props: PipelineAlarmsProps): void {
  const problems: string[] = [];
  if (!Number.isInteger(props.staleAfterCadences) || props.staleAfterCadences < 1) {
    problems.push(`staleAfterCadences: expected an integer >= 1 (got ${props.staleAfterCadences})`);
  }
  if (problems.length > 0) throw new Error(`PipelineAlarms ${id}: ${problems.join('; ')}`);
}

/**
 * The KMS-encrypted, SSL-only topic every alarm notifies (`TopicKey`, `Topic`), with `email`
 * subscribed when given; CloudWatch may use the key to publish to it.
 */
export function alarmTopic(scope: Construct, email: string | undefined, deadLetterQueue: IQueue): Topic {
  const key = new Key(scope, 'TopicKey', {
    enableKeyRotation: true,
    description: 'Encrypts pipeline alarm notifications',
  });
  key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new Topic(scope, 'Topic', {
    masterKey: key,
    enforceSSL: true,
    displayName: 'Connect metrics pipeline alarms',
  });
  if (email) {
    topic.addSubscription(new EmailSubscription(email, { deadLetterQueue }));
  }
  return topic;
}

/**
 * A feed's alarms: stale (too few `RunSucceeded` + `RunClosed` over `staleAfterCadences` cadences, missing data
 * breaching), missed ticks (when it has a `minimumRunsPerMinute`), failed runs and Connect throttles.
 */
export function feedAlarms(
  scope: Construct,
  f: WatchedFeed,
  metricsNamespace: string,
  staleAfterCadences: number,
): Record<string, Alarm> {
  const alarms: Record<string, Alarm> = {};
  const custom = (metricName: string, period: Duration) =>
    new Metric({
      namespace: metricsNamespace,
      metricName,
      dimensionsMap: { service: f.serviceName, [FEED_DIMENSION]: f.feed },
      statistic: 'Sum',
      period,
    });
  // A run the poll gate kept closed (RunClosed) is a tick taken as planned: closed is not stale. Open
  // and stopped, neither is published and missing data breaches.
  const taken = (period: Duration) =>
    new MathExpression({
      expression: 'FILL(succeeded, 0) + FILL(closed, 0)',
      usingMetrics: {
        succeeded: custom(RUN_METRICS.succeeded, period),
        closed: custom(RUN_METRICS.closed, period),
      },
      period,
      label: 'Runs succeeded or closed',
    });
  const { period, evaluationPeriods } = stalenessWindow(f.cadenceSeconds, staleAfterCadences);
  alarms[`${f.feed}-stale`] = new Alarm(scope, `Stale-${f.feed}`, {
    alarmDescription: `No successful ${f.feed} run for ${staleAfterCadences} cadences (${f.cadenceSeconds} s each) while its instances were open`,
    metric: taken(period),
    threshold: 1,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm: evaluationPeriods,
    treatMissingData: TreatMissingData.BREACHING,
  });
  if (f.minimumRunsPerMinute !== undefined && f.minimumRunsPerMinute >= 1) {
    alarms[`${f.feed}-missed-ticks`] = new Alarm(scope, `MissedTicks-${f.feed}`, {
      alarmDescription: `${f.feed} took fewer than ${f.minimumRunsPerMinute} successful (or closed) ticks a minute for 5 minutes: ticks are being lost`,
      metric: taken(Duration.minutes(1)),
      threshold: f.minimumRunsPerMinute,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
  for (const count of f.alarmOnCounts ?? []) {
    // Published once a run has something to count (a reconciled day): any point above 0 alarms.
    alarms[`${f.feed}-${count.metric}`] = new Alarm(scope, `${count.metric}-${f.feed}`, {
      alarmDescription: count.description,
      metric: custom(count.metric, Duration.hours(1)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
  alarms[`${f.feed}-failed-runs`] = persistent(
    scope,
    `FailedRuns-${f.feed}`,
    custom(RUN_METRICS.failed, Duration.minutes(5)),
    `${f.feed} runs failing for one or more instances`,
  );
  alarms[`${f.feed}-connect-throttles`] = persistent(
    scope,
    `ConnectThrottles-${f.feed}`,
    custom(RUN_METRICS.throttles, Duration.minutes(5)),
    `Connect throttling ${f.feed} calls: lower apiQuotaShare or raise the quota`,
  );
  return alarms;
}

/**
 * One alarm for every client: a Metrics Insights query over the failed-run metric the collectors
 * publish per client and instance (only when a run fails), grouped by client, instance and feed, so each
 * group is a contributor of its own. CloudWatch notifies the topic for each contributor that goes into
 * ALARM or back to OK, with its attributes, so the notification names the client and the instance
 * (CloudWatch User Guide, "Acting on alarm changes": SNS notifications at contributor level). Failing
 * in 2 periods running, each as long as the slowest scheduled cadence (so a metadata run every 15
 * minutes that fails twice running counts), at most an hour (Metrics Insights alarms read 3 hours).
 */
export function clientFailuresAlarm(scope: Construct, metricsNamespace: string, period: Duration): Alarm {
  const { client, instance } = CLIENT_DIMENSIONS;
  const query = new MathExpression({
    expression:
      `SELECT SUM(${CLIENT_RUN_FAILED}) FROM SCHEMA("${metricsNamespace}", ${client}, ${FEED_DIMENSION}, ${instance}, service) ` +
      `GROUP BY ${client}, ${instance}, ${FEED_DIMENSION}`,
    usingMetrics: {},
    period,
    label: 'Failed runs by client, instance and feed',
  });
  return new Alarm(scope, 'ClientFailures', {
    alarmDescription:
      "A client's instance failing its runs (each contributor names Client, InstanceId and Feed); /check lists its stale feeds",
    metric: query,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** A function's error and throttle alarms, named after its scope's id (the PipelineFunction around it). */
export function functionAlarms(scope: Construct, fn: IFunction): Record<string, Alarm> {
  const name = fn.node.scope?.node.id ?? fn.node.id;
  return {
    [`${name}-errors`]: persistent(
      scope,
      `Errors-${name}`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      `${name} function errors`,
    ),
    [`${name}-throttles`]: persistent(
      scope,
      `Throttles-${name}`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      `${name} function throttled by Lambda concurrency`,
    ),
  };
}

/** Fires on any failed, timed-out or aborted execution of the `i`th state machine in five minutes. */
export function executionFailuresAlarm(scope: Construct, machine: IStateMachine, i: number): Alarm {
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
  return new Alarm(scope, `ExecutionFailures${i}`, {
    alarmDescription: 'Polling loop executions failing',
    metric: failures,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
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
