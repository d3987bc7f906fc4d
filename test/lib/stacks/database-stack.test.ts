import { Match, Template } from 'aws-cdk-lib/assertions';
import { DatabaseStack } from '../../../lib/stacks/database-stack';
import { exampleConfig, testApp } from '../../support/cdk-fixtures';

const env = { account: '111111111111', region: 'us-east-1' };
const build = (patch: Parameters<typeof exampleConfig>[0] = {}) =>
  Template.fromStack(new DatabaseStack(testApp(), 'Db', { env, config: exampleConfig(patch) }));
const template = build();

test('the VPC has isolated subnets only and no NAT gateway', () => {
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  template.resourceCountIs('AWS::EC2::Subnet', 2);
});

test('the cluster is Aurora PostgreSQL 16 Serverless v2 with the Data API on and encrypted storage', () => {
  template.hasResourceProperties('AWS::RDS::DBCluster', {
    Engine: 'aurora-postgresql',
    EngineVersion: Match.stringLikeRegexp('^16\\.'),
    EnableHttpEndpoint: true,
    StorageEncrypted: true,
    ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4, SecondsUntilAutoPause: 300 },
  });
  template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
});

test('the cluster keeps backups and leaves a snapshot by default', () => {
  template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 7 });
  template.hasResource('AWS::RDS::DBCluster', {
    DeletionPolicy: 'Snapshot',
    UpdateReplacePolicy: 'Snapshot',
  });
});

test('deletion protection is turned on by the schema migration, after the schema, never by the cluster template', () => {
  const [cluster] = Object.values(template.findResources('AWS::RDS::DBCluster'));

  expect(cluster?.Properties).not.toHaveProperty('DeletionProtection');
  template.hasResourceProperties('Custom::SchemaMigration', { DeletionProtection: true });
});

test('removalPolicy retain keeps the cluster on update or delete, but not when its first create rolls back', () => {
  build({ database: { removalPolicy: 'retain' } }).hasResource('AWS::RDS::DBCluster', {
    DeletionPolicy: 'RetainExceptOnCreate',
  });
});

test('min capacity 0 (the default) turns on auto-pause; 0.5 keeps the cluster awake', () => {
  build({ database: { minCapacity: 0, maxCapacity: 2 } }).hasResourceProperties('AWS::RDS::DBCluster', {
    ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 2, SecondsUntilAutoPause: 300 },
  });
  const awake = build({ database: { minCapacity: 0.5, maxCapacity: 2 } }).findResources(
    'AWS::RDS::DBCluster',
  );
  expect(Object.values(awake).map((r) => r.Properties.ServerlessV2ScalingConfiguration)).toEqual([
    { MinCapacity: 0.5, MaxCapacity: 2 },
  ]);
});

test('removalPolicy destroy without deletion protection deletes the cluster with the stack', () => {
  const destroyed = build({ database: { removalPolicy: 'destroy', deletionProtection: false } });

  destroyed.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete' });
  destroyed.hasResourceProperties('Custom::SchemaMigration', { DeletionProtection: false });
});

test('the admin, collector and reporting users each have their own secret', () => {
  template.resourceCountIs('AWS::SecretsManager::Secret', 3);
  for (const user of ['pipeline_collector', 'pipeline_reporting']) {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: Match.stringLikeRegexp(`"username":"${user}"`),
      }),
    });
  }
});

test('a custom resource runs the migration function on deploy, keyed on the migration files', () => {
  template.hasResourceProperties('Custom::SchemaMigration', {
    ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('SchemaHandlerFunction'), 'Arn'] },
    MigrationsHash: Match.stringLikeRegexp('^[0-9a-f]{64}$'),
  });
});

test('the migration function reads the admin secret and the two user secrets, by ARN', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        DB_SECRET_ARN: Match.anyValue(),
        COLLECTOR_SECRET_ARN: Match.anyValue(),
        REPORTING_SECRET_ARN: Match.anyValue(),
      }),
    },
  });
});
