import {
  type CostLine,
  DEFAULT_USAGE,
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

/**
 * Prices the synthesized example stacks and the workshop design with the same usage, line by line,
 * with totals and the ratio workshop / pipeline.
 */
export function benchCost(options: CostBenchOptions): Figure[] {
  const synth = synthesizeTemplates();
  const facts = factsOf(synth.templates);
  const usage: UsageAssumptions = {
    ...DEFAULT_USAGE,
    ...synth.cadences,
    instances: synth.instances,
    dataApiCallsPerRun: { ...DEFAULT_USAGE.dataApiCallsPerRun, ...options.dataApiCallsPerRun },
  };
  const pipeline = monthlyCost(pipelineInventory(facts, usage));
  const realtimeMemory =
    facts.functions.find((f) => f.description.includes('real-time queue metrics'))?.memoryMb ?? 256;
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
