import type { InstanceConfig, RuntimeConfig } from './runtime-config';

/**
 * How a fleet of instances is spread over collector invocations: the same plan for the deployed
 * polling loop (the state machine's Map over groups, lib/constructs/polling-loop.ts) and for the local
 * runner.
 *
 * A group holds instances of one account and Region only: they assume one role and share one Connect
 * quota, and a client's broken role, throttling or slow answers stay in its own group. Each group is
 * one invocation per tick, and a group's ticks run one after another, so an instance is only ever
 * collected by one invocation at a time. That is what keeps an account within its quota share across
 * every concurrent invocation: each instance draws from its own buckets, sized to its part of the
 * account's share (`apiBudget`: quota x apiQuotaShare / instances in the account and Region), so
 * wherever the instances of an account run, together they never pass the share.
 */

/** One invocation's instances. */
export interface InstanceGroup {
  /** `<account>-<region>`, and `-<n>` when the account and Region's instances are split. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly instanceIds: readonly string[];
}

/**
 * The groups, in the order of each account and Region's first instance in the config (adding an
 * instance to an account moves no other account's group). An account and Region with more than
 * `fleet.instancesPerInvocation` instances is split into that many even groups, in config order.
 */
export function instanceGroups(config: Pick<RuntimeConfig, 'instances' | 'fleet'>): InstanceGroup[] {
  const byScope = new Map<string, InstanceConfig[]>();
  for (const instance of config.instances) {
    const scope = `${instance.account}-${instance.region}`;
    byScope.set(scope, [...(byScope.get(scope) ?? []), instance]);
  }
  const size = config.fleet.instancesPerInvocation;
  return [...byScope].flatMap(([scope, instances]) => {
    // Even parts: the first (length % parts) get one more.
    const parts = Math.ceil(instances.length / size);
    const first = instances[0] as InstanceConfig;
    let from = 0;
    return Array.from({ length: parts }, (_, k) => {
      const length = Math.floor(instances.length / parts) + (k < instances.length % parts ? 1 : 0);
      const instanceIds = instances.slice(from, from + length).map((i) => i.instanceId);
      from += length;
      return {
        id: parts === 1 ? scope : `${scope}-${k + 1}`,
        account: first.account,
        region: first.region,
        instanceIds,
      };
    });
  });
}

/**
 * The groups in shards of at most `fleet.groupsPerExecution`: each shard is one polling-loop execution
 * a minute, which runs all of its groups at once.
 */
export function executionShards(config: Pick<RuntimeConfig, 'instances' | 'fleet'>): InstanceGroup[][] {
  const groups = instanceGroups(config);
  const per = config.fleet.groupsPerExecution;
  return Array.from({ length: Math.ceil(groups.length / per) }, (_, k) =>
    groups.slice(k * per, (k + 1) * per),
  );
}
