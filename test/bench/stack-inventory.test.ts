import { DEFAULT_USAGE } from '../../bench/cost-model';
import { factsOf, METRICS_PER_COLLECTOR, pipelineInventory } from '../../bench/stack-inventory';

const template = {
  Resources: {
    Fn1: { Type: 'AWS::Lambda::Function', Properties: { Description: 'realtime', MemorySize: 256 } },
    Fn2: { Type: 'AWS::Lambda::Function', Properties: { Description: 'users', MemorySize: 256 } },
    Fn3: { Type: 'AWS::Lambda::Function', Properties: { Description: 'history', MemorySize: 512 } },
    Fn4: { Type: 'AWS::Lambda::Function', Properties: { Description: 'meta' } },
    Loop: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineType: 'EXPRESS' } },
    Other: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    Cluster: {
      Type: 'AWS::RDS::DBCluster',
      Properties: { ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 } },
    },
    Writer: { Type: 'AWS::RDS::DBInstance', Properties: {} },
    A1: { Type: 'AWS::CloudWatch::Alarm' },
    A2: { Type: 'AWS::CloudWatch::Alarm' },
    S1: { Type: 'AWS::SecretsManager::Secret' },
    K1: { Type: 'AWS::KMS::Key' },
  },
};

/** The feeds' functions, as the template above describes them. */
const FEEDS = {
  current_metrics: { function: { description: 'realtime' } },
  current_users: { function: { description: 'users' } },
  historical_metrics: { function: { description: 'history' } },
  metadata: { function: { description: 'meta' } },
};

describe('factsOf', () => {
  test('counts the billable resources across templates and reads memory, defaulting to 128 MB', () => {
    const facts = factsOf([template, { Resources: { A3: { Type: 'AWS::CloudWatch::Alarm' } } }]);

    expect(facts.functions).toContainEqual({ description: 'meta', memoryMb: 128 });
    expect([facts.expressMachines, facts.standardMachines]).toEqual([1, 1]);
    expect([facts.auroraInstances, facts.minAcu, facts.maxAcu]).toEqual([1, 0.5, 4]);
    expect([facts.alarms, facts.secrets, facts.kmsKeys, facts.natGateways, facts.rdsProxies]).toEqual([
      3, 1, 1, 0, 0,
    ]);
  });

  test('rejects something that is not a template', () => {
    expect(() => factsOf([{ Resources: { X: { NoType: true } } }])).toThrow();
  });
});

describe('pipelineInventory', () => {
  test('invokes each collector on its cadence with the memory of its synthesized function', () => {
    const inv = pipelineInventory(factsOf([template]), DEFAULT_USAGE, FEEDS);
    const byName = Object.fromEntries(inv.functions.map((f) => [f.name, f]));

    expect(byName.current_users).toMatchObject({ invocationsPerMonth: 262_800, memoryMb: 256 });
    expect(byName.historical_metrics).toMatchObject({ invocationsPerMonth: 8_760, memoryMb: 512 });
    expect(byName.metadata).toMatchObject({ invocationsPerMonth: 2_920, memoryMb: 128 });
    expect(inv.customMetrics).toBe(4 * METRICS_PER_COLLECTOR);
  });

  test('counts Data API requests per run and instance on every feed', () => {
    const usage = {
      ...DEFAULT_USAGE,
      instances: 2,
      dataApiCallsPerRun: { current_metrics: 5, current_users: 6, historical_metrics: 9, metadata: 8 },
    };
    const inv = pipelineInventory(factsOf([template]), usage, FEEDS);

    expect(inv.dataApiRequestsPerMonth).toBe(2 * (262_800 * 5 + 262_800 * 6 + 8_760 * 9 + 2_920 * 8));
  });

  test('keeps the Aurora floor at the cluster minimum and one Express loop started every minute', () => {
    const inv = pipelineInventory(factsOf([template]), DEFAULT_USAGE, FEEDS);

    expect([inv.auroraInstances, inv.averageAcu]).toEqual([1, 0.5]);
    expect(inv.expressMachines).toEqual([{ executionsPerMonth: 43_800, secondsPerExecution: 81 }]);
  });

  test('fails when a collector has no synthesized function', () => {
    expect(() =>
      pipelineInventory(factsOf([template]), DEFAULT_USAGE, {
        ...FEEDS,
        metadata: { function: { description: 'gone' } },
      }),
    ).toThrow(/no synthesized function described "gone"/);
  });

  test("a fleet's fan-outs: the scheduled feeds invoked once per group and run, one short execution per run", () => {
    const fleet = {
      Resources: {
        ...template.Resources,
        HistoricalScheduleFanOut0A1B2C3D: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { StateMachineType: 'EXPRESS' },
        },
        MetadataScheduleFanOut4E5F6A7B: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { StateMachineType: 'EXPRESS' },
        },
      },
    };
    const facts = factsOf([fleet]);
    expect([facts.expressMachines, facts.fanOutFeeds]).toEqual([1, ['historical_metrics', 'metadata']]);

    const inv = pipelineInventory(facts, { ...DEFAULT_USAGE, groups: 3 }, FEEDS);
    const byName = Object.fromEntries(inv.functions.map((f) => [f.name, f.invocationsPerMonth]));
    expect(byName).toEqual({
      current_metrics: 3 * 262_800,
      current_users: 3 * 262_800,
      historical_metrics: 3 * 8_760,
      metadata: 3 * 2_920,
    });
    expect(inv.expressMachines).toEqual([
      { executionsPerMonth: 43_800, secondsPerExecution: 81 },
      { executionsPerMonth: 8_760, secondsPerExecution: 2 },
      { executionsPerMonth: 2_920, secondsPerExecution: 2 },
    ]);
  });

  test('without fan-outs, a scheduled feed is one invocation a run whatever the groups', () => {
    const inv = pipelineInventory(factsOf([template]), { ...DEFAULT_USAGE, groups: 3 }, FEEDS);
    expect(inv.functions.find((f) => f.name === 'historical_metrics')?.invocationsPerMonth).toBe(8_760);
  });
});
