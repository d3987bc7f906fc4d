import type { ConnectClient } from '@aws-sdk/client-connect';
import { type AfterRunStep, FEED_TABLE } from '../../feeds';
import type { InstanceConfig, RuntimeConfig } from '../config/runtime-config';
import { ConnectGateway } from '../connect/gateway';
import type { RateLimiters } from '../connect/rate-limiter';
import type { SqlExecutor } from '../db/executor';
import type { Log } from '../runtime/logger';
import { describeError } from '../runtime/retry';
import type { AnyCollector, RunContext, RunResult, RunSummary } from './contract';
import type { PollDecision, PollGate } from './poll-gate';
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
  /**
   * Polls by the clock of the centre (poll-gate.ts): a run the gate keeps closed touches neither the
   * database nor (between probes) Connect. None: every run goes ahead.
   */
  readonly gate?: PollGate;
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
  // Nothing ran (every instance closed): nothing to push, and retention waits for a run that wakes the database.
  if (runs.every((r) => r.outcome === 'closed')) return { runs, after };
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

/** A run's Connect gateway: the instance's client under its account's budget and the run's deadline. */
function gatewayFor(instance: InstanceConfig, deps: RunDeps): ConnectGateway {
  return new ConnectGateway(deps.clients.for(instance), {
    limiter: deps.limiters.for(instance, deps.instanceIds),
    deadlineAt: deps.deadlineAt,
    now: deps.clock ?? Date.now,
    sleep: deps.sleep,
    random: deps.random,
    signal: deps.signal,
  });
}

/**
 * Whether the poll gate will keep a scheduled feed's run closed for every instance it would run (so its
 * lease, which lives in the database, need not be taken). Scheduled decisions depend on the time and
 * the open periods only, so the run that follows decides the same. Never for a real-time feed, whose
 * decisions probe.
 */
export async function closedForAll(collector: AnyCollector, deps: RunDeps): Promise<boolean> {
  const gate = deps.gate;
  if (!gate || FEED_TABLE[collector.feed].schedule.kind === 'loop') return false;
  const nowMs = (deps.now ?? (() => new Date()))().getTime();
  const instances = deps.config.instances.filter(
    (i) => !deps.instanceIds || deps.instanceIds.includes(i.instanceId),
  );
  for (const instance of instances) {
    const decision = await gate.decide(collector.feed, instance, gatewayFor(instance, deps), nowMs);
    if (decision.run) return false;
  }
  return true;
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
  const startedAt = now();
  const connect = gatewayFor(instance, deps);
  let catchUpFrom: Date | undefined;
  let gateWhy: string | undefined;
  const summarize = (result: RunResult, error: string | null, closed = false): RunSummary => {
    const skipped = result.skipped ?? [];
    return {
      ...result,
      skipped,
      feed: collector.feed,
      instanceId: instance.instanceId,
      startedAt,
      finishedAt: now(),
      outcome: closed ? 'closed' : error ? 'failed' : skipped.length > 0 ? 'partial' : 'succeeded',
      apiCalls: connect.stats.calls,
      throttles: connect.stats.throttles,
      error,
    };
  };
  try {
    if (deps.gate) {
      let decision: PollDecision;
      try {
        decision = await deps.gate.decide(collector.feed, instance, connect, startedAt.getTime());
      } catch (error) {
        // Only a probe calls Connect and can fail here, and only while closed: the failure is published
        // (RunFailed, the alarms) but not recorded in the database, which a closed centre leaves asleep.
        const summary = summarize(
          { rowsWritten: 0, dataTime: null, details: { gate: 'probe failed' } },
          describeError(error),
        );
        deps.log.error('poll gate probe failed; not recorded, so the database stays asleep', {
          ...logFields(summary),
          error,
        });
        return summary;
      }
      if (!decision.run) {
        const summary = summarize(
          { rowsWritten: 0, dataTime: null, details: { gate: decision.why } },
          null,
          true,
        );
        deps.log.debug('collector run closed', logFields(summary));
        return summary;
      }
      catchUpFrom = decision.catchUpFrom;
      if (decision.why !== 'always' && decision.why !== 'open') {
        gateWhy = decision.why;
        deps.log.info('poll gate', {
          feed: collector.feed,
          instanceId: instance.instanceId,
          why: decision.why,
        });
      }
    }
    const run: RunContext = {
      feed: collector.feed,
      instance,
      config: deps.config,
      log: deps.log,
      startedAt,
      now,
      clock,
      deadlineAt: deps.deadlineAt,
      ...(catchUpFrom ? { catchUpFrom } : {}),
    };
    const ports = collector.ports({ connect, run });
    const fetched = await collector.fetch(run, deps.db, ports);
    // A retried transaction runs this whole function again: the writes and the run row are upserts.
    const summary = await deps.db.transaction(async (tx) => {
      const result = await collector.write(tx, fetched, run, ports);
      // Why a run went ahead outside the open hours (a probe found activity, a closed batch) is kept.
      const recorded = summarize(
        gateWhy ? { ...result, details: { ...result.details, gate: gateWhy } } : result,
        null,
      );
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
