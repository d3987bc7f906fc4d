import type { SimulatedCentre } from '../centre';
import { invalidParameter } from '../errors';
import { F, streamKey } from '../history';
import { type AgentCounts, addCounts, zeroCounts } from '../live';
import { CHANNELS, type Channel } from '../types';
import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';
import { answeredCount } from './metric-definitions';
import { CurrentMetricRequestSchema, limitValues, parseBody } from './schemas';

/** The 14 current metrics and their units. */
const CURRENT_METRIC_UNITS: Readonly<Record<string, 'COUNT' | 'SECONDS'>> = {
  AGENTS_AFTER_CONTACT_WORK: 'COUNT',
  AGENTS_AVAILABLE: 'COUNT',
  AGENTS_ERROR: 'COUNT',
  AGENTS_NON_PRODUCTIVE: 'COUNT',
  AGENTS_ONLINE: 'COUNT',
  AGENTS_ON_CALL: 'COUNT',
  AGENTS_ON_CONTACT: 'COUNT',
  AGENTS_STAFFED: 'COUNT',
  CONTACTS_IN_QUEUE: 'COUNT',
  CONTACTS_SCHEDULED: 'COUNT',
  ESTIMATED_WAIT_TIME: 'SECONDS',
  OLDEST_CONTACT_AGE: 'SECONDS',
  SLOTS_ACTIVE: 'COUNT',
  SLOTS_AVAILABLE: 'COUNT',
};

/** One group of a current-metrics answer: which queues, channels and profiles it covers. */
export interface CurrentGroup {
  readonly queues: number[];
  readonly channels: Channel[];
  readonly profiles: number[] | null;
  readonly dimensions: Record<string, unknown>;
}

/** Current metric values of a group; ESTIMATED_WAIT_TIME is null unless grouped by queue. */
export function currentValues(
  centre: SimulatedCentre,
  group: CurrentGroup,
  grouped: boolean,
  byQueue: boolean,
): Record<string, number | null> {
  const { catalog, model, live } = centre;
  const counts: AgentCounts = zeroCounts();
  const profiles = new Set<number>(group.profiles ?? []);
  const agents = new Set<number>();
  let inQueue = 0;
  let oldest = -1;
  const channelIdx = group.channels.map((ch) => CHANNELS.indexOf(ch));
  for (const q of group.queues) {
    const queue = catalog.queues[q];
    for (const c of channelIdx) {
      const stream = streamKey(q, c);
      if (group.profiles === null) {
        if (queue?.type === 'AGENT') agents.add(queue.agentIndex ?? -1);
        else for (const p of catalog.profilesByStream[stream] ?? []) profiles.add(p);
      }
      const waiting = model.waiting[stream] ?? [];
      inQueue += waiting.length;
      const head = waiting[0];
      if (head) oldest = Math.max(oldest, model.time - head.enqueuedAt);
    }
  }
  for (const p of profiles) addCounts(counts, live.profile(p));
  for (const a of agents) {
    const agent = catalog.agents[a];
    if (agent && !profiles.has(agent.routingProfileIndex)) addCounts(counts, live.agent(agent));
  }
  const slots = (list: number[]): number => channelIdx.reduce((sum, c) => sum + (list[c] ?? 0), 0);
  let estimate: number | null = null;
  if (byQueue) {
    const keys = new Set(group.queues.flatMap((q) => channelIdx.map((c) => streamKey(q, c))));
    const recent = model.history.queueSum(model.time - 900_000, model.time + 1, keys);
    const answered = answeredCount(recent);
    estimate = answered > 0 ? Math.round((recent.values[F.SUM_QUEUE_ANSWER_TIME] ?? 0) / answered) : 0;
  }
  const age = Math.max(oldest, 0);
  return {
    AGENTS_AFTER_CONTACT_WORK: counts.afterContactWork,
    AGENTS_AVAILABLE: counts.available,
    AGENTS_ERROR: counts.error,
    AGENTS_NON_PRODUCTIVE: counts.nonProductive,
    AGENTS_ONLINE: counts.online,
    AGENTS_ON_CALL: counts.onCall,
    AGENTS_ON_CONTACT: counts.onContact,
    AGENTS_STAFFED: counts.staffed,
    CONTACTS_IN_QUEUE: inQueue,
    CONTACTS_SCHEDULED: 0,
    ESTIMATED_WAIT_TIME: estimate,
    // Connect reports OLDEST_CONTACT_AGE in milliseconds when there is no grouping.
    OLDEST_CONTACT_AGE: grouped ? Math.round(age / 1000) : age,
    SLOTS_ACTIVE: slots(counts.slotsActive),
    SLOTS_AVAILABLE: slots(counts.slotsAvailable),
  };
}

const SUPPORTED_GROUPINGS = ['QUEUE', 'CHANNEL', 'ROUTING_PROFILE'];

/** POST /metrics/current/{InstanceId}. */
export function getCurrentMetricData(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const body = parseBody(CurrentMetricRequestSchema, req.body);
  const { Filters: filters } = body;
  const groupings = body.Groupings ?? [];
  // GetCurrentMetricData reference, Filters: "Queues: 100", "Routing profiles: 100", "You cannot filter
  // by both queue AND routing profile"; Groupings: "If you group by ROUTING_PROFILE, you must include
  // either a queue or routing profile filter"; each metric's Unit as the CurrentMetric list gives it.
  // (https://docs.aws.amazon.com/connect/latest/APIReference/API_GetCurrentMetricData.html)
  limitValues('Filters.Queues', filters.Queues);
  limitValues('Filters.RoutingProfiles', filters.RoutingProfiles);
  limitValues('Filters.Channels', filters.Channels, 4);
  refuseEmail(filters.Channels);
  if (filters.Queues && filters.RoutingProfiles) {
    throw invalidParameter('Filters can include Queues or RoutingProfiles, but not both');
  }
  if (!filters.Queues && !filters.RoutingProfiles) {
    throw invalidParameter('Filters must include Queues or RoutingProfiles');
  }
  if (groupings.length > 2)
    throw invalidParameter(`Groupings can have at most 2 values; got ${groupings.length}`);
  for (const g of groupings) {
    if (!SUPPORTED_GROUPINGS.includes(g))
      throw invalidParameter(`Grouping ${g} is not supported by this filter`);
  }
  if (groupings.includes('ROUTING_PROFILE') && !filters.RoutingProfiles) {
    throw invalidParameter('Grouping ROUTING_PROFILE requires Filters.RoutingProfiles');
  }
  if (groupings.includes('QUEUE') && !filters.Queues)
    throw invalidParameter('Grouping QUEUE requires Filters.Queues');
  for (const metric of body.CurrentMetrics) {
    const unit = CURRENT_METRIC_UNITS[metric.Name];
    if (!unit) throw invalidParameter(`Unknown current metric ${metric.Name}`);
    if (metric.Unit !== undefined && metric.Unit !== unit) {
      throw invalidParameter(`Metric ${metric.Name} has unit ${unit}, not ${metric.Unit}`);
    }
  }
  const max = maxResults(body.MaxResults, 100, 100);
  const { NextToken: token, ...request } = body;
  const key = { i: centre.instance.instanceId, ...request };
  const { offset, snapshot } = ctx.tokens.read(token, key, ctx.now);
  // Later pages come from the answer cached at the first page (see SnapshotCache).
  const cached = snapshot === undefined ? undefined : ctx.snapshots.get(snapshot, ctx.now);
  if (snapshot !== undefined && !cached) throw invalidParameter('The NextToken has expired.');
  const answer = cached ?? {
    results: currentResults(centre, body.CurrentMetrics, filters, groupings, ctx.omitInactiveQueues),
    snapshotMs: centre.model.time,
  };
  const { results } = answer;
  // "The token expires after 5 minutes from the time it is created" (GetCurrentMetricData, NextToken).
  const ttl = 300_000;
  const name =
    offset + max < results.length ? (snapshot ?? ctx.snapshots.keep(answer, ctx.now + ttl, ctx.now)) : '';
  return {
    MetricResults: results.slice(offset, offset + max),
    NextToken: name ? ctx.tokens.issue(key, offset + max, ctx.now, ttl, name) : undefined,
    DataSnapshotTime: epochSeconds(answer.snapshotMs),
    ApproximateTotalCount: results.length,
  };
}

/**
 * GetCurrentMetricData and GetMetricData take VOICE, CHAT and TASK in Filters.Channels ("VOICE, CHAT,
 * and TASK channels are supported", API reference, Filters), although the Channel type also has EMAIL.
 */
export function refuseEmail(channels: readonly string[] | undefined): void {
  if (channels?.includes('EMAIL'))
    throw invalidParameter('Filters.Channels: only VOICE, CHAT and TASK channels are supported');
}

/** Every result of a request now; with `omitInactive`, a group with nothing to report is left out. */
function currentResults(
  centre: SimulatedCentre,
  metrics: readonly { Name: string }[],
  filters: { Queues?: string[]; RoutingProfiles?: string[]; Channels?: string[] },
  groupings: string[],
  omitInactive: boolean,
): unknown[] {
  const byQueue = groupings.includes('QUEUE');
  return currentGroups(centre, filters, groupings).flatMap((group) => {
    const values = currentValues(centre, group, groupings.length > 0, byQueue);
    if (omitInactive && Object.values(values).every((v) => !v)) return [];
    return [
      {
        Dimensions: group.dimensions,
        Collections: metrics.map((m) => ({
          Metric: { Name: m.Name, Unit: CURRENT_METRIC_UNITS[m.Name] },
          Value: values[m.Name] ?? null,
        })),
      },
    ];
  });
}

function currentGroups(
  centre: SimulatedCentre,
  filters: { Queues?: string[]; RoutingProfiles?: string[]; Channels?: string[] },
  groupings: string[],
): CurrentGroup[] {
  const { catalog } = centre;
  const channels = (filters.Channels ?? CHANNELS).filter((c): c is Channel =>
    (CHANNELS as readonly string[]).includes(c),
  );
  const byChannel = groupings.includes('CHANNEL');
  const channelSets: Channel[][] = byChannel ? channels.map((c) => [c]) : [channels];
  const groups: CurrentGroup[] = [];
  if (filters.Queues) {
    const queues = unique(
      filters.Queues.map((q) => catalog.queueIndex(q)).filter((q): q is number => q !== undefined),
    );
    const queueSets = groupings.includes('QUEUE') ? queues.map((q) => [q]) : [queues];
    for (const qs of queueSets) {
      for (const cs of channelSets) {
        const dimensions: Record<string, unknown> = {};
        const queue = catalog.queues[qs[0] ?? -1];
        if (groupings.includes('QUEUE') && queue) dimensions.Queue = { Id: queue.id, Arn: queue.arn };
        if (byChannel) dimensions.Channel = cs[0];
        groups.push({ queues: qs, channels: cs, profiles: null, dimensions });
      }
    }
    return groups;
  }
  const profiles = unique(
    (filters.RoutingProfiles ?? [])
      .map((p) => catalog.profileIndex(p))
      .filter((p): p is number => p !== undefined),
  );
  const profileSets = groupings.includes('ROUTING_PROFILE') ? profiles.map((p) => [p]) : [profiles];
  for (const ps of profileSets) {
    const queues = unique(
      ps.flatMap((p) => catalog.routingProfiles[p]?.queues.map((q) => q.queueIndex) ?? []),
    );
    for (const cs of channelSets) {
      const dimensions: Record<string, unknown> = {};
      const profile = catalog.routingProfiles[ps[0] ?? -1];
      if (groupings.includes('ROUTING_PROFILE') && profile)
        dimensions.RoutingProfile = { Id: profile.id, Arn: profile.arn };
      if (byChannel) dimensions.Channel = cs[0];
      groups.push({ queues, channels: cs, profiles: ps, dimensions });
    }
  }
  return groups;
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}
