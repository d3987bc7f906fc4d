/**
 * The fewest Connect API calls one collector run can make, from the APIs' request limits
 * (docs/connect-api.md, "Request limits"): the benchmark prints these next to the calls it measures.
 *
 * - A filter holds at most 100 ids (queues, routing profiles, agents), so ids go in batches of 100.
 * - A metrics page holds at most 100 results; every request costs at least one page.
 * - A list page holds at most 1,000 items; every list API costs at least one call.
 */

/** Largest filter (ids per request) of the metrics APIs. */
const FILTER_LIMIT = 100;
/** Largest page (MaxResults) of the metrics APIs. */
const METRICS_PAGE_LIMIT = 100;
/** Largest page (maxResults) of the list APIs. */
const LIST_PAGE_LIMIT = 1000;

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name}: expected a whole number of 0 or more (got ${value})`);
  }
  return value;
}

/** Calls to read `results` results at `perPage` a page: at least one. */
export function pagesFor(results: number, perPage: number = METRICS_PAGE_LIMIT): number {
  return Math.max(1, Math.ceil(count('results', results) / perPage));
}

/**
 * Calls to read `ids` ids in filter batches of 100 when each id yields `resultsPerId` results: every
 * batch is paged on its own (a page never spans two requests). Zero ids cost nothing.
 */
export function batchedPages(ids: number, resultsPerId: number): number {
  count('ids', ids);
  count('resultsPerId', resultsPerId);
  let calls = 0;
  for (let left = ids; left > 0; left -= FILTER_LIMIT) {
    calls += pagesFor(Math.min(FILTER_LIMIT, left) * resultsPerId);
  }
  return calls;
}

/**
 * GetCurrentMetricData grouped by queue and channel: batches of 100 queues, queue x channel results
 * at 100 a page. 3 x floor(q / 100) + ceil(3 x (q mod 100) / 100) for three channels.
 */
export function minCurrentMetricsCalls(queues: number, channels = 3): number {
  return batchedPages(queues, channels);
}

/**
 * GetCurrentUserData filtered by routing profile (each agent has exactly one, so each agent is
 * returned once): no fewer requests than batches of 100 profiles, no fewer pages than reported
 * agents / 100. max(ceil(p / 100), ceil(a / 100)); 0 when there is no routing profile.
 */
export function minCurrentUsersCalls(routingProfiles: number, reportedAgents: number): number {
  count('routingProfiles', routingProfiles);
  count('reportedAgents', reportedAgents);
  if (routingProfiles === 0) return 0;
  return Math.max(Math.ceil(routingProfiles / FILTER_LIMIT), Math.ceil(reportedAgents / METRICS_PAGE_LIMIT));
}

/** What the metadata collector lists. */
export interface MetadataCounts {
  /** STANDARD and AGENT queues. */
  readonly queues: number;
  readonly routingProfiles: number;
  readonly agentStatuses: number;
  readonly users: number;
  /** Hours of operation, and the overrides of each. @default none */
  readonly hours?: readonly { readonly overrides: number }[];
  /** STANDARD queues (SearchQueues gives their hours). @default 0 */
  readonly standardQueues?: number;
}

/** SearchQueues' page (Connect API Reference: MaxResults 1-500). */
const SEARCH_QUEUES_PAGE_LIMIT = 500;
/** ListHoursOfOperationOverrides' page (MaxResults 1-100). */
const OVERRIDES_PAGE_LIMIT = 100;

/**
 * The four list APIs to the last page (sum of max(1, ceil(n / 1000))), then the hours of operation:
 * their list, SearchQueues' STANDARD queues 500 a page, and for each hours DescribeHoursOfOperation,
 * its overrides 100 a page and GetEffectiveHoursOfOperations (one range).
 */
export function minMetadataCalls(counts: MetadataCounts): number {
  const hours = counts.hours ?? [];
  return (
    pagesFor(counts.queues, LIST_PAGE_LIMIT) +
    pagesFor(counts.routingProfiles, LIST_PAGE_LIMIT) +
    pagesFor(counts.agentStatuses, LIST_PAGE_LIMIT) +
    pagesFor(counts.users, LIST_PAGE_LIMIT) +
    pagesFor(hours.length, LIST_PAGE_LIMIT) +
    pagesFor(counts.standardQueues ?? 0, SEARCH_QUEUES_PAGE_LIMIT) +
    hours.reduce((n, h) => n + 2 + pagesFor(h.overrides, OVERRIDES_PAGE_LIMIT), 0)
  );
}

/** What one historical run fetched, per feed. */
export interface HistoricalWork {
  readonly queues: number;
  readonly agents: number;
  /** Channels a queue reports on. */
  readonly channels: number;
  /** 5-minute intervals read with GetMetricData (v1 aggregates over a request's range: one request each). */
  readonly v1Intervals: number;
  /** 15-minute intervals read with GetMetricDataV2 (one range may hold them all: results per interval). */
  readonly v2QueueIntervals: number;
  readonly v2AgentIntervals: number;
}

/**
 * v1: per 5-minute interval, batches of 100 queues paged over queue x channel results.
 * v2 queues: one range for all intervals, batches of 100 queues paged over queue x channel x interval.
 * v2 agents: one range, batches of 100 agents paged over agent x interval.
 */
export function minHistoricalCalls(work: HistoricalWork): number {
  const v1 = count('v1Intervals', work.v1Intervals) * batchedPages(work.queues, work.channels);
  const v2q =
    count('v2QueueIntervals', work.v2QueueIntervals) === 0
      ? 0
      : batchedPages(work.queues, work.channels * work.v2QueueIntervals);
  const v2a =
    count('v2AgentIntervals', work.v2AgentIntervals) === 0
      ? 0
      : batchedPages(work.agents, work.v2AgentIntervals);
  return v1 + v2q + v2a;
}

/** What an hour of restatements and a day of reconciliation read. */
export interface LateRecordWork {
  readonly queues: number;
  readonly agents: number;
  readonly channels: number;
  /** Ages (hours) at which each interval is read again (`historicalRestateHours`). */
  readonly restateHours: readonly number[];
}

/**
 * Upper bound of the calls an hour of restatements adds (every queue x channel and agent active): per
 * age, the 12 five-minute GetMetricData intervals (ages under 24 hours: it keeps no more) and the 4
 * fifteen-minute GetMetricDataV2 intervals of queues and of agents that turn that old within the hour,
 * one range each.
 */
export function restatementCallsPerHour(work: LateRecordWork): number {
  const v1Ages = work.restateHours.filter((h) => h < 24).length;
  const v1 = v1Ages * 12 * batchedPages(work.queues, work.channels);
  const v2 =
    work.restateHours.length * 4 * (batchedPages(work.queues, work.channels) + batchedPages(work.agents, 1));
  return v1 + v2;
}

/** Upper bound of the calls a day's reconciliation costs: one DAY range, per batch of queues, paged. */
export function reconciliationCallsPerDay(work: Pick<LateRecordWork, 'queues' | 'channels'>): number {
  return batchedPages(work.queues, work.channels);
}

/**
 * The shortest refresh period (seconds) the quota allows for a feed needing `calls` calls a run at
 * `rate` calls a second after a burst of `burst`: in steady state each run must wait for its calls'
 * tokens, so calls / rate (the burst helps only the first run).
 */
export function refreshPeriodAllowedSeconds(calls: number, rate: number): number {
  count('calls', calls);
  if (!(rate > 0)) throw new RangeError(`rate: expected a positive number (got ${rate})`);
  return calls / rate;
}
