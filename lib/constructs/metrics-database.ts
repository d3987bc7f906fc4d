import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Vpc } from 'aws-cdk-lib/aws-ec2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type DatabaseCluster, DatabaseSecret } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeClusterFindings, metricsCluster, metricsVpc } from './metrics-cluster';

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
const DB_USERS = {
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
    checkProps(id, props);
    this.databaseName = props.databaseName;

    this.vpc = metricsVpc(this, props.logRetention);
    this.cluster = metricsCluster(this, this.vpc, DB_USERS.admin, props);
    this.adminSecret = this.cluster.secret!;
    this.collectorSecret = this.userSecret('CollectorSecret', DB_USERS.collector);
    this.reportingSecret = this.userSecret('ReportingSecret', DB_USERS.reporting);
    acknowledgeClusterFindings(this.cluster);
  }

  /** A generated password for `username`, attached to the cluster. */
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

/** Every problem with `props` at once: what, the value received and what is expected. */
function checkProps(id: string, props: MetricsDatabaseProps): void {
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
}
