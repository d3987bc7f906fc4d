import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import type { MetricsDatabase } from '../constructs/metrics-database';
import { QuickSightReporting } from '../constructs/quicksight-reporting';
import { REPORTING_VIEWS } from '../reporting-views';

/** Props of {@link ReportingStack}. */
export interface ReportingStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly database: MetricsDatabase;
}

/** QuickSight on top of the database (only when the config enables it). */
export class ReportingStack extends Stack {
  public readonly quickSight: QuickSightReporting;

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { config, database } = props;
    if (!config.quickSight.principalArn) {
      throw new Error(
        `ReportingStack ${id}: quickSight.principalArn: expected a QuickSight user or group ARN (got nothing)`,
      );
    }
    this.quickSight = new QuickSightReporting(this, 'QuickSight', {
      vpc: database.vpc,
      cluster: database.cluster,
      databaseName: database.databaseName,
      reportingSecret: database.reportingSecret,
      principalArn: config.quickSight.principalArn,
      views: REPORTING_VIEWS,
      idPrefix: config.stackPrefix.toLowerCase(),
    });
    new CfnOutput(this, 'DataSourceArn', { value: this.quickSight.dataSource.attrArn });
  }
}
