import type { CollectorContext, RunResult, SkippedRecord } from '../shared/collector/run';
import type { ConnectApi } from '../shared/config/runtime-config';
import { apiBudget } from '../shared/connect/rate-limiter';
import type { SqlExecutor } from '../shared/db/executor';
import { describeError } from '../shared/runtime/retry';
import {
  type AgentInterval,
  connectHistoricalSource,
  type Fetched,
  FILTER_BATCH,
  type HistoricalSource,
  type QueueInterval,
} from './historical-source';
import { readDimensions, readWatermarks, writeHistorical } from './historical-store';
import { FEED_TIMING, type FeedPlan, planFeed, type TimeRange } from './interval-plan';
import { HISTORICAL_FEEDS, type HistoricalFeed } from './metric-catalog';

/** The metadata collector has not listed any STANDARD queue of the instance yet. */
export class NoQueuesKnownError extends Error {
  override readonly name = 'NoQueuesKnownError';
}

/** What the historical logic needs besides the run context. */
export interface HistoricalDeps {
  readonly source: HistoricalSource;
  /**
   * Sustained calls a second the run may make of one API (the rate limiter's budget), used to size
   * ranges so that each fits the run's time.
   * @default the instance's share of the account quota (apiBudget)
   */
  readonly callsPerSecond?: (api: ConnectApi) => number;
  /**
   * Share of the time to the deadline spent fetching; the rest is kept for the write.
   * @default 0.7
   */
  readonly fetchShare?: number;
}

const API: Readonly<Record<HistoricalFeed, ConnectApi>> = {
  queue_v1: 'GetMetricData',
  queue_v2: 'GetMetricDataV2',
  agent_v2: 'GetMetricDataV2',
};
/** Channels a queue reports on (VOICE, CHAT, TASK, EMAIL): results per queue and interval, at most. */
const CHANNELS = 4;

/**
 * Upper bound of calls one interval costs a feed: batches of 100 ids, and pages of 100 results per
 * batch (queue x channel rows for queues, one row per agent).
 */
export function callsPerInterval(feed: HistoricalFeed, ids: number): number {
  const perId = feed === 'agent_v2' ? 1 : CHANNELS;
  let calls = 0;
  for (let left = ids; left > 0; left -= FILTER_BATCH) {
    calls += Math.max(1, Math.ceil((Math.min(FILTER_BATCH, left) * perId) / 100));
  }
  return calls;
}

/** What one feed fetched in this run. */
interface FeedOutcome {
  readonly feed: HistoricalFeed;
  readonly queueIntervals: QueueInterval[];
  readonly agentIntervals: AgentInterval[];
  readonly skipped: SkippedRecord[];
  /** End of the last range fetched whole, or null when none was. */
  readonly fetchedTo: Date | null;
  readonly details: Record<string, unknown>;
  readonly error: unknown;
}

/**
 * Collects GetMetricData (5-minute queue x channel) and GetMetricDataV2 (15-minute queue x channel and
 * agent) intervals for one instance: per feed, every complete interval since its watermark that the
 * API still serves, oldest first, in as few ranges as fit the run's time; then writes them in one
 * transaction (one statement per table) and moves each watermark only past what it wrote.
 */
export async function collectHistorical(context: CollectorContext, deps: HistoricalDeps): Promise<RunResult> {
  const { config, instance } = context;
  const instanceId = instance.instanceId;
  const startedMs = context.startedAt.getTime();
  // Budgets run on the elapsed-time clock: data time (context.now) may be simulated.
  const clockStart = context.clock();
  const fetchUntil = clockStart + (context.deadlineAt - clockStart) * (deps.fetchShare ?? 0.7);
  const rate = deps.callsPerSecond ?? ((api: ConnectApi) => apiBudget(config, instance, api).rate);

  const marks = await readWatermarks(context.db, instanceId);
  const draft = HISTORICAL_FEEDS.map((feed) =>
    planFeed({
      feed,
      now: context.startedAt,
      watermark: marks[feed] ?? null,
      backfillHours: config.historicalBackfillHours,
      cadenceMs: config.cadences.historicalMinutes * 60_000,
    }),
  );
  const since = new Date(
    Math.min(startedMs, ...draft.flatMap((p) => p.ranges.map((r) => r.start.getTime()))),
  );
  const dims = await readDimensions(context.db, instanceId, since);
  if (dims.queueIds.length === 0) {
    throw new NoQueuesKnownError(
      `no STANDARD queue of instance ${instanceId} is known yet: the metadata collector fills the queue table`,
    );
  }
  const idsOf = (feed: HistoricalFeed) => (feed === 'agent_v2' ? dims.agentIds : dims.queueIds);

  // Size ranges so one fits the fetch time at the API's rate (v2's rate is shared by two feeds).
  const plans = HISTORICAL_FEEDS.map((feed) => {
    const share = feed === 'queue_v1' ? 1 : 0.5;
    const budgetCalls = ((fetchUntil - clockStart) / 1000) * rate(API[feed]) * share;
    const perInterval = callsPerInterval(feed, idsOf(feed).length);
    return planFeed({
      feed,
      now: context.startedAt,
      watermark: marks[feed] ?? null,
      backfillHours: config.historicalBackfillHours,
      cadenceMs: config.cadences.historicalMinutes * 60_000,
      maxIntervalsPerRange: Math.max(1, Math.floor(budgetCalls / Math.max(1, perInterval) / 2)),
    });
  });

  const outcomes = await Promise.all(
    plans.map((plan) => fetchFeed(plan, idsOf(plan.feed), context, deps.source, fetchUntil)),
  );
  const failed = outcomes.filter((o) => o.error !== null);
  const fetchedAny = outcomes.some((o) => o.fetchedTo !== null);
  if (failed.length > 0 && !fetchedAny) throw failed[0]?.error;

  const watermarks: Partial<Record<HistoricalFeed, Date>> = {};
  for (const o of outcomes) if (o.fetchedTo) watermarks[o.feed] = o.fetchedTo;
  const queueIntervals = outcomes.flatMap((o) => o.queueIntervals);
  const agentIntervals = outcomes.flatMap((o) => o.agentIntervals);
  const skipped = outcomes.flatMap((o) => [
    ...o.skipped,
    ...(o.error !== null ? [{ record: `${o.feed} fetch`, reason: describeError(o.error) }] : []),
  ]);
  const ends = Object.values(watermarks).map((d) => d.getTime());
  const dataTime = ends.length > 0 ? new Date(Math.max(...ends)) : null;

  return context.db.transaction(async (tx: SqlExecutor) => {
    const written = await writeHistorical(tx, {
      instanceId,
      collectedAt: context.startedAt,
      queueIntervals,
      agentIntervals,
      watermarks,
    });
    const result: RunResult = {
      rowsWritten: written.queueIntervals + written.serviceLevels + written.agentIntervals,
      dataTime,
      skipped,
      details: {
        ...Object.fromEntries(outcomes.map((o) => [o.feed, o.details])),
        queues: dims.queueIds.length,
        agents: dims.agentIds.length,
      },
    };
    await context.recordRun(tx, result);
    return result;
  });
}

/** Fetches one feed's ranges in order until they are done, time runs short, or a range fails. */
async function fetchFeed(
  plan: FeedPlan,
  ids: readonly string[],
  context: CollectorContext,
  source: HistoricalSource,
  fetchUntil: number,
): Promise<FeedOutcome> {
  const queueIntervals: QueueInterval[] = [];
  const agentIntervals: AgentInterval[] = [];
  const skipped: SkippedRecord[] = [];
  let fetchedTo: Date | null = null;
  let lost = plan.lostIntervals;
  let slowestMs = 0;
  let ranges = 0;
  let error: unknown = null;
  let stoppedEarly = false;
  const timing = FEED_TIMING[plan.feed];
  for (const range of ids.length === 0 ? [] : plan.ranges) {
    const rangeStartedAt = context.clock();
    if (rangeStartedAt + slowestMs > fetchUntil) {
      stoppedEarly = true;
      break;
    }
    const nowMs = context.now().getTime();
    if (range.start.getTime() < nowMs - timing.retentionMs) {
      // The run reached this range after the API stopped serving it (a long backlog).
      lost += Math.round((range.end.getTime() - range.start.getTime()) / timing.periodMs);
      fetchedTo = range.end;
      continue;
    }
    try {
      const fetched = await fetchRange(plan.feed, range, ids, source);
      if (plan.feed === 'agent_v2') agentIntervals.push(...(fetched.records as AgentInterval[]));
      else queueIntervals.push(...(fetched.records as QueueInterval[]));
      skipped.push(...fetched.skipped);
    } catch (caught: unknown) {
      error = caught;
      break;
    }
    slowestMs = Math.max(slowestMs, context.clock() - rangeStartedAt);
    fetchedTo = range.end;
    ranges += 1;
  }
  if (lost > 0) {
    context.log.warn('historical intervals no longer served by the API were lost', {
      instanceId: context.instance.instanceId,
      feed: plan.feed,
      lostIntervals: lost,
    });
  }
  if (stoppedEarly) {
    context.log.warn('historical backlog left for the next run: the run ran out of time', {
      instanceId: context.instance.instanceId,
      feed: plan.feed,
      fetchedTo: fetchedTo?.toISOString() ?? null,
    });
  }
  const first = plan.ranges[0];
  const remaining = plan.ranges.filter((r) => !fetchedTo || r.start.getTime() >= fetchedTo.getTime()).length;
  return {
    feed: plan.feed,
    queueIntervals,
    agentIntervals,
    skipped,
    fetchedTo,
    error,
    details: {
      from: first ? first.start.toISOString() : null,
      to: fetchedTo ? fetchedTo.toISOString() : null,
      ranges,
      rangesLeft: remaining,
      stoppedEarly,
      refetch: plan.refetch,
      lostIntervals: lost,
      ...(ids.length === 0 ? { note: 'no ids known' } : {}),
    },
  };
}

function fetchRange(
  feed: HistoricalFeed,
  range: TimeRange,
  ids: readonly string[],
  source: HistoricalSource,
): Promise<Fetched<QueueInterval> | Fetched<AgentInterval>> {
  switch (feed) {
    case 'queue_v1':
      return source.queueV1(range, ids);
    case 'queue_v2':
      return source.queueV2(range, ids);
    case 'agent_v2':
      return source.agentV2(range, ids);
  }
}

/** The historical collector as the runner calls it: Connect through the run's gateway. */
export function historicalMetricsCollector(context: CollectorContext): Promise<RunResult> {
  return collectHistorical(context, {
    source: connectHistoricalSource(
      context.connect,
      context.instance,
      context.config.serviceLevelThresholdsSeconds,
    ),
  });
}
