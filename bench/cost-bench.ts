import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { executionShards, instanceGroups } from '../lambdas/shared/config/fleet';
import { parseDeployConfig } from '../lib/config';
import { fleetClientAccess, fleetInstances } from '../local/fleet';
import {
  type CostLine,
  centreHours,
  DEFAULT_USAGE,
  fleetUsage,
  monthlyCost,
  totalOf,
  type UsageAssumptions,
  workshopInventory,
} from './cost-model';
import { type Figure, figure } from './results';
import { factsOf, pipelineInventory, synthesizeTemplates } from './stack-inventory';

/** Options of {@link benchCost}. */
export interface CostBenchOptions {
  /**
   * Data API requests per run and instance measured by this benchmark (scenario M when it ran),
   * replacing the defaults.
   */
  readonly dataApiCallsPerRun?: Partial<UsageAssumptions['dataApiCallsPerRun']>;
  readonly progress: (line: string) => void;
}

/** The example config's synthesized facts, its usage (with the measured Data API requests) and real-time memory. */
function exampleUsage(options: CostBenchOptions) {
  const synth = synthesizeTemplates();
  const facts = factsOf(synth.templates);
  const usage: UsageAssumptions = {
    ...DEFAULT_USAGE,
    ...synth.cadences,
    instances: synth.instances,
    groups: synth.groups,
    shards: synth.shards,
    dataApiCallsPerRun: { ...DEFAULT_USAGE.dataApiCallsPerRun, ...options.dataApiCallsPerRun },
  };
  const realtimeMemory =
    facts.functions.find((f) => f.description.includes('real-time queue metrics'))?.memoryMb ?? 256;
  return { facts, usage, realtimeMemory };
}

/**
 * Prices the synthesized example stacks and the workshop design with the same usage, line by line,
 * with totals and the ratio workshop / pipeline.
 */
export function benchCost(options: CostBenchOptions): Figure[] {
  const { facts, usage, realtimeMemory } = exampleUsage(options);
  const pipeline = monthlyCost(pipelineInventory(facts, usage));
  const workshop = monthlyCost(workshopInventory(usage, realtimeMemory));
  const lines = (design: string, bill: readonly CostLine[]) =>
    bill.map((l) => figure('cost', `${design}:${l.item}`, 'monthly_cost', l.monthly, 'USD'));
  const pipelineTotal = totalOf(pipeline);
  const workshopTotal = totalOf(workshop);
  options.progress(`  cost: pipeline $${pipelineTotal}/month, workshop design $${workshopTotal}/month`);
  return [
    ...lines('pipeline', pipeline),
    figure('cost', 'pipeline:total', 'monthly_cost', pipelineTotal, 'USD'),
    ...lines('workshop', workshop),
    figure('cost', 'workshop:total', 'monthly_cost', workshopTotal, 'USD'),
    figure(
      'cost',
      'workshop/pipeline',
      'monthly_cost_ratio',
      Math.round((workshopTotal / pipelineTotal) * 100) / 100,
      'x',
    ),
  ];
}

/**
 * A 24x7 and a 12x5 centre (the example's two instances), each polled around the clock with the
 * database at its 0.5 ACU floor, and polled by its hours with the database free to pause (minimum
 * capacity 0), next to the workshop design (which polls around the clock whatever the hours).
 */
export function benchHoursCost(options: CostBenchOptions): Figure[] {
  const { facts, usage: base, realtimeMemory } = exampleUsage(options);
  const workshop = totalOf(monthlyCost(workshopInventory(base, realtimeMemory)));
  const variants = [
    { centre: '24x7', hours: centreHours(24, 7, false), minAcu: 0.5, polling: 'always on, 0.5 ACU floor' },
    { centre: '24x7', hours: centreHours(24, 7), minAcu: 0, polling: 'by hours, auto-pause' },
    { centre: '12x5', hours: centreHours(12, 5, false), minAcu: 0.5, polling: 'always on, 0.5 ACU floor' },
    { centre: '12x5', hours: centreHours(12, 5), minAcu: 0, polling: 'by hours, auto-pause' },
  ];
  const figures: Figure[] = [];
  for (const v of variants) {
    const bill = monthlyCost(pipelineInventory({ ...facts, minAcu: v.minAcu }, { ...base, hours: v.hours }));
    const total = totalOf(bill);
    const ratio = Math.round((workshop / total) * 100) / 100;
    const name = `${v.centre} ${v.polling}`;
    options.progress(`  cost: ${name}: $${total}/month (workshop design $${workshop}: ${ratio} x)`);
    figures.push(
      ...bill.map((l) => figure('cost', `${name}:${l.item}`, 'monthly_cost', l.monthly, 'USD')),
      figure('cost', name, 'monthly_cost', total, 'USD'),
      figure('cost', name, 'workshop/pipeline', ratio, 'x'),
    );
  }
  return figures;
}

/** Fleet sizes the cost model prices. */
const FLEET_SIZES = [10, 50, 200] as const;

/**
 * Monthly cost per instance of a fleet of 10, 50 and 200 instances (4 per client account, over 3
 * Regions) in one deployment, next to the same instances each in a deployment of its own (the example
 * config with one instance), from the synthesized stacks and {@link fleetUsage}'s stated assumptions.
 */
export function benchFleetCost(options: CostBenchOptions): Figure[] {
  const example = JSON.parse(
    readFileSync(path.join(__dirname, '..', 'config', 'example.json'), 'utf8'),
  ) as Record<string, unknown>;
  const perRun = { ...DEFAULT_USAGE.dataApiCallsPerRun, ...options.dataApiCallsPerRun };
  const priced = (instances: ReturnType<typeof fleetInstances>) => {
    const config = parseDeployConfig({
      ...example,
      instances,
      quickSight: {
        ...(example.quickSight as object),
        clientAccess: fleetClientAccess(instances, {
          account: String(example.account),
          region: String(example.region),
        }),
      },
    });
    const synth = synthesizeTemplates(config);
    const groups = instanceGroups(config);
    const usage = fleetUsage(
      { ...DEFAULT_USAGE, ...synth.cadences, dataApiCallsPerRun: perRun },
      {
        instances: instances.length,
        groups: groups.length,
        shards: executionShards(config).length,
        instancesPerGroup: Math.max(...groups.map((g) => g.instanceIds.length)),
      },
    );
    return totalOf(monthlyCost(pipelineInventory(factsOf(synth.templates), usage)));
  };
  const single = priced(fleetInstances({ instances: 1, accounts: 1 }));
  const figures: Figure[] = [figure('cost', 'single-instance deployment', 'monthly_cost', single, 'USD')];
  for (const n of FLEET_SIZES) {
    const fleet = priced(
      fleetInstances({ instances: n, accounts: Math.max(1, Math.round(n / 4)), regions: 3 }),
    );
    const perInstance = Math.round((fleet / n) * 100) / 100;
    options.progress(
      `  cost: fleet of ${n}: $${fleet}/month, $${perInstance} an instance (separate deployments: $${single} an instance)`,
    );
    figures.push(
      figure('cost', `fleet ${n}`, 'monthly_cost', fleet, 'USD'),
      figure('cost', `fleet ${n}`, 'monthly_cost_per_instance', perInstance, 'USD'),
      figure(
        'cost',
        `fleet ${n}`,
        'separate_deployments/fleet',
        Math.round(((single * n) / fleet) * 100) / 100,
        'x',
      ),
    );
  }
  return figures;
}
