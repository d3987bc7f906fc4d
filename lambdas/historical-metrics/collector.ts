import { cadenceSeconds } from '../feeds';
import type { RunContext, RunResult, SkippedRecord } from '../shared/collector/contract';
import { RECONCILIATION_METRICS } from '../shared/collector/metric-names';
import type { ConnectApi } from '../shared/config/runtime-config';
import type { SqlExecutor } from '../shared/db/executor';
import { describeError } from '../shared/runtime/retry';
import { FILTER_BATCH, HISTORICAL_FEEDS, type HistoricalFeed } from './definitions';
import { FEED_TIMING, type FeedPlan, oldestServable, planFeed, type TimeRange } from './interval-plan';
import {
  type AgentInterval,
  type Fetched,
  type HistoricalConnect,
  type HistoricalPorts,
  type HistoricalWrite,
  type QueueInterval,
  RangeRefusedError,
} from './ports';
import { type DayFigures, dueDays, reconcile } from './reconciliation';

/** Ranges younger than this are served by Connect: a refusal of one is an error, not a range refused. */
const REFUSABLE_AGE_MS = 35 * 86_400_000;

/** The metadata collector has not listed any STANDARD queue of the instance yet. */
export class NoQueuesKnownError extends Error {
  override readonly name = 'NoQueuesKnownError';
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
export interface FeedOutcome {
  readonly feed: HistoricalFeed;
  readonly queueIntervals: QueueInterval[];
  readonly agentIntervals: AgentInterval[];
  readonly skipped: SkippedRecord[];
  /** Start of the first range fetched whole, or null when none was. */
  readonly fetchedFrom: Date | null;
  /** End of the last range fetched whole (or refused for good), or null when none was. */
  readonly fetchedTo: Date | null;
  /** End of the last range whose data landed: the run's data time. */
  readonly landedTo: Date | null;
  readonly details: Record<string, unknown>;
  readonly error: unknown;
}

/** The days a run reconciled: Connect's figures and the stored ones, or why it could not. */
export interface FetchedReconciliation {
  readonly range: TimeRange;
  readonly connect: Fetched<DayFigures>;
  readonly stored: readonly DayFigures[];
  readonly error: unknown;
}

/** What a run fetched: per feed what came back, the ids it asked about, and the days reconciled. */
export interface FetchedHistorical {
  readonly outcomes: readonly FeedOutcome[];
  readonly queues: number;
  readonly agents: number;
  readonly reconciliation: FetchedReconciliation | null;
}

/**
 * Fetches GetMetricData (5-minute queue x channel) and GetMetricDataV2 (15-minute queue x channel and
 * agent) intervals for one instance: per feed, every complete interval since its watermark that the
 * API still serves, oldest first, in as few ranges as fit the run's time, then the intervals due for
 * restatement. A range Connect refuses for good is recorded and passed; a feed whose range fails
 * otherwise stops there; when every feed failed before fetching anything, the run fails.
 */
export async function fetchHistorical(
  run: RunContext,
  db: SqlExecutor,
  ports: HistoricalPorts,
): Promise<FetchedHistorical> {
  const { config, instance } = run;
  const instanceId = instance.instanceId;
  const startedMs = run.startedAt.getTime();
  // Budgets run on the elapsed-time clock: data time (run.now) may be simulated.
  const clockStart = run.clock();
  const fetchUntil = clockStart + (run.deadlineAt - clockStart) * (ports.fetchShare ?? 0.7);

  const marks = await ports.store.readWatermarks(db, instanceId);
  const cadenceMs = cadenceSeconds('historical_metrics', config.cadences) * 1000;
  const plan = (feed: HistoricalFeed, maxIntervalsPerRange?: number) =>
    planFeed({
      feed,
      now: run.startedAt,
      watermark: marks[feed] ?? null,
      backfillHours: config.historicalBackfillHours,
      cadenceMs,
      maxIntervalsPerRange,
      restateAgesMs: config.historicalRestateHours.map((h) => h * 3_600_000),
      // After runs skipped while closed, their windows too (from a cadence before the first skipped run).
      restateWindowMs: run.catchUpFrom ? startedMs - run.catchUpFrom.getTime() + cadenceMs : cadenceMs,
    });
  const draft = HISTORICAL_FEEDS.map((feed) => plan(feed));
  const reconcileDays = reconciliationRange(run, marks);
  // Ids of every queue and agent that existed in what this run reads, the reconciled day included.
  const since = new Date(
    Math.min(
      startedMs,
      reconcileDays?.start.getTime() ?? startedMs,
      ...draft.flatMap((p) => [...p.ranges, ...p.restate].map((r) => r.start.getTime())),
    ),
  );
  const dims = await ports.store.readDimensions(db, instanceId, since);
  if (dims.queueIds.length === 0) {
    throw new NoQueuesKnownError(
      `no STANDARD queue of instance ${instanceId} is known yet: the metadata collector fills the queue table`,
    );
  }
  const idsOf = (feed: HistoricalFeed) => (feed === 'agent_v2' ? dims.agentIds : dims.queueIds);

  // Size ranges so one fits the fetch time at the API's rate (v2's rate is shared by two feeds).
  const plans = HISTORICAL_FEEDS.map((feed) => {
    const share = feed === 'queue_v1' ? 1 : 0.5;
    const budgetCalls = ((fetchUntil - clockStart) / 1000) * ports.callsPerSecond(API[feed]) * share;
    const perInterval = callsPerInterval(feed, idsOf(feed).length);
    return plan(feed, Math.max(1, Math.floor(budgetCalls / Math.max(1, perInterval) / 2)));
  });

  const outcomes = await Promise.all(
    plans.map((p) => fetchFeed(p, idsOf(p.feed), run, ports.connect, fetchUntil)),
  );
  const failed = outcomes.filter((o) => o.error !== null);
  if (failed.length > 0 && !outcomes.some((o) => o.fetchedTo !== null)) throw failed[0]?.error;
  const reconciliation =
    reconcileDays && run.clock() < fetchUntil
      ? await fetchReconciliation(run, db, ports, reconcileDays, dims.queueIds)
      : null;
  return { outcomes, queues: dims.queueIds.length, agents: dims.agentIds.length, reconciliation };
}

/**
 * Days one run reconciles: one, so the stored figures read for it stay well within a Data API answer
 * (1 MiB) at 2,000 queues; a backlog of days is caught up one a run.
 */
const RECONCILED_DAYS_PER_RUN = 1;

/** The whole UTC day due for reconciliation (see {@link dueDays}), once the 15-minute feed has it whole. */
function reconciliationRange(
  run: RunContext,
  marks: Awaited<ReturnType<HistoricalPorts['store']['readWatermarks']>>,
): TimeRange | null {
  const collected = marks.queue_v2;
  if (!collected) return null;
  const due = dueDays({
    now: run.startedAt,
    reconciledTo: marks.reconciliation?.watermark ?? null,
    collectedFrom: collected.collectedFrom,
    lastReadAgeMs: Math.max(0, ...run.config.historicalRestateHours.map((h) => h * 3_600_000)),
    cadenceMs: cadenceSeconds('historical_metrics', run.config.cadences) * 1000,
    oldestServedMs: oldestServable(run.startedAt.getTime(), FEED_TIMING.queue_v2),
    maxDays: RECONCILED_DAYS_PER_RUN,
  });
  const end = Math.min(
    due?.end.getTime() ?? 0,
    Math.floor(collected.watermark.getTime() / 86_400_000) * 86_400_000,
  );
  return due && end > due.start.getTime() ? { start: due.start, end: new Date(end) } : null;
}

/**
 * The stored totals of the due day, then Connect's own figures for it (the database first: a read that
 * fails costs no Connect call). A failure is kept for the write: the day waits for the next run, the
 * collection goes on.
 */
async function fetchReconciliation(
  run: RunContext,
  db: SqlExecutor,
  ports: HistoricalPorts,
  range: TimeRange,
  queueIds: readonly string[],
): Promise<FetchedReconciliation> {
  try {
    const stored = await ports.store.readDayFigures(
      db,
      run.instance.instanceId,
      range,
      run.config.serviceLevelThresholdsSeconds,
      queueIds,
    );
    const connect = await ports.connect.queueDays(range, queueIds);
    return { range, connect, stored, error: null };
  } catch (error) {
    return { range, connect: { records: [], skipped: [] }, stored: [], error };
  }
}

/**
 * Writes what the feeds fetched, one statement per table, and moves each watermark only past what it
 * wrote (a feed that failed keeps the end of its last whole range).
 */
export async function writeHistoricalRun(
  tx: SqlExecutor,
  fetched: FetchedHistorical,
  run: RunContext,
  ports: HistoricalPorts,
): Promise<RunResult> {
  const { outcomes, reconciliation: reconciled } = fetched;
  const watermarks: HistoricalWrite['watermarks'] = {};
  for (const o of outcomes) {
    if (o.fetchedTo && o.fetchedFrom) watermarks[o.feed] = { from: o.fetchedFrom, to: o.fetchedTo };
  }
  const compared =
    reconciled && reconciled.error === null
      ? reconcile(
          // A queue Connect refuses (deleted since) has no figure there to compare with.
          reconciled.stored.filter((f) => !reconciled.connect.refused?.includes(f.queueId)),
          reconciled.connect.records,
          run.config.serviceLevelThresholdsSeconds,
          run.config.reconciliationTolerancePercent,
        )
      : [];
  if (reconciled && reconciled.error === null) {
    watermarks.reconciliation = { from: reconciled.range.start, to: reconciled.range.end };
  }
  const differences = compared.filter((r) => !r.withinTolerance).length;
  const skipped = [
    ...outcomes.flatMap((o) => [
      ...o.skipped,
      ...(o.error !== null ? [{ record: `${o.feed} fetch`, reason: describeError(o.error) }] : []),
    ]),
    ...(reconciled?.connect.skipped ?? []),
    ...(reconciled && reconciled.error !== null
      ? [{ record: 'reconciliation fetch', reason: describeError(reconciled.error) }]
      : []),
  ];
  const ends = outcomes.flatMap((o) => (o.landedTo ? [o.landedTo.getTime()] : []));
  const written = await ports.store.writeHistorical(tx, {
    instanceId: run.instance.instanceId,
    collectedAt: run.startedAt,
    queueIntervals: outcomes.flatMap((o) => o.queueIntervals),
    agentIntervals: outcomes.flatMap((o) => o.agentIntervals),
    watermarks,
    reconciliation: compared,
  });
  return {
    rowsWritten:
      written.queueIntervals + written.serviceLevels + written.agentIntervals + written.reconciliation,
    dataTime: ends.length > 0 ? new Date(Math.max(...ends)) : null,
    skipped,
    details: {
      ...Object.fromEntries(outcomes.map((o) => [o.feed, o.details])),
      queues: fetched.queues,
      agents: fetched.agents,
      ...(reconciled
        ? {
            reconciliation: {
              from: reconciled.range.start.toISOString(),
              to: reconciled.range.end.toISOString(),
              compared: compared.length,
              outOfTolerance: differences,
            },
          }
        : {}),
    },
    ...(reconciled && reconciled.error === null
      ? { metrics: { [RECONCILIATION_METRICS.outOfTolerance]: differences } }
      : {}),
  };
}

/** Fetches one feed's ranges in order until they are done, time runs short, or a range fails. */
async function fetchFeed(
  plan: FeedPlan,
  ids: readonly string[],
  run: RunContext,
  source: HistoricalConnect,
  fetchUntil: number,
): Promise<FeedOutcome> {
  const queueIntervals: QueueInterval[] = [];
  const agentIntervals: AgentInterval[] = [];
  const skipped: SkippedRecord[] = [];
  let fetchedTo: Date | null = null;
  let fetchedFrom: Date | null = null;
  /** End of the last range whose data landed (refused ranges move the watermark, not the data time). */
  let landedTo: Date | null = null;
  let lost = plan.lostIntervals;
  let slowestMs = 0;
  let ranges = 0;
  let refusedRanges = 0;
  let error: unknown = null;
  const keep = (fetched: Fetched<QueueInterval> | Fetched<AgentInterval>) => {
    if (plan.feed === 'agent_v2') agentIntervals.push(...(fetched.records as AgentInterval[]));
    else queueIntervals.push(...(fetched.records as QueueInterval[]));
    skipped.push(...fetched.skipped);
  };
  let stoppedEarly = false;
  const timing = FEED_TIMING[plan.feed];
  for (const range of ids.length === 0 ? [] : plan.ranges) {
    const rangeStartedAt = run.clock();
    if (rangeStartedAt + slowestMs > fetchUntil) {
      stoppedEarly = true;
      break;
    }
    const nowMs = run.now().getTime();
    if (range.start.getTime() < nowMs - timing.retentionMs) {
      // The run reached this range after the API stopped serving it (a long backlog).
      lost += Math.round((range.end.getTime() - range.start.getTime()) / timing.periodMs);
      fetchedTo = range.end;
      continue;
    }
    try {
      keep(await fetchRange(plan.feed, range, ids, source));
      ranges += 1;
      landedTo = range.end;
    } catch (caught: unknown) {
      // Connect may refuse a range older than the 15-minute data it keeps (35 days by an older Admin
      // Guide page). A refusal of a newer range is not that: an invalid request, a missing instance...
      // It stops the feed, as any other error, and the watermark holds.
      if (!(caught instanceof RangeRefusedError) || range.start.getTime() >= nowMs - REFUSABLE_AGE_MS) {
        error = caught;
        break;
      }
      // Connect refuses the range itself: asking again cannot help, so it is recorded and passed.
      skipped.push({
        record: `${plan.feed} range ${iso(range.start)}/${iso(range.end)}`,
        reason: caught.message,
      });
      refusedRanges += 1;
    }
    slowestMs = Math.max(slowestMs, run.clock() - rangeStartedAt);
    fetchedFrom = fetchedFrom ?? range.start;
    fetchedTo = range.end;
  }
  // Restatements come after the new intervals, never move the watermark, and a refused one is recorded
  // and passed over: the interval keeps its last reading until its next restatement age.
  let restated = 0;
  for (const range of error === null && !stoppedEarly && ids.length > 0 ? plan.restate : []) {
    const rangeStartedAt = run.clock();
    if (rangeStartedAt + slowestMs > fetchUntil) break;
    try {
      keep(await fetchRange(plan.feed, range, ids, source));
      restated += 1;
    } catch (caught: unknown) {
      skipped.push({ record: `${plan.feed} restatement ${iso(range.start)}`, reason: describeError(caught) });
    }
    slowestMs = Math.max(slowestMs, run.clock() - rangeStartedAt);
  }
  if (restated < plan.restate.length && ids.length > 0) {
    run.log.warn('historical restatements left out: the run ran out of time or a range was refused', {
      instanceId: run.instance.instanceId,
      feed: plan.feed,
      restated,
      planned: plan.restate.length,
    });
  }
  if (lost > 0) {
    run.log.warn('historical intervals no longer served by the API were lost', {
      instanceId: run.instance.instanceId,
      feed: plan.feed,
      lostIntervals: lost,
    });
  }
  if (stoppedEarly) {
    run.log.warn('historical backlog left for the next run: the run ran out of time', {
      instanceId: run.instance.instanceId,
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
    fetchedFrom,
    fetchedTo,
    landedTo,
    error,
    details: {
      from: first ? first.start.toISOString() : null,
      to: fetchedTo ? fetchedTo.toISOString() : null,
      ranges,
      rangesLeft: remaining,
      stoppedEarly,
      refetch: plan.refetch,
      refusedRanges,
      restated,
      restateLeft: plan.restate.length - restated,
      lostIntervals: lost,
      ...(ids.length === 0 ? { note: 'no ids known' } : {}),
    },
  };
}

const iso = (d: Date) => d.toISOString();

function fetchRange(
  feed: HistoricalFeed,
  range: TimeRange,
  ids: readonly string[],
  source: HistoricalConnect,
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
