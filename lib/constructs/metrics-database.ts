import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
  DatabaseSecret,
} from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of {@link MetricsDatabase}. */
export interface MetricsDatabaseProps {
  /** Cluster identifier (lower case, unique in the account and Region). */
  readonly clusterIdentifier: string;
  /** Database created in the cluster. */
  readonly databaseName: string;
  /** Minimum capacity in ACUs; 0 lets the cluster pause after 5 idle minutes. */
  readonly minCapacity: number;
  /** Maximum capacity in ACUs. */
  readonly maxCapacity: number;
  /** Automated backup retention in days. */
  readonly backupRetentionDays: number;
  /** What deleting the stack does to the cluster. */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of the database and VPC flow log groups. */
  readonly logRetention: RetentionDays;
}

/** Database user names the pipeline creates (the migration custom resource sets their passwords). */
export const DB_USERS = {
  admin: 'pipeline_admin',
  collector: 'pipeline_collector',
  reporting: 'pipeline_reporting',
};

/**
 * The metrics database: a VPC with isolated subnets only (no NAT gateway: Lambdas reach the database
 * through the RDS Data API, not the network), an encrypted Aurora PostgreSQL Serverless v2 cluster
 * with the Data API on, and three secrets: the admin user (migrations), the collector user
 * (read/write on the tables) and the reporting user (read-only on the views). Deletion protection is
 * left to {@link SchemaMigration}, which turns it on after the schema.
 */
export class MetricsDatabase extends Construct {
  public readonly vpc: Vpc;
  public readonly cluster: DatabaseCluster;
  /** Admin credentials; only the migration function reads them. */
  public readonly adminSecret: ISecret;
  /** The collectors' database user. */
  public readonly collectorSecret: DatabaseSecret;
  /** The read-only reporting user (QuickSight). */
  public readonly reportingSecret: DatabaseSecret;
  public readonly databaseName: string;

  constructor(scope: Construct, id: string, props: MetricsDatabaseProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.clusterIdentifier)) {
      problems.push(
        `clusterIdentifier: expected lower-case letters, digits and hyphens (got ${props.clusterIdentifier})`,
      );
    }
    if (props.minCapacity < 0 || props.minCapacity > props.maxCapacity) {
      problems.push(`minCapacity: expected 0 to maxCapacity ${props.maxCapacity} (got ${props.minCapacity})`);
    }
    if (props.maxCapacity < 1 || props.maxCapacity > 256) {
      problems.push(`maxCapacity: expected 1-256 ACUs (got ${props.maxCapacity})`);
    }
    if (problems.length > 0) throw new Error(`MetricsDatabase ${id}: ${problems.join('; ')}`);
    this.databaseName = props.databaseName;

    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.42.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: {
        Rejected: {
          trafficType: FlowLogTrafficType.REJECT,
          destination: FlowLogDestination.toCloudWatchLogs(
            new LogGroup(this, 'FlowLogs', {
              retention: props.logRetention,
              removalPolicy: RemovalPolicy.DESTROY,
            }),
          ),
        },
      },
    });

    // The cluster exports its log here; creating the group first is what sets its retention.
    const postgresLogs = new LogGroup(this, 'PostgresLogs', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.cluster = new DatabaseCluster(this, 'Cluster', {
      engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_11 }),
      clusterIdentifier: props.clusterIdentifier,
      vpc: this.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      writer: ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
      serverlessV2MinCapacity: props.minCapacity,
      serverlessV2MaxCapacity: props.maxCapacity,
      ...(props.minCapacity === 0 ? { serverlessV2AutoPauseDuration: Duration.minutes(5) } : {}),
      enableDataApi: true,
      storageEncrypted: true,
      credentials: Credentials.fromGeneratedSecret(DB_USERS.admin),
      defaultDatabaseName: props.databaseName,
      backup: { retention: Duration.days(props.backupRetentionDays) },
      // Not set here: the schema migration turns it on once the schema is in place (see SchemaMigration),
      // so a first deploy that fails can still delete the new cluster when it rolls back. Absent from the
      // template, it is never sent back to the cluster by a later stack update either.
      removalPolicy: props.removalPolicy,
      cloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    this.cluster.node.addDependency(postgresLogs);
    this.adminSecret = this.cluster.secret!;

    this.collectorSecret = this.userSecret('CollectorSecret', DB_USERS.collector);
    this.reportingSecret = this.userSecret('ReportingSecret', DB_USERS.reporting);

    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS6',
      reason:
        'Clients use the RDS Data API with Secrets Manager credentials, which does not use IAM database authentication.',
    });
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS10',
      reason:
        'Deletion protection is set by the schema migration once the schema is in place (database.deletionProtection, on by default), so a failed first deploy can roll back.',
    });
    // cluster.secret is the attachment; the secret itself is the cluster's child 'Secret'.
    Validations.of(this.cluster.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation needs a VPC-attached rotation function plus a Secrets Manager endpoint in a VPC with no NAT; the admin secret is read only by the deploy-time migration function.',
    });
  }

  private userSecret(id: string, username: string): DatabaseSecret {
    const secret = new DatabaseSecret(this, id, {
      username,
      dbname: this.databaseName,
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
    });
    secret.attach(this.cluster);
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation needs a VPC-attached rotation function plus a Secrets Manager endpoint (about $15 a month) in a VPC with no NAT; the password is generated once, set by the migration function, and read only through the Data API and QuickSight.',
    });
    return secret;
  }
}
