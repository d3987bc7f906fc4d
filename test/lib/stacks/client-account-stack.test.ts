import { Match, Template } from 'aws-cdk-lib/assertions';
import { ALL_CONNECT_APIS } from '../../../lambdas/feeds';
import { ClientAccountStack, type ClientAccountStackProps } from '../../../lib/stacks/client-account-stack';
import { testApp } from '../../support/cdk-fixtures';

const INSTANCE = 'arn:aws:connect:eu-west-2:222222222222:instance/66666666-7777-4888-9999-aaaaaaaaaaaa';
const build = (props: Partial<ClientAccountStackProps> = {}) =>
  new ClientAccountStack(testApp(), 'Client', {
    env: { account: '222222222222', region: 'eu-west-2' },
    roles: [{ roleName: 'ConnectMetricsReader', instanceArns: [INSTANCE] }],
    pipelineAccount: '111111111111',
    collectorRolePath: '/ConnectMetrics/collectors/',
    ...props,
  });
const template = Template.fromStack(build());

test('creates the role named in the pipeline config', () => {
  template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'ConnectMetricsReader' });
});

test('is trusted only by collector roles of the pipeline account', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: {
            AWS: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::111111111111:root'])]),
            }),
          },
          Condition: {
            ArnLike: {
              'aws:PrincipalArn': {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/ConnectMetrics/collectors/*'],
                ],
              },
            },
          },
        }),
      ],
    },
  });
});

test('grants the collectors Connect read actions, by name, on the instance and its sub-resources only', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    Policies: [
      {
        PolicyName: 'ConnectRead',
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ALL_CONNECT_APIS.map((api) => `connect:${api}`),
              Resource: [INSTANCE, `${INSTANCE}/*`],
            },
          ],
        },
      },
    ],
  });
});

test('creates one role per distinct roleArn, with the path the ARN names', () => {
  const two = Template.fromStack(
    build({
      roles: [
        { roleName: 'ConnectMetricsReader', instanceArns: [INSTANCE] },
        {
          roleName: 'OtherReader',
          rolePath: '/team/',
          instanceArns: [INSTANCE.replace('66666666', '77777777')],
        },
      ],
    }),
  );

  two.resourceCountIs('AWS::IAM::Role', 2);
  two.hasResourceProperties('AWS::IAM::Role', { RoleName: 'OtherReader', Path: '/team/' });
});

test('deploys to an account never bootstrapped for CDK: no bootstrap parameter, rule, role or bucket', () => {
  const app = testApp();
  const stack = new ClientAccountStack(app, 'ConnectMetrics-ClientAccess-222222222222', {
    env: { account: '222222222222', region: 'eu-west-2' },
    roles: [{ roleName: 'ConnectMetricsReader', instanceArns: [INSTANCE] }],
    pipelineAccount: '111111111111',
    collectorRolePath: '/ConnectMetrics/collectors/',
  });

  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);

  // The template plain CloudFormation gets: nothing refers to /cdk-bootstrap/.../version.
  expect(JSON.stringify(artifact.template)).not.toMatch(/BootstrapVersion|cdk-bootstrap/);
  // What `cdk deploy` needs: the CLI's own credentials (no cdk-...-deploy-role to assume), no staging
  // bucket for the template or assets, no bootstrap stack version to check.
  expect(artifact.assumeRoleArn).toBeUndefined();
  expect(artifact.requiresBootstrapStackVersion).toBeUndefined();
  expect(artifact.stackTemplateAssetObjectUrl).toBeUndefined();
  expect(assembly.artifacts.filter((a) => a.id.startsWith(`${stack.artifactId}.assets`))).toEqual([]);
});

test('refuses a pipeline account that is not an account id', () => {
  expect(() => build({ pipelineAccount: 'pipeline' })).toThrow(
    /pipelineAccount: expected 12 digits \(got pipeline\)/,
  );
});
