import { type InstanceConfig, parseRuntimeConfig } from '../../../../lambdas/shared/config/runtime-config';
import { apiBudget, RateLimiters, TokenBucket } from '../../../../lambdas/shared/connect/rate-limiter';

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const instance = (n: number, account = '111122223333') => ({
  instanceId: `00000000-0000-4000-8000-00000000000${n}`,
  instanceArn: `arn:aws:connect:us-east-1:${account}:instance/00000000-0000-4000-8000-00000000000${n}`,
  region: 'us-east-1',
  clientName: `c${n}`,
  environment: 'prod',
});

describe('TokenBucket', () => {
  test('starts empty: a new process earns its burst instead of assuming the one before left it unspent', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 3, clock);

    for (let i = 0; i < 3; i++) await bucket.take();

    expect(clock.slept).toEqual([500, 500, 500]);
  });

  test('lets an earned burst through at once, then spaces calls at the sustained rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 3, clock);
    await clock.sleep(10_000); // idle long enough to fill
    clock.slept.length = 0;

    for (let i = 0; i < 7; i++) await bucket.take();

    // 3 free, then one every 500 ms
    expect(clock.slept).toEqual([500, 500, 500, 500]);
  });

  test('a process replacing one that spent its whole burst still keeps rate x time + burst together', async () => {
    const clock = fakeClock();
    const old = new TokenBucket(5, 8, clock);
    await clock.sleep(10_000);
    const from = clock.now();
    for (let i = 0; i < 8; i++) await old.take(); // the old container spends its burst, then dies

    const fresh = new TokenBucket(5, 8, clock);
    for (let i = 0; i < 20; i++) await fresh.take();

    expect(28).toBeLessThanOrEqual(((clock.now() - from) / 1000) * 5 + 8);
  });

  test('never passes rate x time + burst calls over any window', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(5, 8, clock);
    for (let i = 0; i < 100; i++) await bucket.take();
    expect(100).toBeLessThanOrEqual((clock.now() / 1000) * 5 + 8);
  });
});

describe('apiBudget', () => {
  test("is Connect's default quota times the share, divided among one account's instances", () => {
    const config = parseRuntimeConfig({ instances: [instance(1), instance(2), instance(3, '999988887777')] });
    expect(apiBudget(config, config.instances[0]!, 'GetCurrentMetricData')).toEqual({ rate: 2, burst: 3 });
    expect(apiBudget(config, config.instances[2]!, 'GetCurrentMetricData')).toEqual({ rate: 4, burst: 6 });
  });

  test('uses the configured quota and share when given', () => {
    const config = parseRuntimeConfig({
      instances: [instance(1)],
      apiQuotaShare: 0.5,
      apiQuotas: { ListUsers: { rate: 10, burst: 10 } },
    });
    expect(apiBudget(config, config.instances[0]!, 'ListUsers')).toEqual({ rate: 5, burst: 5 });
  });
});

describe('RateLimiters', () => {
  test('keeps one limiter per account and Region for the life of the process, shared by its instances', () => {
    const config = parseRuntimeConfig({ instances: [instance(1), instance(2), instance(3, '999988887777')] });
    const limiters = new RateLimiters(config);
    expect(limiters.for(config.instances[0]!)).toBe(limiters.for(config.instances[0]!));
    expect(limiters.for(config.instances[0]!)).toBe(limiters.for(config.instances[1]!));
    expect(limiters.for(config.instances[0]!)).not.toBe(limiters.for(config.instances[2]!));
  });

  test('an account split over invocations: each group draws its part, and the parts add up to the share', async () => {
    const config = parseRuntimeConfig({ instances: [instance(1), instance(2), instance(3)] });
    const [a, b, c] = config.instances as [InstanceConfig, InstanceConfig, InstanceConfig];
    // Two groups of one account, in two containers (each its own process and clock), each calling as
    // fast as its bucket lets it for 30 s. GetCurrentMetricData 5/s (8) x 0.8: 4/s for the account,
    // 2/3 and 1/3 of it; bursts floor(8 x 0.8 x 2/3) = 4 and floor(8 x 0.8 / 3) = 2.
    const callsIn30s = async (of: InstanceConfig, together: string[]) => {
      const clock = fakeClock();
      const limiter = new RateLimiters(config, clock).for(of, together);
      let calls = 0;
      while (clock.now() < 30_000) {
        await limiter.acquire('GetCurrentMetricData');
        if (clock.now() < 30_000) calls += 1;
      }
      return calls;
    };
    const first = await callsIn30s(a, [a.instanceId, b.instanceId]);
    const second = await callsIn30s(c, [c.instanceId]);

    expect(first).toBe(Math.floor((8 / 3) * 30) - 1);
    expect(second).toBe(Math.floor((4 / 3) * 30) - 1);
    expect(first + second).toBeLessThanOrEqual(4 * 30 + 6);
  });
});
