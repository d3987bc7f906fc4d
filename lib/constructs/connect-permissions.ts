import { Token, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Connect read access as both the collectors' roles and a client account's read-only role grant it:
 * named actions only, on the configured instances and their sub-resources only.
 */

/** The actions that are not a named `connect:Action` (a wildcard, another service, a typo). */
export function unnamedConnectActions(actions: readonly string[]): string[] {
  return actions.filter((a) => !/^connect:[A-Z][A-Za-z0-9]+$/.test(a));
}

/** `actions` on each instance and its sub-resources (queues, routing profiles, users). */
export function connectReadStatement(
  actions: readonly string[],
  instanceArns: readonly string[],
): PolicyStatement {
  return new PolicyStatement({
    actions: [...actions],
    resources: instanceArns.flatMap((arn) => [arn, `${arn}/*`]),
  });
}

/** Acknowledges, on `role`, cdk-nag's finding on each instance's `/*` resource, with the reason. */
export function acknowledgeInstanceSubResources(role: IRole, instanceArns: readonly string[]): void {
  // An ARN made of tokens (the StackSet template's "this account's instances") cannot key a finding;
  // that template is synthesized on its own, where cdk-nag does not run.
  for (const arn of instanceArns.filter((a) => !Token.isUnresolved(a))) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}/*]`,
      reason:
        'Connect metric APIs authorize on the sub-resources (queues, routing profiles, users) of the instance; this names the configured instance only.',
    });
  }
}
