import { type ConnectApi, type InstanceConfig, quotaFor, type RuntimeConfig } from '../config/runtime-config';

/** Time and waiting, injectable so tests run without real sleeps. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket: `rate` tokens a second up to `burst`. Callers reserve a token and wait for their
 * turn, so waiting callers are served in order and the sustained rate is never passed.
 *
 * A bucket starts empty and earns its burst. A new process (a Lambda cold start, a container that
 * replaced one that just timed out) cannot know what the process before it spent; starting full, the
 * two together could pass `burst + rate x time` over a window. Starting empty costs at most
 * `burst / rate` seconds once per process.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: LimiterClock = realClock,
  ) {
    this.tokens = 0;
    this.updatedAt = clock.now();
  }

  /** Takes a token, waiting as long as the bucket needs to refill one. */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** Reserves a token and returns how many ms to wait before using it. */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
}

/** Per-API token buckets for one AWS account and Region. */
export class RateLimiter {
  private readonly buckets = new Map<ConnectApi, TokenBucket>();

  constructor(
    private readonly budget: (api: ConnectApi) => { rate: number; burst: number },
    private readonly clock: LimiterClock = realClock,
  ) {}

  /** Waits for the right to make one call of `api`. */
  acquire(api: ConnectApi): Promise<void> {
    let bucket = this.buckets.get(api);
    if (!bucket) {
      const { rate, burst } = this.budget(api);
      bucket = new TokenBucket(rate, burst, this.clock);
      this.buckets.set(api, bucket);
    }
    return bucket.take();
  }
}

/** `account:region` of an instance, the scope Connect quotas apply to. */
function quotaScope(instance: InstanceConfig): string {
  return `${instance.account}:${instance.region}`;
}

/**
 * The pipeline's budget for one API in one account and Region, per instance: the account quota times
 * the configured share, divided among the configured instances of that account and Region (they share
 * the quota). What one instance's run may plan with (the historical collector's calls per second).
 */
export function apiBudget(
  config: RuntimeConfig,
  instance: InstanceConfig,
  api: ConnectApi,
): { rate: number; burst: number } {
  return shareOf(config, quotaScope(instance), 1, api);
}

/**
 * `members` of the instances of `scope` together: their part of the scope's quota x apiQuotaShare, the
 * burst rounded down (at least one call, so a budget always lets calls through).
 */
function shareOf(
  config: RuntimeConfig,
  scope: string,
  members: number,
  api: ConnectApi,
): { rate: number; burst: number } {
  const sharing = config.instances.filter((i) => quotaScope(i) === scope).length;
  const quota = quotaFor(config, api);
  const part = (config.apiQuotaShare * members) / sharing;
  return { rate: quota.rate * part, burst: Math.max(1, Math.floor(quota.burst * part)) };
}

/**
 * The limiters of one process, kept for its life: one per account and Region among the instances an
 * invocation runs together (a fleet group, lambdas/shared/config/fleet.ts, or every configured instance
 * when run without groups), with those instances' part of the account quota x apiQuotaShare. Their
 * calls queue in one bucket, in order, so together they never pass the part, bursts included (separate
 * per-instance buckets, each allowed a call, could fire at once past an account burst of 2); other
 * invocations running the account's other instances hold the rest of the share.
 */
export class RateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly config: RuntimeConfig,
    private readonly clock: LimiterClock = realClock,
  ) {}

  /**
   * The limiter whose buckets `instance` draws from, when it runs together with the instances
   * `together` (ids; default every configured instance).
   */
  for(instance: InstanceConfig, together?: readonly string[]): RateLimiter {
    const scope = quotaScope(instance);
    const members = this.config.instances
      .filter((i) => quotaScope(i) === scope && (!together || together.includes(i.instanceId)))
      .map((i) => i.instanceId);
    const key = `${scope}|${members.join(',')}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter((api) => shareOf(this.config, scope, members.length, api), this.clock);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
