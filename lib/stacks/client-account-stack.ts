import { LegacyStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_CONNECT_APIS } from '../../lambdas/feeds';
import { ConnectReadRole } from '../constructs/connect-read-role';

/** One role the pipeline config names in this account (`roleArn`), and the instances it reads. */
export interface ClientRole {
  /** Role name (the last part of the `roleArn`). */
  readonly roleName: string;
  /**
   * Role path (the part of the `roleArn` between `role` and the name).
   * @default '/'
   */
  readonly rolePath?: string;
  /** Connect instances in this account read through this role. */
  readonly instanceArns: readonly string[];
}

/** Props of {@link ClientAccountStack}. */
export interface ClientAccountStackProps extends StackProps {
  /** The roles to create; usually one. */
  readonly roles: readonly ClientRole[];
  readonly pipelineAccount: string;
  readonly collectorRolePath: string;
}

/**
 * Deployed in each client account that holds a Connect instance: the read-only role(s) the
 * pipeline's collectors assume, and nothing else.
 *
 * The account need not be bootstrapped for CDK: the stack has no assets and is synthesized with the
 * CLI's own credentials in mind (LegacyStackSynthesizer: no bootstrap version parameter or rule, no
 * deploy role to assume, a template small enough to send inline), so `cdk deploy` with the client
 * account's credentials and plain CloudFormation with the synthesized template both work there.
 */
export class ClientAccountStack extends Stack {
  public readonly readRoles: ConnectReadRole[];

  constructor(scope: Construct, id: string, props: ClientAccountStackProps) {
    super(scope, id, { synthesizer: new LegacyStackSynthesizer(), ...props });
    if (props.roles.length === 0)
      throw new Error(`ClientAccountStack ${id}: roles: expected at least one role (got none)`);
    this.readRoles = props.roles.map(
      (role) =>
        new ConnectReadRole(this, `ConnectRead-${role.roleName}`, {
          roleName: role.roleName,
          rolePath: role.rolePath,
          pipelineAccount: props.pipelineAccount,
          collectorRolePath: props.collectorRolePath,
          instanceArns: role.instanceArns,
          actions: ALL_CONNECT_APIS.map((api) => `connect:${api}`),
        }),
    );
  }
}
