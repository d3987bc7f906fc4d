import { createHash } from 'node:crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { currentActivityProbe } from '../../current-metrics/connect-source';
import { type AfterRunStep, FEED_TABLE, type Feed } from '../../feeds';
import { hasPushTargets, pushTargetOf, pushToTargets, secretPushUrl } from '../../push/push-target';
import { runRetentionOnce } from '../../retention/retention';
import type { AnyCollector, RunSummary } from '../collector/contract';
import { FEED_DIMENSION, PUSH_METRICS } from '../collector/metric-names';
import { PollGate } from '../collector/poll-gate';
import { type AfterRun, closedForAll, type RunDeps, runFeed } from '../collector/run-feed';
import { powertoolsRunMetrics } from '../collector/run-metrics';
import type { LambdaEnv } from '../config/env';
import { ConnectClients } from '../connect/clients';
import { RateLimiters } from '../connect/rate-limiter';
import type { DeadlineBoundExecutor } from '../db/executor';
import { acquireLease, releaseLease } from '../db/lease';
import { createDatabaseRuntime } from './database';

/**
 * The deployed composition root: each collector handler is `collectorHandler(<collector>)`, built once
 * per Lambda container (module scope), so clients, rate limiters and credentials are reused across
 * invocations. It binds every retry to the invocation's end, takes the feed's lease when the feed table
 * says its runs are exclusive, and wires the after-run steps the feed table names (push, retention).
 */

/** What every function of the pipeline builds at init. */
export interface LambdaRuntime {
  readonly env: LambdaEnv;
  /** The Data API executor built at init; each invocation binds it to its own end (`until`). */
  readonly db: DeadlineBoundExecutor;
  readonly deps: Omit<RunDeps, 'deadlineAt' | 'db'>;
}

/** Reads the env and builds the clients (throws EnvError at init when the env is wrong). */
function createLambdaRuntime(serviceName: string): LambdaRuntime {
  const { env, db, log } = createDatabaseRuntime(serviceName);
  return {
    env,
    db,
    deps: {
      config: env.config,
      clients: new ConnectClients(),
      limiters: new RateLimiters(env.config),
      log,
      // One per container: open periods read from Connect at most hourly, probes remembered between ticks.
      gate: new PollGate({ config: env.config, probe: currentActivityProbe, log }),
      metrics: powertoolsRunMetrics(
        new Metrics({ serviceName }),
        () => new Date(),
        (id) => env.config.instances.find((i) => i.instanceId === id)?.clientName,
      ),
    },
  };
}

/** Some instances' runs failed, or an after-run step did; the others were collected and recorded. */
export class CollectorRunError extends Error {
  override readonly name = 'CollectorRunError';
}

/** What an invocation reports. */
export interface InvocationResult {
  readonly runs: Pick<RunSummary, 'instanceId' | 'outcome' | 'rowsWritten' | 'apiCalls' | 'throttles'>[];
  readonly after: Partial<Record<AfterRunStep, unknown>>;
}

/** What an invocation that found another run of its feed in flight returns. */
export interface SkippedInvocation {
  readonly skipped: string;
}

/** The event was not one a collector can run (a group naming an instance the config does not have). */
export class InvocationEventError extends Error {
  override readonly name = 'InvocationEventError';
}

/**
 * What a collector reads from its event: the instances of its group (the polling loop's Map over the
 * fleet's groups sends them, fleet.ts); an event without them (EventBridge's scheduled event, a test
 * invocation) runs every configured instance. Other fields (the tick, EventBridge's) are ignored.
 */
const InvocationEventSchema = z.looseObject({
  instanceIds: z.array(z.string().min(1)).min(1).optional(),
});

/** The instances an event names, checked against the config. */
export function eventInstanceIds(event: unknown, config: LambdaEnv['config']): readonly string[] | undefined {
  const parsed = InvocationEventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    throw new InvocationEventError(
      `event: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  }
  const ids = parsed.data.instanceIds;
  const unknown = (ids ?? []).filter((id) => !config.instances.some((i) => i.instanceId === id));
  if (unknown.length > 0) {
    throw new InvocationEventError(
      `event: instanceIds: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the runtime config (expected the instance ids of one group)`,
    );
  }
  return ids;
}

/** The Lambda handler of a collector: one line in each `handler.ts`. */
export function collectorHandler(
  collector: AnyCollector,
  runtime: LambdaRuntime = createLambdaRuntime(FEED_TABLE[collector.feed].function.serviceName),
): (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
) => Promise<InvocationResult | SkippedInvocation> {
  const steps = afterRunSteps(runtime, collector.feed);
  return async (event, context) => {
    const instanceIds = eventInstanceIds(event, runtime.env.config);
    const work = () => invokeFeed(runtime, collector, context, steps, instanceIds);
    if (!FEED_TABLE[collector.feed].exclusive) return work();
    // Closed for every instance, the run writes nothing: no lease, so the database stays paused.
    const closed = await closedForAll(collector, {
      ...runtime.deps,
      db: runtime.db.until(invocationDeadline(context)),
      deadlineAt: invocationDeadline(context),
      ...(instanceIds ? { instanceIds } : {}),
    });
    return closed ? work() : exclusively(runtime, leaseKey(collector.feed, instanceIds), context, work);
  };
}

/**
 * The lease of a scheduled run: the feed's, or, for a group, the feed's and the group's (a hash of its
 * instance ids: a key stays short whatever the group's size), so groups run side by side and a group
 * never overlaps itself.
 */
export function leaseKey(feed: Feed, instanceIds?: readonly string[]): string {
  if (!instanceIds) return feed;
  const digest = createHash('sha256').update(instanceIds.join(',')).digest('hex').slice(0, 16);
  return `${feed}/${digest}`;
}

/** Time kept back from the Lambda timeout to record the run and publish metrics. */
const DEADLINE_MARGIN_MS = 3_000;

/**
 * Runs a feed within the invocation's remaining time: Connect retries and Data API retries (a whole
 * transaction included) all stop by the same deadline, a few seconds before the function's timeout, so
 * no retry outlives the invocation and no transaction is left open by a function killed mid-retry. The
 * after-run steps run once every run has committed, before a failed instance turns into the
 * invocation's error, so the instances that succeeded are still pushed.
 */
export async function invokeFeed(
  runtime: LambdaRuntime,
  collector: AnyCollector,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  steps: Partial<Record<AfterRunStep, AfterRun>> = {},
  instanceIds?: readonly string[],
): Promise<InvocationResult> {
  const deadlineAt = invocationDeadline(context);
  const { runs, after } = await runFeed(collector, {
    ...runtime.deps,
    db: runtime.db.until(deadlineAt),
    deadlineAt,
    steps,
    ...(instanceIds ? { instanceIds } : {}),
  });
  const failed = runs.filter((r) => r.outcome === 'failed');
  const failedSteps = Object.entries(after).filter(([, outcome]) => !outcome.ok);
  if (failed.length > 0 || failedSteps.length > 0) {
    throw new CollectorRunError(
      [
        ...(failed.length > 0
          ? [
              `${collector.feed}: ${failed.length} of ${runs.length} instance runs failed: ${failed.map((r) => `${r.instanceId}: ${r.error}`).join('; ')}`,
            ]
          : []),
        ...failedSteps.map(([step, outcome]) => `${step} failed: ${outcome.ok ? '' : outcome.error}`),
      ].join('; '),
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
    after: Object.fromEntries(
      Object.entries(after).map(([step, outcome]) => [step, outcome.ok ? outcome.value : null]),
    ),
  };
}

/**
 * Runs `work` only when no other invocation holds the lease `key` (a feed's, or a feed group's: see
 * {@link leaseKey}), holding it in the database until this invocation ends (or gives it back when
 * `work` is done). Each Lambda container has its own Connect rate limiter, so two overlapping runs of a
 * scheduled collector (a backfill longer than the cadence, a schedule event delivered twice) would
 * spend twice the account's quota share; the second one skips instead, and the next scheduled run
 * catches up from the watermarks.
 */
export async function exclusively<T>(
  runtime: LambdaRuntime,
  key: string,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  work: () => Promise<T>,
): Promise<T | SkippedInvocation> {
  const db = runtime.db.until(invocationDeadline(context));
  const holder = context.awsRequestId;
  if (!(await acquireLease(db, key, holder, context.getRemainingTimeInMillis()))) {
    const skipped = `another ${key} run holds the lease; this one skips and the next catches up`;
    runtime.deps.log.info('run skipped', { feed: key, reason: skipped });
    return { skipped };
  }
  try {
    return await work();
  } finally {
    await releaseLease(db, key, holder).catch((error: unknown) =>
      runtime.deps.log.warn('could not release the lease; it lapses at the invocation end', {
        feed: key,
        error: error instanceof Error ? error.name : String(error),
      }),
    );
  }
}

/**
 * The after-run steps of a feed, deployed: push each instance's rows to its own target
 * (`instances[].pushTargetSecretArn`) or the deployment's (PUSH_TARGET_SECRET_ARN), each secret read
 * once per container, with PushSucceeded/PushFailed/PushRows metrics per target; none when no instance
 * has a target; retention, one bounded pass within the invocation's remaining time (one at a time).
 */
function afterRunSteps(
  runtime: LambdaRuntime,
  feed: Feed,
  options: { secrets?: SecretsManagerClient; metrics?: Metrics } = {},
): Partial<Record<AfterRunStep, AfterRun>> {
  const steps: Partial<Record<AfterRunStep, AfterRun>> = {};
  const names = FEED_TABLE[feed].afterRuns;
  const { config, pushTargetSecretArn } = runtime.env;
  if (names.includes('push') && hasPushTargets(config, pushTargetSecretArn)) {
    const secrets = options.secrets ?? new SecretsManagerClient({});
    const urls = new Map<string, () => Promise<string>>();
    const urlOf = (arn: string) => {
      const url = urls.get(arn) ?? secretPushUrl(secrets, arn);
      urls.set(arn, url);
      return url;
    };
    const metrics = options.metrics ?? new Metrics({ serviceName: FEED_TABLE[feed].function.serviceName });
    steps.push = (runs) =>
      pushToTargets(runs, {
        db: runtime.db,
        config,
        targetOf: pushTargetOf(config, pushTargetSecretArn),
        urlOf,
        log: runtime.deps.log,
        onResult: (result) => {
          metrics.addDimension(FEED_DIMENSION, feed);
          metrics.addMetric(PUSH_METRICS.succeeded, MetricUnit.Count, result.ok ? 1 : 0);
          metrics.addMetric(PUSH_METRICS.failed, MetricUnit.Count, result.ok ? 0 : 1);
          metrics.addMetric(PUSH_METRICS.rows, MetricUnit.Count, result.ok ? result.rows : 0);
          metrics.publishStoredMetrics();
        },
      });
  }
  if (names.includes('retention')) {
    steps.retention = async (_runs, { deadlineAt }) => {
      const report = await runRetentionOnce(runtime.db.until(deadlineAt), {
        retentionDays: runtime.env.config.retentionDays,
        now: new Date(),
        deadlineAt,
      });
      if ('skipped' in report) {
        runtime.deps.log.info('retention skipped', { reason: report.skipped });
        return report;
      }
      runtime.deps.log.info('retention', { ...report, cutoff: report.cutoff.toISOString() });
      return { batches: report.batches, done: report.done };
    };
  }
  return steps;
}

/** When this invocation's work must be done: its remaining time, less the margin for recording and metrics. */
function invocationDeadline(context: Pick<Context, 'getRemainingTimeInMillis'>): number {
  return Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
}
