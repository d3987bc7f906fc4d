import { FEED_TABLE, localRunBudgetMs } from '../lambdas/feeds';
import { runCollector } from '../lambdas/shared/collector/run-feed';
import { executionShards, instanceGroups } from '../lambdas/shared/config/fleet';
import { DEFAULT_API_QUOTAS, parseRuntimeConfig } from '../lambdas/shared/config/runtime-config';
import { ConnectClients } from '../lambdas/shared/connect/clients';
import { RateLimiters } from '../lambdas/shared/connect/rate-limiter';
import { silentLog } from '../lambdas/shared/runtime/logger';
import { fleetInstances, onSimulator } from '../local/fleet';
import { COLLECTORS } from '../local/runner/collectors';
import { LOCAL_CREDENTIALS } from '../local/runner/database';
import { startConnectSimulator } from '../local/simulator';
import { type BenchDatabaseKind, openBenchDatabase } from './bench-database';
import { OffsetClock } from './offset-clock';
import { type Figure, figure } from './results';
import { BENCH_SEED, BENCH_START } from './scenarios';
import { percentile } from './stats';

/** The fleet the issue names: 200 instances x 10 queues x 50 agents over 50 accounts in 3 Regions. */
export const FLEET = { instances: 200, accounts: 50, regions: 3, queues: 10, agents: 50 } as const;

/** Options of {@link benchFleet}. */
export interface FleetBenchOptions {
  readonly database: BenchDatabaseKind;
  /** Real-time ticks to run, one cadence apart in real time. @default 6 (a minute) */
  readonly ticks?: number;
  readonly progress: (line: string) => void;
}

const REALTIME = ['current_metrics', 'current_users'] as const;
const REALTIME_APIS = ['GetCurrentMetricData', 'GetCurrentUserData'] as const;

/**
 * The fleet scenario: the real-time feeds over a simulated fleet as the deployed loop runs them (each
 * group, fleet.ts, one invocation per feed and tick, all groups at once, each group in its own container
 * with its own limiters), ticks one cadence apart in real time, the simulator holding every account
 * and Region to Connect's default quotas (DEFAULT_API_QUOTAS: GetCurrentMetricData 5/s burst 8,
 * GetCurrentUserData 2/s burst 2). Measures per tick: Connect calls against the minimum (one
 * GetCurrentMetricData and one GetCurrentUserData per instance: 10 queues and 50 agents fit one page
 * each), throttles, instances refreshed, the tick's duration (its slowest group), Data API requests,
 * and what Lambda would bill: invocations and GB-seconds (each invocation's duration x its memory).
 */
export async function benchFleet(options: FleetBenchOptions): Promise<Figure[]> {
  const ticks = options.ticks ?? 6;
  const clock = new OffsetClock(BENCH_START.getTime());
  const database = await openBenchDatabase(options.database);
  const shape = fleetInstances({
    instances: FLEET.instances,
    accounts: FLEET.accounts,
    regions: FLEET.regions,
  });
  const simulator = await startConnectSimulator({
    queues: FLEET.queues,
    agents: FLEET.agents,
    seed: BENCH_SEED,
    clock,
    quotas: {
      ...DEFAULT_API_QUOTAS,
      // Metadata runs once to name the queues; its list calls are not what this scenario measures.
      ListQueues: { rate: 1000, burst: 1000 },
      ListRoutingProfiles: { rate: 1000, burst: 1000 },
      ListAgentStatuses: { rate: 1000, burst: 1000 },
      ListUsers: { rate: 1000, burst: 1000 },
    },
    instances: onSimulator.simulated(shape),
  });
  const config = parseRuntimeConfig({
    instances: onSimulator.collected(shape, simulator.endpoint),
    apiQuotas: {
      ListQueues: { rate: 1000, burst: 1000 },
      ListRoutingProfiles: { rate: 1000, burst: 1000 },
      ListAgentStatuses: { rate: 1000, burst: 1000 },
      ListUsers: { rate: 1000, burst: 1000 },
    },
  });
  const clients = new ConnectClients({ credentials: LOCAL_CREDENTIALS });
  const groups = instanceGroups(config);
  const cadenceMs = config.cadences.realtimeSeconds * 1000;
  const deps = (feed: (typeof REALTIME)[number] | 'metadata', limiters: RateLimiters) => {
    const deadlineAt = Date.now() + localRunBudgetMs(feed, config.cadences);
    return {
      config,
      db: database.db.until(deadlineAt),
      clients,
      limiters,
      log: silentLog,
      now: () => new Date(clock.now()),
      deadlineAt,
    };
  };
  const counts = () => {
    const of = (api: 'GetCurrentMetricData' | 'GetCurrentUserData') => simulator.calls.get(api)?.calls ?? 0;
    return {
      metrics: of('GetCurrentMetricData'),
      users: of('GetCurrentUserData'),
      throttled: [...simulator.calls.values()].reduce((n, c) => n + c.throttled, 0),
    };
  };
  try {
    options.progress(
      `  fleet: ${config.instances.length} instances, ${FLEET.accounts} accounts, ${groups.length} groups in ${executionShards(config).length} executions a minute`,
    );
    await runCollector(COLLECTORS.metadata, deps('metadata', new RateLimiters(config)));
    // One container per group and feed, kept across ticks, as Lambda keeps a warm one.
    const containers = groups.map(() => ({
      current_metrics: new RateLimiters(config),
      current_users: new RateLimiters(config),
    }));
    const perTick: {
      durationMs: number;
      calls: number;
      throttled: number;
      refreshed: number;
      statements: number;
      gbSeconds: number;
    }[] = [];
    for (let tick = 0; tick < ticks; tick += 1) {
      const due = Date.now();
      const before = counts();
      database.sent.length = 0;
      let gbSeconds = 0;
      const runs = (
        await Promise.all(
          groups.flatMap((g, k) =>
            REALTIME.map(async (feed) => {
              const started = performance.now();
              const done = await runCollector(COLLECTORS[feed], {
                ...deps(feed, containers[k]![feed]),
                instanceIds: g.instanceIds,
              });
              const ms = performance.now() - started;
              // Lambda bills each invocation's duration (rounded up to the ms) x its memory.
              gbSeconds += (Math.ceil(ms) / 1000) * (FEED_TABLE[feed].function.memorySize / 1024);
              return done;
            }),
          ),
        )
      ).flat();
      const durationMs = Date.now() - due;
      const after = counts();
      const refreshed = new Set(
        runs
          .filter((r) => r.feed === 'current_metrics' && r.outcome === 'succeeded')
          .map((r) => r.instanceId),
      ).size;
      perTick.push({
        durationMs,
        calls: after.metrics - before.metrics + (after.users - before.users),
        throttled: after.throttled - before.throttled,
        refreshed,
        statements: database.sent.length,
        gbSeconds,
      });
      options.progress(
        `  fleet tick ${tick}: ${durationMs} ms, ${perTick.at(-1)?.calls} Connect calls, ${perTick.at(-1)?.throttled} throttled, ${refreshed} instances refreshed, ${database.sent.length} Data API requests`,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + cadenceMs - Date.now())));
    }
    const minimumCalls = 2 * config.instances.length;
    const invocationsPerMinute = (60 / config.cadences.realtimeSeconds) * groups.length * REALTIME.length;
    const gbSecondsPerTick = perTick.reduce((n, t) => n + t.gbSeconds, 0) / perTick.length;
    const label = database.label;
    return [
      figure('fleet', 'all', 'instances', config.instances.length, 'instances'),
      figure('fleet', 'all', 'accounts', FLEET.accounts, 'accounts'),
      figure('fleet', 'all', 'groups', groups.length, 'groups'),
      figure('fleet', 'all', 'executions_per_minute', executionShards(config).length, 'executions'),
      figure(
        'fleet',
        'realtime',
        'connect_calls_per_tick_max',
        Math.max(...perTick.map((t) => t.calls)),
        'calls',
      ),
      figure('fleet', 'realtime', 'connect_calls_per_tick_minimum', minimumCalls, 'calls'),
      figure(
        'fleet',
        'realtime',
        'throttles',
        perTick.reduce((n, t) => n + t.throttled, 0),
        'throttles',
      ),
      ...REALTIME_APIS.map((api) =>
        figure('fleet', api, 'throttles', simulator.calls.get(api)?.throttled ?? 0, 'throttles'),
      ),
      figure(
        'fleet',
        'realtime',
        'ticks_without_throttles',
        perTick.filter((t) => t.throttled === 0).length,
        `of ${perTick.length}`,
      ),
      figure(
        'fleet',
        'realtime',
        'instances_refreshed_every_tick',
        Math.min(...perTick.map((t) => t.refreshed)),
        'instances',
      ),
      figure(
        'fleet',
        'realtime',
        `tick_p95_ms_${label}`,
        Math.round(
          percentile(
            perTick.map((t) => t.durationMs),
            95,
          ),
        ),
        'ms',
      ),
      figure('fleet', 'realtime', 'lambda_invocations_per_minute', invocationsPerMinute, 'invocations'),
      figure(
        'fleet',
        'realtime',
        `lambda_gb_seconds_per_minute_${label}`,
        Math.round(gbSecondsPerTick * (60 / config.cadences.realtimeSeconds) * 10) / 10,
        'GB-s',
      ),
      figure(
        'fleet',
        'realtime',
        'data_api_requests_per_tick',
        Math.round(perTick.reduce((n, t) => n + t.statements, 0) / perTick.length),
        'requests',
      ),
    ];
  } finally {
    clients.destroy();
    await simulator.close();
    await database.close();
  }
}
