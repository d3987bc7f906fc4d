import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as z from 'zod';
import { FEED_TABLE, type Feed } from '../lambdas/feeds';
import { RUN_METRICS } from '../lambdas/shared/collector/metric-names';
import { type DeployConfig, loadDeployConfig } from '../lib/config';
import { addPipelineStacks } from '../lib/pipeline-app';
import { type Inventory, runsPerMonth, type UsageAssumptions } from './cost-model';

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
  readonly expressMachines: number;
  readonly standardMachines: number;
  readonly auroraInstances: number;
  readonly minAcu: number;
  readonly maxAcu: number;
  readonly alarms: number;
  readonly secrets: number;
  readonly kmsKeys: number;
  readonly natGateways: number;
  readonly rdsProxies: number;
}

/** Counts the billable resources of the templates (Lambda memory defaults to 128 MB, as in CloudFormation). */
export function factsOf(templates: readonly unknown[]): TemplateFacts {
  const resources = templates.flatMap((t) => Object.values(TemplateSchema.parse(t).Resources));
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const props = (r: { Properties?: Record<string, unknown> }) => r.Properties ?? {};
  const machines = ofType('AWS::StepFunctions::StateMachine');
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
    expressMachines: machines.filter((m) => props(m).StateMachineType === 'EXPRESS').length,
    standardMachines: machines.filter((m) => props(m).StateMachineType !== 'EXPRESS').length,
    auroraInstances: ofType('AWS::RDS::DBInstance').length,
    minAcu: scaling.reduce((n, s) => n + s.MinCapacity, 0),
    maxAcu: scaling.reduce((n, s) => n + s.MaxCapacity, 0),
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    natGateways: ofType('AWS::EC2::NatGateway').length,
    rdsProxies: ofType('AWS::RDS::DBProxy').length,
  };
}

const isLoop = (feed: Feed) => FEED_TABLE[feed].schedule.kind === 'loop';

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
  return {
    functions: feeds.map((feed) => ({
      name: feed,
      // The real-time feeds are invoked once per group and tick; the scheduled ones once per run.
      invocationsPerMonth: runs[feed] * (isLoop(feed) ? (usage.groups ?? 1) : 1),
      memoryMb: memoryOf(feed),
      durationMs: duration[feed],
    })),
    expressMachines: Array.from({ length: facts.expressMachines }, () => ({
      executionsPerMonth: runsPerMonth({ minutes: 1 }) * (usage.shards ?? 1),
      secondsPerExecution: usage.expressSecondsPerExecution,
    })),
    standardMachines: [],
    auroraInstances: facts.auroraInstances,
    averageAcu: facts.auroraInstances > 0 ? facts.minAcu + usage.acuAboveMinimum : 0,
    storageGb: usage.storageGb,
    dataApiRequestsPerMonth:
      usage.instances * feeds.reduce((n, f) => n + runs[f] * usage.dataApiCallsPerRun[f], 0),
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
 * the model reads) and returns every stack's template and the config's instance count and cadences.
 */
export function synthesizeTemplates(configPath: string | DeployConfig = EXAMPLE_CONFIG): {
  templates: unknown[];
  instances: number;
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
      cadences: config.cadences,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
