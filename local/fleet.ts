import type { InstanceConfigInput } from '../lambdas/shared/config/runtime-config';

/**
 * A generated fleet: `instances` Connect instances spread over `accounts` client accounts and
 * `regions` Regions, each client reached through its read-only role. One generator for the fleet
 * config a user can start from (`npm run fleet-config`), the simulated fleet of `npm start --
 * --instances N`, the fleet bench and the tests, so all of them describe the same shape.
 */

/** Regions a generated fleet uses, in order. */
const FLEET_REGIONS = ['us-east-1', 'eu-west-2', 'ap-southeast-2', 'us-west-2', 'eu-central-1'] as const;

/** Options of {@link fleetInstances}. */
export interface FleetShape {
  readonly instances: number;
  readonly accounts: number;
  /** @default 1 */
  readonly regions?: number;
  /** Role name in each client account. @default 'ConnectMetricsReader' */
  readonly roleName?: string;
  /** Connect endpoint (the simulator's) for every instance. @default none (real Connect) */
  readonly endpoint?: string;
}

/** A 12-digit account id for client `k` (1-based): 100000000001, 100000000002, ... */
const fleetAccount = (k: number): string => String(100_000_000_000 + k);

/** The instance id of instance `n` (1-based), a valid UUID. */
const fleetInstanceId = (n: number): string => `f1ee7000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * The instances: instance n (1-based) belongs to client account ((n - 1) mod accounts) + 1, so the
 * accounts get as even a share as the numbers allow, and each account lives in one Region (account k
 * in Region ((k - 1) mod regions)). Client names are "Client 001" ... by account.
 */
export function fleetInstances(shape: FleetShape): InstanceConfigInput[] {
  for (const [name, value] of [
    ['instances', shape.instances],
    ['accounts', shape.accounts],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`fleetInstances: ${name}: expected a whole number of 1 or more (got ${value})`);
  }
  const regions = FLEET_REGIONS.slice(0, Math.max(1, Math.min(shape.regions ?? 1, FLEET_REGIONS.length)));
  return Array.from({ length: shape.instances }, (_, i) => {
    const k = (i % shape.accounts) + 1;
    const account = fleetAccount(k);
    const region = regions[(k - 1) % regions.length] as string;
    const instanceId = fleetInstanceId(i + 1);
    return {
      instanceId,
      instanceArn: `arn:aws:connect:${region}:${account}:instance/${instanceId}`,
      region,
      clientName: `Client ${String(k).padStart(3, '0')}`,
      environment: 'prod',
      roleArn: `arn:aws:iam::${account}:role/${shape.roleName ?? 'ConnectMetricsReader'}`,
      ...(shape.endpoint ? { endpoint: shape.endpoint } : {}),
    };
  });
}

/**
 * Row-level security for a generated fleet: one QuickSight group per client (`client-001-readers`...)
 * in the pipeline's account and Region, seeing only its client's rows.
 */
export function fleetClientAccess(
  instances: readonly InstanceConfigInput[],
  pipeline: { readonly account: string; readonly region: string },
): { principalArn: string; clients: string[] }[] {
  const clients = [...new Set(instances.map((i) => i.clientName))];
  return clients.map((client) => ({
    principalArn: `arn:aws:quicksight:${pipeline.region}:${pipeline.account}:group/default/${client.toLowerCase().replaceAll(' ', '-')}-readers`,
    clients: [client],
  }));
}

/**
 * A generated fleet on the simulator: the instances it simulates (each in its account and Region) and
 * the instances the pipeline collects, at the simulator's endpoint, with no role (the simulator takes any
 * credentials, so nothing is assumed locally).
 */
export const onSimulator = {
  simulated: (fleet: readonly InstanceConfigInput[]) =>
    fleet.map((i) => ({
      instanceId: i.instanceId,
      region: i.region,
      accountId: i.instanceArn.split(':')[4] as string,
    })),
  collected: (fleet: readonly InstanceConfigInput[], endpoint: string): InstanceConfigInput[] =>
    fleet.map(({ roleArn: _role, ...i }) => ({ ...i, endpoint })),
};
