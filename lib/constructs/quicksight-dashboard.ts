import { Stack } from 'aws-cdk-lib';
import { CfnAnalysis, CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import type { DashboardDefinition } from '../dashboard/definition';
import {
  DashboardDefinitionError,
  type QuickSightDefinition,
  quickSightDefinition,
} from '../dashboard/quicksight';
import type { ReportingView } from '../reporting-views';
import { ANALYSIS_ACTIONS, DASHBOARD_ACTIONS, DASHBOARD_VIEWER_ACTIONS } from './quicksight-permissions';
import type { QuickSightReporting } from './quicksight-reporting';

/** Props of {@link QuickSightDashboard}. */
export interface QuickSightDashboardProps {
  /** The datasets the visuals read, one per view. */
  readonly reporting: QuickSightReporting;
  /** Sheets, visuals and controls to show (lib/dashboard/definition.ts). */
  readonly definition: DashboardDefinition;
  /** The views behind the datasets, with their columns and types. */
  readonly views: readonly ReportingView[];
  /** QuickSight user or group ARN that owns the analysis and the dashboard. */
  readonly principalArn: string;
  /** Prefix of every QuickSight resource id (unique in the account). */
  readonly idPrefix: string;
  /**
   * Name of the analysis and the dashboard in QuickSight.
   * @default `${idPrefix} operations`
   */
  readonly name?: string;
  /**
   * Users or groups that may open and query the dashboard only (each client's readers; row-level
   * security shows them their client's rows). @default none
   */
  readonly viewers?: readonly string[];
}

/**
 * The operations dashboard in QuickSight: an analysis (for authors) and a published dashboard (for
 * readers), both created from one Definition generated from the dashboard definition, over the
 * datasets of QuickSightReporting, owned by the configured principal.
 */
export class QuickSightDashboard extends Construct {
  public readonly analysis: CfnAnalysis;
  public readonly dashboard: CfnDashboard;
  /** The Definition the analysis and the dashboard share. */
  public readonly definition: QuickSightDefinition;

  constructor(scope: Construct, id: string, props: QuickSightDashboardProps) {
    super(scope, id);
    this.definition = checkedDefinition(id, props);

    const awsAccountId = Stack.of(this).account;
    const resourceId = `${props.idPrefix}-operations`;
    const name = props.name ?? `${props.idPrefix} operations`;
    // The Definition names each dataset it reads by Fn::GetAtt of its ARN, so both resources are
    // created after (and deleted before) the datasets without an explicit DependsOn.
    this.analysis = new CfnAnalysis(this, 'Analysis', {
      awsAccountId,
      analysisId: resourceId,
      name,
      definition: this.definition,
      permissions: [{ principal: props.principalArn, actions: ANALYSIS_ACTIONS }],
    });
    this.dashboard = new CfnDashboard(this, 'Dashboard', {
      awsAccountId,
      dashboardId: resourceId,
      name,
      definition: this.definition,
      permissions: [
        { principal: props.principalArn, actions: DASHBOARD_ACTIONS },
        ...[...new Set(props.viewers ?? [])]
          .filter((p) => p !== props.principalArn)
          .map((principal) => ({ principal, actions: DASHBOARD_VIEWER_ACTIONS })),
      ],
      dashboardPublishOptions: {
        adHocFilteringOption: { availabilityStatus: 'ENABLED' },
        exportToCsvOption: { availabilityStatus: 'ENABLED' },
        sheetControlsOption: { visibilityState: 'EXPANDED' },
      },
    });
  }
}

/** The generated Definition, or every problem with `props` and the definition at once. */
function checkedDefinition(id: string, props: QuickSightDashboardProps): QuickSightDefinition {
  const problems: string[] = [];
  if (!/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\//.test(props.principalArn)) {
    problems.push(`principalArn: expected a QuickSight user or group ARN (got ${props.principalArn})`);
  }
  if (!/^[A-Za-z0-9-]{1,40}$/.test(props.idPrefix))
    problems.push(`idPrefix: expected 1-40 letters, digits or hyphens (got ${props.idPrefix})`);
  let definition: QuickSightDefinition | undefined;
  try {
    definition = quickSightDefinition(props.definition, props.reporting.dataSetArns(), props.views);
  } catch (error) {
    if (!(error instanceof DashboardDefinitionError)) throw error;
    problems.push(...error.problems.map((p) => `definition: ${p}`));
  }
  if (problems.length > 0 || !definition)
    throw new Error(`QuickSightDashboard ${id}: ${problems.join('; ')}`);
  return definition;
}
