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
 * The pipeline's budget for one API in one account and Region: the account quota times the configured
 * share, divided among the configured instances of that account and Region (they share the quota).
 */
export function apiBudget(
  config: RuntimeConfig,
  instance: InstanceConfig,
  api: ConnectApi,
): { rate: number; burst: number } {
  const scope = quotaScope(instance);
  const sharing = config.instances.filter((i) => quotaScope(i) === scope).length;
  const quota = quotaFor(config, api);
  const rate = (quota.rate * config.apiQuotaShare) / sharing;
  return { rate, burst: Math.max(1, Math.floor((quota.burst * config.apiQuotaShare) / sharing)) };
}

/**
 * One limiter per instance, kept for the process's life. Each instance's buckets get its share of the
 * account quota ({@link apiBudget}), so the instances of one account together stay under
 * `quota x apiQuotaShare` and a busy instance cannot starve the others.
 */
export class RateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly config: RuntimeConfig,
    private readonly clock: LimiterClock = realClock,
  ) {}

  /** The limiter whose buckets `instance` draws from. */
  for(instance: InstanceConfig): RateLimiter {
    let limiter = this.limiters.get(instance.instanceId);
    if (!limiter) {
      limiter = new RateLimiter((api) => apiBudget(this.config, instance, api), this.clock);
      this.limiters.set(instance.instanceId, limiter);
    }
    return limiter;
  }
}
