import { runFeed } from '../../lambdas/shared/collector/run-feed';
import { instanceGroups } from '../../lambdas/shared/config/fleet';
import { instanceInput, parseRuntimeConfig } from '../../lambdas/shared/config/runtime-config';
import { RateLimiters } from '../../lambdas/shared/connect/rate-limiter';
import { COLLECTORS } from '../../local/runner/collectors';
import { FAST_HISTORICAL_QUOTAS, startTestPipeline, type TestPipeline } from '../support/pipeline';

/**
 * A fleet on the simulator, whose quotas are per account and Region as Connect's are: 12 instances in
 * 3 accounts, with Connect's strictest real-time defaults (GetCurrentMetricData 5/s burst 8,
 * GetCurrentUserData 2/s burst 2). The real-time feeds run as the deployed loop runs them: each group
 * (fleet.ts) is its own invocation in its own container, so with its own limiters, all groups at once.
 * Each account is split over two groups (instancesPerInvocation 2), so its quota share must hold across
 * containers: every tick makes the fewest calls and none is throttled. The control shows the
 * simulator would throttle containers that each spent the account's whole share.
 */
const REALTIME_QUOTAS = {
  GetCurrentMetricData: { rate: 5, burst: 8 },
  GetCurrentUserData: { rate: 2, burst: 2 },
};

describe('a fleet of 12 instances in 3 accounts, real-time feeds by group', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      instanceCount: 12,
      accounts: 3,
      queues: 10,
      agents: 50,
      label: 'fleet_it',
      warmUpMs: 5 * 60_000,
      quotas: { ...FAST_HISTORICAL_QUOTAS, ...REALTIME_QUOTAS },
      config: {
        apiQuotas: { ...FAST_HISTORICAL_QUOTAS, ...REALTIME_QUOTAS },
        fleet: { instancesPerInvocation: 2, groupsPerExecution: 40 },
      },
    });
    await runFeed(COLLECTORS.metadata, pipeline.deps());
  }, 120_000);
  afterAll(() => pipeline.close());

  const throttled = () => [...pipeline.simulator.calls.values()].reduce((n, c) => n + c.throttled, 0);
  const calls = (api: 'GetCurrentMetricData' | 'GetCurrentUserData') =>
    pipeline.simulator.calls.get(api)?.calls ?? 0;

  test('three ticks back to back: the fewest calls, none throttled, every instance collected each tick', async () => {
    const groups = instanceGroups(pipeline.config);
    expect(groups.map((g) => g.instanceIds.length)).toEqual([2, 2, 2, 2, 2, 2]);
    // One container per group, kept across ticks, as Lambda keeps a warm one.
    const containers = groups.map(() => new RateLimiters(pipeline.config));
    const before = {
      metrics: calls('GetCurrentMetricData'),
      users: calls('GetCurrentUserData'),
      throttled: throttled(),
    };
    for (let tick = 0; tick < 3; tick += 1) {
      const runs = (
        await Promise.all(
          groups.flatMap((g, k) =>
            (['current_metrics', 'current_users'] as const).map((feed) =>
              runFeed(COLLECTORS[feed], {
                ...pipeline.deps({ limiters: containers[k]! }),
                instanceIds: g.instanceIds,
              }),
            ),
          ),
        )
      ).flatMap((r) => r.runs);
      expect(runs.filter((r) => r.outcome === 'succeeded')).toHaveLength(24);
      pipeline.clock.advance(10_000);
    }

    // 10 queues and 50 agents fit one page each: one call of each API per instance per tick.
    expect(calls('GetCurrentMetricData') - before.metrics).toBe(12 * 3);
    expect(calls('GetCurrentUserData') - before.users).toBe(12 * 3);
    expect(throttled() - before.throttled).toBe(0);
  }, 120_000);

  test('control: containers that each spend the account share as if alone are throttled by the simulator', async () => {
    const before = throttled();
    // Each instance in its own container, its limiter given a config with that instance only.
    await Promise.all(
      pipeline.config.instances.map((instance) => {
        const alone = parseRuntimeConfig({
          instances: [instanceInput(instance)],
          apiQuotas: REALTIME_QUOTAS,
        });
        return runFeed(COLLECTORS.current_users, {
          ...pipeline.deps({ limiters: new RateLimiters(alone) }),
          instanceIds: [instance.instanceId],
        });
      }),
    );

    expect(throttled() - before).toBeGreaterThan(0);
  }, 120_000);
});
