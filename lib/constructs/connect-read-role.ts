import { Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  acknowledgeInstanceSubResources,
  connectReadStatement,
  unnamedConnectActions,
} from './connect-permissions';

/** Props of {@link ConnectReadRole}. */
export interface ConnectReadRoleProps {
  /** Role name; must match the `roleArn` the pipeline config names for these instances. */
  readonly roleName: string;
  /**
   * IAM path of the role; must match the `roleArn` too.
   * @default '/'
   */
  readonly rolePath?: string;
  /** Account running the pipeline (whose collector roles assume this role). */
  readonly pipelineAccount: string;
  /** IAM path of the pipeline's collector roles: only roles under it may assume this one. */
  readonly collectorRolePath: string;
  /** Connect instance ARNs in this account the pipeline reads. */
  readonly instanceArns: readonly string[];
  /** Connect read actions granted (named, no wildcards). */
  readonly actions: readonly string[];
}

/**
 * The read-only role a client account grants the pipeline: Connect read actions on the named
 * instances and their sub-resources, assumable only by the collector roles of the pipeline account
 * (matched by their IAM path, so the trust survives collector role replacement).
 */
export class ConnectReadRole extends Construct {
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: ConnectReadRoleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^\d{12}$/.test(props.pipelineAccount))
      problems.push(`pipelineAccount: expected 12 digits (got ${props.pipelineAccount})`);
    if (!/^\/([\w+=,.@-]+\/)*$/.test(props.collectorRolePath)) {
      problems.push(
        `collectorRolePath: expected an IAM path such as /name/ (got ${props.collectorRolePath})`,
      );
    }
    if (props.rolePath !== undefined && !/^\/([\w+=,.@-]+\/)*$/.test(props.rolePath)) {
      problems.push(`rolePath: expected an IAM path such as /name/ (got ${props.rolePath})`);
    }
    if (props.instanceArns.length === 0)
      problems.push('instanceArns: expected at least one instance (got none)');
    const wild = unnamedConnectActions(props.actions);
    if (props.actions.length === 0 || wild.length > 0) {
      problems.push(
        `actions: expected named connect:Action entries (got ${props.actions.join(', ') || 'none'})`,
      );
    }
    if (problems.length > 0) throw new Error(`ConnectReadRole ${id}: ${problems.join('; ')}`);

    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      path: props.rolePath ?? '/',
      description: 'Read-only Amazon Connect metrics access for the Connect metrics pipeline',
      assumedBy: new AccountPrincipal(props.pipelineAccount).withConditions({
        ArnLike: {
          'aws:PrincipalArn': `arn:${Stack.of(this).partition}:iam::${props.pipelineAccount}:role${props.collectorRolePath}*`,
        },
      }),
      inlinePolicies: {
        ConnectRead: new PolicyDocument({
          statements: [connectReadStatement(props.actions, props.instanceArns)],
        }),
      },
    });
    acknowledgeInstanceSubResources(this.role, props.instanceArns);
  }
}
