import type { SimulatedCentre } from '../centre';
import { ConnectApiError, invalidParameter } from '../errors';
import { streamKey, T } from '../history';
import { CHANNELS, type Channel } from '../types';
import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';
import { NO_THRESHOLD, type Threshold } from './metric-definitions';
import { MetricDataV2RequestSchema, parseBody } from './schemas';
import { AGENT_TIME_METRICS, THRESHOLD_METRICS, V2_METRICS, v2Value } from './v2-metrics';

const PERIOD_MS: Readonly<Record<string, number>> = {
  FIFTEEN_MIN: 900_000,
  THIRTY_MIN: 1_800_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 604_800_000,
  TOTAL: 0,
};
const SHORT_LIMIT_MS = 3 * 86_400_000;
const LONG_LIMIT_MS = 35 * 86_400_000;
/** How far back v2 serves data: 3 months, taken as 93 days. */
const V2_HISTORY_MS = 93 * 86_400_000;
const QUEUE_KEYS = new Set(['QUEUE', 'CHANNEL']);
const AGENT_KEYS = new Set([
  'AGENT',
  'ROUTING_PROFILE',
  'AGENT_HIERARCHY_LEVEL_ONE',
  'AGENT_HIERARCHY_LEVEL_TWO',
  'CHANNEL',
]);
const PRIMARY_KEYS = [
  'QUEUE',
  'ROUTING_PROFILE',
  'AGENT',
  'AGENT_HIERARCHY_LEVEL_ONE',
  'AGENT_HIERARCHY_LEVEL_TWO',
];

/** A unit of data: a queue stream or an agent stream, with its value for each dimension. */
interface Unit {
  readonly key: number;
  readonly agent: number;
  readonly dims: Readonly<Record<string, string>>;
}

/** POST /metrics/data. */
export function getMetricDataV2(ctx: ApiContext, req: ApiRequest): unknown {
  const body = parseBody(MetricDataV2RequestSchema, req.body);
  const centre = centreFor(ctx, body.ResourceArn);
  const startMs = Math.round(body.StartTime * 1000);
  const endMs = Math.round(body.EndTime * 1000);
  const periodName = body.Interval?.IntervalPeriod ?? 'TOTAL';
  const period = PERIOD_MS[periodName];
  if (period === undefined)
    throw invalidParameter(`IntervalPeriod ${periodName} is not one of ${Object.keys(PERIOD_MS).join(', ')}`);
  const offset = zoneOffsetMs(body.Interval?.TimeZone ?? 'UTC', startMs);
  // GetMetricDataV2 reference (https://docs.aws.amazon.com/connect/latest/APIReference/API_GetMetricDataV2.html):
  // EndTime after StartTime and not in the future; "Historical metrics are available for 3 months";
  // Filters: "You can use up to 5 filter keys in a single request, and up to 100 filter values across
  // all filter keys"; Groupings: "Array Members: Maximum number of 4 items"; at least one of the primary
  // filters (QUEUE, ROUTING_PROFILE, AGENT, AGENT_HIERARCHY_LEVEL_*); metric names from the Metrics list.
  if (endMs <= startMs) throw invalidParameter('EndTime must be later than StartTime');
  if (endMs > ctx.now) throw invalidParameter('EndTime cannot be later than the current time');
  if (startMs < ctx.now - V2_HISTORY_MS)
    throw invalidParameter('StartTime cannot be earlier than 3 months before now');
  if (period > 0 && period <= 3_600_000 && startMs < ctx.now - ctx.intervalDataDays * 86_400_000) {
    throw invalidParameter(
      `StartTime cannot be earlier than ${ctx.intervalDataDays} days before now for IntervalPeriod ${periodName}`,
    );
  }
  // "FIFTEEN_MIN, THIRTY_MIN, HOUR: the difference between StartTime and EndTime must be less than 3
  // days"; "DAY, WEEK, TOTAL: ... less than 35 days" (GetMetricDataV2, Interval).
  const limit = period > 0 && period <= 3_600_000 ? SHORT_LIMIT_MS : LONG_LIMIT_MS;
  if (endMs - startMs >= limit) {
    throw invalidParameter(
      `The time range for IntervalPeriod ${periodName} must be less than ${limit / 86_400_000} days`,
    );
  }
  if (body.Filters.length > 5)
    throw invalidParameter(`Filters can have at most 5 keys; got ${body.Filters.length}`);
  const total = body.Filters.reduce((n, f) => n + (f.FilterValues?.length ?? 0), 0);
  if (total > 100) throw invalidParameter(`Filters can have at most 100 values in total; got ${total}`);
  const filters = new Map(body.Filters.map((f) => [f.FilterKey, f.FilterValues ?? []]));
  for (const [k, values] of filters)
    if (values.length === 0) throw invalidParameter(`Filter ${k} needs at least one value`);
  if (!PRIMARY_KEYS.some((k) => filters.has(k))) {
    throw invalidParameter(
      'Filters must include at least one of QUEUE, ROUTING_PROFILE, AGENT or AGENT_HIERARCHY_LEVEL_*',
    );
  }
  const groupings = body.Groupings ?? [];
  if (groupings.length > 4)
    throw invalidParameter(`Groupings can have at most 4 values; got ${groupings.length}`);
  const keys = [...filters.keys(), ...groupings];
  const agentBased = keys.some((k) => k !== 'QUEUE' && k !== 'CHANNEL');
  const allowed = agentBased ? AGENT_KEYS : QUEUE_KEYS;
  for (const k of keys) {
    if (!allowed.has(k)) {
      throw invalidParameter(
        agentBased && k === 'QUEUE'
          ? 'The simulator does not combine QUEUE with agent filters or groupings'
          : `Filter or grouping ${k} is not supported`,
      );
    }
  }
  const thresholds = body.Metrics.map((m): Threshold => {
    if (!(V2_METRICS as readonly string[]).includes(m.Name))
      throw invalidParameter(`Metric ${m.Name} is not supported`);
    if (!THRESHOLD_METRICS.has(m.Name)) return NO_THRESHOLD;
    const t = m.Threshold?.[0];
    if (
      (t?.Comparison !== 'LT' && t?.Comparison !== 'LTE') ||
      t.ThresholdValue === undefined ||
      !Number.isInteger(t.ThresholdValue) ||
      t.ThresholdValue < 1 ||
      t.ThresholdValue > 604800
    ) {
      throw invalidParameter(`${m.Name} needs Threshold [{Comparison: LT or LTE, ThresholdValue: 1-604800}]`);
    }
    return { seconds: t.ThresholdValue, inclusive: t.Comparison === 'LTE' };
  });
  if (body.Metrics.filter((m) => m.Name === 'SERVICE_LEVEL').length > 20)
    throw invalidParameter('You can include up to 20 SERVICE_LEVEL metrics in a request');
  const max = maxResults(body.MaxResults, 100, 100);
  const units = agentBased ? agentUnits(centre, filters) : queueUnits(centre, filters);
  const groups = new Map<string, { dims: Record<string, string>; units: Unit[] }>();
  for (const unit of units) {
    const dims = Object.fromEntries(groupings.map((g) => [g, unit.dims[g] ?? '']));
    const id = JSON.stringify(dims);
    const group = groups.get(id) ?? { dims, units: [] };
    group.units.push(unit);
    groups.set(id, group);
  }
  const intervals = intervalsOf(startMs, endMs, period, offset);
  const history = centre.model.history;
  const rows: unknown[] = [];
  for (const group of groups.values()) {
    const keySet = new Set(group.units.map((u) => u.key));
    const agentSet = new Set(group.units.map((u) => u.agent));
    for (const [from, to] of intervals) {
      const r = agentBased ? history.agentContacts.sum(from, to, keySet) : history.queueSum(from, to, keySet);
      const t = agentBased ? history.agentTime.sum(from, to, agentSet).values : null;
      const active = r.values.some((v) => v !== 0) || (t !== null && (t[T.ONLINE] ?? 0) > 0);
      if (!active) continue;
      rows.push({
        Dimensions: group.dims,
        MetricInterval: { Interval: periodName, StartTime: epochSeconds(from), EndTime: epochSeconds(to) },
        Collections: body.Metrics.map((m, i) => ({
          Metric: { Name: m.Name, Threshold: m.Threshold },
          Value:
            AGENT_TIME_METRICS.has(m.Name) && !agentBased
              ? undefined
              : v2Value(m.Name, r, t, thresholds[i] ?? NO_THRESHOLD),
        })),
      });
    }
  }
  const { NextToken: token, ...request } = body;
  const first = ctx.tokens.offset(token, request, ctx.now);
  const next =
    first + max < rows.length ? ctx.tokens.issue(request, first + max, ctx.now, 86_400_000) : undefined;
  return { MetricResults: rows.slice(first, first + max), NextToken: next };
}

function channelsOf(filters: Map<string, string[]>): Channel[] {
  const wanted = filters.get('CHANNEL');
  for (const c of wanted ?? []) {
    if (!['VOICE', 'CHAT', 'TASK', 'EMAIL'].includes(c)) throw invalidParameter(`Unknown channel ${c}`);
  }
  return CHANNELS.filter((c) => !wanted || wanted.includes(c));
}

/**
 * A filter value that names no queue of the instance (never one, or deleted) is refused: a filter
 * naming a deleted queue is an answer another try cannot change, which the collector must isolate.
 */
export function knownQueue(centre: SimulatedCentre, idOrArn: string): number {
  const q = centre.catalog.queueIndex(idOrArn);
  if (q === undefined || centre.catalog.queues[q]?.deleted)
    throw invalidParameter(`The QUEUE filter value ${idOrArn} is not a queue of this instance`);
  return q;
}

function queueUnits(centre: SimulatedCentre, filters: Map<string, string[]>): Unit[] {
  const { catalog } = centre;
  const queues = new Set((filters.get('QUEUE') ?? []).map((q) => knownQueue(centre, q)));
  return [...queues].flatMap((q) =>
    channelsOf(filters).map((channel) => ({
      key: streamKey(q, CHANNELS.indexOf(channel)),
      agent: -1,
      dims: { QUEUE: catalog.queues[q]?.id ?? '', CHANNEL: channel },
    })),
  );
}

function agentUnits(centre: SimulatedCentre, filters: Map<string, string[]>): Unit[] {
  const { catalog } = centre;
  const tail = (s: string): string => s.slice(s.lastIndexOf('/') + 1);
  const agentIds = filters.get('AGENT')?.map(tail);
  for (const id of agentIds ?? []) {
    if (catalog.agentIndex(id) === undefined)
      throw invalidParameter(`The AGENT filter value ${id} is not a user of this instance`);
  }
  const profiles = filters.get('ROUTING_PROFILE')?.map((p) => catalog.profileIndex(p));
  const sites = filters.get('AGENT_HIERARCHY_LEVEL_ONE')?.map(tail);
  const teams = filters.get('AGENT_HIERARCHY_LEVEL_TWO')?.map(tail);
  const agents = catalog.agents.filter(
    (a) =>
      (!agentIds || agentIds.includes(a.id)) &&
      (!profiles || profiles.includes(a.routingProfileIndex)) &&
      (!sites || sites.includes(a.siteGroupId)) &&
      (!teams || teams.includes(a.teamGroupId)),
  );
  const channels = channelsOf(filters);
  return agents.flatMap((a) =>
    channels.map((channel) => ({
      key: a.index * CHANNELS.length + CHANNELS.indexOf(channel),
      agent: a.index,
      dims: {
        AGENT: a.id,
        CHANNEL: channel,
        ROUTING_PROFILE: catalog.routingProfiles[a.routingProfileIndex]?.id ?? '',
        AGENT_HIERARCHY_LEVEL_ONE: a.siteGroupId,
        AGENT_HIERARCHY_LEVEL_TWO: a.teamGroupId,
      },
    })),
  );
}

/** [from, to) intervals of the period, aligned in the time zone and clipped to the range. */
function intervalsOf(startMs: number, endMs: number, period: number, offsetMs: number): [number, number][] {
  if (period === 0) return [[startMs, endMs]];
  const out: [number, number][] = [];
  let from = Math.floor((startMs + offsetMs) / period) * period - offsetMs;
  if (period === PERIOD_MS.WEEK) from = startMs;
  for (; from < endMs; from += period) out.push([Math.max(from, startMs), Math.min(from + period, endMs)]);
  return out;
}

/** The UTC offset of an IANA time zone at an instant, or InvalidParameterException for an unknown zone. */
function zoneOffsetMs(timeZone: string, atMs: number): number {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(atMs))
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch (error) {
    throw new ConnectApiError('InvalidParameterException', `TimeZone ${timeZone} is not a valid time zone`, {
      cause: error,
    });
  }
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000);
}
