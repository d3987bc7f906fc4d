import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { instanceInput } from '../../lambdas/shared/config/runtime-config';
import { addPipelineStacks, type PipelineStacks } from '../../lib/pipeline-app';
import { exampleConfig, testApp } from '../support/cdk-fixtures';

// One app for the file: building it is the slow part, and every test only reads it.
const app = testApp();
const stacks: PipelineStacks = addPipelineStacks(app, exampleConfig());
const all = [stacks.database, stacks.pipeline, stacks.reporting!, ...stacks.clientAccounts];
const templates = all.map((stack) => ({ name: stack.stackName, template: Template.fromStack(stack) }));

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
const statements = (): Statement[] =>
  templates.flatMap(({ template }) => [
    ...Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument.Statement as Statement[]) ?? [],
    ),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r) =>
      ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    ),
  ]);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

test('the example config gives a database, a pipeline, a reporting and one client-account stack', () => {
  expect(all.map((s) => s.stackName)).toEqual([
    'ConnectMetrics-Database',
    'ConnectMetrics-Pipeline',
    'ConnectMetrics-Reporting',
    'ConnectMetrics-ClientAccess-222222222222',
  ]);
});

test.each([
  ['AwsSolutions', () => new AwsSolutionsChecks(app)],
  ['Serverless', () => new ServerlessChecks(app)],
])('cdk-nag %s finds nothing unacknowledged in any stack', (_name, pack) => {
  const report = pack().validateScope(app);

  expect(
    report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
    ),
  ).toEqual([]);
  expect(report.success).toBe(true);
});

test('no IAM statement grants connect:*', () => {
  const wildcards = statements()
    .flatMap(actionsOf)
    .filter((a) => typeof a === 'string' && /^connect:\*|^connect:.*\*/.test(a));

  expect(wildcards).toEqual([]);
});

test('no statement with a Connect or Data API action has Resource "*"', () => {
  const offending = statements().filter(
    (s) => actionsOf(s).some((a) => /^(connect|rds-data):/.test(a)) && resourcesOf(s).includes('*'),
  );

  expect(offending).toEqual([]);
});

test('sts:AssumeRole is granted only on the role ARNs the config names', () => {
  const assumed = statements()
    .filter((s) => actionsOf(s).includes('sts:AssumeRole'))
    .flatMap(resourcesOf);

  expect([...new Set(assumed)]).toEqual(['arn:aws:iam::222222222222:role/ConnectMetricsReader']);
});

test('the database stack creates no NAT gateway and no public subnet', () => {
  const db = templates[0]!.template;

  db.resourceCountIs('AWS::EC2::NatGateway', 0);
  db.resourceCountIs('AWS::EC2::InternetGateway', 0);
});

test('the cluster has the Data API on, is encrypted and is protected from deletion once migrated', () => {
  templates[0]!.template.hasResourceProperties('AWS::RDS::DBCluster', {
    Engine: 'aurora-postgresql',
    EnableHttpEndpoint: true,
    StorageEncrypted: true,
  });
  templates[0]!.template.hasResourceProperties('Custom::SchemaMigration', { DeletionProtection: true });
});

test('the pipeline stack waits for the database stack, whose migration creates the schema', () => {
  expect(stacks.pipeline.dependencies).toContain(stacks.database);
});

test('the client-account stack is deployed to the account that holds the instance', () => {
  expect(stacks.clientAccounts[0]!.account).toBe('222222222222');
});

test('QuickSight disabled in the config means no reporting stack', () => {
  const other = addPipelineStacks(testApp(), exampleConfig({ quickSight: { enabled: false } }));

  expect(other.reporting).toBeUndefined();
});

test('instances in one client account share its stack, one role per distinct roleArn', () => {
  const instances = exampleConfig().instances.map(instanceInput);
  const remote = instances[1]!;
  const third = {
    ...remote,
    instanceId: '66666666-7777-4888-9999-bbbbbbbbbbbb',
    instanceArn: remote.instanceArn.replace('aaaaaaaaaaaa', 'bbbbbbbbbbbb'),
    roleArn: 'arn:aws:iam::222222222222:role/team/OtherReader',
  };

  const other = addPipelineStacks(testApp(), exampleConfig({ instances: [...instances, third] }));

  expect(other.clientAccounts).toHaveLength(1);
  expect(other.clientAccounts[0]!.readRoles.map((r) => r.role.node.path)).toEqual([
    'ConnectMetrics-ClientAccess-222222222222/ConnectRead-ConnectMetricsReader/Role',
    'ConnectMetrics-ClientAccess-222222222222/ConnectRead-OtherReader/Role',
  ]);
});

test('every taggable resource carries the pipeline cost-allocation tag', () => {
  templates[0]!.template.hasResourceProperties('AWS::RDS::DBCluster', {
    Tags: Match.arrayWith([{ Key: 'connect-metrics-pipeline', Value: 'ConnectMetrics' }]),
  });
  templates[1]!.template.hasResourceProperties('AWS::Lambda::Function', {
    Tags: Match.arrayWith([{ Key: 'connect-metrics-pipeline', Value: 'ConnectMetrics' }]),
  });
});
