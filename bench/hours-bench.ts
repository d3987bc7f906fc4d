import { currentActivityProbe } from '../lambdas/current-metrics/connect-source';
import { FEEDS, type Feed, localRunBudgetMs } from '../lambdas/feeds';
import { PollGate } from '../lambdas/shared/collector/poll-gate';
import { DEFAULT_API_QUOTAS, parseRuntimeConfig } from '../lambdas/shared/config/runtime-config';
import { ConnectClients } from '../lambdas/shared/connect/clients';
import { RateLimiters } from '../lambdas/shared/connect/rate-limiter';
import { silentLog } from '../lambdas/shared/runtime/logger';
import { LOCAL_CREDENTIALS } from '../local/runner/database';
import { runStepped } from '../local/runner/stepped-run';
import { ManualClock, startConnectSimulator } from '../local/simulator';
import { type BenchDatabaseKind, openBenchDatabase } from './bench-database';
import { type Figure, figure } from './results';
import { BENCH_SEED } from './scenarios';

/**
 * A day of a 12x5 centre (scenario S: 10 queues, 50 agents; the simulator's office-hours profile,
 * Monday to Friday 08:00-20:00 in New York) through the collectors on the deployed cadences (real-time
 * every 10 s, historical every 5 minutes, metadata every 15), on a simulated clock: once polled around
 * the clock (`openingHours.pollByHours: false`, before) and once by its hours (after). Counts the
 * Connect calls each feed made (every call a run or its poll gate sent), the database statements, the
 * hours of the day in which the database got any, and its longest idle stretch (with auto-pause after 5
 * idle minutes, the time it can sleep).
 */

/** A Thursday in New York, midnight to midnight (EST: 05:00 UTC). No holiday: the simulator's is the first Wednesday after its start. */
const DAY_START = Date.parse('2026-11-19T05:00:00Z');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface HoursBenchOptions {
  readonly database: BenchDatabaseKind;
  readonly progress: (line: string) => void;
}

export async function benchHours(options: HoursBenchOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const pollByHours of [false, true]) {
    const label = pollByHours ? 'by hours' : 'around the clock';
    const day = await runDay(pollByHours, options.database);
    const total = FEEDS.reduce((n, f) => n + day.calls[f], 0);
    options.progress(
      `  hours: ${label}: ${total} Connect calls a day (${FEEDS.map((f) => `${f} ${day.calls[f]}`).join(', ')}), ` +
        `${day.statements} statements, the database busy in ${day.busyHours} of 24 hours, longest idle ${day.longestIdleHours.toFixed(1)} h`,
    );
    const scenario = `12x5 ${label}`;
    figures.push(
      ...FEEDS.map((f) => figure(scenario, f, 'connect_calls_per_day', day.calls[f], 'calls')),
      figure(scenario, 'all', 'connect_calls_per_day', total, 'calls'),
      figure(scenario, 'all', 'statements_per_day', day.statements, 'statements'),
      figure(scenario, 'all', 'database_busy_hours', day.busyHours, 'hours'),
      figure(scenario, 'all', 'longest_database_idle', Math.round(day.longestIdleHours * 10) / 10, 'hours'),
    );
  }
  return figures;
}

async function runDay(pollByHours: boolean, target: BenchDatabaseKind) {
  // From the evening before, so the first hours are not a first run's backfill.
  const from = DAY_START - 2 * HOUR_MS;
  const clock = new ManualClock(from);
  const database = await openBenchDatabase(target);
  const fast = Object.fromEntries(
    Object.keys(DEFAULT_API_QUOTAS).map((api) => [api, { rate: 1000, burst: 1000 }]),
  );
  const simulator = await startConnectSimulator({
    profile: 'office-hours',
    timeZone: 'America/New_York',
    queues: 10,
    agents: 50,
    seed: BENCH_SEED,
    clock,
    quotas: fast,
  });
  const config = parseRuntimeConfig({
    instances: simulator.instances.map((i) => ({
      instanceId: i.instanceId,
      instanceArn: i.arn,
      region: i.region,
      clientName: 'Bench',
      environment: 'bench',
      endpoint: simulator.endpoint,
    })),
    apiQuotas: fast,
    historicalBackfillHours: 1,
    openingHours: { pollByHours },
  });
  const clients = new ConnectClients({ credentials: LOCAL_CREDENTIALS });
  const limiters = new RateLimiters(config);
  const gate = new PollGate({ config, probe: currentActivityProbe, log: silentLog });
  const calls = Object.fromEntries(FEEDS.map((f) => [f, 0])) as Record<Feed, number>;
  const writes: number[] = [];
  let statements = 0;
  try {
    await runStepped({
      from,
      until: DAY_START + DAY_MS,
      setClock: (ms) => clock.set(ms),
      deps: (feed) => {
        const deadlineAt = Date.now() + localRunBudgetMs(feed, config.cadences) * 10;
        return {
          config,
          db: database.db,
          clients,
          limiters,
          log: silentLog,
          now: () => new Date(clock.now()),
          deadlineAt,
          gate,
        };
      },
      after: ({ at, feed, runs }) => {
        const sent = database.sent.length;
        database.sent.length = 0;
        if (at < DAY_START) return;
        calls[feed] += runs.reduce((n, r) => n + r.apiCalls, 0);
        statements += sent;
        if (sent > 0) writes.push(at);
      },
    });
  } finally {
    clients.destroy();
    await simulator.close();
    await database.close();
  }
  const busyHours = new Set(writes.map((t) => Math.floor((t - DAY_START) / HOUR_MS))).size;
  let longest = writes.length === 0 ? DAY_MS : 0;
  for (let i = 0; i <= writes.length; i += 1) {
    const start = i === 0 ? DAY_START : writes[i - 1]!;
    const end = i === writes.length ? DAY_START + DAY_MS : writes[i]!;
    longest = Math.max(longest, end - start);
  }
  return { calls, statements, busyHours, longestIdleHours: longest / HOUR_MS };
}
