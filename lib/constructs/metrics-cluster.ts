import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
} from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { AUTO_PAUSE_MINUTES } from '../config';
import type { MetricsDatabaseProps } from './metrics-database';

/**
 * The network and the cluster of MetricsDatabase, as plain builders beside it: the isolated VPC, the
 * Aurora PostgreSQL Serverless v2 cluster with its log group, and the cdk-nag findings the cluster
 * carries by design.
 */

/**
 * The VPC (`Vpc` in `scope`): two AZs of isolated subnets, no NAT gateway, rejected traffic logged to
 * its own log group (`FlowLogs`) kept for `logRetention`.
 */
export function metricsVpc(scope: Construct, logRetention: RetentionDays): Vpc {
  return new Vpc(scope, 'Vpc', {
    ipAddresses: IpAddresses.cidr('10.42.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    flowLogs: {
      Rejected: {
        trafficType: FlowLogTrafficType.REJECT,
        destination: FlowLogDestination.toCloudWatchLogs(
          new LogGroup(scope, 'FlowLogs', {
            retention: logRetention,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
        ),
      },
    },
  });
}

/**
 * The encrypted Serverless v2 cluster (`Cluster` in `scope`) in the isolated subnets of `vpc`, with the
 * Data API on, `adminUsername`'s generated secret, and its PostgreSQL log exported to a log group
 * (`PostgresLogs`) kept for the props' `logRetention`.
 */
export function metricsCluster(
  scope: Construct,
  vpc: Vpc,
  adminUsername: string,
  props: MetricsDatabaseProps,
): DatabaseCluster {
  // The cluster exports its log here; creating the group first is what sets its retention.
  const postgresLogs = new LogGroup(scope, 'PostgresLogs', {
    logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const cluster = new DatabaseCluster(scope, 'Cluster', {
    engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_11 }),
    clusterIdentifier: props.clusterIdentifier,
    vpc,
    vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
    writer: ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
    serverlessV2MinCapacity: props.minCapacity,
    serverlessV2MaxCapacity: props.maxCapacity,
    ...(props.minCapacity === 0
      ? { serverlessV2AutoPauseDuration: Duration.minutes(AUTO_PAUSE_MINUTES) }
      : {}),
    enableDataApi: true,
    storageEncrypted: true,
    credentials: Credentials.fromGeneratedSecret(adminUsername),
    defaultDatabaseName: props.databaseName,
    backup: { retention: Duration.days(props.backupRetentionDays) },
    // Not set here: the schema migration turns it on once the schema is in place (see SchemaMigration),
    // so a first deploy that fails can still delete the new cluster when it rolls back. Absent from the
    // template, it is never sent back to the cluster by a later stack update either.
    removalPolicy: props.removalPolicy,
    cloudwatchLogsExports: ['postgresql'],
    copyTagsToSnapshot: true,
  });
  cluster.node.addDependency(postgresLogs);
  return cluster;
}

/** The cdk-nag findings the cluster and its admin secret carry by design, each with its reason. */
export function acknowledgeClusterFindings(cluster: DatabaseCluster): void {
  Validations.of(cluster).acknowledge({
    id: 'AwsSolutions-RDS6',
    reason:
      'Clients use the RDS Data API with Secrets Manager credentials, which does not use IAM database authentication.',
  });
  Validations.of(cluster).acknowledge({
    id: 'AwsSolutions-RDS10',
    reason:
      'Deletion protection is set by the schema migration once the schema is in place (database.deletionProtection, on by default), so a failed first deploy can roll back.',
  });
  // cluster.secret is the attachment; the secret itself is the cluster's child 'Secret'.
  Validations.of(cluster.node.findChild('Secret')).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotation needs a VPC-attached rotation function plus a Secrets Manager endpoint in a VPC with no NAT; the admin secret is read only by the deploy-time migration function.',
  });
}
