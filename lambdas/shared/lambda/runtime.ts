import { Metrics } from '@aws-lambda-powertools/metrics';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import type { Context } from 'aws-lambda';
import type { Feed } from '../../feeds';
import { type RetentionReport, runRetention } from '../../retention/retention';
import { type Collector, type CollectorDeps, type RunSummary, runCollector } from '../collector/run';
import { powertoolsRunMetrics } from '../collector/run-metrics';
import { type LambdaEnv, readLambdaEnv } from '../config/env';
import { ConnectClients } from '../connect/clients';
import { RateLimiters } from '../connect/rate-limiter';
import { DataApiExecutor } from '../db/data-api-executor';
import type { DeadlineBoundExecutor } from '../db/executor';
import { acquireLease, releaseLease } from '../db/lease';
import { createLogger } from '../runtime/logger';

/**
 * The deployed composition root shared by the collector handlers: built once per Lambda container
 * (module scope), so clients, rate limiters and credentials are reused across invocations.
 */
export interface LambdaRuntime {
  readonly env: LambdaEnv;
  /** The Data API executor built at init; each invocation binds it to its own end (`until`). */
  readonly db: DeadlineBoundExecutor;
  readonly deps: Omit<CollectorDeps, 'deadlineAt' | 'db'>;
}

/** Reads the env and builds the clients (throws EnvError at init when the env is wrong). */
export function createLambdaRuntime(serviceName: string): LambdaRuntime {
  const env = readLambdaEnv();
  const log = createLogger(serviceName);
  const db = new DataApiExecutor({
    client: new RDSDataClient({}),
    resourceArn: env.dbClusterArn,
    secretArn: env.dbSecretArn,
    database: env.dbName,
    onRetry: ({ error, attempt, delayMs }) =>
      log.warn('retrying a Data API call', {
        attempt,
        delayMs,
        error: error instanceof Error ? error.name : String(error),
      }),
  });
  return {
    env,
    db,
    deps: {
      config: env.config,
      clients: new ConnectClients(),
      limiters: new RateLimiters(env.config),
      log,
      metrics: powertoolsRunMetrics(new Metrics({ serviceName })),
    },
  };
}

/** Some instances' runs failed; the others were collected and every run was recorded. */
export class CollectorRunError extends Error {
  override readonly name = 'CollectorRunError';
}

/** Time kept back from the Lambda timeout to record the run and publish metrics. */
const DEADLINE_MARGIN_MS = 3_000;

/**
 * Runs one collector for every instance within the invocation's remaining time: Connect retries and
 * Data API retries (a whole transaction included) all stop by the same deadline, a few seconds before
 * the function's timeout, so no retry outlives the invocation and no transaction is left open by a
 * function killed mid-retry. `afterRuns` (the push target) runs once every run has committed, before a
 * failed instance turns into the invocation's error, so the instances that succeeded are still pushed.
 */
export async function invokeCollector(
  runtime: LambdaRuntime,
  feed: Feed,
  collect: Collector,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  options: { afterRuns?: (runs: readonly RunSummary[]) => Promise<unknown> } = {},
): Promise<{
  runs: Pick<RunSummary, 'instanceId' | 'outcome' | 'rowsWritten' | 'apiCalls' | 'throttles'>[];
}> {
  const deadlineAt = invocationDeadline(context);
  const runs = await runCollector(feed, collect, {
    ...runtime.deps,
    db: runtime.db.until(deadlineAt),
    deadlineAt,
  });
  await options.afterRuns?.(runs);
  const failed = runs.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    throw new CollectorRunError(
      `${feed}: ${failed.length} of ${runs.length} instance runs failed: ${failed.map((r) => `${r.instanceId}: ${r.error}`).join('; ')}`,
    );
  }
  return {
    runs: runs.map(({ instanceId, outcome, rowsWritten, apiCalls, throttles }) => ({
      instanceId,
      outcome,
      rowsWritten,
      apiCalls,
      throttles,
    })),
  };
}

/** What an invocation that found another run of its feed in flight returns. */
export interface SkippedInvocation {
  readonly skipped: string;
}

/**
 * Runs `work` only when no other invocation of `feed` is running, holding the feed's lease in the
 * database until this invocation ends (or gives it back when `work` is done). Each Lambda container has
 * its own Connect rate limiter, so two overlapping runs of a scheduled collector (a backfill longer
 * than the cadence, a schedule event delivered twice) would spend twice the account's quota share;
 * the second one skips instead, and the next scheduled run catches up from the watermarks.
 */
export async function exclusively<T>(
  runtime: LambdaRuntime,
  feed: Feed,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  work: () => Promise<T>,
): Promise<T | SkippedInvocation> {
  const db = runtime.db.until(invocationDeadline(context));
  const holder = context.awsRequestId;
  if (!(await acquireLease(db, feed, holder, context.getRemainingTimeInMillis()))) {
    const skipped = `another ${feed} run holds the lease; this one skips and the next catches up`;
    runtime.deps.log.info('run skipped', { feed, reason: skipped });
    return { skipped };
  }
  try {
    return await work();
  } finally {
    await releaseLease(db, feed, holder).catch((error: unknown) =>
      runtime.deps.log.warn('could not release the lease; it lapses at the invocation end', {
        feed,
        error: error instanceof Error ? error.name : String(error),
      }),
    );
  }
}

/**
 * Runs the retention job (roll up, then delete, raw snapshots older than `retentionDays`) within the
 * invocation's remaining time; what is left is done by the next invocation.
 */
export async function invokeRetention(
  runtime: LambdaRuntime,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RetentionReport> {
  const deadlineAt = invocationDeadline(context);
  const report = await runRetention(runtime.db.until(deadlineAt), {
    retentionDays: runtime.env.config.retentionDays,
    now: new Date(),
    deadlineAt,
  });
  runtime.deps.log.info('retention', { ...report, cutoff: report.cutoff.toISOString() });
  return report;
}

/** When this invocation's work must be done: its remaining time, less the margin for recording and metrics. */
function invocationDeadline(context: Pick<Context, 'getRemainingTimeInMillis'>): number {
  return Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
}
