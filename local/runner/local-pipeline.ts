import { currentActivityProbe } from '../../lambdas/current-metrics/connect-source';
import { cadenceSeconds, FEEDS, type Feed, localRunBudgetMs } from '../../lambdas/feeds';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR, runMigrations } from '../../lambdas/migrate/migrations';
import { pushAfterCurrentMetrics } from '../../lambdas/push/push-target';
import { runRetentionOnce } from '../../lambdas/retention/retention';
import type { RunSummary } from '../../lambdas/shared/collector/contract';
import { PollGate } from '../../lambdas/shared/collector/poll-gate';
import { type AfterRun, type RunDeps, runFeed } from '../../lambdas/shared/collector/run-feed';
import { instanceGroups } from '../../lambdas/shared/config/fleet';
import { parseRuntimeConfig, type RuntimeConfig } from '../../lambdas/shared/config/runtime-config';
import { ConnectClients } from '../../lambdas/shared/connect/clients';
import { RateLimiters } from '../../lambdas/shared/connect/rate-limiter';
import { parseDbTimestampOrNull } from '../../lambdas/shared/db/executor';
import { type Log, silentLog } from '../../lambdas/shared/runtime/logger';
import { loadDeployConfig, runtimeConfigOf } from '../../lib/config';
import { dashboardDefinition, dashboardTargets } from '../../lib/dashboard/definition';
import { buildPageAssets } from '../dashboard/assets';
import { dashboardRoutes } from '../dashboard/routes';
import { startCheckServer } from './check-server';
import { COLLECTORS } from './collectors';
import { type ConnectTarget, type OpenedTarget, openConnectTarget } from './connect-target';
import { type LocalDatabase, type LocalDataStack, openLocalDataStack } from './database';
import { runFeedLoop } from './feed-loop';
import { LiveView, type Out } from './live-view';
import { localCheck } from './local-check';
import { ReplayClock } from './replay-clock';

/** Options of {@link startLocalPipeline}. */
export interface LocalPipelineOptions {
  /** Deploy config file the cadences, quotas and thresholds come from (instances are the target's). */
  readonly configPath: string;
  readonly database: LocalDatabase;
  readonly connect: ConnectTarget;
  /** Port of the /check server (0 = any free port). */
  readonly checkPort: number;
  readonly host?: string;
  readonly out: Out;
  /** Collector logs (the live view is the console output; logs are for debugging). @default silent */
  readonly log?: Log;
  /**
   * The pipeline's clock: the feed loops' schedule, the runs' data time, the live view, /check and the
   * dashboard (give the simulator the same one, in `connect`). A replay (`npm start -- --speed`) runs
   * it faster than real time until it catches up; it starts when the loops do. @default real time
   */
  readonly clock?: ReplayClock;
  /**
   * Where each current-metrics run's newest rows are also POSTed (as the deployed push target does).
   * @default - no push
   */
  readonly pushUrl?: string;
  /** Hours of history the first historical run reads. @default the deploy config's historicalBackfillHours */
  readonly backfillHours?: number;
}

/** A running local pipeline. */
export interface LocalPipeline {
  readonly config: RuntimeConfig;
  readonly checkUrl: string;
  /** The live dashboard page. */
  readonly dashboardUrl: string;
  readonly target: OpenedTarget;
  readonly data: LocalDataStack;
  readonly view: LiveView;
  /** Stops the collectors' loops (runs in flight finish or roll back); /check and the dashboard stay up. */
  stopCollectors(): Promise<void>;
  /** Stops the loops, closes everything, returns the summary. */
  stop(): Promise<string>;
}

/**
 * `npm start`: the whole pipeline on one machine. Opens the database and the local Data API, applies the
 * migrations with the deploy-time runner, starts the Connect simulator (or checks a real instance),
 * runs the four collectors from the Lambda code on the deployed schedules, serves /check, and prints
 * the live view.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const host = options.host ?? '127.0.0.1';
  const clients = new Map<string, string>();
  const clock = options.clock ?? ReplayClock.real();
  const now = () => new Date(clock.now());
  const view = new LiveView(options.out, () => clock.now(), clients);
  const deployConfig = loadDeployConfig(options.configPath);
  const deployed = runtimeConfigOf(deployConfig);
  const dashboard = dashboardDefinition(dashboardTargets(deployConfig));
  const data = await openLocalDataStack(options.database, { onStatement: () => view.statement() });
  const opened: { target?: OpenedTarget } = {};
  try {
    const report = await runMigrations(data.db, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
    view.note(
      `database ready (${describeDatabase(options.database)}): ${report.applied.length} migration(s) applied, ` +
        `${report.alreadyApplied} already there`,
    );
    opened.target = await openConnectTarget(options.connect);
  } catch (error) {
    await data.close();
    throw error;
  }
  const target = opened.target;
  const { instances: _ignored, ...settings } = deployed;
  const config = parseRuntimeConfig({
    ...settings,
    ...(options.backfillHours ? { historicalBackfillHours: options.backfillHours } : {}),
    instances: target.instances,
  });
  for (const instance of config.instances) clients.set(instance.instanceId, instance.clientName);
  const connectClients = new ConnectClients(target.credentials ? { credentials: target.credentials } : {});
  const limiters = new RateLimiters(config);
  // Every feed runs by group, side by side, as the deployed loop's Map and the schedules' fan-outs do.
  const groups = instanceGroups(config);
  const log = options.log ?? silentLog;
  const controller = new AbortController();
  // As deployed (one per function there): polling by the centre's hours, from Connect's own answers.
  const gate = new PollGate({ config, probe: currentActivityProbe, log });
  const deps = (feed: Feed): RunDeps => {
    // As deployed: Connect and Data API retries end by the same run deadline (real time, as the
    // retries' waits are: a replay speeds up the schedule, not the calls).
    const deadlineAt = Date.now() + localRunBudgetMs(feed, config.cadences);
    return {
      now,
      signal: controller.signal,
      config,
      db: data.db.until(deadlineAt),
      clients: connectClients,
      limiters,
      log,
      deadlineAt,
      gate,
    };
  };
  const checkLogic = localCheck(config, data.reads, { now });
  const check = await startCheckServer(checkLogic, {
    port: options.checkPort,
    host,
    // The dashboard page and its JSON API, on the pipeline's clock, as its runs are.
    routes: dashboardRoutes(data.reads, dashboard, now, {
      assets: await buildPageAssets(),
      check: checkLogic,
    }),
  });
  const dashboardUrl = check.url.replace(/check$/, '');
  const collecting =
    target.instances.length > 3
      ? `${target.instances.length} instances of ${new Set(clients.values()).size} clients in ${new Set(config.instances.map((i) => i.account)).size} accounts (${groups.length} groups)`
      : target.instances.map((i) => i.instanceId).join(', ');
  view.note(
    `collecting ${collecting} from ${target.simulator ? `the simulator at ${target.simulator.endpoint}` : (target.instances[0]?.endpoint ?? `Amazon Connect (${target.instances[0]?.region})`)}`,
  );
  view.note(`dashboard: ${dashboardUrl}   check: curl -s ${check.url}   (Ctrl-C stops)`);

  const backfill = new BackfillProgress(config, data, view, clock.now());
  const steps = localAfterRunSteps(config, data, view, log, options.pushUrl, now);
  const runOneFeed = async (feed: Feed, skippedTicks: number, atStart = false): Promise<RunSummary[]> => {
    const started = performance.now();
    // As deployed: every feed one invocation per group, side by side (fleet.ts). The start-up runs of
    // metadata and historical go ahead whatever the hours, so a closed centre still shows what it has.
    const runs = (
      await Promise.all(
        groups.map((g) =>
          runFeed(COLLECTORS[feed], {
            ...deps(feed),
            ...(atStart ? { gate: undefined } : {}),
            steps,
            instanceIds: g.instanceIds,
          }),
        ),
      )
    ).flatMap((r) => r.runs);
    view.run(feed, runs, performance.now() - started, skippedTicks);
    if (feed === 'historical_metrics' && runs.some((r) => r.outcome !== 'closed')) await backfill.report();
    return runs;
  };

  // Metadata first, so queue names exist before the first real-time tick (deployed, it runs on its own
  // 15-minute schedule and the real-time collectors list queues themselves until it has).
  await runOneFeed('metadata', 0, true);
  // A replay starts now, so the start-up above took no simulated time.
  clock.start();
  const loops = FEEDS.map((feed) =>
    runFeedLoop(
      feed,
      config.cadences,
      (event) =>
        runOneFeed(feed, event.skippedTicks, feed === 'historical_metrics' && event.first).then(
          () => undefined,
        ),
      {
        signal: controller.signal,
        runAtStart: feed === 'historical_metrics',
        clock,
      },
    ),
  );

  const stopCollectors = async () => {
    controller.abort();
    await Promise.allSettled(loops);
  };
  let stopped: Promise<string> | undefined;
  return {
    config,
    checkUrl: check.url,
    dashboardUrl,
    target,
    data,
    view,
    stopCollectors,
    stop() {
      stopped ??= (async () => {
        await stopCollectors();
        await check.close();
        connectClients.destroy();
        await target.close();
        await data.close();
        return view.summary();
      })();
      return stopped;
    },
  };
}

/**
 * The after-run steps, locally: retention after metadata (one bounded pass, noted in the live view),
 * and the push after current metrics when `--push-url` gives a target.
 */
function localAfterRunSteps(
  config: RuntimeConfig,
  data: LocalDataStack,
  view: LiveView,
  log: Log,
  pushUrl: string | undefined,
  now: () => Date,
): Partial<Record<'push' | 'retention', AfterRun>> {
  return {
    retention: async () => {
      const deadlineAt = Date.now() + 30_000;
      const retention = await runRetentionOnce(data.db.until(deadlineAt), {
        retentionDays: config.retentionDays,
        now: now(),
        deadlineAt,
      });
      if ('batches' in retention && retention.batches > 0)
        view.note(`retention: ${retention.queueSnapshotsDeleted} snapshots rolled up and deleted`);
      return retention;
    },
    ...(pushUrl
      ? {
          push: async (runs: readonly RunSummary[]) => {
            const result = await pushAfterCurrentMetrics(runs, {
              db: data.db,
              config,
              url: async () => pushUrl,
              log,
            });
            if (result && !result.ok) view.note(`push to the target failed: ${result.error}`);
            return result;
          },
        }
      : {}),
  };
}

function describeDatabase(database: LocalDatabase): string {
  if (database.kind === 'postgres') return database.url.replace(/\/\/[^@/]*@/, '//***@');
  return database.dataDir ? `embedded PGlite in ${database.dataDir}` : 'embedded PGlite in memory';
}

/** Shows how far the first historical backfill has come, from the watermarks, until it is done. */
class BackfillProgress {
  private done = false;
  private readonly from: number;
  private readonly to: number;

  /** @param startMs when the pipeline started: the backfill reads up to then, later runs keep up. */
  constructor(
    private readonly config: RuntimeConfig,
    private readonly data: LocalDataStack,
    private readonly view: LiveView,
    startMs: number,
  ) {
    this.from = startMs - config.historicalBackfillHours * 3_600_000;
    this.to = startMs;
  }

  async report(): Promise<void> {
    if (this.done) return;
    // Through the readers' executor: the progress bar is not the collectors' load.
    const { rows } = await this.data.reads.query(
      // The feeds' watermarks, not reconciliation's (a day behind by design).
      "SELECT min(watermark) AS oldest, count(*) AS n FROM collection_watermark WHERE feed <> 'reconciliation'",
    );
    const oldest = parseDbTimestampOrNull(rows[0]?.oldest);
    if (!oldest) return;
    // Done within three cadences of the start: the newest intervals are not complete in Connect yet.
    const lag = cadenceSeconds('historical_metrics', this.config.cadences) * 1000 * 3;
    const fraction = Math.min(
      1,
      Math.max(0, (oldest.getTime() - this.from) / Math.max(1, this.to - lag - this.from)),
    );
    this.done = oldest.getTime() >= this.to - lag;
    this.view.backfill(
      this.done ? 1 : fraction,
      `history complete up to ${oldest.toISOString().slice(0, 16)}Z`,
    );
  }
}
