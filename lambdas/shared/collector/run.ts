import type { ConnectClient } from '@aws-sdk/client-connect';
import type { Feed } from '../../feeds';
import type { InstanceConfig, RuntimeConfig } from '../config/runtime-config';
import { type ConnectCallStats, ConnectGateway } from '../connect/gateway';
import type { RateLimiters } from '../connect/rate-limiter';
import { type SqlExecutor, sqlJson } from '../db/executor';
import type { Log } from '../runtime/logger';
import { describeError } from '../runtime/retry';

/**
 * What every collector shares: run each configured instance independently (one failing never stops
 * the others), give each a {@link ConnectGateway} under the account's budget, and record every run in
 * `collector_run`: inside the collector's own transaction when it succeeds (so data and its run row
 * land together), on its own when it fails.
 */

/** A record the collector could not use and skipped, with why. */
export interface SkippedRecord {
  readonly record: string;
  readonly reason: string;
}

/** What a collector reports of a successful run. */
export interface RunResult {
  readonly rowsWritten: number;
  /** The newest data written: snapshot time or interval end. */
  readonly dataTime: Date | null;
  readonly skipped?: readonly SkippedRecord[];
  /** Small feed-specific facts for `collector_run.details` (kept under a few KB). */
  readonly details?: Record<string, unknown>;
}

/** One run of one feed on one instance, as `collector_run` records it. */
export interface RunSummary extends RunResult {
  readonly feed: Feed;
  readonly instanceId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: 'succeeded' | 'partial' | 'failed';
  readonly apiCalls: number;
  readonly throttles: number;
  readonly error: string | null;
}

/** What a collector gets for one instance. */
export interface CollectorContext {
  readonly feed: Feed;
  readonly instance: InstanceConfig;
  readonly config: RuntimeConfig;
  readonly connect: ConnectGateway;
  readonly db: SqlExecutor;
  readonly log: Log;
  /** The run's start: the one "now" the collector should use for data (snapshot and interval times). */
  readonly startedAt: Date;
  /** Data time: what time it is in the contact centre (the simulator's clock in tests). */
  readonly now: () => Date;
  /**
   * Elapsed-time clock in epoch ms, for budgets against {@link deadlineAt}. It is wall-clock time even
   * when {@link now} is simulated, so a run on accelerated time still gets its real time budget.
   */
  readonly clock: () => number;
  /** {@link clock} time by which the run must be done. */
  readonly deadlineAt: number;
  /**
   * Writes this run's `collector_run` row inside the collector's transaction. Call it last, with the
   * transaction's executor.
   */
  recordRun(tx: SqlExecutor, result: RunResult): Promise<void>;
}

/** A collector: reads one instance and writes one transaction. */
export type Collector = (context: CollectorContext) => Promise<RunResult>;

/** Where the runs' figures go (Powertools Metrics when deployed). */
export interface RunMetrics {
  publish(runs: readonly RunSummary[]): void;
}

/** Everything a run of a collector needs. */
export interface CollectorDeps {
  readonly config: RuntimeConfig;
  readonly db: SqlExecutor;
  readonly clients: { for(instance: InstanceConfig): ConnectClient };
  readonly limiters: RateLimiters;
  readonly log: Log;
  readonly metrics?: RunMetrics;
  /** Data time (see {@link CollectorContext.now}). @default the system clock */
  readonly now?: () => Date;
  /** Elapsed-time clock for deadlines (see {@link CollectorContext.clock}). @default Date.now */
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

/** Runs `collect` for every configured instance at once and returns one summary per instance. */
export async function runCollector(
  feed: Feed,
  collect: Collector,
  deps: CollectorDeps,
): Promise<RunSummary[]> {
  const now = deps.now ?? (() => new Date());
  const instances = deps.config.instances.filter(
    (i) => !deps.instanceIds || deps.instanceIds.includes(i.instanceId),
  );
  const runs = await Promise.all(instances.map((instance) => runOne(feed, collect, instance, deps, now)));
  deps.metrics?.publish(runs);
  return runs;
}

async function runOne(
  feed: Feed,
  collect: Collector,
  instance: InstanceConfig,
  deps: CollectorDeps,
  now: () => Date,
): Promise<RunSummary> {
  const startedAt = now();
  const log = deps.log;
  const connect = new ConnectGateway(deps.clients.for(instance), {
    limiter: deps.limiters.for(instance),
    deadlineAt: deps.deadlineAt,
    now: deps.clock ?? Date.now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  let recorded: RunSummary | undefined;
  const context: CollectorContext = {
    feed,
    instance,
    config: deps.config,
    connect,
    db: deps.db,
    log,
    startedAt,
    now,
    clock: deps.clock ?? Date.now,
    deadlineAt: deps.deadlineAt,
    async recordRun(tx, result) {
      recorded = summarize(feed, instance, startedAt, now(), connect.stats, result, null);
      await writeRun(tx, recorded);
    },
  };
  try {
    const result = await collect(context);
    const summary = recorded ?? summarize(feed, instance, startedAt, now(), connect.stats, result, null);
    if (!recorded) await writeRun(deps.db, summary);
    log.info('collector run', logFields(summary));
    return summary;
  } catch (error) {
    const message = describeError(error);
    const summary = summarize(
      feed,
      instance,
      startedAt,
      now(),
      connect.stats,
      { rowsWritten: 0, dataTime: null },
      message,
    );
    log.error('collector run failed', { ...logFields(summary), error });
    await writeRun(deps.db, summary).catch((writeError: unknown) =>
      log.error('could not record the failed run', {
        feed,
        instanceId: instance.instanceId,
        error: describeError(writeError),
      }),
    );
    return summary;
  }
}

function summarize(
  feed: Feed,
  instance: InstanceConfig,
  startedAt: Date,
  finishedAt: Date,
  stats: ConnectCallStats,
  result: RunResult,
  error: string | null,
): RunSummary {
  const skipped = result.skipped ?? [];
  return {
    ...result,
    skipped,
    feed,
    instanceId: instance.instanceId,
    startedAt,
    finishedAt,
    outcome: error ? 'failed' : skipped.length > 0 ? 'partial' : 'succeeded',
    apiCalls: stats.calls,
    throttles: stats.throttles,
    error,
  };
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

const MAX_SKIPPED_DETAILS = 50;

/** Upserts a run's row: a retried transaction writes the same key again, harmlessly. */
export async function writeRun(db: SqlExecutor, run: RunSummary): Promise<void> {
  const skipped = run.skipped ?? [];
  const details = {
    ...(run.details ?? {}),
    ...(skipped.length > 0
      ? { skipped: skipped.slice(0, MAX_SKIPPED_DETAILS), skippedTotal: skipped.length }
      : {}),
  };
  await db.query(
    `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome, rows_written, api_calls,
       throttles, skipped_records, data_time, error_text, details)
     VALUES (:instanceId, :feed, :startedAt, :finishedAt, :outcome, :rowsWritten, :apiCalls, :throttles,
       :skipped, :dataTime, :error, :details::jsonb)
     ON CONFLICT (instance_id, feed, started_at) DO UPDATE SET
       finished_at = EXCLUDED.finished_at, outcome = EXCLUDED.outcome, rows_written = EXCLUDED.rows_written,
       api_calls = EXCLUDED.api_calls, throttles = EXCLUDED.throttles, skipped_records = EXCLUDED.skipped_records,
       data_time = EXCLUDED.data_time, error_text = EXCLUDED.error_text, details = EXCLUDED.details`,
    {
      instanceId: run.instanceId,
      feed: run.feed,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      outcome: run.outcome,
      rowsWritten: run.rowsWritten,
      apiCalls: run.apiCalls,
      throttles: run.throttles,
      skipped: skipped.length,
      dataTime: run.dataTime,
      error: run.error ? run.error.slice(0, 4000) : null,
      details: Object.keys(details).length > 0 ? sqlJson(details) : null,
    },
  );
}
