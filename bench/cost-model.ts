/**
 * A monthly AWS cost model at us-east-1 list prices, for this pipeline's synthesized stacks and, for
 * comparison, the AWS workshop's design (two Standard state machines looping every 10 s, VPC Lambdas
 * through RDS Proxy, a NAT gateway, two Aurora Serverless v2 instances at 0.5-1 ACU). Pure arithmetic:
 * every price and every usage assumption is a named input, listed in docs/performance.md.
 */

/** List prices, us-east-1, each with the page that publishes it in docs/connect-api.md. */
const PRICES = {
  /** Aurora Serverless v2, per ACU-hour. */
  auroraAcuHour: 0.12,
  /** Aurora storage, per GB-month. */
  auroraStorageGbMonth: 0.1,
  /** RDS Data API, per million requests (first billion). */
  dataApiPerMillion: 0.35,
  /** Step Functions Standard, per state transition. */
  sfnStandardTransition: 0.025 / 1000,
  /** Step Functions Express, per execution. */
  sfnExpressExecution: 1 / 1_000_000,
  /** Step Functions Express, per GB-second (billed in 64 MB steps). */
  sfnExpressGbSecond: 0.00001667,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on arm64, per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** CloudWatch standard-resolution alarm, per month. */
  cloudWatchAlarm: 0.1,
  /** CloudWatch custom metric, per month (first 10,000). */
  cloudWatchMetric: 0.3,
  /** CloudWatch Logs ingestion, per GB. */
  logsIngestGb: 0.5,
  /** Secrets Manager, per secret-month. */
  secret: 0.4,
  /** KMS customer-managed key, per month. */
  kmsKey: 1,
  /** NAT gateway, per hour and per GB processed. */
  natHour: 0.045,
  natGb: 0.045,
  /** RDS Proxy for Aurora Serverless v2, per ACU-hour, billed on at least 8 ACUs. */
  rdsProxyAcuHour: 0.015,
  rdsProxyMinAcu: 8,
} as const;
export type Prices = typeof PRICES;

/** Hours in the billing month AWS uses for monthly figures (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/** What a deployment is made of, as the cost model needs it. */
export interface Inventory {
  /** Functions invoked on a schedule: invocations a month, memory, average billed duration. */
  readonly functions: readonly {
    name: string;
    invocationsPerMonth: number;
    memoryMb: number;
    durationMs: number;
  }[];
  /** Express state machines: executions a month and billed seconds each, at 64 MB. */
  readonly expressMachines: readonly { executionsPerMonth: number; secondsPerExecution: number }[];
  /** Standard state machines: transitions a month each. */
  readonly standardMachines: readonly { transitionsPerMonth: number }[];
  /** Aurora Serverless v2 instances (writer and readers) and the ACUs each averages. */
  readonly auroraInstances: number;
  readonly averageAcu: number;
  readonly storageGb: number;
  readonly dataApiRequestsPerMonth: number;
  readonly alarms: number;
  readonly customMetrics: number;
  readonly logsGbPerMonth: number;
  readonly secrets: number;
  readonly kmsKeys: number;
  readonly natGateways: number;
  readonly natGbPerMonth: number;
  readonly rdsProxies: number;
}

/** One line of a monthly bill. */
export interface CostLine {
  readonly item: string;
  readonly monthly: number;
}

/** The monthly cost of an inventory, item by item (items that cost nothing left out). */
export function monthlyCost(inv: Inventory, prices: Prices = PRICES, hours = HOURS_PER_MONTH): CostLine[] {
  const lambdaRequests = inv.functions.reduce((n, f) => n + f.invocationsPerMonth, 0);
  const lambdaGbSeconds = inv.functions.reduce(
    (n, f) => n + f.invocationsPerMonth * (f.memoryMb / 1024) * (f.durationMs / 1000),
    0,
  );
  const express = inv.expressMachines.reduce(
    (n, m) =>
      n +
      m.executionsPerMonth *
        (prices.sfnExpressExecution + prices.sfnExpressGbSecond * (64 / 1024) * m.secondsPerExecution),
    0,
  );
  const standard = inv.standardMachines.reduce(
    (n, m) => n + m.transitionsPerMonth * prices.sfnStandardTransition,
    0,
  );
  const lines: CostLine[] = [
    { item: 'aurora_compute', monthly: inv.auroraInstances * inv.averageAcu * hours * prices.auroraAcuHour },
    { item: 'aurora_storage', monthly: inv.storageGb * prices.auroraStorageGbMonth },
    { item: 'data_api', monthly: (inv.dataApiRequestsPerMonth / 1_000_000) * prices.dataApiPerMillion },
    { item: 'step_functions', monthly: express + standard },
    {
      item: 'lambda',
      monthly: lambdaRequests * prices.lambdaRequest + lambdaGbSeconds * prices.lambdaArmGbSecond,
    },
    {
      item: 'cloudwatch',
      monthly:
        inv.alarms * prices.cloudWatchAlarm +
        inv.customMetrics * prices.cloudWatchMetric +
        inv.logsGbPerMonth * prices.logsIngestGb,
    },
    { item: 'secrets_kms', monthly: inv.secrets * prices.secret + inv.kmsKeys * prices.kmsKey },
    {
      item: 'nat_gateway',
      monthly: inv.natGateways * (hours * prices.natHour + inv.natGbPerMonth * prices.natGb),
    },
    {
      item: 'rds_proxy',
      monthly:
        inv.rdsProxies *
        Math.max(prices.rdsProxyMinAcu, inv.auroraInstances * inv.averageAcu) *
        hours *
        prices.rdsProxyAcuHour,
    },
  ];
  return lines.filter((l) => l.monthly > 0).map((l) => ({ item: l.item, monthly: round2(l.monthly) }));
}

/** The sum of a bill's lines. */
export function totalOf(lines: readonly CostLine[]): number {
  return round2(lines.reduce((n, l) => n + l.monthly, 0));
}

/** Usage the cost model cannot read from a template: stated assumptions. */
export interface UsageAssumptions {
  /** Real-time tick, seconds (config `cadences.realtimeSeconds`). */
  readonly realtimeSeconds: number;
  readonly historicalMinutes: number;
  readonly metadataMinutes: number;
  /** Connect instances collected (each run does one transaction per instance). */
  readonly instances: number;
  /**
   * Real-time invocations per tick and feed (the fleet's groups, fleet.ts) and polling-loop executions
   * a minute (its shards). @default 1 and 1
   */
  readonly groups?: number;
  readonly shards?: number;
  /** Average billed duration of a run, by feed. */
  readonly durationMs: Readonly<Record<'realtime' | 'historical' | 'metadata', number>>;
  /** Data API requests per run and instance, by feed (the benchmark's `data_api_calls_per_run`). */
  readonly dataApiCallsPerRun: Readonly<
    Record<'current_metrics' | 'current_users' | 'historical_metrics' | 'metadata', number>
  >;
  /**
   * Billed seconds of one Express loop execution: it starts at the rule's second of minute M, waits for
   * minute M + 1 (30 s on average over the second the rule happens to fire at), runs until its last
   * tick at +50 s and waits for that tick's functions.
   */
  readonly expressSecondsPerExecution: number;
  /** Aurora ACUs averaged above the minimum (per Aurora instance). */
  readonly acuAboveMinimum: number;
  readonly storageGb: number;
  readonly logsGbPerMonth: number;
  readonly natGbPerMonth: number;
  /** The centre's opening hours and how the pipeline polls by them. @default open around the clock */
  readonly hours?: CentreHours;
}

/**
 * A centre's opening hours and the polling by them (config `openingHours`, poll-gate.ts): what the
 * cost model needs to say how much of the week the collectors write and the database is awake.
 */
export interface CentreHours {
  readonly openHoursPerDay: number;
  readonly openDaysPerWeek: number;
  /** `openingHours.pollByHours`: false polls around the clock whatever the hours. */
  readonly pollByHours: boolean;
  readonly marginMinutes: number;
  readonly probeMinutes: number;
  readonly closedBatchMinutes: number;
  /** Aurora pauses after this many idle minutes when its minimum capacity is 0 (the stack sets 5). */
  readonly autoPauseMinutes: number;
}

/** The config defaults, for a centre open `openHoursPerDay` hours on `openDaysPerWeek` days. */
export function centreHours(
  openHoursPerDay: number,
  openDaysPerWeek: number,
  pollByHours = true,
): CentreHours {
  return {
    openHoursPerDay,
    openDaysPerWeek,
    pollByHours,
    marginMinutes: 15,
    probeMinutes: 5,
    closedBatchMinutes: 240,
    autoPauseMinutes: 5,
  };
}

/** Billed duration of a real-time tick the poll gate keeps closed without asking Connect (memory only). */
export const CLOSED_TICK_MS = 20;
/** A resume from a pause, in hours (AWS: up to 15 s), billed from the first query. */
const RESUME_HOURS = 15 / 3600;

/** How much of each kind of work happens with the centre's hours (fractions of the always-on figures). */
export interface PollingShares {
  /** Share of real-time ticks that run a collector (open, with the margins). */
  readonly realtimeRuns: number;
  /** Share of scheduled runs that go ahead (open, plus one per closed batch). */
  readonly scheduledRuns: (cadenceMinutes: number) => number;
  /** Real-time probes a month per feed and instance (closed ticks that ask Connect). */
  readonly probesPerMonth: (realtimeSeconds: number) => number;
  /** Share of the month the database is awake when it may pause (minimum capacity 0). */
  readonly databaseAwake: number;
}

/**
 * The shares for a centre's hours. Open time is each open day's hours widened by the margin either side
 * (at most the day); after-hours activity (which keeps polling on) is assumed none. Awake time is the
 * open time, plus the scheduled feeds' last run after closing (`tailMinutes`) and the auto-pause delay
 * after each open stretch, plus each closed batch's wake and, with `hourlyWakes` (QuickSight's hourly
 * SPICE refresh), each closed hour's (resume, a minute of work, the auto-pause delay); the real-time
 * probes never touch the database.
 */
export function pollingShares(
  hours: CentreHours | undefined,
  wakes: { readonly tailMinutes?: number; readonly hourlyWakes?: boolean } = {},
): PollingShares {
  if (!hours?.pollByHours || (hours.openHoursPerDay >= 24 && hours.openDaysPerWeek >= 7)) {
    return { realtimeRuns: 1, scheduledRuns: () => 1, probesPerMonth: () => 0, databaseAwake: 1 };
  }
  const week = 168;
  const openDay = Math.min(24, hours.openHoursPerDay + (2 * hours.marginMinutes) / 60);
  const open = (hours.openDaysPerWeek * openDay) / week;
  const closedHours = week - hours.openDaysPerWeek * openDay;
  const batches = closedHours / (hours.closedBatchMinutes / 60);
  const wakeHours = RESUME_HOURS + 1 / 60 + hours.autoPauseMinutes / 60;
  // Each closed hour's SPICE refresh is a wake of its own (overlaps with the batches ignored: an upper bound).
  const refreshWakes = wakes.hourlyWakes ? closedHours : 0;
  const awakeHours =
    hours.openDaysPerWeek * (openDay + ((wakes.tailMinutes ?? 0) + hours.autoPauseMinutes) / 60) +
    (batches + refreshWakes) * wakeHours;
  return {
    realtimeRuns: open,
    scheduledRuns: (cadence) => Math.min(1, open + (batches * cadence) / 60 / week),
    probesPerMonth: () => ((closedHours * 60) / hours.probeMinutes) * (HOURS_PER_MONTH / week),
    databaseAwake: Math.min(1, awakeHours / week),
  };
}

/** The example config's usage assumptions. */
export const DEFAULT_USAGE: UsageAssumptions = {
  realtimeSeconds: 10,
  historicalMinutes: 5,
  metadataMinutes: 15,
  instances: 2,
  durationMs: { realtime: 500, historical: 5_000, metadata: 5_000 },
  dataApiCallsPerRun: { current_metrics: 5, current_users: 6, historical_metrics: 9, metadata: 8 },
  expressSecondsPerExecution: 81,
  acuAboveMinimum: 0,
  storageGb: 10,
  logsGbPerMonth: 2.5,
  natGbPerMonth: 10,
};

/** Scheduled runs a month of a feed running every `minutes` (or every `seconds`). */
export function runsPerMonth(every: { minutes?: number; seconds?: number }, hours = HOURS_PER_MONTH): number {
  const seconds = every.seconds ?? (every.minutes ?? 0) * 60;
  if (!(seconds > 0))
    throw new RangeError(`runsPerMonth: expected a positive period (got ${JSON.stringify(every)})`);
  return Math.round((hours * 3600) / seconds);
}

/**
 * The workshop's design with the same collection: two Standard state machines each looping
 * (Lambda, Choice, Wait 10 s) six times a minute, so 18 transitions a minute each; two VPC Lambdas
 * invoked every 10 s; two Aurora Serverless v2 instances kept at their 0.5 ACU floor by the polling;
 * RDS Proxy (billed on its 8-ACU minimum); one NAT gateway; one database secret; no Data API, alarms
 * or custom metrics; the same logs and storage.
 */
export function workshopInventory(
  usage: UsageAssumptions,
  memoryMb: number,
  hours = HOURS_PER_MONTH,
): Inventory {
  const ticks = runsPerMonth({ seconds: 10 }, hours);
  return {
    functions: ['realtime-queues', 'realtime-agents'].map((name) => ({
      name,
      invocationsPerMonth: ticks,
      memoryMb,
      durationMs: usage.durationMs.realtime,
    })),
    expressMachines: [],
    standardMachines: [0, 1].map(() => ({ transitionsPerMonth: 18 * runsPerMonth({ minutes: 1 }, hours) })),
    auroraInstances: 2,
    averageAcu: 0.5 + usage.acuAboveMinimum,
    storageGb: usage.storageGb,
    dataApiRequestsPerMonth: 0,
    alarms: 0,
    customMetrics: 0,
    logsGbPerMonth: usage.logsGbPerMonth,
    secrets: 1,
    kmsKeys: 0,
    natGateways: 1,
    natGbPerMonth: usage.natGbPerMonth,
    rdsProxies: 1,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Assumptions for a fleet, stated: the database work grows with the Data API requests (each about 2 ms
 * of CPU with the rollup triggers, assumed), an ACU is about a quarter of a vCPU (AWS sizes an ACU at
 * 2 GiB; an r6g.large, 16 GiB and 2 vCPUs, is 8 of them), a real-time invocation lasts 500 ms plus,
 * for current users, the wait its group's GetCurrentUserData calls queue for (instances - 1 calls at
 * the group's share of 2/s x 0.8; halved in `durationMs.realtime`, which both real-time feeds share),
 * and a scheduled invocation (one per group and run) 5 s plus 50 ms per instance of its group (the
 * instances run side by side).
 */
const FLEET_ASSUMPTIONS = {
  cpuMsPerDataApiRequest: 2,
  vcpuPerAcu: 0.25,
  realtimeBaseMs: 500,
  currentUserDataRate: 2 * 0.8,
  scheduledBaseMs: 5_000,
  scheduledMsPerInstance: 50,
} as const;

/**
 * The usage of a fleet of `instances` in `groups` groups (`instancesPerGroup` at most in one) and
 * `shards` executions a minute, from the example's usage and {@link FLEET_ASSUMPTIONS}.
 */
export function fleetUsage(
  base: UsageAssumptions,
  fleet: { instances: number; groups: number; shards: number; instancesPerGroup: number },
): UsageAssumptions {
  const a = FLEET_ASSUMPTIONS;
  const ticksPerSecond = 1 / base.realtimeSeconds;
  const realtimeRequestsPerSecond =
    fleet.instances *
    ticksPerSecond *
    (base.dataApiCallsPerRun.current_metrics + base.dataApiCallsPerRun.current_users);
  const acu = (realtimeRequestsPerSecond * a.cpuMsPerDataApiRequest) / 1000 / a.vcpuPerAcu;
  const pacingMs = ((fleet.instancesPerGroup - 1) / a.currentUserDataRate) * 1000;
  // A scheduled run fans out by group: each invocation runs its group's instances.
  const scheduledMs = a.scheduledBaseMs + a.scheduledMsPerInstance * fleet.instancesPerGroup;
  return {
    ...base,
    instances: fleet.instances,
    groups: fleet.groups,
    shards: fleet.shards,
    durationMs: { realtime: a.realtimeBaseMs + pacingMs / 2, historical: scheduledMs, metadata: scheduledMs },
    acuAboveMinimum: Math.max(0, Math.round((acu - 0.5) * 100) / 100),
  };
}
