import { Match, Template } from 'aws-cdk-lib/assertions';
import { instanceInput } from '../../../lambdas/shared/config/runtime-config';
import { QuickSightDashboard } from '../../../lib/constructs/quicksight-dashboard';
import {
  type DashboardDefinition,
  dashboardDefinition,
  dashboardTargets,
} from '../../../lib/dashboard/definition';
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

test('there is one dataset per view (and the row-level security rules), real-time ones DIRECT_QUERY and interval ones SPICE', () => {
  template.resourceCountIs('AWS::QuickSight::DataSet', REPORTING_VIEWS.length + 1);
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
  const dataSets = Object.values(template.findResources('AWS::QuickSight::DataSet')).filter(
    (d) => d.Properties.UseAs !== 'RLS_RULES',
  );
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

const QUICKSIGHT_TYPES = ['AWS::QuickSight::Analysis', 'AWS::QuickSight::Dashboard'] as const;
const dashboard = dashboardDefinition(dashboardTargets(exampleConfig()));
type Node = Record<string, unknown>;

/** Every object under `node` for which `pick` holds. */
function collect(node: unknown, pick: (o: Node) => boolean): Node[] {
  if (Array.isArray(node)) return node.flatMap((n) => collect(n, pick));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Node;
  return [...(pick(o) ? [o] : []), ...Object.values(o).flatMap((v) => collect(v, pick))];
}

/** The properties of the one resource of `type`. */
function only(type: string): Node {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0]!.Properties as Node;
}

test.each(QUICKSIGHT_TYPES)(
  'there is one %s, with the four sheets and every visual of the definition',
  (type) => {
    const definition = only(type).Definition as { Sheets: Node[] };

    expect(definition.Sheets.map((s) => s.SheetId)).toEqual(['now', 'agents', 'intraday', 'history']);
    expect(collect(definition.Sheets, (o) => typeof o.VisualId === 'string').map((v) => v.VisualId)).toEqual(
      dashboard.sheets.flatMap((s) => s.visuals.map((v) => v.id)),
    );
  },
);

test('the analysis and the dashboard share one Definition, reading each dataset it declares by its ARN', () => {
  const analysis = only('AWS::QuickSight::Analysis').Definition as { DataSetIdentifierDeclarations: Node[] };
  const dataSets = template.findResources('AWS::QuickSight::DataSet');
  const logicalIdOf = (view: unknown) =>
    Object.entries(dataSets).find(([, d]) => d.Properties.Name === view)?.[0] ?? 'none';

  expect(only('AWS::QuickSight::Dashboard').Definition).toEqual(analysis);
  expect(analysis.DataSetIdentifierDeclarations.length).toBeGreaterThan(0);
  for (const d of analysis.DataSetIdentifierDeclarations) {
    expect(d.DataSetArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(d.Identifier), 'Arn'] });
  }
});

test('every column the deployed Definition names exists in its dataset or is a declared calculated field', () => {
  const definition = only('AWS::QuickSight::Dashboard').Definition as { CalculatedFields: Node[] };
  const references = collect(definition, (o) => typeof o.DataSetIdentifier === 'string' && 'ColumnName' in o);
  const known = (r: Node) =>
    (REPORTING_VIEWS.find((v) => v.view === r.DataSetIdentifier)?.columns ?? []).some(
      ([c]) => c === r.ColumnName,
    ) ||
    definition.CalculatedFields.some(
      (c) => c.DataSetIdentifier === r.DataSetIdentifier && c.Name === r.ColumnName,
    );

  expect(references.length).toBeGreaterThan(60);
  expect(references.filter((r) => !known(r)).map((r) => `${r.DataSetIdentifier}.${r.ColumnName}`)).toEqual(
    [],
  );
});

test('the principal owns the analysis and the dashboard with the owner actions', () => {
  template.hasResourceProperties('AWS::QuickSight::Analysis', {
    AnalysisId: 'connectmetrics-operations',
    Permissions: [
      {
        Principal: PRINCIPAL,
        Actions: [
          'quicksight:RestoreAnalysis',
          'quicksight:UpdateAnalysisPermissions',
          'quicksight:DeleteAnalysis',
          'quicksight:QueryAnalysis',
          'quicksight:DescribeAnalysisPermissions',
          'quicksight:DescribeAnalysis',
          'quicksight:UpdateAnalysis',
        ],
      },
    ],
  });
  template.hasResourceProperties('AWS::QuickSight::Dashboard', {
    DashboardId: 'connectmetrics-operations',
    Permissions: Match.arrayWith([
      {
        Principal: PRINCIPAL,
        Actions: [
          'quicksight:DescribeDashboard',
          'quicksight:ListDashboardVersions',
          'quicksight:UpdateDashboardPermissions',
          'quicksight:QueryDashboard',
          'quicksight:UpdateDashboard',
          'quicksight:DeleteDashboard',
          'quicksight:DescribeDashboardPermissions',
          'quicksight:UpdateDashboardPublishedVersion',
        ],
      },
    ]),
  });
});

describe('row-level security by client (quickSight.clientAccess)', () => {
  const READERS = 'arn:aws:quicksight:us-east-1:111111111111:group/default/example-retail-readers';
  const dataSets = () => Object.values(template.findResources('AWS::QuickSight::DataSet'));
  const rules = () => dataSets().find((d) => d.Properties.UseAs === 'RLS_RULES');

  test("one rules dataset, flagged RLS_RULES, maps each principal's ARN to its clients", () => {
    const sql = rules()?.Properties.PhysicalTableMap.rules.CustomSql;

    expect(rules()?.Properties.ImportMode).toBe('SPICE');
    expect(sql.SqlQuery).toBe(
      `SELECT * FROM (VALUES (NULL::text, '${READERS}', 'Example Retail')) AS rules("UserARN", "GroupARN", client_name)`,
    );
    expect(sql.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type])).toEqual([
      ['UserARN', 'STRING'],
      ['GroupARN', 'STRING'],
      ['client_name', 'STRING'],
    ]);
  });

  test('every dataset with client_name is filtered by it (VERSION_2: by ARN, granting access)', () => {
    const withClient = REPORTING_VIEWS.filter((v) => v.columns.some(([c]) => c === 'client_name'));
    const filtered = dataSets().filter((d) => d.Properties.RowLevelPermissionDataSet);

    expect(withClient.length).toBeGreaterThan(0);
    expect(filtered.map((d) => d.Properties.Name).sort()).toEqual(withClient.map((v) => v.view).sort());
    for (const d of filtered) {
      expect(d.Properties.RowLevelPermissionDataSet).toEqual({
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/DataSetclientaccess/), 'Arn'] },
        PermissionPolicy: 'GRANT_ACCESS',
        FormatVersion: 'VERSION_2',
        Status: 'ENABLED',
      });
    }
  });

  test("a client's readers may open and query the dashboard, nothing more; they own no dataset", () => {
    const [dashboard] = Object.values(template.findResources('AWS::QuickSight::Dashboard'));
    expect(dashboard?.Properties.Permissions).toContainEqual({
      Principal: READERS,
      Actions: [
        'quicksight:DescribeDashboard',
        'quicksight:ListDashboardVersions',
        'quicksight:QueryDashboard',
      ],
    });
    for (const d of dataSets()) {
      expect(d.Properties.Permissions.map((p: { Principal: string }) => p.Principal)).toEqual([PRINCIPAL]);
    }
  });

  test('a user principal goes in UserARN; a quote in a client name is escaped; no clientAccess, no rules', () => {
    const config = exampleConfig({
      instances: [
        {
          ...instanceInput(exampleConfig().instances[0]!),
          clientName: "O'Brien & Sons",
        },
      ],
      quickSight: {
        enabled: true,
        principalArn: PRINCIPAL,
        clientAccess: [
          {
            principalArn: 'arn:aws:quicksight:us-east-1:111111111111:user/default/ann',
            clients: ["O'Brien & Sons"],
          },
        ],
      },
    });
    const other = Template.fromStack(addPipelineStacks(testApp(), config).reporting!);
    const sql = Object.values(other.findResources('AWS::QuickSight::DataSet')).find(
      (d) => d.Properties.UseAs === 'RLS_RULES',
    )?.Properties.PhysicalTableMap.rules.CustomSql.SqlQuery;
    expect(sql).toContain(
      `('arn:aws:quicksight:us-east-1:111111111111:user/default/ann', NULL::text, 'O''Brien & Sons')`,
    );

    const open = Template.fromStack(
      addPipelineStacks(testApp(), exampleConfig({ quickSight: { enabled: true, principalArn: PRINCIPAL } }))
        .reporting!,
    );
    open.resourceCountIs('AWS::QuickSight::DataSet', REPORTING_VIEWS.length);
    expect(
      Object.values(open.findResources('AWS::QuickSight::DataSet')).some(
        (d) => d.Properties.RowLevelPermissionDataSet,
      ),
    ).toBe(false);
  });
});

test('the dashboard is published with ad hoc filtering, CSV export and expanded sheet controls', () => {
  template.hasResourceProperties('AWS::QuickSight::Dashboard', {
    DashboardPublishOptions: {
      AdHocFilteringOption: { AvailabilityStatus: 'ENABLED' },
      ExportToCSVOption: { AvailabilityStatus: 'ENABLED' },
      SheetControlsOption: { VisibilityState: 'EXPANDED' },
    },
  });
});

test('the stack outputs the dashboard id and its console address', () => {
  template.hasOutput('DashboardId', { Value: 'connectmetrics-operations' });
  template.hasOutput('DashboardUrl', {
    Value: 'https://us-east-1.quicksight.aws.amazon.com/sn/dashboards/connectmetrics-operations',
  });
});

// cdk deploy uploads every template over 51,200 bytes to the bootstrap bucket and passes a TemplateURL, so
// the limit that applies is CloudFormation's 1,000,000 bytes for a template read from S3. Measured on the
// template as cdk writes it (one-space indent): 293 kB, of which the Definition, present twice (analysis and
// dashboard), is 149 kB (39 kB each when compact); the datasets with their column descriptions are 121 kB.
test("the Reporting template stays under half of CloudFormation's 1,000,000-byte limit for templates from S3", () => {
  const templateBytes = Buffer.byteLength(JSON.stringify(template.toJSON(), undefined, 1));

  expect(templateBytes).toBeLessThan(500_000);
});

test('a misspelt column and a bad principal in the dashboard both fail the construct, each named', () => {
  const { reporting: fresh } = addPipelineStacks(testApp(), exampleConfig());
  const broken: DashboardDefinition = {
    ...dashboard,
    sheets: dashboard.sheets.map((s) => ({
      ...s,
      visuals: s.visuals.map((v) => (v.id === 'now-queues' ? { ...v, dimensions: ['queue_nmae'] } : v)),
    })),
  };

  expect(
    () =>
      new QuickSightDashboard(fresh!, 'Broken', {
        reporting: fresh!.quickSight,
        definition: broken,
        views: REPORTING_VIEWS,
        principalArn: 'arn:aws:iam::111111111111:user/analyst',
        idPrefix: 'broken',
      }),
  ).toThrow(
    /^QuickSightDashboard Broken: principalArn: expected a QuickSight user or group ARN .*; definition: now\/now-queues dimension: v_queue_realtime_latest has no column queue_nmae$/,
  );
});
