import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import type { MetricsDatabase } from '../constructs/metrics-database';
import { QuickSightDashboard } from '../constructs/quicksight-dashboard';
import { QuickSightReporting } from '../constructs/quicksight-reporting';
import { dashboardDefinition, dashboardTargets } from '../dashboard/definition';
import { REPORTING_VIEWS } from '../reporting-views';

/** Props of {@link ReportingStack}. */
export interface ReportingStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly database: MetricsDatabase;
}

/** QuickSight on top of the database (only when the config enables it): datasets and the dashboard. */
export class ReportingStack extends Stack {
  public readonly quickSight: QuickSightReporting;
  public readonly dashboard: QuickSightDashboard;

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { config, database } = props;
    if (!config.quickSight.principalArn) {
      throw new Error(
        `ReportingStack ${id}: quickSight.principalArn: expected a QuickSight user or group ARN (got nothing)`,
      );
    }
    const idPrefix = config.stackPrefix.toLowerCase();
    this.quickSight = new QuickSightReporting(this, 'QuickSight', {
      vpc: database.vpc,
      cluster: database.cluster,
      databaseName: database.databaseName,
      reportingSecret: database.reportingSecret,
      principalArn: config.quickSight.principalArn,
      views: REPORTING_VIEWS,
      idPrefix,
      clientAccess: config.quickSight.clientAccess,
    });
    this.dashboard = new QuickSightDashboard(this, 'Dashboard', {
      reporting: this.quickSight,
      definition: dashboardDefinition(dashboardTargets(config)),
      views: REPORTING_VIEWS,
      principalArn: config.quickSight.principalArn,
      idPrefix,
      viewers: config.quickSight.clientAccess.map((a) => a.principalArn),
    });
    new CfnOutput(this, 'DataSourceArn', { value: this.quickSight.dataSource.attrArn });
    new CfnOutput(this, 'DashboardId', { value: this.dashboard.dashboard.dashboardId });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.quicksight.aws.amazon.com/sn/dashboards/${this.dashboard.dashboard.dashboardId}`,
    });
  }
}
