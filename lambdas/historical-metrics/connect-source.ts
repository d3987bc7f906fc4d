import {
  type GetMetricDataV2CommandInput,
  type HistoricalMetric,
  paginateGetMetricData,
  paginateGetMetricDataV2,
} from '@aws-sdk/client-connect';
import * as z from 'zod';
import type { SkippedRecord } from '../shared/collector/contract';
import { type ConnectGateway, collectPages, isUnknownResourceError } from '../shared/connect/gateway';
import { describeError } from '../shared/runtime/retry';
import {
  type AgentMetricColumn,
  ANSWERED_ALL_THRESHOLD,
  FILTER_BATCH,
  type QueueMetricColumn,
  V1_METRICS,
  V2_AGENT_AVERAGE_HANDLE_TIME,
  V2_AGENT_METRICS,
  V2_QUEUE_METRICS,
  V2_THRESHOLD_METRICS,
} from './definitions';
import type { TimeRange } from './interval-plan';
import {
  type AgentInterval,
  type Fetched,
  type HistoricalConnect,
  type QueueInterval,
  RangeRefusedError,
} from './ports';
import type { DayFigures } from './reconciliation';

/** Largest page the metric APIs return. */
const PAGE_SIZE = 100;

/** Splits ids into batches of at most `size`. */
export function batches<T>(items: readonly T[], size = FILTER_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const Value = z.number().finite().nullish();

const V1Result = z.object({
  Dimensions: z.object({
    Queue: z.object({ Id: z.string().min(1) }),
    Channel: z.string().min(1),
  }),
  Collections: z.array(
    z.object({
      Metric: z.object({
        Name: z.string(),
        Threshold: z.object({ ThresholdValue: z.number().nullish() }).nullish(),
      }),
      Value,
    }),
  ),
});

const V2Result = z.object({
  Dimensions: z.record(z.string(), z.string()),
  MetricInterval: z.object({ StartTime: z.date(), EndTime: z.date() }),
  Collections: z.array(
    z.object({
      Metric: z.object({
        Name: z.string(),
        Threshold: z.array(z.object({ ThresholdValue: z.number().nullish() })).nullish(),
      }),
      Value,
    }),
  ),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** A value as stored: finite number or null (never a made-up zero). */
const storedValue = (v: number | null | undefined): number | null => (v === undefined ? null : v);

/** sum = avg x count, for averages v2 gives without a SUM_ metric; null when either is missing. */
function sumFromAverage(avg: number | null | undefined, n: number | null | undefined): number | null {
  return avg === null || avg === undefined || n === null || n === undefined ? null : avg * n;
}

/**
 * Each result read by `one`: a record, or why it was skipped (a string). Every result is either kept or
 * recorded with its reason, never dropped.
 */
function parseEach<T extends object>(
  results: readonly unknown[],
  label: string,
  one: (raw: unknown) => T | string,
): Fetched<T> {
  const records: T[] = [];
  const skipped: SkippedRecord[] = [];
  results.forEach((raw, index) => {
    const out = one(raw);
    if (typeof out === 'string') skipped.push({ record: `${label}[${index}]`, reason: out });
    else records.push(out);
  });
  return { records, skipped };
}

/** A v2 result and the values of its dimensions `keys`, or why it is not one. */
function v2Result<K extends string>(
  raw: unknown,
  keys: readonly K[],
): { data: z.infer<typeof V2Result>; dims: Record<K, string> } | string {
  const parsed = V2Result.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error);
  const dims = {} as Record<K, string>;
  for (const key of keys) {
    const value = parsed.data.Dimensions[key];
    if (!value) return `Dimensions: ${keys.join(' and ')} expected`;
    dims[key] = value;
  }
  return { data: parsed.data, dims };
}

/** Parses v1 results of one 5-minute range into queue intervals. */
function parseV1Results(
  results: readonly unknown[],
  range: TimeRange,
  thresholds: readonly number[],
  label: string,
): Fetched<QueueInterval> {
  return parseEach(results, label, (raw): QueueInterval | string => {
    const parsed = V1Result.safeParse(raw);
    if (!parsed.success) return describeIssues(parsed.error);
    const metrics: Partial<Record<QueueMetricColumn, number | null>> = {};
    const levels = new Map<number, number | null>();
    for (const c of parsed.data.Collections) {
      if (c.Metric.Name === 'SERVICE_LEVEL') {
        const t = c.Metric.Threshold?.ThresholdValue;
        if (typeof t === 'number') levels.set(t, storedValue(c.Value));
        continue;
      }
      const column = V1_METRICS.find((m) => m.name === c.Metric.Name)?.column;
      if (column) metrics[column] = storedValue(c.Value);
    }
    return {
      queueId: parsed.data.Dimensions.Queue.Id,
      channel: parsed.data.Dimensions.Channel,
      intervalStart: range.start,
      intervalEnd: range.end,
      intervalMinutes: 5,
      metrics,
      serviceLevels: thresholds.map((t) => ({
        thresholdSeconds: t,
        serviceLevelPct: levels.get(t) ?? null,
        answeredInThreshold: null,
        abandonedInThreshold: null,
        removedInThreshold: null,
      })),
    };
  });
}

/** Parses v2 queue results (grouped by QUEUE and CHANNEL). */
function parseV2QueueResults(
  results: readonly unknown[],
  thresholds: readonly number[],
  label: string,
): Fetched<QueueInterval> {
  return parseEach(results, label, (raw): QueueInterval | string => {
    const result = v2Result(raw, ['QUEUE', 'CHANNEL']);
    if (typeof result === 'string') return result;
    const { data, dims } = result;
    const metrics: Partial<Record<QueueMetricColumn, number | null>> = {};
    const byThreshold = new Map<string, number | null>();
    for (const c of data.Collections) {
      const threshold = c.Metric.Threshold?.[0]?.ThresholdValue;
      if (typeof threshold === 'number') {
        byThreshold.set(`${c.Metric.Name}:${threshold}`, storedValue(c.Value));
        continue;
      }
      const column = V2_QUEUE_METRICS[c.Metric.Name];
      if (column) metrics[column] = storedValue(c.Value);
    }
    const at = (name: string, t: number) => byThreshold.get(`${name}:${t}`) ?? null;
    // Each average weighted by the contacts it averages over: answered from the queue (not handled,
    // which counts outbound contacts and transfers too), abandoned, handled.
    const answered = at('SUM_CONTACTS_ANSWERED_IN_X', ANSWERED_ALL_THRESHOLD.ThresholdValue);
    metrics.contacts_answered_count = answered;
    metrics.queue_answer_time_sum_seconds = sumFromAverage(metrics.queue_answer_time_avg_seconds, answered);
    metrics.abandon_time_sum_seconds = sumFromAverage(
      metrics.abandon_time_avg_seconds,
      metrics.contacts_abandoned_count,
    );
    metrics.aht_weighted_sum_seconds = sumFromAverage(
      metrics.handle_time_avg_seconds,
      metrics.contacts_handled_count,
    );
    return {
      queueId: dims.QUEUE,
      channel: dims.CHANNEL,
      intervalStart: data.MetricInterval.StartTime,
      intervalEnd: data.MetricInterval.EndTime,
      intervalMinutes: 15,
      metrics,
      serviceLevels: thresholds.map((t) => ({
        thresholdSeconds: t,
        serviceLevelPct: at('SERVICE_LEVEL', t),
        answeredInThreshold: at('SUM_CONTACTS_ANSWERED_IN_X', t),
        abandonedInThreshold: at('SUM_CONTACTS_ABANDONED_IN_X', t),
        removedInThreshold: at('CONTACTS_REMOVED_FROM_QUEUE_IN_X', t),
      })),
    };
  });
}

/** Parses v2 DAY results (grouped by QUEUE and CHANNEL) into Connect's figures for each day. */
function parseV2DayResults(
  results: readonly unknown[],
  thresholds: readonly number[],
  label: string,
): Fetched<DayFigures> {
  return parseEach(results, label, (raw): DayFigures | string => {
    const result = v2Result(raw, ['QUEUE', 'CHANNEL']);
    if (typeof result === 'string') return result;
    const { data, dims } = result;
    const value = (name: string, t?: number) => {
      const c = data.Collections.find(
        (x) => x.Metric.Name === name && (t === undefined || x.Metric.Threshold?.[0]?.ThresholdValue === t),
      );
      return storedValue(c?.Value);
    };
    return {
      queueId: dims.QUEUE,
      channel: dims.CHANNEL,
      day: data.MetricInterval.StartTime.toISOString().slice(0, 10),
      queued: value('CONTACTS_QUEUED'),
      handled: value('CONTACTS_HANDLED'),
      answered: value('SUM_CONTACTS_ANSWERED_IN_X', ANSWERED_ALL_THRESHOLD.ThresholdValue),
      abandoned: value('CONTACTS_ABANDONED'),
      avgQueueAnswerTime: value('AVG_QUEUE_ANSWER_TIME'),
      serviceLevels: Object.fromEntries(thresholds.map((t) => [t, value('SERVICE_LEVEL', t)])),
    };
  });
}

/** Parses v2 agent results (grouped by AGENT). */
function parseV2AgentResults(results: readonly unknown[], label: string): Fetched<AgentInterval> {
  return parseEach(results, label, (raw): AgentInterval | string => {
    const result = v2Result(raw, ['AGENT']);
    if (typeof result === 'string') return result;
    const { data, dims } = result;
    const metrics: Partial<Record<AgentMetricColumn, number | null>> = {};
    let averageHandleTime: number | null = null;
    for (const c of data.Collections) {
      if (c.Metric.Name === V2_AGENT_AVERAGE_HANDLE_TIME) averageHandleTime = storedValue(c.Value);
      const column = V2_AGENT_METRICS[c.Metric.Name];
      if (column) metrics[column] = storedValue(c.Value);
    }
    metrics.aht_weighted_sum_seconds = sumFromAverage(averageHandleTime, metrics.contacts_handled_count);
    return {
      agentId: dims.AGENT,
      intervalStart: data.MetricInterval.StartTime,
      intervalEnd: data.MetricInterval.EndTime,
      metrics,
    };
  });
}

function merge<T>(parts: readonly Fetched<T>[]): Fetched<T> {
  return { records: parts.flatMap((p) => p.records), skipped: parts.flatMap((p) => p.skipped) };
}

const iso = (d: Date) => d.toISOString();

/**
 * One range's isolation: ids found refused so far, the probe with a known-good id, and the refusal of
 * the whole range once known (the range's other batches stop at their next call).
 */
interface RangeState {
  readonly found: Map<string, string>;
  /** The probe with a known-good id, once one batch has sent it; the others wait for its answer. */
  probe: Promise<void> | null;
  refused: RangeRefusedError | null;
}

/** Leaf refusals after which a range with no id known good is taken as refused itself. */
const REFUSED_IDS_BEFORE_RANGE = 3;

/**
 * What Connect refused in this run, so one bad id or range never stalls a feed: a batch Connect
 * refuses (InvalidParameter, InvalidRequest or ResourceNotFound: an answer another try cannot change)
 * is split in halves until the refused ids are found, which are then left out of the run's later
 * requests; a range that refuses an id accepted earlier in the run, or whose first ids are all refused,
 * is refused itself ({@link RangeRefusedError}).
 */
class Isolation {
  /** Per feed, ids Connect answered for in this run. */
  private readonly good = new Map<string, Set<string>>();
  /** Ids Connect refused, with why. */
  readonly refused = new Map<string, string>();

  goodIds(feed: string): Set<string> {
    let ids = this.good.get(feed);
    if (!ids) {
      ids = new Set();
      this.good.set(feed, ids);
    }
    return ids;
  }
}

/**
 * Reads historical metrics through the run's gateway: filters in batches of 100, every page of each
 * batch (100 results a page), batches concurrently (the rate limiter keeps the pace).
 */
export function connectHistoricalSource(
  connect: ConnectGateway,
  instance: { readonly instanceId: string; readonly instanceArn: string },
  thresholds: readonly number[],
): HistoricalConnect {
  const v1Metrics: HistoricalMetric[] = V1_METRICS.flatMap((m): HistoricalMetric[] =>
    m.name === 'SERVICE_LEVEL'
      ? thresholds.map((t) => ({
          Name: m.name,
          Unit: m.unit,
          Statistic: m.statistic,
          Threshold: { Comparison: 'LT', ThresholdValue: t },
        }))
      : [{ Name: m.name, Unit: m.unit, Statistic: m.statistic }],
  );
  const v2QueueMetrics: GetMetricDataV2CommandInput['Metrics'] = [
    ...Object.keys(V2_QUEUE_METRICS).map((Name) => ({ Name })),
    ...V2_THRESHOLD_METRICS.flatMap((Name) =>
      thresholds.map((t) => ({ Name, Threshold: [{ Comparison: 'LT', ThresholdValue: t }] })),
    ),
    // Already asked when a configured threshold is the largest one.
    ...(thresholds.includes(ANSWERED_ALL_THRESHOLD.ThresholdValue)
      ? []
      : [{ Name: 'SUM_CONTACTS_ANSWERED_IN_X', Threshold: [{ ...ANSWERED_ALL_THRESHOLD }] }]),
  ];
  // Connect's own figures for a whole day, for reconciliation.
  const dayMetrics: GetMetricDataV2CommandInput['Metrics'] = [
    { Name: 'CONTACTS_QUEUED' },
    { Name: 'CONTACTS_HANDLED' },
    { Name: 'CONTACTS_ABANDONED' },
    { Name: 'AVG_QUEUE_ANSWER_TIME' },
    { Name: 'SUM_CONTACTS_ANSWERED_IN_X', Threshold: [{ ...ANSWERED_ALL_THRESHOLD }] },
    ...thresholds.map((t) => ({
      Name: 'SERVICE_LEVEL',
      Threshold: [{ Comparison: 'LT', ThresholdValue: t }],
    })),
  ];
  const v2AgentMetrics = [...Object.keys(V2_AGENT_METRICS), V2_AGENT_AVERAGE_HANDLE_TIME].map((Name) => ({
    Name,
  }));
  const v2Input = (range: TimeRange, key: string, ids: string[], groupings: string[]) => ({
    ResourceArn: instance.instanceArn,
    StartTime: range.start,
    EndTime: range.end,
    Interval: { IntervalPeriod: 'FIFTEEN_MIN' as const, TimeZone: 'UTC' },
    Filters: [{ FilterKey: key, FilterValues: ids }],
    Groupings: groupings,
  });

  const isolation = new Isolation();

  /**
   * Each batch of 100 ids read concurrently, every page of it, parsed and merged; ids Connect refused
   * earlier in the run are left out, and a refused batch is isolated (see {@link Isolation}).
   */
  const perBatch = async <T>(
    feed: string,
    ids: readonly string[],
    pages: (ids: string[]) => AsyncIterable<{ MetricResults?: readonly unknown[] }>,
    parse: (results: unknown[], context: string) => Fetched<T>,
    context: string,
  ): Promise<Fetched<T>> => {
    const good = isolation.goodIds(feed);
    const range: RangeState = { found: new Map(), probe: null, refused: null };
    const read = async (batch: string[], label: string) => {
      if (range.refused) throw range.refused;
      const fetched = parse(await collectPages(pages(batch), (p) => p.MetricResults), label);
      for (const id of batch) good.add(id);
      return fetched;
    };
    const usable = ids.filter((id) => !isolation.refused.has(id));
    const parts = await Promise.all(
      batches(usable).map((batch, b) => isolate(batch, read, `${context} batch ${b}`, good, range)),
    );
    for (const [id, reason] of range.found) isolation.refused.set(id, reason);
    return {
      ...merge([
        ...parts,
        {
          records: [],
          skipped: [...range.found].map(([id, reason]) => ({ record: `${context} id ${id}`, reason })),
        },
      ]),
      refused: [...isolation.refused.keys()].filter((id) => ids.includes(id)),
    };
  };

  /** Reads a batch; when Connect refuses it, finds the refused ids by halving, or refuses the range. */
  const isolate = async <T>(
    batch: string[],
    read: (batch: string[], label: string) => Promise<Fetched<T>>,
    label: string,
    good: ReadonlySet<string>,
    range: RangeState,
  ): Promise<Fetched<T>> => {
    const refuse = (reason: string) => {
      range.refused = range.refused ?? new RangeRefusedError(reason);
      return range.refused;
    };
    try {
      return await read(batch, label);
    } catch (error) {
      if (error instanceof RangeRefusedError || !isUnknownResourceError(error)) throw error;
      const reason = describeError(error);
      const known = good.values().next().value;
      if (known !== undefined) {
        // Once a range, shared by its batches: an id Connect answered for earlier, refused here too,
        // means the range is refused.
        if (batch.length === 1 && batch[0] === known) throw refuse(reason);
        range.probe =
          range.probe ??
          read([known], `${label} probe`).then(
            () => undefined,
            (probeError: unknown) => {
              throw isUnknownResourceError(probeError) ? refuse(describeError(probeError)) : probeError;
            },
          );
        await range.probe;
      }
      if (batch.length === 1) {
        if (good.size === 0 && range.found.size + 1 >= REFUSED_IDS_BEFORE_RANGE) throw refuse(reason);
        range.found.set(batch[0]!, reason);
        return { records: [], skipped: [] };
      }
      const middle = Math.ceil(batch.length / 2);
      const first = await isolate(batch.slice(0, middle), read, `${label}a`, good, range);
      const second = await isolate(batch.slice(middle), read, `${label}b`, good, range);
      return merge([first, second]);
    }
  };

  return {
    queueV1: (range, queueIds) =>
      perBatch(
        'queue_v1',
        queueIds,
        (ids) =>
          connect.paginate(
            paginateGetMetricData,
            {
              InstanceId: instance.instanceId,
              StartTime: range.start,
              EndTime: range.end,
              Filters: { Queues: ids },
              Groupings: ['QUEUE', 'CHANNEL'],
              HistoricalMetrics: v1Metrics,
            },
            PAGE_SIZE,
          ),
        (results, context) => parseV1Results(results, range, thresholds, context),
        `queue_v1 ${iso(range.start)}`,
      ),
    queueV2: (range, queueIds) =>
      perBatch(
        'queue_v2',
        queueIds,
        (ids) =>
          connect.paginate(
            paginateGetMetricDataV2,
            { ...v2Input(range, 'QUEUE', ids, ['QUEUE', 'CHANNEL']), Metrics: v2QueueMetrics },
            PAGE_SIZE,
          ),
        (results, context) => parseV2QueueResults(results, thresholds, context),
        `queue_v2 ${iso(range.start)}`,
      ),
    queueDays: (range, queueIds) =>
      perBatch(
        'reconciliation',
        queueIds,
        (ids) =>
          connect.paginate(
            paginateGetMetricDataV2,
            {
              ...v2Input(range, 'QUEUE', ids, ['QUEUE', 'CHANNEL']),
              Interval: { IntervalPeriod: 'DAY' as const, TimeZone: 'UTC' },
              Metrics: dayMetrics,
            },
            PAGE_SIZE,
          ),
        (results, context) => parseV2DayResults(results, thresholds, context),
        `reconciliation ${iso(range.start)}`,
      ),
    agentV2: (range, agentIds) =>
      perBatch(
        'agent_v2',
        agentIds,
        (ids) =>
          connect.paginate(
            paginateGetMetricDataV2,
            { ...v2Input(range, 'AGENT', ids, ['AGENT']), Metrics: v2AgentMetrics },
            PAGE_SIZE,
          ),
        (results, context) => parseV2AgentResults(results, context),
        `agent_v2 ${iso(range.start)}`,
      ),
  };
}
