import { Template } from 'aws-cdk-lib/assertions';
import { type DeployConfigInput, parseDeployConfig } from '../../../lib/config';
import { addPipelineStacks } from '../../../lib/pipeline-app';
import { fleetClientAccess, fleetInstances } from '../../../local/fleet';
import { exampleConfig, testApp } from '../../support/cdk-fixtures';

/** A 20-instance fleet in 5 accounts whose role is rolled out by a StackSet over two OUs. */
const base = exampleConfig();
const fleet = fleetInstances({ instances: 20, accounts: 5, regions: 2 });
const input = {
  ...JSON.parse(JSON.stringify({ ...base, instances: undefined })),
  instances: fleet,
  quickSight: { ...base.quickSight, clientAccess: fleetClientAccess(fleet, base) },
  clientRollout: {
    organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'],
    adminAccount: '999999999999',
  },
} as DeployConfigInput;
const stacks = addPipelineStacks(testApp(), parseDeployConfig(input));
const template = Template.fromStack(stacks.clientRollout!);
const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet'));
const body = JSON.parse(stackSet?.Properties.TemplateBody as string) as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};

test('one StackSet stack in the administrator account replaces the per-account ClientAccess stacks', () => {
  expect(stacks.clientAccounts).toHaveLength(0);
  expect(stacks.clientRollout?.account).toBe('999999999999');
});

test('service-managed over the OUs, deployed automatically to accounts that join and removed from those that leave', () => {
  expect(stackSet?.Properties).toMatchObject({
    StackSetName: 'ConnectMetrics-client-access',
    PermissionModel: 'SERVICE_MANAGED',
    CallAs: 'DELEGATED_ADMIN',
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    Capabilities: ['CAPABILITY_NAMED_IAM'],
    StackInstancesGroup: [
      {
        DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'] },
        // IAM is global: one Region.
        Regions: ['us-east-1'],
      },
    ],
  });
  expect(Buffer.byteLength(stackSet?.Properties.TemplateBody as string)).toBeLessThan(51_200);
});

test("each account's role: the configured name, trusted only by the pipeline's collector roles, reading its own account's instances", () => {
  const roles = Object.values(body.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
  expect(roles).toHaveLength(1);
  const role = roles[0]!.Properties as {
    RoleName: string;
    AssumeRolePolicyDocument: { Statement: { Condition: unknown; Principal: unknown }[] };
    Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } }[];
  };
  expect(role.RoleName).toBe('ConnectMetricsReader');
  expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain(
    ':iam::111111111111:role/ConnectMetrics/collectors/*',
  );
  expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('aws:PrincipalArn');
  const [statement] = role.Policies[0]!.PolicyDocument.Statement;
  expect(statement?.Action.every((a) => /^connect:[A-Z]\w+$/.test(a))).toBe(true);
  expect(JSON.stringify(statement?.Resource)).toContain(':connect:*:');
  expect(JSON.stringify(statement?.Resource)).toContain('"Ref":"AWS::AccountId"');
});

test('every instance role must be the one the StackSet rolls out', () => {
  const mixed = {
    ...input,
    instances: fleet.map((i, k) =>
      k === 3 ? { ...i, roleArn: i.roleArn?.replace('ConnectMetricsReader', 'OtherReader') } : i,
    ),
  };
  expect(() => parseDeployConfig(mixed)).toThrow(
    /clientRollout: a StackSet rolls one role out to every client account: expected every instance roleArn to name the same role path and name \(got \/ConnectMetricsReader, \/OtherReader\)/,
  );
});
