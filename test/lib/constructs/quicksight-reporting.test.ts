import { Stack } from 'aws-cdk-lib';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { DatabaseCluster } from 'aws-cdk-lib/aws-rds';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  QuickSightReporting,
  type QuickSightReportingProps,
} from '../../../lib/constructs/quicksight-reporting';
import { testApp } from '../../support/cdk-fixtures';

function build(props: Partial<QuickSightReportingProps>) {
  const stack = new Stack(testApp(), 'Qs');
  const vpc = new Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: SubnetType.PRIVATE_ISOLATED }],
  });
  return new QuickSightReporting(stack, 'QuickSight', {
    vpc,
    cluster: DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', {
      clusterIdentifier: 'metrics',
      clusterEndpointAddress: 'metrics.cluster-abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      securityGroups: [],
    }),
    databaseName: 'connect_metrics',
    reportingSecret: Secret.fromSecretNameV2(stack, 'Secret', 'reporting'),
    principalArn: 'arn:aws:quicksight:us-east-1:111111111111:user/default/analyst',
    views: [{ view: 'v_queue_interval', importMode: 'SPICE', columns: [['queue_id', 'STRING']] }],
    idPrefix: 'connectmetrics',
    ...props,
  });
}

test('creates one dataset per view given', () => {
  expect(build({}).dataSets).toHaveLength(1);
});

test('refuses a principal that is not a QuickSight user or group ARN', () => {
  expect(() => build({ principalArn: 'arn:aws:iam::111111111111:user/analyst' })).toThrow(
    /principalArn: expected a QuickSight user or group ARN/,
  );
});

test('refuses an empty view list and a bad id prefix together', () => {
  expect(() => build({ views: [], idPrefix: 'has spaces' })).toThrow(
    /views: expected at least one view.*; idPrefix:/,
  );
});
