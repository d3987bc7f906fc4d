import { App, Aws, CfnStackSet, LegacyStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_CONNECT_APIS } from '../../lambdas/feeds';
import { ConnectReadRole } from '../constructs/connect-read-role';

/** Props of {@link ClientRoleStackSetStack}. */
export interface ClientRoleStackSetStackProps extends StackProps {
  /** The role every client account gets: its name and path, as the instances' `roleArn`s name it. */
  readonly roleName: string;
  readonly rolePath: string;
  readonly pipelineAccount: string;
  readonly collectorRolePath: string;
  /** Organizations OUs (or the root, `r-...`) whose accounts get the role, now and when they join. */
  readonly organizationalUnitIds: readonly string[];
  /** The one Region the stack instances go to: the role is global, one copy per account. */
  readonly deploymentRegion: string;
  /** `SELF` in the management account, `DELEGATED_ADMIN` in a delegated administrator account. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  readonly stackSetName: string;
}

/** CloudFormation's limit for a StackSet's inline TemplateBody, in bytes. */
const TEMPLATE_BODY_LIMIT = 51_200;

/**
 * The read-only role of every client account at once: a CloudFormation StackSet with service-managed
 * permissions over Organizations OUs, deployed in the management account (or a delegated StackSets
 * administrator). Automatic deployment creates the role in an account that joins an OU and deletes it
 * from one that leaves, so adding or removing a client is an Organizations move plus a config change.
 *
 * The role is the one a `ClientAccountStack` creates (ConnectReadRole: named Connect read actions,
 * trusted only by the pipeline's collector roles), except that one template serves every account, so
 * it grants the actions on the Connect instances of the account it is in (`instance/*` of
 * `AWS::AccountId`, any Region) rather than on named instances: the client's account holds the
 * client's instances. Per-account `cdk deploy` of ClientAccess stacks stays the way to name instances
 * exactly.
 */
export class ClientRoleStackSetStack extends Stack {
  public readonly stackSet: CfnStackSet;
  /** The template each account gets, as JSON. */
  public readonly templateBody: string;

  constructor(scope: Construct, id: string, props: ClientRoleStackSetStackProps) {
    super(scope, id, props);
    this.templateBody = clientRoleTemplate(props);
    const bytes = Buffer.byteLength(this.templateBody);
    if (bytes > TEMPLATE_BODY_LIMIT) {
      throw new Error(
        `ClientRoleStackSetStack ${id}: the role template is ${bytes} bytes, over the ${TEMPLATE_BODY_LIMIT} a StackSet TemplateBody takes`,
      );
    }
    this.stackSet = new CfnStackSet(this, 'ClientRoles', {
      stackSetName: props.stackSetName,
      description: 'Read-only Amazon Connect role for the Connect metrics pipeline, in every client account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        // Accounts in parallel; an account that fails (a name clash) does not stop the others.
        maxConcurrentPercentage: 50,
        failureTolerancePercentage: 10,
        regionConcurrencyType: 'PARALLEL',
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
          regions: [props.deploymentRegion],
        },
      ],
      templateBody: this.templateBody,
    });
  }
}

/** The client-account template: ConnectReadRole on the account's own instances, synthesized alone. */
function clientRoleTemplate(props: ClientRoleStackSetStackProps): string {
  const app = new App();
  const stack = new Stack(app, 'ClientRole', { synthesizer: new LegacyStackSynthesizer() });
  new ConnectReadRole(stack, 'ConnectRead', {
    roleName: props.roleName,
    rolePath: props.rolePath,
    pipelineAccount: props.pipelineAccount,
    collectorRolePath: props.collectorRolePath,
    instanceArns: [`arn:${Aws.PARTITION}:connect:*:${Aws.ACCOUNT_ID}:instance/*`],
    actions: ALL_CONNECT_APIS.map((api) => `connect:${api}`),
  });
  return JSON.stringify(app.synth().getStackByName(stack.stackName).template);
}
