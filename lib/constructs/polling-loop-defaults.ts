import { CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { PolledFunction, PollingLoopProps } from './polling-loop';

/**
 * What PollingLoop sets up the same way every time, as plain functions beside it: the check of its
 * props, its state machine's log group and the cdk-nag findings its role carries by design.
 */

/** Cadence and functions as the loop needs them, every problem reported at once. */
export function checkPollingLoopProps(id: string, props: PollingLoopProps): void {
  const problems: string[] = [];
  const c = props.cadenceSeconds;
  if (!Number.isInteger(c) || c < 5 || c > 60 || 60 % c !== 0) {
    problems.push(`cadenceSeconds: expected a divisor of 60 from 5 to 60 (got ${c})`);
  }
  if (props.functions.length === 0) problems.push('functions: expected at least one function (got none)');
  const ids = props.functions.map((f) => f.id);
  if (new Set(ids).size !== ids.length)
    problems.push(`functions: expected unique ids (got ${ids.join(', ')})`);
  if (props.shards.length === 0 || props.shards.some((s) => s.length === 0 || s.length > 40)) {
    problems.push(
      `shards: expected at least one shard of 1-40 groups, the inline Map's concurrency (got ${props.shards.map((s) => s.length).join(', ') || 'none'})`,
    );
  }
  if (problems.length > 0) throw new Error(`PollingLoop ${id}: ${problems.join('; ')}`);
}

/** The state machine's log group, `Logs` in `scope` (the loop, whose construct id is `id`). */
export function loopLogGroup(scope: Construct, id: string, retention: RetentionDays): LogGroup {
  const stack = Stack.of(scope);
  return new LogGroup(scope, 'Logs', {
    // Step Functions' best practice: under /aws/vendedlogs/states/, so the account's CloudWatch Logs
    // resource policy (5,120 characters) does not grow with every state machine. The stack id's UUID
    // keeps the name unique, also after a teardown that kept the old group.
    logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${id}-${Fn.select(2, Fn.split('/', stack.stackId))}`,
    retention,
  });
}

/** Acknowledges, on the state machine's `role`, the cdk-nag findings it carries by design, with reasons. */
export function acknowledgeLoopFindings(
  scope: Construct,
  role: IRole,
  functions: readonly PolledFunction[],
): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'CloudWatch Logs delivery and X-Ray actions do not support resource-level permissions.',
  });
  for (const f of functions) {
    const cfn = f.function.node.defaultChild;
    if (!(cfn instanceof CfnResource)) continue; // an imported function: nothing of ours to acknowledge
    const logicalId = Stack.of(scope).getLogicalId(cfn);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason: "Invoking the function's versions and aliases; the function itself is named.",
    });
  }
}
