import { Stack, Validations } from 'aws-cdk-lib';
import type { ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The permissions of QuickSightReporting and QuickSightDashboard, as plain values and functions beside
 * them: what the owning principal may do with the data source, the datasets, the analysis and the
 * dashboard, and the role QuickSight assumes to manage the network interfaces of its VPC connection.
 */

/** What the owning principal may do with the data source. */
export const DATA_SOURCE_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:UpdateDataSourcePermissions',
  'quicksight:DeleteDataSource',
];

/** What the owning principal may do with each dataset (ingestions included). */
export const DATA_SET_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
  'quicksight:CreateIngestion',
  'quicksight:CancelIngestion',
  'quicksight:UpdateDataSet',
  'quicksight:UpdateDataSetPermissions',
  'quicksight:DeleteDataSet',
];

/** What the owning principal may do with the analysis (the owner set of UpdateAnalysisPermissions). */
export const ANALYSIS_ACTIONS = [
  'quicksight:RestoreAnalysis',
  'quicksight:UpdateAnalysisPermissions',
  'quicksight:DeleteAnalysis',
  'quicksight:QueryAnalysis',
  'quicksight:DescribeAnalysisPermissions',
  'quicksight:DescribeAnalysis',
  'quicksight:UpdateAnalysis',
];

/** What the owning principal may do with the dashboard (owner: read, update, publish, share, delete). */
export const DASHBOARD_ACTIONS = [
  'quicksight:DescribeDashboard',
  'quicksight:ListDashboardVersions',
  'quicksight:UpdateDashboardPermissions',
  'quicksight:QueryDashboard',
  'quicksight:UpdateDashboard',
  'quicksight:DeleteDashboard',
  'quicksight:DescribeDashboardPermissions',
  'quicksight:UpdateDashboardPublishedVersion',
];

/**
 * The role (`VpcConnectionRole` in `scope`) that lets QuickSight manage the network interfaces of its
 * VPC connection in `subnetIds` with `securityGroup`, with the cdk-nag findings it carries by design.
 */
export function vpcConnectionRole(
  scope: Construct,
  subnetIds: readonly string[],
  securityGroup: ISecurityGroup,
): Role {
  const stack = Stack.of(scope);
  const role = new Role(scope, 'VpcConnectionRole', {
    assumedBy: new ServicePrincipal('quicksight.amazonaws.com'),
    description: 'Lets QuickSight manage the network interfaces of its VPC connection',
    inlinePolicies: {
      Eni: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: [
              'ec2:CreateNetworkInterface',
              'ec2:ModifyNetworkInterfaceAttribute',
              'ec2:DeleteNetworkInterface',
            ],
            resources: [
              stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
              ...subnetIds.map((s) =>
                stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s }),
              ),
              stack.formatArn({
                service: 'ec2',
                resource: 'security-group',
                resourceName: securityGroup.securityGroupId,
              }),
            ],
          }),
          // Describe calls do not support resource-level permissions.
          new PolicyStatement({
            actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
            resources: ['*'],
          }),
        ],
      }),
    },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ec2:DescribeSubnets and ec2:DescribeSecurityGroups do not support resource-level permissions.',
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${stack.region}:${stack.account}:network-interface/*]`,
    reason: 'QuickSight creates the network interfaces, so their ids are not known in advance.',
  });
  return role;
}

/** What a client's reader may do with the dashboard: open it and query it (no update, no sharing). */
export const DASHBOARD_VIEWER_ACTIONS = [
  'quicksight:DescribeDashboard',
  'quicksight:ListDashboardVersions',
  'quicksight:QueryDashboard',
];
