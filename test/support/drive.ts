import { type CheckResponse, checkDataLoad } from '../../lambdas/check-data-load/check';
import { sqlFreshnessStore } from '../../lambdas/check-data-load/freshness-store';
import type { Feed } from '../../lambdas/feeds';
import { nextDue } from '../../lambdas/feeds';
import type { RunSummary } from '../../lambdas/shared/collector/contract';
import type { RunDeps } from '../../lambdas/shared/collector/run-feed';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { silentLog } from '../../lambdas/shared/runtime/logger';
import { COLLECTORS } from '../../local/runner/collectors';
import type { TestPipeline } from './pipeline';

/** What a driven stretch of simulated time did. */
export interface DriveLog {
  readonly runs: RunSummary[];
  readonly ticks: number;
}

/**
 * Runs the pipeline on accelerated simulated time: the simulator's clock jumps from one scheduled run
 * to the next (the deployed schedule of lambdas/feeds.ts: real-time ticks at :00, :10 ...,
 * historical one minute past each 5-minute boundary, metadata on each 15-minute boundary) and each due
 * collector runs for real against the simulator and the local Data API. Hours run in seconds.
 */
export async function drive(
  pipeline: TestPipeline,
  simulatedMs: number,
  options: {
    /** Deps overrides for a run (a short deadline during a storm, say). */
    deps?: (feed: Feed, atMs: number) => Partial<RunDeps>;
    /** Called after each tick with the simulated time. */
    afterTick?: (atMs: number) => Promise<void> | void;
    /** Feeds to leave out. */
    skip?: readonly Feed[];
    /** Feeds to run once at the start, before the schedule (as `npm start` runs metadata and history). */
    atStart?: readonly Feed[];
  } = {},
): Promise<DriveLog> {
  const { cadences } = pipeline.config;
  const end = pipeline.clock.now() + simulatedMs;
  const runs: RunSummary[] = [];
  let ticks = 0;
  for (const feed of options.atStart ?? [])
    runs.push(...(await run(pipeline, feed, pipeline.clock.now(), options)));
  for (;;) {
    const now = pipeline.clock.now();
    const feeds = (['metadata', 'historical_metrics', 'current_metrics', 'current_users'] as const).filter(
      (f) => !options.skip?.includes(f),
    );
    const dueAt = Math.min(...feeds.map((f) => nextDue(f, now + 1, cadences)));
    if (dueAt > end) break;
    pipeline.clock.set(dueAt);
    const due = feeds.filter((f) => nextDue(f, dueAt, cadences) === dueAt);
    // Metadata first (names), the real-time pair together, historical last: as the schedules overlap.
    if (due.includes('metadata')) runs.push(...(await run(pipeline, 'metadata', dueAt, options)));
    const realtime = due.filter((f) => f === 'current_metrics' || f === 'current_users');
    for (const batch of await Promise.all(realtime.map((f) => run(pipeline, f, dueAt, options))))
      runs.push(...batch);
    if (due.includes('historical_metrics'))
      runs.push(...(await run(pipeline, 'historical_metrics', dueAt, options)));
    ticks += 1;
    await options.afterTick?.(dueAt);
  }
  pipeline.clock.set(end);
  return { runs, ticks };
}

async function run(
  pipeline: TestPipeline,
  feed: Feed,
  atMs: number,
  options: { deps?: (feed: Feed, atMs: number) => Partial<RunDeps> },
): Promise<RunSummary[]> {
  return runCollector(COLLECTORS[feed], pipeline.deps(options.deps?.(feed, atMs) ?? {}));
}

/** Asks the deployed check logic about the pipeline, at the simulated time. */
export function check(pipeline: TestPipeline, query: Record<string, string> = {}): Promise<CheckResponse> {
  return checkDataLoad(query, {
    config: pipeline.config,
    store: sqlFreshnessStore(pipeline.db),
    now: () => new Date(pipeline.clock.now()),
    log: silentLog,
  });
}
