import { Stack, Validations } from 'aws-cdk-lib';
import { type IVpc, type SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnDataSet, CfnDataSource, CfnRefreshSchedule, CfnVPCConnection } from 'aws-cdk-lib/aws-quicksight';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { quickSightDescription } from '../metrics-doc';
import type { ReportingView } from '../reporting-views';
import { quickSightSecurityGroup } from './quicksight-network';
import { DATA_SET_ACTIONS, DATA_SOURCE_ACTIONS, vpcConnectionRole } from './quicksight-permissions';

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
  /**
   * Row-level security by client: each principal sees only the rows of its clients (`client_name`), in
   * every dataset that has that column. @default none: no row-level security
   */
  readonly clientAccess?: readonly { readonly principalArn: string; readonly clients: readonly string[] }[];
}

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
  private readonly arnsByView: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: QuickSightReportingProps) {
    super(scope, id);
    checkProps(id, props);

    const network = quickSightSecurityGroup(this, props.vpc, props.cluster);
    this.securityGroup = network.securityGroup;
    const subnetIds = props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED }).subnetIds;
    const role = vpcConnectionRole(this, subnetIds, this.securityGroup);
    this.vpcConnection = new CfnVPCConnection(this, 'VpcConnection', {
      awsAccountId: Stack.of(this).account,
      vpcConnectionId: `${props.idPrefix}-vpc`,
      name: `${props.idPrefix} metrics database`,
      roleArn: role.roleArn,
      securityGroupIds: [this.securityGroup.securityGroupId],
      subnetIds,
    });
    this.dataSource = this.buildDataSource(props);
    // QuickSight tests the connection when it creates the data source: the database must already
    // accept it. Nothing in the data source's properties refers to the rule, so say so.
    for (const rule of network.databaseIngress) this.dataSource.addResourceDependency(rule);

    this.rules = props.clientAccess?.length ? this.buildRulesDataSet(props) : undefined;
    for (const view of props.views) {
      const dataSet = this.buildDataSet(view, props);
      this.dataSets.push(dataSet);
      this.arnsByView[view.view] = dataSet.attrArn;
    }
  }

  /** The row-level security rules dataset, when `clientAccess` is given. */
  public readonly rules: CfnDataSet | undefined;

  /**
   * The rules dataset of row-level security (QuickSight's "permissions dataset", flagged `UseAs:
   * RLS_RULES`, required for rules datasets since 2025): one row per principal and client, the
   * principal's ARN in `UserARN` or `GroupARN` (FormatVersion VERSION_2) and the client in
   * `client_name`, as SQL values on the same data source (the config is its only source, so a deploy
   * changes it). SPICE, as QuickSight documents its rules datasets; string columns only. A principal
   * with no row sees no row.
   * (https://docs.aws.amazon.com/quicksight/latest/user/restrict-access-to-a-data-set-using-row-level-security.html)
   */
  private buildRulesDataSet(props: QuickSightReportingProps): CfnDataSet {
    const literal = (value: string | null) =>
      value === null ? 'NULL::text' : `'${value.replaceAll("'", "''")}'`;
    const rows = (props.clientAccess ?? []).flatMap((access) =>
      access.clients.map((client) => {
        const isGroup = /:group\//.test(access.principalArn);
        return `(${literal(isGroup ? null : access.principalArn)}, ${literal(isGroup ? access.principalArn : null)}, ${literal(client)})`;
      }),
    );
    return new CfnDataSet(this, 'DataSet-client-access', {
      awsAccountId: Stack.of(this).account,
      dataSetId: `${props.idPrefix}-client-access`,
      name: 'client access (row-level security rules)',
      importMode: 'SPICE',
      useAs: 'RLS_RULES',
      physicalTableMap: {
        rules: {
          customSql: {
            dataSourceArn: this.dataSource.attrArn,
            name: 'client_access',
            sqlQuery: `SELECT * FROM (VALUES ${rows.join(', ')}) AS rules("UserARN", "GroupARN", client_name)`,
            columns: ['UserARN', 'GroupARN', 'client_name'].map((name) => ({ name, type: 'STRING' })),
          },
        },
      },
      permissions: [{ principal: props.principalArn, actions: DATA_SET_ACTIONS }],
    });
  }

  /** The ARN of each dataset, by the view it reads. */
  public dataSetArns(): Readonly<Record<string, string>> {
    return { ...this.arnsByView };
  }

  /** The AURORA_POSTGRESQL data source, reached through the VPC connection as the reporting user. */
  private buildDataSource(props: QuickSightReportingProps): CfnDataSource {
    return new CfnDataSource(this, 'DataSource', {
      awsAccountId: Stack.of(this).account,
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
  }

  /** The dataset of `view`, with an hourly full refresh when it is imported into SPICE. */
  private buildDataSet(view: ReportingView, props: QuickSightReportingProps): CfnDataSet {
    const account = Stack.of(this).account;
    const dataSetId = `${props.idPrefix}-${view.view.replaceAll('_', '-')}`;
    const table = view.view.replaceAll('_', '');
    const dataSet = new CfnDataSet(this, `DataSet-${view.view}`, {
      awsAccountId: account,
      dataSetId,
      name: view.view,
      importMode: view.importMode,
      physicalTableMap: {
        [table]: {
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
    // Each client's principals see only their client's rows; the owner above sees every row. Set as
    // CloudFormation's RowLevelPermissionDataSet (CDK marks its L1 property deprecated for the semantic
    // model, like LogicalTableMap below; CloudFormation deploys it).
    if (this.rules && view.columns.some(([name]) => name === 'client_name')) {
      dataSet.addPropertyOverride('RowLevelPermissionDataSet', {
        Arn: this.rules.attrArn,
        PermissionPolicy: 'GRANT_ACCESS',
        FormatVersion: 'VERSION_2',
        Status: 'ENABLED',
      });
    }
    // Every column carries its definition (docs/metrics.md), shown in QuickSight's field list, through
    // LogicalTableMap's TagColumnOperation: CloudFormation still deploys it (cfn-lint passes), while its
    // replacement, DataPrepConfiguration, describes columns only through the semantic model.
    dataSet.addPropertyOverride('LogicalTableMap', {
      [table]: {
        Alias: view.view,
        Source: { PhysicalTableId: table },
        DataTransforms: view.columns.map(([name]) => ({
          TagColumnOperation: {
            ColumnName: name,
            Tags: [{ ColumnDescription: { Text: quickSightDescription(view.view, name) } }],
          },
        })),
      },
    });
    Validations.of(dataSet).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason:
        'LogicalTableMap is deprecated in favour of DataPrepConfiguration, which has no column-description step; CloudFormation still deploys it',
    });
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
    return dataSet;
  }
}

/** Every problem with `props` at once: what, the value received and what is expected. */
function checkProps(id: string, props: QuickSightReportingProps): void {
  const problems: string[] = [];
  if (!/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\//.test(props.principalArn)) {
    problems.push(`principalArn: expected a QuickSight user or group ARN (got ${props.principalArn})`);
  }
  if (props.views.length === 0) problems.push('views: expected at least one view (got none)');
  if (!/^[A-Za-z0-9-]{1,40}$/.test(props.idPrefix))
    problems.push(`idPrefix: expected 1-40 letters, digits or hyphens (got ${props.idPrefix})`);
  if (problems.length > 0) throw new Error(`QuickSightReporting ${id}: ${problems.join('; ')}`);
}
