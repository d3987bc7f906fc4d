import { Match, Template } from 'aws-cdk-lib/assertions';
import { addPipelineStacks } from '../../../lib/pipeline-app';
import { REPORTING_VIEWS } from '../../../lib/reporting-views';
import { exampleConfig, testApp } from '../../support/cdk-fixtures';

const { reporting } = addPipelineStacks(testApp(), exampleConfig());
const template = Template.fromStack(reporting!);
const PRINCIPAL = 'arn:aws:quicksight:us-east-1:111111111111:group/default/connect-analysts';

test('the database accepts PostgreSQL from the QuickSight security group only, on 5432', () => {
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    IpProtocol: 'tcp',
    FromPort: 5432,
    ToPort: 5432,
    SourceSecurityGroupId: Match.anyValue(),
  });
});

test('the data source is created only once the database accepts its connections', () => {
  const rules = Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress'));
  const [source] = Object.values(template.findResources('AWS::QuickSight::DataSource'));

  expect(rules.length).toBeGreaterThan(0);
  expect(source?.DependsOn).toEqual(expect.arrayContaining(rules));
});

test('the VPC connection uses its own role, assumed by QuickSight', () => {
  template.hasResourceProperties('AWS::QuickSight::VPCConnection', { RoleArn: Match.anyValue() });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [Match.objectLike({ Principal: { Service: 'quicksight.amazonaws.com' } })],
    },
  });
});

test('the data source is Aurora PostgreSQL over SSL with the reporting user secret, owned by the principal', () => {
  template.hasResourceProperties('AWS::QuickSight::DataSource', {
    Type: 'AURORA_POSTGRESQL',
    DataSourceParameters: {
      AuroraPostgreSqlParameters: Match.objectLike({ Port: 5432, Database: 'connect_metrics' }),
    },
    Credentials: { SecretArn: Match.anyValue() },
    SslProperties: { DisableSsl: false },
    Permissions: [Match.objectLike({ Principal: PRINCIPAL })],
  });
});

test('there is one dataset per view, real-time ones DIRECT_QUERY and interval ones SPICE', () => {
  template.resourceCountIs('AWS::QuickSight::DataSet', REPORTING_VIEWS.length);
  template.hasResourceProperties('AWS::QuickSight::DataSet', {
    Name: 'v_queue_realtime_latest',
    ImportMode: 'DIRECT_QUERY',
  });
  template.hasResourceProperties('AWS::QuickSight::DataSet', {
    Name: 'v_queue_interval',
    ImportMode: 'SPICE',
  });
});

test('only SPICE datasets get a refresh schedule', () => {
  template.resourceCountIs(
    'AWS::QuickSight::RefreshSchedule',
    REPORTING_VIEWS.filter((v) => v.importMode === 'SPICE').length,
  );
});

test('every dataset column carries its definition from docs/metrics.md as its QuickSight description', () => {
  const dataSets = Object.values(template.findResources('AWS::QuickSight::DataSet'));
  const serviceLevel = dataSets.find((d) => d.Properties.Name === 'v_queue_service_level');
  const tags = Object.values(
    serviceLevel?.Properties.LogicalTableMap as Record<string, { DataTransforms: unknown[] }>,
  )[0]?.DataTransforms as {
    TagColumnOperation: { ColumnName: string; Tags: { ColumnDescription: { Text: string } }[] };
  }[];

  expect(dataSets).toHaveLength(REPORTING_VIEWS.length);
  for (const d of dataSets) {
    const view = REPORTING_VIEWS.find((v) => v.view === d.Properties.Name);
    const [logical] = Object.values(
      d.Properties.LogicalTableMap as Record<string, { DataTransforms: unknown[] }>,
    );
    expect(logical?.DataTransforms).toHaveLength(view?.columns.length ?? -1);
  }
  const text = tags.find((t) => t.TagColumnOperation.ColumnName === 'service_level_pct')?.TagColumnOperation
    .Tags[0]?.ColumnDescription.Text;
  expect(text).toMatch(/removed from the queue .* as a percentage of contacts queued/);
});
