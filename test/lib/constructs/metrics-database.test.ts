import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { MetricsDatabase, type MetricsDatabaseProps } from '../../../lib/constructs/metrics-database';
import { testApp } from '../../support/cdk-fixtures';

const valid: MetricsDatabaseProps = {
  clusterIdentifier: 'connectmetrics-metrics',
  databaseName: 'connect_metrics',
  minCapacity: 0.5,
  maxCapacity: 4,
  backupRetentionDays: 7,
  removalPolicy: RemovalPolicy.SNAPSHOT,
  logRetention: RetentionDays.ONE_MONTH,
};
const build = (props: Partial<MetricsDatabaseProps>) =>
  new MetricsDatabase(new Stack(testApp(), 'Db'), 'Database', { ...valid, ...props });

test('exposes the cluster and the three secrets it creates', () => {
  const db = build({});

  expect(db.collectorSecret).not.toBe(db.reportingSecret);
  expect(db.adminSecret).toBeDefined();
  expect(db.databaseName).toBe('connect_metrics');
});

test('refuses a minimum capacity above the maximum', () => {
  expect(() => build({ minCapacity: 8 })).toThrow(/minCapacity: expected 0 to maxCapacity 4 \(got 8\)/);
});

test('refuses a cluster identifier RDS would reject', () => {
  expect(() => build({ clusterIdentifier: 'Connect_Metrics' })).toThrow(
    /clusterIdentifier: expected lower-case letters, digits and hyphens \(got Connect_Metrics\)/,
  );
});

test('creates the cluster without deletion protection in its template, so a failed first deploy can delete it', () => {
  const stack = new Stack(testApp(), 'Db');
  new MetricsDatabase(stack, 'Database', valid);

  const [cluster] = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBCluster'));
  expect(cluster?.Properties).not.toHaveProperty('DeletionProtection');
});

test('reports every bad prop at once', () => {
  expect(() => build({ maxCapacity: 300, clusterIdentifier: 'X' })).toThrow(
    /clusterIdentifier: .*; maxCapacity: /,
  );
});
