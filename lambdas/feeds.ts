import { RECONCILIATION_METRICS } from './shared/collector/metric-names';
import type { Cadences, ConnectApi } from './shared/config/runtime-config';

/**
 * The feed table: what each feed of the pipeline is, in one place. Pure data and arithmetic (no SDK,
 * no CDK), so the stack (`lib/`), the Lambda handlers, `/check`, the local runner and the bench all
 * read the same facts: the function that runs it, the Connect APIs it may call, its schedule and
 * cadence, its run budget and what follows its runs.
 */

/** Collector feeds, as `collector_run.feed` records them. */
export const FEEDS = ['metadata', 'current_metrics', 'current_users', 'historical_metrics'] as const;
export type Feed = (typeof FEEDS)[number];

/** A Lambda function of the pipeline. */
export interface FunctionDefinition {
  /** Construct id (a public contract: renaming it replaces the function). */
  readonly id: string;
  /**
   * `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line and the `service` dimension of
   * every custom metric (the alarms select the collectors' metrics by it).
   */
  readonly serviceName: string;
  /** TypeScript entry exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

/**
 * When a feed runs. `loop`: on the real-time polling loop, every `cadences.realtimeSeconds` on a grid
 * aligned to the minute (an Express state machine deployed, `runFeedLoop` locally). `aligned`: every
 * `cadences[cadence]` minutes on a grid aligned to the UTC day, `offsetMinutes` past each boundary
 * (an EventBridge cron deployed, the same grid locally).
 */
export type FeedSchedule =
  | { readonly kind: 'loop' }
  | {
      readonly kind: 'aligned';
      readonly cadence: 'historicalMinutes' | 'metadataMinutes';
      readonly offsetMinutes: number;
      /** Construct id of its EventBridge rule (a public contract, like the function's). */
      readonly ruleId: string;
    };

/** A step that runs once after the runs of every instance (whatever their outcome). */
export type AfterRunStep = 'push' | 'retention';

/** One feed. */
export interface FeedDefinition {
  readonly feed: Feed;
  readonly function: FunctionDefinition;
  /** The Connect APIs its code calls: exactly what its role (and a client account's role) may call. */
  readonly connectApis: readonly ConnectApi[];
  readonly schedule: FeedSchedule;
  /**
   * One run at a time across Lambda containers (a lease in the database while it runs), for feeds
   * whose run may outlast their cadence; the real-time loop already runs its ticks one at a time.
   */
  readonly exclusive: boolean;
  /** Steps after its runs, in order. */
  readonly afterRuns: readonly AfterRunStep[];
  /** Counts its runs publish (RunResult.metrics) that raise an alarm whenever one is above 0. */
  readonly alarmOnCounts: readonly { readonly metric: string; readonly description: string }[];
}

/** What the poll gate reads an instance's open periods with (open-periods.ts); metadata reads both anyway. */
const POLL_GATE_APIS: readonly ConnectApi[] = ['SearchQueues', 'GetEffectiveHoursOfOperations'];

/** The four feeds. */
export const FEED_TABLE: Readonly<Record<Feed, FeedDefinition>> = {
  metadata: {
    feed: 'metadata',
    function: {
      id: 'Metadata',
      serviceName: 'metadata',
      entry: 'lambdas/metadata/handler.ts',
      description: 'Connect metadata collector (queues, routing profiles, agent statuses, users)',
      memorySize: 512,
      timeoutSeconds: 300,
    },
    connectApis: [
      'ListQueues',
      'ListRoutingProfiles',
      'ListAgentStatuses',
      'ListUsers',
      // Hours of operation, their overrides and effective hours, and each queue's hours (SearchQueues).
      'ListHoursOfOperations',
      'DescribeHoursOfOperation',
      'ListHoursOfOperationOverrides',
      'GetEffectiveHoursOfOperations',
      'SearchQueues',
    ],
    schedule: { kind: 'aligned', cadence: 'metadataMinutes', offsetMinutes: 0, ruleId: 'MetadataSchedule' },
    exclusive: true,
    afterRuns: ['retention'],
    alarmOnCounts: [],
  },
  current_metrics: {
    feed: 'current_metrics',
    function: {
      id: 'CurrentMetrics',
      serviceName: 'current-metrics',
      entry: 'lambdas/current-metrics/handler.ts',
      description: 'Connect real-time queue metrics collector (GetCurrentMetricData)',
      memorySize: 256,
      timeoutSeconds: 30,
    },
    // ListQueues: the queue ids when metadata has not run yet. SearchQueues and
    // GetEffectiveHoursOfOperations: the poll gate's open periods (poll-gate.ts), here and in every feed.
    connectApis: ['GetCurrentMetricData', 'ListQueues', ...POLL_GATE_APIS],
    schedule: { kind: 'loop' },
    exclusive: false,
    afterRuns: ['push'],
    alarmOnCounts: [],
  },
  current_users: {
    feed: 'current_users',
    function: {
      id: 'CurrentUsers',
      serviceName: 'current-users',
      entry: 'lambdas/current-users/handler.ts',
      description: 'Connect real-time agent state collector (GetCurrentUserData)',
      memorySize: 256,
      timeoutSeconds: 30,
    },
    // ListRoutingProfiles: the filter ids when metadata has not run yet. GetCurrentMetricData: the poll
    // gate's activity probe while closed.
    connectApis: ['GetCurrentUserData', 'ListRoutingProfiles', 'GetCurrentMetricData', ...POLL_GATE_APIS],
    schedule: { kind: 'loop' },
    exclusive: false,
    afterRuns: [],
    alarmOnCounts: [],
  },
  historical_metrics: {
    feed: 'historical_metrics',
    function: {
      id: 'HistoricalMetrics',
      serviceName: 'historical-metrics',
      entry: 'lambdas/historical-metrics/handler.ts',
      description: 'Connect interval metrics collector with backfill (GetMetricData, GetMetricDataV2)',
      memorySize: 512,
      timeoutSeconds: 300,
    },
    connectApis: ['GetMetricData', 'GetMetricDataV2', ...POLL_GATE_APIS],
    // One minute after each interval closes, when Connect has it.
    schedule: {
      kind: 'aligned',
      cadence: 'historicalMinutes',
      offsetMinutes: 1,
      ruleId: 'HistoricalSchedule',
    },
    exclusive: true,
    afterRuns: [],
    alarmOnCounts: [
      {
        metric: RECONCILIATION_METRICS.outOfTolerance,
        description:
          "Stored daily figures differ from Connect's own by more than reconciliationTolerancePercent: see v_reconciliation",
      },
    ],
  },
};

/** The `/check` handler: reads the database only. */
export const CHECK_FUNCTION: FunctionDefinition = {
  id: 'CheckDataLoad',
  serviceName: 'check-data-load',
  entry: 'lambdas/check-data-load/handler.ts',
  description: 'GET /check: freshness of every feed of every instance',
  memorySize: 256,
  // Room for a paused database to resume (up to about 15 s), under API Gateway's 29-s integration limit.
  timeoutSeconds: 28,
};

/** The deploy-time migration (the `Custom::SchemaMigration` handler). */
export const MIGRATE_FUNCTION: FunctionDefinition = {
  id: 'Handler',
  serviceName: 'migrate',
  entry: 'lambdas/migrate/handler.ts',
  description: 'Deploy-time schema migration and database users (custom resource)',
  memorySize: 512,
  timeoutSeconds: 600,
};

/** Every Connect API any feed calls, sorted: what a client account's read-only role grants. */
export const ALL_CONNECT_APIS: readonly ConnectApi[] = [
  ...new Set(Object.values(FEED_TABLE).flatMap((f) => f.connectApis)),
].sort();

/** Seconds between runs of a feed. */
export function cadenceSeconds(feed: Feed, cadences: Cadences): number {
  const { schedule } = FEED_TABLE[feed];
  return schedule.kind === 'loop' ? cadences.realtimeSeconds : cadences[schedule.cadence] * 60;
}

/** A feed's schedule as a grid: every `periodMs`, `offsetMs` past each multiple of it since the epoch. */
function scheduleGrid(feed: Feed, cadences: Cadences): { periodMs: number; offsetMs: number } {
  const { schedule } = FEED_TABLE[feed];
  return {
    periodMs: cadenceSeconds(feed, cadences) * 1000,
    offsetMs: schedule.kind === 'loop' ? 0 : schedule.offsetMinutes * 60_000,
  };
}

/** The first time at or after `afterMs` when `feed` is due, on its grid. */
export function nextDue(feed: Feed, afterMs: number, cadences: Cadences): number {
  const { periodMs, offsetMs } = scheduleGrid(feed, cadences);
  return Math.ceil((afterMs - offsetMs) / periodMs) * periodMs + offsetMs;
}

/** The seconds past each minute the polling loop ticks at: `[0, c, 2c, ...]` below 60. */
export function loopTickOffsets(cadences: Pick<Cadences, 'realtimeSeconds'>): number[] {
  const c = cadences.realtimeSeconds;
  return Array.from({ length: Math.floor(60 / c) }, (_, i) => i * c);
}

/**
 * The cron fields of an aligned feed's EventBridge rule: the same grid as {@link nextDue}, which the
 * config keeps expressible (a cadence dividing an hour, or whole hours dividing a day).
 * @throws RangeError for a loop feed or a cadence no cron can express
 */
export function cronFields(feed: Feed, cadences: Cadences): { minute: string; hour: string } {
  const { schedule } = FEED_TABLE[feed];
  if (schedule.kind !== 'aligned') throw new RangeError(`${feed} runs on the polling loop, not on a cron`);
  const minutes = cadences[schedule.cadence];
  const offset = schedule.offsetMinutes;
  if (minutes < 60 && 60 % minutes === 0) return { minute: `${offset}/${minutes}`, hour: '*' };
  if (minutes % 60 === 0 && 1440 % minutes === 0) return { minute: `${offset}`, hour: `0/${minutes / 60}` };
  throw new RangeError(
    `${schedule.cadence} ${minutes}: expected a divisor of 60, or whole hours dividing 24, to align a schedule`,
  );
}

/**
 * How long a run may take before its retries stop. Locally a real-time run must end before the next
 * tick; deployed, every run gets its function's timeout (less a margin).
 */
export function localRunBudgetMs(feed: Feed, cadences: Cadences): number {
  if (FEED_TABLE[feed].schedule.kind === 'loop')
    return Math.max(2_000, cadences.realtimeSeconds * 1000 - 1_000);
  return 4 * 60_000;
}
