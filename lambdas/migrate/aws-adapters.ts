import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ModifyDBClusterCommand, type RDSClient } from '@aws-sdk/client-rds';
import { retry } from '../shared/runtime/retry';

/**
 * The migration custom resource's two control-plane calls: the stack status (is this Update a
 * rollback?) and the cluster's deletion protection.
 */

/**
 * True while the stack is in UPDATE_ROLLBACK_IN_PROGRESS, the one state in which CloudFormation sends
 * a custom resource an Update to restore its old properties.
 */
export function stackRollbackCheck(client: CloudFormationClient): (stackId: string) => Promise<boolean> {
  return async (stackId) => {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackId }));
    return Stacks?.[0]?.StackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS';
  };
}

/** The cluster ARN is not `arn:<partition>:rds:<region>:<account>:cluster:<identifier>`. */
export class ClusterArnError extends Error {
  override readonly name = 'ClusterArnError';
}

const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:([a-z][a-z0-9-]{0,62})$/;

/**
 * Sets the deletion protection of the cluster named by `clusterArn`, at once. A cluster busy with
 * another change (InvalidDBClusterStateFault) is asked again for up to `deadlineMs`. The ARN is read
 * when the protection is set, so a bad one is reported to CloudFormation as the resource's failure
 * instead of stopping the function before it can answer.
 * @throws ClusterArnError (from the returned function) when the ARN names no cluster
 */
export function clusterDeletionProtection(
  client: RDSClient,
  clusterArn: string,
  options: { deadlineMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): (enabled: boolean) => Promise<void> {
  return async (enabled) => {
    const identifier = CLUSTER_ARN.exec(clusterArn)?.[1];
    if (!identifier) {
      throw new ClusterArnError(
        `expected arn:aws:rds:<region>:<account>:cluster:<identifier> (got ${clusterArn})`,
      );
    }
    await retry(
      () =>
        client.send(
          new ModifyDBClusterCommand({
            DBClusterIdentifier: identifier,
            DeletionProtection: enabled,
            ApplyImmediately: true,
          }),
        ),
      {
        deadlineMs: options.deadlineMs ?? 120_000,
        baseDelayMs: 2_000,
        maxDelayMs: 20_000,
        isRetryable: (error) => error instanceof Error && error.name === 'InvalidDBClusterStateFault',
        sleep: options.sleep,
      },
    );
  };
}
