import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Feed } from '../../lambdas/shared/config/runtime-config';
import { CHECK_FUNCTION, COLLECTORS, type FunctionSpec } from '../collectors';
import { type DeployConfig, runtimeConfigOf } from '../config';
import { CheckApi } from '../constructs/check-api';
import { CollectorFunction } from '../constructs/collector-function';
import { CollectorSchedule } from '../constructs/collector-schedule';
import { FailureQueue } from '../constructs/failure-queue';
import type { MetricsDatabase } from '../constructs/metrics-database';
import { PipelineAlarms } from '../constructs/pipeline-alarms';
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
 * The stateless pipeline: the collectors, the 10-second polling loop, the historical and metadata
 * schedules, the `/check` API and the alarms.
 */
export class PipelineStack extends Stack {
  public readonly collectors: Record<Feed, CollectorFunction>;
  public readonly checkFunction: CollectorFunction;
  public readonly loop: PollingLoop;
  public readonly checkApi: CheckApi;
  public readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config, database } = props;
    const failures = new FailureQueue(this, 'Failures').queue;
    const pipelineConfig = JSON.stringify(runtimeConfigOf(config));
    const pushTarget = config.pushTargetSecretArn
      ? Secret.fromSecretCompleteArn(this, 'PushTarget', config.pushTargetSecretArn)
      : undefined;

    const cadenceSeconds: Record<Feed, number> = {
      metadata: config.cadences.metadataMinutes * 60,
      current_metrics: config.cadences.realtimeSeconds,
      current_users: config.cadences.realtimeSeconds,
      historical_metrics: config.cadences.historicalMinutes * 60,
    };
    const make = (spec: FunctionSpec, options: { rolePath?: string; maxEventAge?: Duration } = {}) => {
      const fn = new CollectorFunction(this, spec.id, {
        entry: spec.entry,
        description: spec.description,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds),
        logRetention: config.logRetentionDays as RetentionDays,
        serviceName: spec.serviceName,
        metricsNamespace: config.metricsNamespace,
        logLevel: config.logLevel,
        failureQueue: failures,
        ...options,
        environment: { PIPELINE_CONFIG: pipelineConfig },
      });
      fn.bindDatabase(database.cluster, database.collectorSecret, database.databaseName);
      return fn;
    };
    const collectors = {} as Record<Feed, CollectorFunction>;
    for (const spec of Object.values(COLLECTORS)) {
      const fn = make(spec, {
        rolePath: collectorRolePath(config),
        // An event older than a cadence is stale: the next scheduled run is due (Lambda: 1 min to 6 h).
        maxEventAge: Duration.seconds(Math.min(21_600, Math.max(60, cadenceSeconds[spec.feed]))),
      });
      fn.grantConnectRead(config.instances, spec.connectActions);
      if (pushTarget) fn.bindPushTarget(pushTarget);
      collectors[spec.feed] = fn;
    }
    this.collectors = collectors;
    this.checkFunction = make(CHECK_FUNCTION);

    this.loop = new PollingLoop(this, 'RealtimeLoop', {
      functions: [
        { id: 'CurrentMetrics', function: collectors.current_metrics.function },
        { id: 'CurrentUsers', function: collectors.current_users.function },
      ],
      cadenceSeconds: config.cadences.realtimeSeconds,
      logRetention: config.logRetentionDays as RetentionDays,
      deadLetterQueue: failures,
    });
    new CollectorSchedule(this, 'HistoricalSchedule', {
      function: collectors.historical_metrics.function,
      everyMinutes: config.cadences.historicalMinutes,
      // One minute after each interval closes, when Connect has it.
      offsetMinutes: 1,
      deadLetterQueue: failures,
    });
    new CollectorSchedule(this, 'MetadataSchedule', {
      function: collectors.metadata.function,
      everyMinutes: config.cadences.metadataMinutes,
      deadLetterQueue: failures,
    });

    this.checkApi = new CheckApi(this, 'CheckApi', {
      handler: this.checkFunction.function,
      logRetention: config.logRetentionDays as RetentionDays,
    });

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      feeds: Object.values(COLLECTORS).map((spec) => ({
        feed: spec.feed,
        serviceName: spec.serviceName,
        cadenceSeconds: cadenceSeconds[spec.feed],
        function: collectors[spec.feed].function,
        ...(cadenceSeconds[spec.feed] < 60
          ? { minimumRunsPerMinute: (60 / cadenceSeconds[spec.feed] - 1) * config.instances.length }
          : {}),
      })),
      otherFunctions: [this.checkFunction.function],
      stateMachines: [this.loop.stateMachine],
      metricsNamespace: config.metricsNamespace,
      staleAfterCadences: config.staleAfterCadences,
      ...(config.alarms.email ? { email: config.alarms.email } : {}),
      ...(config.alarms.topicArn
        ? { existingTopic: Topic.fromTopicArn(this, 'ExistingAlarmTopic', config.alarms.topicArn) }
        : {}),
      deadLetterQueue: failures,
    });
  }
}
