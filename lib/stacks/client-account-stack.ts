import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_CONNECT_READ_ACTIONS } from '../collectors';
import { ConnectReadRole } from '../constructs/connect-read-role';

/** Props of {@link ClientAccountStack}. */
export interface ClientAccountStackProps extends StackProps {
  /** Name of the role to create (the name part of the `roleArn` in the pipeline config). */
  readonly roleName: string;
  readonly pipelineAccount: string;
  readonly collectorRolePath: string;
  /** Connect instances in this account the pipeline reads. */
  readonly instanceArns: readonly string[];
}

/**
 * Deployed in each client account that holds a Connect instance: the read-only role the pipeline's
 * collectors assume, and nothing else.
 */
export class ClientAccountStack extends Stack {
  public readonly readRole: ConnectReadRole;

  constructor(scope: Construct, id: string, props: ClientAccountStackProps) {
    super(scope, id, props);
    this.readRole = new ConnectReadRole(this, 'ConnectRead', {
      roleName: props.roleName,
      pipelineAccount: props.pipelineAccount,
      collectorRolePath: props.collectorRolePath,
      instanceArns: props.instanceArns,
      actions: ALL_CONNECT_READ_ACTIONS,
    });
  }
}
