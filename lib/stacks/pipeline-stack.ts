import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  CHECK_FUNCTION,
  cadenceSeconds,
  cronFields,
  FEED_TABLE,
  FEEDS,
  type Feed,
  type FeedDefinition,
  type FunctionDefinition,
} from '../../lambdas/feeds';
import { executionShards, instanceGroups } from '../../lambdas/shared/config/fleet';
import { type DeployConfig, runtimeConfigJson } from '../config';
import { CheckApi } from '../constructs/check-api';
import { CollectorSchedule } from '../constructs/collector-schedule';
import { FailureQueue } from '../constructs/failure-queue';
import type { MetricsDatabase } from '../constructs/metrics-database';
import { PipelineAlarms, type WatchedFeed } from '../constructs/pipeline-alarms';
import { PipelineFunction } from '../constructs/pipeline-function';
import { PollingLoop } from '../constructs/polling-loop';

/** Props of {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly database: MetricsDatabase;
}

/** IAM path of the collector roles; client-account roles trust roles under it. */
export function collectorRolePath(config: Pick<DeployConfig, 'stackPrefix'>): string {
  return `/${config.stackPrefix}/collectors/`;
}

/**
 * The stateless pipeline, built from the feed table (`lambdas/feeds.ts`): one function per feed with
 * exactly its Connect APIs, the polling loop for the loop feeds, an EventBridge cron for the others,
 * the check function and its `/check` API, and the alarms.
 */
export class PipelineStack extends Stack {
  public readonly collectors: Record<Feed, PipelineFunction>;
  public readonly checkFunction: PipelineFunction;
  public readonly loop: PollingLoop;
  /** The scheduled feeds' rules (and, for a fleet, their fan-outs by group). */
  public readonly schedules: CollectorSchedule[];
  public readonly checkApi: CheckApi;
  public readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const failures = new FailureQueue(this, 'Failures').queue;
    const logRetention = config.logRetentionDays as RetentionDays;
    const make = functionFactory(this, props, failures);
    const pushTarget = config.pushTargetSecretArn
      ? Secret.fromSecretCompleteArn(this, 'PushTarget', config.pushTargetSecretArn)
      : undefined;
    this.collectors = Object.fromEntries(
      FEEDS.map((feed) => [feed, this.collectorFunction(FEED_TABLE[feed], make, config, pushTarget)]),
    ) as Record<Feed, PipelineFunction>;
    this.checkFunction = make(CHECK_FUNCTION);

    const feeds = Object.values(FEED_TABLE);
    this.loop = new PollingLoop(this, 'RealtimeLoop', {
      functions: feeds
        .filter((f) => f.schedule.kind === 'loop')
        .map((f) => ({ id: f.function.id, function: this.collectors[f.feed].function })),
      cadenceSeconds: config.cadences.realtimeSeconds,
      shards: executionShards(config),
      logRetention,
      deadLetterQueue: failures,
    });
    this.schedules = [];
    for (const f of feeds) {
      if (f.schedule.kind !== 'aligned') continue;
      const schedule = new CollectorSchedule(this, f.schedule.ruleId, {
        function: this.collectors[f.feed].function,
        everyMinutes: cadenceSeconds(f.feed, config.cadences) / 60,
        cron: cronFields(f.feed, config.cadences),
        deadLetterQueue: failures,
        groups: instanceGroups(config),
        logRetention,
      });
      this.schedules.push(schedule);
    }
    this.checkApi = new CheckApi(this, 'CheckApi', { handler: this.checkFunction.function, logRetention });
    this.alarms = this.pipelineAlarms(config, failures);
  }

  /** A feed's function: its Connect APIs, the push target when it pushes, no stale events. */
  private collectorFunction(
    feed: FeedDefinition,
    make: ReturnType<typeof functionFactory>,
    config: DeployConfig,
    pushTarget: ISecret | undefined,
  ): PipelineFunction {
    const fn = make(feed.function, {
      rolePath: collectorRolePath(config),
      // An event older than a cadence is stale: the next scheduled run is due (Lambda: 1 min to 6 h).
      maxEventAge: Duration.seconds(
        Math.min(21_600, Math.max(60, cadenceSeconds(feed.feed, config.cadences))),
      ),
    });
    fn.grantConnectRead(
      config.instances,
      feed.connectApis.map((api) => `connect:${api}`),
    );
    if (feed.afterRuns.includes('push')) {
      if (pushTarget) fn.bindSecret('PUSH_TARGET_SECRET_ARN', pushTarget);
      // Clients with their own push target: read access to exactly those secrets (their ARNs travel in
      // the bundled runtime config, never their values).
      const own = [...new Set(config.instances.flatMap((i) => i.pushTargetSecretArn ?? []))];
      for (const [k, arn] of own.entries()) {
        Secret.fromSecretCompleteArn(this, `ClientPushTarget${k}`, arn).grantRead(fn.role);
      }
    }
    return fn;
  }

  private pipelineAlarms(config: DeployConfig, failures: IQueue): PipelineAlarms {
    const feeds: WatchedFeed[] = Object.values(FEED_TABLE).map((f) => {
      const cadence = cadenceSeconds(f.feed, config.cadences);
      return {
        feed: f.feed,
        serviceName: f.function.serviceName,
        cadenceSeconds: cadence,
        function: this.collectors[f.feed].function,
        ...(cadence < 60 ? { minimumRunsPerMinute: (60 / cadence - 1) * config.instances.length } : {}),
        alarmOnCounts: f.alarmOnCounts,
      };
    });
    return new PipelineAlarms(this, 'Alarms', {
      feeds,
      otherFunctions: [this.checkFunction.function],
      stateMachines: [this.loop.stateMachine, ...this.schedules.flatMap((s) => (s.fanOut ? [s.fanOut] : []))],
      metricsNamespace: config.metricsNamespace,
      staleAfterCadences: config.staleAfterCadences,
      email: config.alarms.email,
      ...(config.alarms.topicArn
        ? { existingTopic: Topic.fromTopicArn(this, 'ExistingAlarmTopic', config.alarms.topicArn) }
        : {}),
      deadLetterQueue: failures,
    });
  }
}

/** Builds a function of the pipeline from its definition, bound to the database as the collector user. */
function functionFactory(scope: Construct, props: PipelineStackProps, failures: IQueue) {
  const { config, database } = props;
  const runtimeConfig = runtimeConfigJson(config);
  return (definition: FunctionDefinition, options: { rolePath?: string; maxEventAge?: Duration } = {}) =>
    new PipelineFunction(scope, definition.id, {
      definition,
      logRetention: config.logRetentionDays as RetentionDays,
      metricsNamespace: config.metricsNamespace,
      logLevel: config.logLevel,
      failureQueue: failures,
      runtimeConfig,
      ...options,
    }).bindDatabase(database.cluster, database.collectorSecret, database.databaseName);
}
