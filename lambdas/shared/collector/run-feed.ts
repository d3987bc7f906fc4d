import type { ConnectClient } from '@aws-sdk/client-connect';
import { type AfterRunStep, FEED_TABLE } from '../../feeds';
import type { InstanceConfig, RuntimeConfig } from '../config/runtime-config';
import { ConnectGateway } from '../connect/gateway';
import type { RateLimiters } from '../connect/rate-limiter';
import type { SqlExecutor } from '../db/executor';
import type { Log } from '../runtime/logger';
import { describeError } from '../runtime/retry';
import type { AnyCollector, RunContext, RunResult, RunSummary } from './contract';
import { writeRun } from './run-store';

/**
 * The runner every collector shares, deployed and locally: run each configured instance
 * independently (one failing never stops the others), give each a Connect gateway under the
 * account's budget, write what it fetched and its `collector_run` row in one transaction (on its own
 * when the run failed), publish the runs' metrics, then run the feed's after-run steps.
 */

/** Where the runs' figures go (Powertools Metrics when deployed). */
export interface RunMetrics {
  publish(runs: readonly RunSummary[]): void;
}

/** A step after the runs of one feed (push, retention), given every run's summary and the feed's deadline. */
export type AfterRun = (
  runs: readonly RunSummary[],
  step: { readonly deadlineAt: number },
) => Promise<unknown>;

/** Everything a run of a collector needs. */
export interface RunDeps {
  readonly config: RuntimeConfig;
  readonly db: SqlExecutor;
  readonly clients: { for(instance: InstanceConfig): ConnectClient };
  readonly limiters: RateLimiters;
  readonly log: Log;
  readonly metrics?: RunMetrics;
  /** Data time (see {@link RunContext.now}). @default the system clock */
  readonly now?: () => Date;
  /** Elapsed-time clock for deadlines (see {@link RunContext.clock}). @default Date.now */
  readonly clock?: () => number;
  /** {@link clock} time by which every instance must be done. */
  readonly deadlineAt: number;
  /** Only these instances (default: all configured). */
  readonly instanceIds?: readonly string[];
  /** Stops the runs: no Connect request is sent after it aborts, so a run in flight fails before writing. */
  readonly signal?: AbortSignal;
  /** Test seams for the retry backoff. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** What a feed's run did: one summary per instance, and each after-run step's outcome. */
export interface FeedRun {
  readonly runs: RunSummary[];
  readonly after: Partial<Record<AfterRunStep, { ok: true; value: unknown } | { ok: false; error: string }>>;
}

/**
 * Runs one feed: {@link runCollector}, then each after-run step the feed table names, in order, that
 * `steps` implements (a step left out, such as push with no target, is skipped). A step that fails is
 * logged and reported in `after`; it never changes the runs, which are already recorded.
 */
export async function runFeed(
  collector: AnyCollector,
  deps: RunDeps & { readonly steps?: Partial<Record<AfterRunStep, AfterRun>> },
): Promise<FeedRun> {
  const runs = await runCollector(collector, deps);
  const after: FeedRun['after'] = {};
  for (const name of FEED_TABLE[collector.feed].afterRuns) {
    const step = deps.steps?.[name];
    if (!step) continue;
    try {
      after[name] = { ok: true, value: await step(runs, { deadlineAt: deps.deadlineAt }) };
    } catch (error) {
      deps.log.error('after-run step failed; the runs are recorded', {
        feed: collector.feed,
        step: name,
        error,
      });
      after[name] = { ok: false, error: describeError(error) };
    }
  }
  return { runs, after };
}

/** Runs `collector` for every configured instance at once and returns one summary per instance. */
export async function runCollector(collector: AnyCollector, deps: RunDeps): Promise<RunSummary[]> {
  const instances = deps.config.instances.filter(
    (i) => !deps.instanceIds || deps.instanceIds.includes(i.instanceId),
  );
  const runs = await Promise.all(instances.map((instance) => runOne(collector, instance, deps)));
  deps.metrics?.publish(runs);
  return runs;
}

async function runOne(collector: AnyCollector, instance: InstanceConfig, deps: RunDeps): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const clock = deps.clock ?? Date.now;
  const run: RunContext = {
    feed: collector.feed,
    instance,
    config: deps.config,
    log: deps.log,
    startedAt: now(),
    now,
    clock,
    deadlineAt: deps.deadlineAt,
  };
  const connect = new ConnectGateway(deps.clients.for(instance), {
    limiter: deps.limiters.for(instance, deps.instanceIds),
    deadlineAt: deps.deadlineAt,
    now: clock,
    sleep: deps.sleep,
    random: deps.random,
    signal: deps.signal,
  });
  const summarize = (result: RunResult, error: string | null): RunSummary => {
    const skipped = result.skipped ?? [];
    return {
      ...result,
      skipped,
      feed: collector.feed,
      instanceId: instance.instanceId,
      startedAt: run.startedAt,
      finishedAt: now(),
      outcome: error ? 'failed' : skipped.length > 0 ? 'partial' : 'succeeded',
      apiCalls: connect.stats.calls,
      throttles: connect.stats.throttles,
      error,
    };
  };
  try {
    const ports = collector.ports({ connect, run });
    const fetched = await collector.fetch(run, deps.db, ports);
    // A retried transaction runs this whole function again: the writes and the run row are upserts.
    const summary = await deps.db.transaction(async (tx) => {
      const recorded = summarize(await collector.write(tx, fetched, run, ports), null);
      await writeRun(tx, recorded);
      return recorded;
    });
    deps.log.info('collector run', logFields(summary));
    return summary;
  } catch (error) {
    const summary = summarize({ rowsWritten: 0, dataTime: null }, describeError(error));
    deps.log.error('collector run failed', { ...logFields(summary), error });
    await writeRun(deps.db, summary).catch((writeError: unknown) =>
      deps.log.error('could not record the failed run', {
        feed: collector.feed,
        instanceId: instance.instanceId,
        error: describeError(writeError),
      }),
    );
    return summary;
  }
}

function logFields(run: RunSummary): Record<string, unknown> {
  return {
    feed: run.feed,
    instanceId: run.instanceId,
    outcome: run.outcome,
    rowsWritten: run.rowsWritten,
    apiCalls: run.apiCalls,
    throttles: run.throttles,
    skipped: run.skipped?.length ?? 0,
    durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
  };
}
