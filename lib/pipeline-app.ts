import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { DeployConfig } from './config';
import { ClientAccountStack } from './stacks/client-account-stack';
import { ClientRoleStackSetStack } from './stacks/client-role-stack-set-stack';
import { DatabaseStack } from './stacks/database-stack';
import { collectorRolePath, PipelineStack } from './stacks/pipeline-stack';
import { ReportingStack } from './stacks/reporting-stack';

/** The stacks one config produces. */
export interface PipelineStacks {
  readonly database: DatabaseStack;
  readonly pipeline: PipelineStack;
  /** Present when QuickSight is enabled. */
  readonly reporting?: ReportingStack;
  /** One per client account named by an instance `roleArn` (none with `clientRollout`). */
  readonly clientAccounts: readonly ClientAccountStack[];
  /** With `clientRollout`: the StackSet that rolls the role out to every client account. */
  readonly clientRollout?: ClientRoleStackSetStack;
}

/** Adds every stack the config describes to `app`. Wiring only. */
export function addPipelineStacks(
  app: App,
  config: DeployConfig,
  options: { migrationsDir?: string } = {},
): PipelineStacks {
  const env = { account: config.account, region: config.region };
  const p = config.stackPrefix;
  const database = new DatabaseStack(app, `${p}-Database`, {
    env,
    config,
    description: 'Connect metrics pipeline: Aurora PostgreSQL (Data API) and its schema',
    migrationsDir: options.migrationsDir,
  });
  const pipeline = new PipelineStack(app, `${p}-Pipeline`, {
    env,
    config,
    database: database.database,
    description: 'Connect metrics pipeline: collectors, polling loop, /check API and alarms',
  });
  pipeline.addStackDependency(database, 'the schema and users must exist before collectors run');
  const reporting = config.quickSight.enabled
    ? new ReportingStack(app, `${p}-Reporting`, {
        env,
        config,
        database: database.database,
        description:
          'Connect metrics pipeline: QuickSight data source, datasets and the operations dashboard',
      })
    : undefined;
  reporting?.addStackDependency(database, 'datasets read the views the migration creates');

  // One stack per client account, one role per distinct roleArn in it.
  const byAccount = new Map<
    string,
    Map<string, { roleName: string; rolePath: string; instanceArns: string[] }>
  >();
  for (const instance of config.instances) {
    if (!instance.role) continue;
    const { arn, account, path: rolePath, name: roleName } = instance.role;
    const roles = byAccount.get(account) ?? new Map();
    const role = roles.get(arn) ?? { roleName, rolePath, instanceArns: [] };
    role.instanceArns.push(instance.instanceArn);
    roles.set(arn, role);
    byAccount.set(account, roles);
  }
  const rollout = config.clientRollout;
  const [firstRole] = config.instances.flatMap((i) => (i.role ? [i.role] : []));
  const clientRollout =
    rollout && firstRole
      ? new ClientRoleStackSetStack(app, `${p}-ClientAccessStackSet`, {
          env: { account: rollout.adminAccount, region: config.region },
          roleName: firstRole.name,
          rolePath: firstRole.path,
          pipelineAccount: config.account,
          collectorRolePath: collectorRolePath(config),
          organizationalUnitIds: rollout.organizationalUnitIds,
          deploymentRegion: rollout.region ?? config.region,
          callAs: rollout.callAs,
          stackSetName: `${p}-client-access`,
          description:
            'Connect metrics pipeline: the read-only Connect role in every client account of the OUs (a StackSet; deploy in the management or delegated administrator account)',
        })
      : undefined;
  const clientAccounts = [...(clientRollout ? [] : byAccount)].map(
    ([account, roles]) =>
      new ClientAccountStack(app, `${p}-ClientAccess-${account}`, {
        env: { account, region: config.region },
        roles: [...roles.values()],
        pipelineAccount: config.account,
        collectorRolePath: collectorRolePath(config),
        description:
          'Connect metrics pipeline: read-only Connect role for the pipeline account (deploy in this client account)',
      }),
  );
  // One tag on everything, so Cost Explorer can show what the pipeline costs.
  for (const stack of [
    database,
    pipeline,
    ...(reporting ? [reporting] : []),
    ...clientAccounts,
    ...(clientRollout ? [clientRollout] : []),
  ]) {
    Tags.of(stack).add('connect-metrics-pipeline', p);
  }
  return { database, pipeline, reporting, clientAccounts, ...(clientRollout ? { clientRollout } : {}) };
}

/** Runs cdk-nag's AWS Solutions and Serverless packs on every synth. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
