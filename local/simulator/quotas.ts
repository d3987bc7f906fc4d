import type { ConnectApi } from '../../lambdas/shared/config/runtime-config';

/** A token bucket: sustained requests a second and burst. */
export interface Quota {
  readonly rate: number;
  readonly burst: number;
}

/** A simulated API: the collectors' eight plus DescribeUser and SearchUsers. */
export type SimulatedApi = ConnectApi | 'DescribeUser' | 'SearchUsers';

/**
 * Connect's default quotas for a new account (list APIs 10/s, burst 10 in new accounts). The pipeline's
 * own defaults (DEFAULT_API_QUOTAS) are the older accounts' 2/s: stricter than the simulator, on purpose.
 */
export const SIMULATOR_DEFAULT_QUOTAS: Readonly<Record<SimulatedApi, Quota>> = {
  GetCurrentMetricData: { rate: 5, burst: 8 },
  GetCurrentUserData: { rate: 5, burst: 8 },
  GetMetricData: { rate: 5, burst: 8 },
  GetMetricDataV2: { rate: 10, burst: 10 },
  ListQueues: { rate: 10, burst: 10 },
  ListRoutingProfiles: { rate: 10, burst: 10 },
  ListAgentStatuses: { rate: 10, burst: 10 },
  ListUsers: { rate: 10, burst: 10 },
  DescribeUser: { rate: 10, burst: 10 },
  SearchUsers: { rate: 2, burst: 2 },
  // Connect's default for operations without a figure of their own: 2/s, burst 5 (Admin Guide, API
  // throttling quotas: "a RateLimit of 2 requests per second, and a BurstLimit of 5").
  ListHoursOfOperations: { rate: 2, burst: 5 },
  DescribeHoursOfOperation: { rate: 2, burst: 5 },
  ListHoursOfOperationOverrides: { rate: 2, burst: 5 },
  GetEffectiveHoursOfOperations: { rate: 2, burst: 5 },
  SearchQueues: { rate: 2, burst: 5 },
};

/**
 * Per-API token buckets for each account and Region (`scope`), shared by every instance there, as
 * Connect's quotas are. Buckets run on wall-clock time (not the model clock): throttling is about how
 * fast a client calls, whatever the model's time.
 */
export class TokenBuckets {
  private readonly quotas: Record<string, Quota>;
  private readonly tokens = new Map<string, { level: number; at: number }>();

  constructor(
    overrides: Partial<Record<SimulatedApi, Quota>> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.quotas = { ...SIMULATOR_DEFAULT_QUOTAS, ...overrides };
  }

  /** Takes one token for the API in `scope` (account:region); false when the bucket is empty (throttled). */
  take(api: SimulatedApi, scope = 'default'): boolean {
    const quota = this.quotas[api];
    if (!quota) return true;
    const t = this.now();
    const key = `${scope}|${api}`;
    const state = this.tokens.get(key) ?? { level: quota.burst, at: t };
    state.level = Math.min(quota.burst, state.level + ((t - state.at) / 1000) * quota.rate);
    state.at = t;
    this.tokens.set(key, state);
    if (state.level < 1) return false;
    state.level -= 1;
    return true;
  }

  /** The quota in force for an API. */
  quota(api: SimulatedApi): Quota {
    return this.quotas[api] ?? { rate: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY };
  }
}
