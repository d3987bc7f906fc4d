import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MIGRATE_FUNCTION } from '../../lambdas/feeds';
import { PipelineFunction } from './pipeline-function';

/** Props of {@link SchemaMigration}. */
export interface SchemaMigrationProps {
  readonly cluster: IDatabaseCluster;
  readonly databaseName: string;
  /** Admin credentials the migrations run as. */
  readonly adminSecret: ISecret;
  /** The collectors' user, created or updated with read/write on the tables. */
  readonly collectorSecret: ISecret;
  /** The reporting user, created or updated with read-only access to the views. */
  readonly reportingSecret: ISecret;
  /**
   * Deletion protection of the cluster, set after the migrations and users succeeded (never before,
   * so a first deploy that fails rolls back cleanly, deleting the new cluster).
   */
  readonly deletionProtection: boolean;
  /** Folder of `V<NNN>__name.sql` files copied into the function bundle. */
  readonly migrationsDir: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  readonly metricsNamespace: string;
  readonly failureQueue: IQueue;
}

/**
 * A deploy-time custom resource that applies the SQL migrations through the Data API, creates or
 * updates the collector and reporting database users from their secrets, and only then sets the
 * cluster's deletion protection. It runs again on every deploy that changes a migration file, the
 * migration code, the secrets it uses or the protection (CloudFormation calls a custom resource only
 * when its properties change); every step is idempotent. An Update CloudFormation sends while rolling
 * back a failed stack update does nothing and succeeds: migrations are forward-only, and re-running
 * the ones that just failed would leave the stack in UPDATE_ROLLBACK_FAILED.
 */
export class SchemaMigration extends Construct {
  /** The migration function. */
  public readonly handler: PipelineFunction;
  /** The custom resource; depend on it to run after the schema is current. */
  public readonly resource: CustomResource;
  /** Hash of the migration files the resource was synthesized with. */
  public readonly migrationsHash: string;

  constructor(scope: Construct, id: string, props: SchemaMigrationProps) {
    super(scope, id);
    this.migrationsHash = hashMigrations(props.migrationsDir);

    this.handler = new PipelineFunction(this, MIGRATE_FUNCTION.id, {
      definition: MIGRATE_FUNCTION,
      logRetention: props.logRetention,
      metricsNamespace: props.metricsNamespace,
      logLevel: props.logLevel,
      failureQueue: props.failureQueue,
      copyIntoBundle: [[props.migrationsDir, 'migrations']],
    })
      .bindDatabase(props.cluster, props.adminSecret, props.databaseName)
      .bindSecret('COLLECTOR_SECRET_ARN', props.collectorSecret)
      .bindSecret('REPORTING_SECRET_ARN', props.reportingSecret);
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['rds:ModifyDBCluster'], resources: [props.cluster.clusterArn] }),
    );
    // Is this Update the rollback of a failed one? Only the stack's status says so.
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudformation:DescribeStacks'],
        resources: [Stack.of(this).stackId],
      }),
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.function.functionArn,
      resourceType: 'Custom::SchemaMigration',
      // A function that dies before answering fails the deploy a minute after its timeout, not an hour.
      serviceTimeout: Duration.seconds(MIGRATE_FUNCTION.timeoutSeconds).plus(Duration.minutes(1)),
      properties: {
        MigrationsHash: this.migrationsHash,
        // The user and grant logic too: a change to it re-applies the grants on the next deploy.
        HandlerHash: hashFiles(HANDLER_SOURCES, '.ts'),
        CollectorSecretArn: props.collectorSecret.secretArn,
        ReportingSecretArn: props.reportingSecret.secretArn,
        DeletionProtection: props.deletionProtection,
      },
    });
    // The writer instance and the secrets' attachments must exist before the first statement.
    this.resource.node.addDependency(props.cluster);
  }
}

const LAMBDAS = path.join(__dirname, '..', '..', 'lambdas');
/**
 * The migration function's own code and everything under `lambdas/shared` it may import: a change to
 * any of it re-runs the (idempotent) resource, so a fix to the user and grant logic is never skipped.
 */
const HANDLER_SOURCES = [path.join(LAMBDAS, 'migrate'), path.join(LAMBDAS, 'shared')];

/** SHA-256 over the names and contents of the `.sql` files in `dir`, in name order. */
export function hashMigrations(dir: string): string {
  return hashFiles([dir], '.sql');
}

/**
 * SHA-256 over the relative paths and contents of the files ending in `ext` in each of `dirs` and
 * their subfolders, in path order.
 */
export function hashFiles(dirs: readonly string[], ext: string): string {
  const hash = createHash('sha256');
  for (const dir of dirs) {
    const names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((n) => n.endsWith(ext))
      .map((n) => n.split(path.sep).join('/'))
      .sort();
    for (const name of names) {
      hash
        .update(name)
        .update('\0')
        .update(readFileSync(path.join(dir, name)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}
