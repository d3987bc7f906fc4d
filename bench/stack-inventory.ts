import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as z from 'zod';
import { FEED_TABLE, type Feed } from '../lambdas/feeds';
import { RUN_METRICS } from '../lambdas/shared/collector/metric-names';
import { executionShards, instanceGroups } from '../lambdas/shared/config/fleet';
import { type DeployConfig, loadDeployConfig } from '../lib/config';
import { addPipelineStacks } from '../lib/pipeline-app';
import {
  CLOSED_TICK_MS,
  type Inventory,
  pollingShares,
  runsPerMonth,
  type UsageAssumptions,
} from './cost-model';

/** The example deploy config the cost model prices. */
const EXAMPLE_CONFIG = path.join(__dirname, '..', 'config', 'example.json');

const ResourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
const TemplateSchema = z.object({ Resources: z.record(z.string(), ResourceSchema).default({}) });
/** A CloudFormation template, as far as the cost model reads it. */
export type Template = z.infer<typeof TemplateSchema>;

/** What the synthesized templates say about cost. */
export interface TemplateFacts {
  readonly functions: readonly { description: string; memoryMb: number }[];
  /** Express polling loops, started every minute (per shard). */
  readonly expressMachines: number;
  /** Feeds whose schedule starts an Express fan-out by group (a fleet's historical and metadata). */
  readonly fanOutFeeds: readonly Feed[];
  readonly standardMachines: number;
  readonly auroraInstances: number;
  readonly minAcu: number;
  readonly maxAcu: number;
  readonly alarms: number;
  readonly secrets: number;
  readonly kmsKeys: number;
  readonly natGateways: number;
  readonly rdsProxies: number;
  /** QuickSight SPICE refresh schedules (hourly: each wakes a paused database). */
  readonly spiceRefreshSchedules: number;
}

/** Counts the billable resources of the templates (Lambda memory defaults to 128 MB, as in CloudFormation). */
export function factsOf(templates: readonly unknown[]): TemplateFacts {
  const entries = templates.flatMap((t) => Object.entries(TemplateSchema.parse(t).Resources));
  const resources = entries.map(([, r]) => r);
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const props = (r: { Properties?: Record<string, unknown> }) => r.Properties ?? {};
  const machines = ofType('AWS::StepFunctions::StateMachine');
  // A schedule's fan-out is `<rule id>FanOut<hash>` (lib/constructs/collector-schedule.ts).
  const fanOutOf = (logicalId: string) =>
    (Object.keys(FEED_TABLE) as Feed[]).find((feed) => {
      const schedule = FEED_TABLE[feed].schedule;
      return schedule.kind === 'aligned' && logicalId.startsWith(`${schedule.ruleId}FanOut`);
    });
  const fanOutFeeds = entries.flatMap(([id, r]) => {
    const feed = r.Type === 'AWS::StepFunctions::StateMachine' ? fanOutOf(id) : undefined;
    return feed ? [feed] : [];
  });
  const scaling = ofType('AWS::RDS::DBCluster')
    .map((c) =>
      z
        .object({ MinCapacity: z.number(), MaxCapacity: z.number() })
        .safeParse(props(c).ServerlessV2ScalingConfiguration),
    )
    .flatMap((s) => (s.success ? [s.data] : []));
  return {
    functions: ofType('AWS::Lambda::Function').map((f) => ({
      description: typeof props(f).Description === 'string' ? String(props(f).Description) : '',
      memoryMb: typeof props(f).MemorySize === 'number' ? Number(props(f).MemorySize) : 128,
    })),
    expressMachines:
      machines.filter((m) => props(m).StateMachineType === 'EXPRESS').length - fanOutFeeds.length,
    fanOutFeeds,
    standardMachines: machines.filter((m) => props(m).StateMachineType !== 'EXPRESS').length,
    auroraInstances: ofType('AWS::RDS::DBInstance').length,
    minAcu: scaling.reduce((n, s) => n + s.MinCapacity, 0),
    maxAcu: scaling.reduce((n, s) => n + s.MaxCapacity, 0),
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    natGateways: ofType('AWS::EC2::NatGateway').length,
    rdsProxies: ofType('AWS::RDS::DBProxy').length,
    spiceRefreshSchedules: ofType('AWS::QuickSight::RefreshSchedule').length,
  };
}

const isLoop = (feed: Feed) => FEED_TABLE[feed].schedule.kind === 'loop';

/** Billed seconds of a fan-out execution (asynchronous invokes only; assumed, a generous round-up). */
const FAN_OUT_SECONDS_PER_EXECUTION = 2;

/** CloudWatch metrics each collector publishes per feed: its run metrics. */
export const METRICS_PER_COLLECTOR = Object.keys(RUN_METRICS).length;

/**
 * The pipeline's inventory from the template facts and the usage assumptions: each collector's
 * memory is read from its synthesized function (found by description), invocations follow the
 * cadences, functions that only run on demand (`/check`) or at deploy (migrations, CDK's custom
 * resources) are left out.
 */
export function pipelineInventory(
  facts: TemplateFacts,
  usage: UsageAssumptions,
  table: Readonly<Record<Feed, { function: { description: string } }>> = FEED_TABLE,
): Inventory {
  const memoryOf = (feed: Feed) => {
    const { description } = table[feed].function;
    const fn = facts.functions.find((f) => f.description === description);
    if (!fn) throw new Error(`no synthesized function described "${description}" (${feed})`);
    return fn.memoryMb;
  };
  const runs: Record<Feed, number> = {
    current_metrics: runsPerMonth({ seconds: usage.realtimeSeconds }),
    current_users: runsPerMonth({ seconds: usage.realtimeSeconds }),
    historical_metrics: runsPerMonth({ minutes: usage.historicalMinutes }),
    metadata: runsPerMonth({ minutes: usage.metadataMinutes }),
  };
  const duration: Record<Feed, number> = {
    current_metrics: usage.durationMs.realtime,
    current_users: usage.durationMs.realtime,
    historical_metrics: usage.durationMs.historical,
    metadata: usage.durationMs.metadata,
  };
  const feeds = Object.keys(runs) as Feed[];
  // Polling by the centre's hours: every tick and scheduled run still invokes its function, but only
  // those the poll gate lets through run a collector (and touch the database).
  const shares = pollingShares(usage.hours, {
    // The scheduled feeds run one cadence past closing (and the margin): the database stays up that long.
    tailMinutes: Math.max(usage.historicalMinutes, usage.metadataMinutes),
    // QuickSight's SPICE datasets refresh hourly, day and night: each refresh wakes a paused database.
    hourlyWakes: facts.spiceRefreshSchedules > 0,
  });
  const cadenceMinutes: Record<Feed, number> = {
    current_metrics: usage.realtimeSeconds / 60,
    current_users: usage.realtimeSeconds / 60,
    historical_metrics: usage.historicalMinutes,
    metadata: usage.metadataMinutes,
  };
  const share = (feed: Feed) =>
    isLoop(feed) ? shares.realtimeRuns : shares.scheduledRuns(cadenceMinutes[feed]);
  const billedMs = (feed: Feed) => {
    const going = runs[feed] * share(feed);
    const probes = isLoop(feed) ? shares.probesPerMonth(usage.realtimeSeconds) : 0;
    const closed = Math.max(0, runs[feed] - going - probes);
    return (going * duration[feed] + probes * duration[feed] + closed * CLOSED_TICK_MS) / runs[feed];
  };
  return {
    functions: feeds.map((feed) => ({
      name: feed,
      // Once per group: the real-time feeds on every tick, the scheduled ones on every run when their
      // schedule fans out (with one group, the rule invokes the function once).
      invocationsPerMonth:
        runs[feed] * (isLoop(feed) || facts.fanOutFeeds.includes(feed) ? (usage.groups ?? 1) : 1),
      memoryMb: memoryOf(feed),
      durationMs: billedMs(feed),
    })),
    expressMachines: [
      ...Array.from({ length: facts.expressMachines }, () => ({
        executionsPerMonth: runsPerMonth({ minutes: 1 }) * (usage.shards ?? 1),
        secondsPerExecution: usage.expressSecondsPerExecution,
      })),
      // A fan-out execution per scheduled run: it hands the groups' events to Lambda and ends.
      ...facts.fanOutFeeds.map((feed) => ({
        executionsPerMonth: runs[feed],
        secondsPerExecution: FAN_OUT_SECONDS_PER_EXECUTION,
      })),
    ],
    standardMachines: [],
    auroraInstances: facts.auroraInstances,
    // A minimum of 0 pauses the instance while nothing queries it; awake, it runs at 0.5 ACU or more.
    averageAcu:
      facts.auroraInstances === 0
        ? 0
        : facts.minAcu > 0
          ? facts.minAcu + usage.acuAboveMinimum
          : (0.5 + usage.acuAboveMinimum) * shares.databaseAwake,
    storageGb: usage.storageGb,
    dataApiRequestsPerMonth:
      usage.instances * feeds.reduce((n, f) => n + runs[f] * share(f) * usage.dataApiCallsPerRun[f], 0),
    alarms: facts.alarms,
    customMetrics: METRICS_PER_COLLECTOR * feeds.length,
    logsGbPerMonth: usage.logsGbPerMonth,
    secrets: facts.secrets,
    kmsKeys: facts.kmsKeys,
    natGateways: facts.natGateways,
    natGbPerMonth: usage.natGbPerMonth,
    rdsProxies: facts.rdsProxies,
  };
}

/**
 * Synthesizes the app for a deploy config in this process (bundling skipped: the templates are what
 * the model reads) and returns every stack's template and the config's instances, groups and cadences.
 */
export function synthesizeTemplates(configPath: string | DeployConfig = EXAMPLE_CONFIG): {
  templates: unknown[];
  instances: number;
  /** The config's groups (invocations per tick and feed) and polling-loop shards (fleet.ts). */
  groups: number;
  shards: number;
  cadences: { realtimeSeconds: number; historicalMinutes: number; metadataMinutes: number };
} {
  const cdkJson = z
    .object({ context: z.record(z.string(), z.unknown()).default({}) })
    .parse(JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')));
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  try {
    const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const config = typeof configPath === 'string' ? loadDeployConfig(configPath) : configPath;
    addPipelineStacks(app, config);
    const assembly = app.synth();
    return {
      templates: assembly.stacks.map((s) => s.template as unknown),
      instances: config.instances.length,
      groups: instanceGroups(config).length,
      shards: executionShards(config).length,
      cadences: config.cadences,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
