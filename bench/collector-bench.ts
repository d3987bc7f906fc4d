import { type Feed, localRunBudgetMs } from '../lambdas/feeds';
import { HISTORICAL_FEEDS } from '../lambdas/historical-metrics/definitions';
import { writeHistorical } from '../lambdas/historical-metrics/store';
import { runCollector } from '../lambdas/shared/collector/run-feed';
import { DEFAULT_API_QUOTAS, parseRuntimeConfig } from '../lambdas/shared/config/runtime-config';
import { ConnectClients } from '../lambdas/shared/connect/clients';
import { apiBudget, RateLimiters } from '../lambdas/shared/connect/rate-limiter';
import { silentLog } from '../lambdas/shared/runtime/logger';
import { COLLECTORS } from '../local/runner/collectors';
import { LOCAL_CREDENTIALS } from '../local/runner/database';
import { type ConnectSimulator, startConnectSimulator } from '../local/simulator';
import {
  minCurrentMetricsCalls,
  minCurrentUsersCalls,
  minMetadataCalls,
  reconciliationCallsPerDay,
  restatementCallsPerHour,
} from './api-minimums';
import { type BenchDatabaseKind, openBenchDatabase } from './bench-database';
import { minimumOfHistoricalRun, type RunMeasure, summarize, tablesWritten } from './collector-figures';
import { OffsetClock } from './offset-clock';
import { type Figure, figure } from './results';
import { BENCH_SEED, BENCH_START, type Scenario } from './scenarios';
import { percentile } from './stats';

/** Options of {@link benchScenario}. */
export interface ScenarioBenchOptions {
  readonly scenario: Scenario;
  readonly database: BenchDatabaseKind;
  /** Emit the machine-independent counts too (false for a second pass that only times another database). */
  readonly counts: boolean;
  /** Progress lines. */
  readonly progress: (line: string) => void;
}

const INSTANCE_ID = '00000000-0000-4000-8000-000000000001';
const ACCOUNT_ID = '111122223333';
const MINUTE = 60_000;
/** Simulated history before the start: enough for the first historical run's refetched intervals. */
const WARM_UP_MS = 45 * MINUTE;
/** The Connect APIs each collector calls (ListQueues/ListRoutingProfiles only before metadata ran). */
const APIS_OF: Readonly<Record<Feed, readonly (keyof typeof DEFAULT_API_QUOTAS)[]>> = {
  metadata: ['ListQueues', 'ListRoutingProfiles', 'ListAgentStatuses', 'ListUsers'],
  current_metrics: ['GetCurrentMetricData'],
  current_users: ['GetCurrentUserData'],
  historical_metrics: ['GetMetricData', 'GetMetricDataV2'],
};

/**
 * Runs every collector of the pipeline (the Lambda code, through the real SDK clients) against a
 * simulated contact centre of the scenario's size and a local Data API, and measures each run: Connect
 * calls and throttles, Data API statements and bytes, rows, latency. The simulator enforces Connect's
 * default quotas (DEFAULT_API_QUOTAS: GetCurrentUserData 2/s, list APIs 2/s) and the pipeline runs with
 * its default config (80 % of each quota).
 */
export async function benchScenario(options: ScenarioBenchOptions): Promise<Figure[]> {
  const { scenario } = options;
  const clock = new OffsetClock(BENCH_START.getTime());
  const database = await openBenchDatabase(options.database);
  const simulator = await startConnectSimulator({
    queues: scenario.queues,
    agents: scenario.agents,
    seed: BENCH_SEED,
    clock,
    quotas: { ...DEFAULT_API_QUOTAS },
    warmUpMs: WARM_UP_MS,
    instances: [{ instanceId: INSTANCE_ID, region: 'us-east-1', accountId: ACCOUNT_ID }],
  });
  const config = parseRuntimeConfig({
    historicalBackfillHours: 1,
    instances: simulator.instances.map((i) => ({
      instanceId: i.instanceId,
      instanceArn: i.arn,
      region: i.region,
      clientName: `Bench ${scenario.name}`,
      environment: 'bench',
      endpoint: simulator.endpoint,
    })),
  });
  const clients = new ConnectClients({ credentials: LOCAL_CREDENTIALS });
  const limiters = new RateLimiters(config);
  const instance = config.instances[0]!;
  const figures: Figure[] = [];

  const runOnce = async (feed: Feed): Promise<RunMeasure> => {
    const minApiCalls = minimumBefore(feed, simulator);
    database.sent.length = 0;
    const requestsBefore = database.dataApi.stats.requests;
    const startedAt = clock.now();
    const [summary] = await runCollector(COLLECTORS[feed], {
      config,
      db: database.db,
      clients,
      limiters,
      log: silentLog,
      now: () => new Date(clock.now()),
      // Deadlines on the same shifted clock: it runs at wall-clock speed within a run.
      clock: () => clock.now(),
      deadlineAt: startedAt + localRunBudgetMs(feed, config.cadences),
    });
    if (!summary) throw new Error(`no run summary for ${feed}`);
    const writes = database.sent.filter((s) => s.inTransaction);
    return {
      apiCalls: summary.apiCalls,
      minApiCalls: feed === 'historical_metrics' ? minimumOfHistoricalRun(summary) : minApiCalls,
      throttles: summary.throttles,
      statements: database.sent.length,
      writeStatements: writes.length,
      tablesWritten: new Set(writes.flatMap((s) => tablesWritten(s.sql))).size,
      dataApiCalls: database.dataApi.stats.requests - requestsBefore,
      bytesSent: database.sent.reduce((sum, s) => sum + s.bytes, 0),
      rowsWritten: summary.rowsWritten,
      latencyMs: summary.finishedAt.getTime() - summary.startedAt.getTime(),
      outcome: summary.outcome,
      error: summary.error,
    };
  };

  // Before each run, wait until the pipeline's token buckets have refilled what the previous run
  // took (at most a full burst), as they have at a scheduled tick when the previous run needed less
  // than the cadence. The slowest of the feed's APIs sets the wait.
  const refillMs = (feed: Feed, lastCalls: number) =>
    Math.max(
      ...APIS_OF[feed].map((api) => {
        const budget = apiBudget(config, instance, api);
        return Math.ceil((Math.min(budget.burst, lastCalls) / budget.rate) * 1000);
      }),
    );

  const measure = async (feed: Feed, runs: number, before?: () => void): Promise<void> => {
    const measures: RunMeasure[] = [];
    for (let i = 0; i < runs; i += 1) {
      await sleep(refillMs(feed, measures.at(-1)?.apiCalls ?? 0));
      before?.();
      const m = await runOnce(feed);
      if (m.error) options.progress(`  ${scenario.name} ${feed} run ${i + 1} failed: ${m.error}`);
      measures.push(m);
    }
    figures.push(...summarize(scenario.name, feed, measures, database.label, config, options.counts));
    const last = measures.at(-1);
    options.progress(
      `  ${scenario.name} ${feed} on ${database.label}: ${runs} runs, ${last?.apiCalls} calls, ` +
        `p50 ${Math.round(
          percentile(
            measures.map((m) => m.latencyMs),
            50,
          ),
        )} ms`,
    );
  };
  try {
    await measure('metadata', scenario.metadataRuns);
    await measure('current_metrics', scenario.realtimeRuns);
    await measure('current_users', scenario.realtimeRuns);
    await seedWatermarks(database.db, clock.now());
    await measure('historical_metrics', scenario.historicalRuns, () =>
      clock.jump(config.cadences.historicalMinutes * MINUTE),
    );
    if (options.counts) {
      const work = {
        queues: scenario.queues,
        agents: scenario.agents,
        channels: 3,
        restateHours: config.historicalRestateHours,
      };
      figures.push(
        figure(
          scenario.name,
          'historical_metrics',
          'restatement_calls_per_hour_max',
          restatementCallsPerHour(work),
          'calls',
        ),
        figure(
          scenario.name,
          'historical_metrics',
          'reconciliation_calls_per_day_max',
          reconciliationCallsPerDay(work),
          'calls',
        ),
      );
    }
    return figures;
  } finally {
    clients.destroy();
    await simulator.close();
    await database.close();
  }
}

/**
 * Puts every historical watermark on the last quarter hour, as a run one minute after it would have
 * left them, so the measured runs are steady-state runs (one new 5-minute interval each, one new
 * 15-minute interval every third run, each interval fetched once more for late data), not a backfill.
 */
async function seedWatermarks(db: Parameters<typeof writeHistorical>[0], nowMs: number): Promise<void> {
  const mark = new Date(Math.floor(nowMs / (15 * MINUTE)) * 15 * MINUTE);
  await db.transaction((tx) =>
    writeHistorical(tx, {
      instanceId: INSTANCE_ID,
      collectedAt: new Date(nowMs),
      queueIntervals: [],
      agentIntervals: [],
      watermarks: Object.fromEntries(HISTORICAL_FEEDS.map((f) => [f, { from: mark, to: mark }])),
    }),
  );
}

/** The minimum calls of the coming run, from the simulator's ground truth (historical: after the run). */
function minimumBefore(feed: Feed, simulator: ConnectSimulator): number {
  const resources = simulator.groundTruth.resources();
  switch (feed) {
    case 'metadata':
      return minMetadataCalls({
        queues: resources.queues.length,
        routingProfiles: resources.routingProfiles.length,
        agentStatuses: resources.statuses.length,
        users: resources.agents.length,
        hours: resources.hours,
        standardQueues: resources.queueHours.length,
      });
    case 'current_metrics':
      return minCurrentMetricsCalls(resources.queues.filter((q) => q.type === 'STANDARD').length);
    case 'current_users':
      return minCurrentUsersCalls(
        resources.routingProfiles.length,
        simulator.groundTruth.currentUserData().length,
      );
    case 'historical_metrics':
      return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
