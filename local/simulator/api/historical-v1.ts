import type { SimulatedCentre } from '../centre';
import { invalidParameter } from '../errors';
import { F, type IntervalRecord, streamKey, T, V1_PERIOD_MS } from '../history';
import { CHANNELS, type Channel } from '../types';
import { type ApiContext, type ApiRequest, centreFor, maxResults } from './context';
import { refuseEmail } from './current-metrics';
import { knownQueue } from './historical-v2';
import { averageHandleTime, averageQueueAnswerTime, ratio, serviceLevel } from './metric-definitions';
import { limitValues, MetricDataRequestSchema, parseBody } from './schemas';

/** The 25 v1 historical metrics with their unit and statistic. */
const HISTORICAL_METRICS: Readonly<Record<string, { unit: string; statistic: string }>> = {
  CONTACTS_QUEUED: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_HANDLED: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_ABANDONED: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_CONSULTED: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_AGENT_HUNG_UP_FIRST: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_HANDLED_INCOMING: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_HANDLED_OUTBOUND: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_HOLD_ABANDONS: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_TRANSFERRED_IN: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_TRANSFERRED_OUT: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_TRANSFERRED_IN_FROM_QUEUE: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_TRANSFERRED_OUT_FROM_QUEUE: { unit: 'COUNT', statistic: 'SUM' },
  CONTACTS_MISSED: { unit: 'COUNT', statistic: 'SUM' },
  CALLBACK_CONTACTS_HANDLED: { unit: 'COUNT', statistic: 'SUM' },
  API_CONTACTS_HANDLED: { unit: 'COUNT', statistic: 'SUM' },
  OCCUPANCY: { unit: 'PERCENT', statistic: 'AVG' },
  HANDLE_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  AFTER_CONTACT_WORK_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  QUEUED_TIME: { unit: 'SECONDS', statistic: 'MAX' },
  ABANDON_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  QUEUE_ANSWER_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  HOLD_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  INTERACTION_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  INTERACTION_AND_HOLD_TIME: { unit: 'SECONDS', statistic: 'AVG' },
  SERVICE_LEVEL: { unit: 'PERCENT', statistic: 'AVG' },
};

const COUNT_FIELD: Readonly<Record<string, number>> = {
  CONTACTS_QUEUED: F.QUEUED,
  CONTACTS_HANDLED: F.HANDLED,
  CONTACTS_ABANDONED: F.ABANDONED,
  CONTACTS_CONSULTED: F.CONSULTED,
  CONTACTS_AGENT_HUNG_UP_FIRST: F.AGENT_HUNG_UP_FIRST,
  CONTACTS_HANDLED_INCOMING: F.HANDLED_INCOMING,
  CONTACTS_HANDLED_OUTBOUND: F.HANDLED_OUTBOUND,
  CONTACTS_HOLD_ABANDONS: F.HOLD_ABANDONS,
  CONTACTS_TRANSFERRED_IN: F.TRANSFERRED_IN,
  CONTACTS_TRANSFERRED_OUT: F.TRANSFERRED_OUT,
  CONTACTS_TRANSFERRED_IN_FROM_QUEUE: F.TRANSFERRED_IN_FROM_QUEUE,
  CONTACTS_TRANSFERRED_OUT_FROM_QUEUE: F.TRANSFERRED_OUT_FROM_QUEUE,
  CONTACTS_MISSED: F.MISSED,
  CALLBACK_CONTACTS_HANDLED: F.CALLBACK_HANDLED,
  API_CONTACTS_HANDLED: F.API_HANDLED,
};

/** A v1 metric's value from a range aggregate (and the profiles' agent time for OCCUPANCY). */
export function v1Value(
  name: string,
  r: IntervalRecord,
  time: Float64Array,
  threshold: number,
): number | undefined {
  const v = (f: number): number => r.values[f] ?? 0;
  const field = COUNT_FIELD[name];
  if (field !== undefined) return v(field);
  switch (name) {
    case 'OCCUPANCY':
      return ratio(time[T.CONTACT] ?? 0, (time[T.CONTACT] ?? 0) + (time[T.IDLE] ?? 0), 100);
    case 'HANDLE_TIME':
      return averageHandleTime(r);
    case 'AFTER_CONTACT_WORK_TIME':
      return ratio(v(F.SUM_ACW_TIME), v(F.HANDLED));
    case 'QUEUED_TIME':
      return v(F.MAX_QUEUED_TIME);
    case 'ABANDON_TIME':
      return ratio(v(F.SUM_ABANDON_TIME), v(F.ABANDONED));
    case 'QUEUE_ANSWER_TIME':
      return averageQueueAnswerTime(r);
    case 'HOLD_TIME':
      return ratio(v(F.SUM_HOLD_TIME), v(F.PUT_ON_HOLD));
    case 'INTERACTION_TIME':
      return ratio(v(F.SUM_INTERACTION_TIME), v(F.HANDLED));
    case 'INTERACTION_AND_HOLD_TIME':
      return ratio(v(F.SUM_INTERACTION_AND_HOLD_TIME), v(F.HANDLED));
    case 'SERVICE_LEVEL':
      // v1 thresholds are LT only (HistoricalMetric Threshold: "Only LT is supported").
      return serviceLevel(r, { seconds: threshold, inclusive: false });
    default:
      return undefined;
  }
}

/**
 * Validates a v1 range against the model's now, as the GetMetricData reference states: StartTime and
 * EndTime "must be specified using a multiple of 5 minutes", "The time range between the start and end
 * time must be less than 24 hours", "The start time cannot be earlier than 24 hours before the time of
 * the request" (https://docs.aws.amazon.com/connect/latest/APIReference/API_GetMetricData.html).
 */
function checkV1Range(startMs: number, endMs: number, nowMs: number): void {
  if (startMs % V1_PERIOD_MS !== 0)
    throw invalidParameter('StartTime must be specified using a multiple of 5 minutes');
  if (endMs % V1_PERIOD_MS !== 0)
    throw invalidParameter('EndTime must be specified using a multiple of 5 minutes');
  if (endMs <= startMs) throw invalidParameter('EndTime must be later than StartTime');
  if (endMs - startMs >= 86_400_000)
    throw invalidParameter('The time range between StartTime and EndTime must be less than 24 hours');
  if (startMs < nowMs - 86_400_000)
    throw invalidParameter('StartTime cannot be earlier than 24 hours before the time of the request');
}

/** POST /metrics/historical/{InstanceId}. */
export function getMetricData(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const body = parseBody(MetricDataRequestSchema, req.body);
  const startMs = Math.round(body.StartTime * 1000);
  const endMs = Math.round(body.EndTime * 1000);
  checkV1Range(startMs, endMs, ctx.now);
  const filters = body.Filters;
  // GetMetricData reference: Filters "Queues: 100", queues or routing profiles (the simulator needs
  // Queues), Groupings QUEUE and/or CHANNEL (at most 2), each HistoricalMetric with its Unit and
  // Statistic, SERVICE_LEVEL with a Threshold "Only LT is supported" (1-604800).
  limitValues('Filters.Queues', filters.Queues);
  limitValues('Filters.Channels', filters.Channels, 4);
  refuseEmail(filters.Channels);
  if (!filters.Queues) throw invalidParameter('Filters must include Queues');
  if (filters.RoutingProfiles)
    throw invalidParameter('Filters can include Queues or RoutingProfiles, but not both');
  const groupings = body.Groupings ?? [];
  if (groupings.length > 2)
    throw invalidParameter(`Groupings can have at most 2 values; got ${groupings.length}`);
  for (const g of groupings)
    if (g !== 'QUEUE' && g !== 'CHANNEL') throw invalidParameter(`Grouping ${g} is not supported`);
  const thresholds = body.HistoricalMetrics.map((m) => {
    const spec = HISTORICAL_METRICS[m.Name];
    if (!spec) throw invalidParameter(`Unknown historical metric ${m.Name}`);
    if ((m.Unit && m.Unit !== spec.unit) || (m.Statistic && m.Statistic !== spec.statistic)) {
      throw invalidParameter(`Metric ${m.Name} has unit ${spec.unit} and statistic ${spec.statistic}`);
    }
    if (m.Name !== 'SERVICE_LEVEL') return 0;
    const t = m.Threshold;
    if (
      t?.Comparison !== 'LT' ||
      t.ThresholdValue === undefined ||
      t.ThresholdValue < 1 ||
      t.ThresholdValue > 604800
    ) {
      throw invalidParameter(
        'SERVICE_LEVEL needs Threshold {Comparison: LT, ThresholdValue: 1-604800 seconds}',
      );
    }
    return t.ThresholdValue;
  });
  const max = maxResults(body.MaxResults, 100, 100);
  for (const q of filters.Queues) knownQueue(centre, q);
  const groups = v1Groups(centre, filters.Queues, filters.Channels, groupings);
  const { NextToken: token, ...request } = body;
  const key = { i: centre.instance.instanceId, ...request };
  const offset = ctx.tokens.offset(token, key, ctx.now);
  const results = groups.slice(offset, offset + max).map((g) => {
    const r = centre.model.history.queue5.sum(startMs, endMs, g.keys);
    const time = centre.model.history.profileTime5.sum(startMs, endMs, g.profiles).values;
    return {
      Dimensions: g.dimensions,
      Collections: body.HistoricalMetrics.map((m, i) => ({
        Metric: {
          Name: m.Name,
          Unit: HISTORICAL_METRICS[m.Name]?.unit,
          Statistic: HISTORICAL_METRICS[m.Name]?.statistic,
          Threshold: m.Threshold,
        },
        Value: v1Value(m.Name, r, time, thresholds[i] ?? 0),
      })),
    };
  });
  const next =
    // "The token expires after 5 minutes from the time it is created" (GetMetricData, NextToken).
    offset + max < groups.length ? ctx.tokens.issue(key, offset + max, ctx.now, 300_000) : undefined;
  return { MetricResults: results, NextToken: next };
}

/** One v1 result group: the streams it sums and the routing profiles whose agent time gives OCCUPANCY. */
export interface V1Group {
  readonly keys: Set<number>;
  readonly profiles: Set<number>;
  readonly dimensions: Record<string, unknown>;
}

/** Result groups for queues x channels under the groupings (every combination, data or not). */
export function v1Groups(
  centre: SimulatedCentre,
  queueIds: string[],
  channelFilter: string[] | undefined,
  groupings: string[],
): V1Group[] {
  const { catalog } = centre;
  const queues = [
    ...new Set(queueIds.map((q) => catalog.queueIndex(q)).filter((q): q is number => q !== undefined)),
  ];
  const channels = (channelFilter ?? CHANNELS).filter((c): c is Channel =>
    (CHANNELS as readonly string[]).includes(c),
  );
  const queueSets = groupings.includes('QUEUE') ? queues.map((q) => [q]) : [queues];
  const channelSets = groupings.includes('CHANNEL') ? channels.map((c) => [c]) : [channels];
  const groups: V1Group[] = [];
  for (const qs of queueSets) {
    for (const cs of channelSets) {
      const keys = new Set(qs.flatMap((q) => cs.map((c) => streamKey(q, CHANNELS.indexOf(c)))));
      const profiles = new Set([...keys].flatMap((k) => catalog.profilesByStream[k] ?? []));
      const dimensions: Record<string, unknown> = {};
      const queue = catalog.queues[qs[0] ?? -1];
      if (groupings.includes('QUEUE') && queue) dimensions.Queue = { Id: queue.id, Arn: queue.arn };
      if (groupings.includes('CHANNEL')) dimensions.Channel = cs[0];
      groups.push({ keys, profiles, dimensions });
    }
  }
  return groups;
}
