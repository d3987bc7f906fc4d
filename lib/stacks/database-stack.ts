import * as path from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import { FailureQueue } from '../constructs/failure-queue';
import { MetricsDatabase } from '../constructs/metrics-database';
import { SchemaMigration } from '../constructs/schema-migration';

/** Props of {@link DatabaseStack}. */
export interface DatabaseStackProps extends StackProps {
  readonly config: DeployConfig;
  /**
   * Folder of the SQL migrations.
   * @default the repository's sql/migrations
   */
  readonly migrationsDir?: string;
}

const REMOVAL: Record<DeployConfig['database']['removalPolicy'], RemovalPolicy> = {
  // RetainExceptOnCreate: a first deploy that fails deletes the new cluster instead of leaving it behind
  // under the identifier the next attempt needs.
  retain: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  snapshot: RemovalPolicy.SNAPSHOT,
  destroy: RemovalPolicy.DESTROY,
};

/**
 * The stateful stack: the metrics database and the deploy-time migration that keeps its schema and
 * users current. Kept apart from the pipeline so the pipeline can be replaced freely.
 */
export class DatabaseStack extends Stack {
  public readonly database: MetricsDatabase;
  public readonly migration: SchemaMigration;

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;
    this.database = new MetricsDatabase(this, 'Database', {
      clusterIdentifier: `${config.stackPrefix.toLowerCase()}-metrics`,
      databaseName: config.database.databaseName,
      minCapacity: config.database.minCapacity,
      maxCapacity: config.database.maxCapacity,
      backupRetentionDays: config.database.backupRetentionDays,
      removalPolicy: REMOVAL[config.database.removalPolicy],
      logRetention,
    });
    const failures = new FailureQueue(this, 'Failures');
    this.migration = new SchemaMigration(this, 'Schema', {
      cluster: this.database.cluster,
      databaseName: this.database.databaseName,
      adminSecret: this.database.adminSecret,
      collectorSecret: this.database.collectorSecret,
      reportingSecret: this.database.reportingSecret,
      deletionProtection: config.database.deletionProtection,
      migrationsDir: props.migrationsDir ?? path.join(__dirname, '..', '..', 'sql', 'migrations'),
      logRetention,
      logLevel: config.logLevel,
      metricsNamespace: config.metricsNamespace,
      failureQueue: failures.queue,
    });
    new CfnOutput(this, 'ClusterArn', { value: this.database.cluster.clusterArn });
    new CfnOutput(this, 'ReportingSecretArn', { value: this.database.reportingSecret.secretArn });
  }
}
