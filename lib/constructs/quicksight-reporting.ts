import { Stack, Validations } from 'aws-cdk-lib';
import {
  CfnSecurityGroupIngress,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
} from 'aws-cdk-lib/aws-ec2';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDataSet, CfnDataSource, CfnRefreshSchedule, CfnVPCConnection } from 'aws-cdk-lib/aws-quicksight';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ReportingView } from '../reporting-views';

/** Props of {@link QuickSightReporting}. */
export interface QuickSightReportingProps {
  readonly vpc: IVpc;
  readonly cluster: IDatabaseCluster;
  readonly databaseName: string;
  /** The read-only reporting user's secret (username and password). */
  readonly reportingSecret: ISecret;
  /** QuickSight user or group ARN that owns the data source and datasets. */
  readonly principalArn: string;
  /** Datasets to create, one per view. */
  readonly views: readonly ReportingView[];
  /** Prefix of every QuickSight resource id (unique in the account). */
  readonly idPrefix: string;
  /**
   * Schema holding the views.
   * @default 'public'
   */
  readonly schema?: string;
}

const DATA_SOURCE_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:UpdateDataSourcePermissions',
  'quicksight:DeleteDataSource',
];
const DATA_SET_ACTIONS = [
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

/**
 * QuickSight over the metrics database: a VPC connection (QuickSight reads through PostgreSQL, not
 * the Data API) with its role and security group, an AURORA_POSTGRESQL data source using the
 * reporting user's secret, and one dataset per `v_*` view (DIRECT_QUERY for real-time views, SPICE
 * with an hourly refresh for interval views), all owned by the configured principal.
 */
export class QuickSightReporting extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly vpcConnection: CfnVPCConnection;
  public readonly dataSource: CfnDataSource;
  public readonly dataSets: CfnDataSet[] = [];

  constructor(scope: Construct, id: string, props: QuickSightReportingProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\//.test(props.principalArn)) {
      problems.push(`principalArn: expected a QuickSight user or group ARN (got ${props.principalArn})`);
    }
    if (props.views.length === 0) problems.push('views: expected at least one view (got none)');
    if (!/^[A-Za-z0-9-]{1,40}$/.test(props.idPrefix))
      problems.push(`idPrefix: expected 1-40 letters, digits or hyphens (got ${props.idPrefix})`);
    if (problems.length > 0) throw new Error(`QuickSightReporting ${id}: ${problems.join('; ')}`);
    const stack = Stack.of(this);
    const account = stack.account;

    // QuickSight's network interfaces are not stateful: return traffic from the database must be allowed in.
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'QuickSight VPC connection to the metrics database',
      allowAllOutbound: false,
    });
    const ingress = props.cluster.connections.securityGroups.map((sg, i) => {
      this.securityGroup.addEgressRule(
        Peer.securityGroupId(sg.securityGroupId),
        Port.tcp(5432),
        'To PostgreSQL',
      );
      this.securityGroup.addIngressRule(
        Peer.securityGroupId(sg.securityGroupId),
        Port.tcpRange(1024, 65535),
        'PostgreSQL replies',
      );
      // Declared here, not with cluster.connections, so the database stack never references this one.
      return new CfnSecurityGroupIngress(this, `DatabaseIngress${i}`, {
        groupId: sg.securityGroupId,
        sourceSecurityGroupId: this.securityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        description: 'QuickSight VPC connection',
      });
    });

    const subnets = props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED }).subnetIds;
    const role = new Role(this, 'VpcConnectionRole', {
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
                ...subnets.map((s) =>
                  stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s }),
                ),
                stack.formatArn({
                  service: 'ec2',
                  resource: 'security-group',
                  resourceName: this.securityGroup.securityGroupId,
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
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${stack.region}:${account}:network-interface/*]`,
      reason: 'QuickSight creates the network interfaces, so their ids are not known in advance.',
    });

    const vpcConnectionId = `${props.idPrefix}-vpc`;
    this.vpcConnection = new CfnVPCConnection(this, 'VpcConnection', {
      awsAccountId: account,
      vpcConnectionId,
      name: `${props.idPrefix} metrics database`,
      roleArn: role.roleArn,
      securityGroupIds: [this.securityGroup.securityGroupId],
      subnetIds: subnets,
    });

    this.dataSource = new CfnDataSource(this, 'DataSource', {
      awsAccountId: account,
      dataSourceId: `${props.idPrefix}-metrics`,
      name: `${props.idPrefix} Connect metrics`,
      type: 'AURORA_POSTGRESQL',
      dataSourceParameters: {
        auroraPostgreSqlParameters: {
          host: props.cluster.clusterEndpoint.hostname,
          port: 5432,
          database: props.databaseName,
        },
      },
      credentials: { secretArn: props.reportingSecret.secretArn },
      vpcConnectionProperties: { vpcConnectionArn: this.vpcConnection.attrArn },
      sslProperties: { disableSsl: false },
      permissions: [{ principal: props.principalArn, actions: DATA_SOURCE_ACTIONS }],
    });
    // QuickSight tests the connection when it creates the data source: the database must already
    // accept it. Nothing in the data source's properties refers to the rule, so say so.
    for (const rule of ingress) this.dataSource.addResourceDependency(rule);

    for (const view of props.views) {
      const dataSetId = `${props.idPrefix}-${view.view.replaceAll('_', '-')}`;
      const dataSet = new CfnDataSet(this, `DataSet-${view.view}`, {
        awsAccountId: account,
        dataSetId,
        name: view.view,
        importMode: view.importMode,
        physicalTableMap: {
          [view.view.replaceAll('_', '')]: {
            relationalTable: {
              dataSourceArn: this.dataSource.attrArn,
              schema: props.schema ?? 'public',
              name: view.view,
              inputColumns: view.columns.map(([name, type]) => ({ name, type })),
            },
          },
        },
        permissions: [{ principal: props.principalArn, actions: DATA_SET_ACTIONS }],
      });
      this.dataSets.push(dataSet);
      if (view.importMode === 'SPICE') {
        const schedule = new CfnRefreshSchedule(this, `Refresh-${view.view}`, {
          awsAccountId: account,
          dataSetId,
          schedule: {
            scheduleId: 'hourly-full-refresh',
            refreshType: 'FULL_REFRESH',
            scheduleFrequency: { interval: 'HOURLY' },
          },
        });
        schedule.addResourceDependency(dataSet);
      }
    }
  }
}
