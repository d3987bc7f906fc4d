import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';
import { executionShards, instanceGroups } from '../../lambdas/shared/config/fleet';
import { type DeployConfigInput, parseDeployConfig } from '../../lib/config';
import { addPipelineStacks } from '../../lib/pipeline-app';
import { fleetClientAccess, fleetInstances } from '../../local/fleet';
import { exampleConfig, testApp } from '../support/cdk-fixtures';
import { definitionOf, executeLoop } from '../support/state-machine';

/**
 * The fleet target of the README: 200 instances in 50 client accounts over 3 Regions, from one config
 * and one synth, within CloudFormation's and Step Functions' limits, and the synthesized polling loop
 * runs each account's instances in its own invocation, all groups of a shard side by side.
 */

const base = exampleConfig();
const input = (instances: number, accounts: number): DeployConfigInput => {
  const fleet = fleetInstances({ instances, accounts, regions: 3 });
  return {
    ...JSON.parse(JSON.stringify({ ...base, instances: undefined })),
    instances: fleet,
    quickSight: { ...base.quickSight, clientAccess: fleetClientAccess(fleet, base) },
  } as DeployConfigInput;
};
const config = parseDeployConfig(input(200, 50));
const stacks = addPipelineStacks(testApp(), config);
const pipeline = Template.fromStack(stacks.pipeline);

describe('a 200-instance, 50-account, 3-Region fleet', () => {
  test('groups by account and Region: 50 groups of 4 in 2 executions a minute (40 + 10)', () => {
    const groups = instanceGroups(config);

    expect(groups).toHaveLength(50);
    expect(groups.every((g) => g.instanceIds.length === 4)).toBe(true);
    expect(new Set(groups.map((g) => g.region))).toEqual(
      new Set(['us-east-1', 'eu-west-2', 'ap-southeast-2']),
    );
    expect(executionShards(config).map((s) => s.length)).toEqual([40, 10]);
  });

  test('synthesizes within the limits: template size and resources, state machine definition', () => {
    const template = JSON.stringify(pipeline.toJSON());
    const resources = Object.keys(pipeline.toJSON().Resources ?? {}).length;
    const definition = JSON.stringify(definitionOf(pipeline, /^RealtimeLoop/));

    // CloudFormation: 1 MB for a template uploaded to S3 (as cdk deploy does), 500 resources.
    expect(template.length).toBeLessThan(1_000_000);
    expect(resources).toBeLessThan(500);
    // Step Functions: a definition of at most 1 MB.
    expect(definition.length).toBeLessThan(1_048_576);
    // Two loop shards, and the two scheduled feeds, each starting its fan-out by group.
    expect(Object.keys(pipeline.findResources('AWS::Events::Rule'))).toHaveLength(2 + 2);
    expect(Object.keys(pipeline.findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(1 + 2);
    for (const schedule of [/^HistoricalSchedule/, /^MetadataSchedule/]) {
      expect(JSON.stringify(definitionOf(pipeline, schedule)).length).toBeLessThan(1_048_576);
    }
    // One read-only role stack per client account.
    expect(stacks.clientAccounts).toHaveLength(50);
    // Row-level security: one readers' group per client, 50 rows of rules, within the Reporting template.
    const reporting = Template.fromStack(stacks.reporting!);
    const rules = Object.values(reporting.findResources('AWS::QuickSight::DataSet')).find(
      (d) => d.Properties.UseAs === 'RLS_RULES',
    );
    expect(
      String(rules?.Properties.PhysicalTableMap.rules.CustomSql.SqlQuery).match(/group\/default\//g),
    ).toHaveLength(50);
    expect(JSON.stringify(reporting.toJSON()).length).toBeLessThan(1_000_000);
  });

  test('each collector may assume the 50 client roles only', () => {
    const statements = Object.values(pipeline.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const assumed = statements
      .filter((s) => s.Action === 'sts:AssumeRole')
      .map((s) => s.Resource as string[]);

    expect(assumed.length).toBeGreaterThan(0);
    for (const roles of assumed) {
      expect(roles).toHaveLength(50);
      expect(roles.every((r) => /^arn:aws:iam::1000000000\d\d:role\/ConnectMetricsReader$/.test(r))).toBe(
        true,
      );
    }
  });

  test('the synthesized loop runs the 40 groups of shard 0 side by side, every tick, each with one account', async () => {
    const M = Date.parse('2026-11-23T12:00:00Z');
    const calls = await executeLoop(definitionOf(pipeline, /^RealtimeLoop/), {
      start: M + 12_300,
      scheduledAt: M + 12_000,
      shard: 0,
      tasks: ['InvokeCurrentMetrics', 'InvokeCurrentUsers'],
    });
    const metrics = calls.filter((c) => c.task === 'InvokeCurrentMetrics');
    const groups = new Set(metrics.map((c) => c.group));
    const accountOf = (id: string) => config.instances.find((i) => i.instanceId === id)?.account;

    expect(groups.size).toBe(40);
    expect(metrics).toHaveLength(40 * 6);
    // Every tick's invocations start within the same second, on the 10-second grid.
    const seconds = new Set(metrics.map((c) => Math.floor((c.at - M) / 1000)));
    expect([...seconds].sort((a, b) => a - b)).toEqual([60, 70, 80, 90, 100, 110]);
    for (const call of metrics) expect(new Set(call.instanceIds.map(accountOf)).size).toBe(1);
  }, 60_000);

  test.each([
    ['HistoricalSchedule', 'HistoricalMetrics'],
    ['MetadataSchedule', 'Metadata'],
  ])('%s fans each run out to the 50 groups, every instance once, asynchronously', async (schedule, fn) => {
    const definition = definitionOf(pipeline, new RegExp(`^${schedule}`));
    // The fan-out invokes this feed's function (the definition names it by reference).
    const [fanOut] = Object.entries(pipeline.findResources('AWS::StepFunctions::StateMachine')).filter(
      ([id]) => id.startsWith(schedule),
    );
    expect(JSON.stringify(fanOut?.[1].Properties.DefinitionString)).toMatch(
      new RegExp(`"Fn::GetAtt":\\["${fn}Function[0-9A-F]{8}","Arn"\\]`),
    );
    const payloads: { group: string; instanceIds: string[] }[] = [];
    const machine = new LocalStateMachine(definition as never, { validationOptions: { checkArn: false } });
    await machine.run(
      { 'detail-type': 'Scheduled Event', time: '2026-11-23T12:05:00Z' },
      {
        overrides: {
          taskResourceLocalHandlers: {
            Invoke: async (input: unknown) => {
              const { InvocationType, Payload } = input as {
                InvocationType: string;
                Payload: { group: string; instanceIds: string[] };
              };
              if (InvocationType === 'Event') payloads.push(Payload);
              return { StatusCode: 202 };
            },
          },
        },
      },
    ).result;
    const accountOf = (id: string) => config.instances.find((i) => i.instanceId === id)?.account;

    expect(payloads).toHaveLength(50);
    expect(payloads.flatMap((p) => p.instanceIds).sort()).toEqual(
      config.instances.map((i) => i.instanceId).sort(),
    );
    for (const p of payloads) expect(new Set(p.instanceIds.map(accountOf)).size).toBe(1);
  });
});
