import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, parseRuntimeConfig } from '../../lambdas/shared/config/runtime-config';
import { loadDeployConfig, parseDeployConfig, runtimeConfigJson, runtimeConfigOf } from '../../lib/config';
import { EXAMPLE_CONFIG_PATH, exampleConfig } from '../support/cdk-fixtures';

/** The example config file's JSON, as a user writes it. */
const example = () => JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
const problemsOf = (input: unknown): string[] => {
  try {
    parseDeployConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
};

test('the example config is valid', () => {
  expect(() => loadDeployConfig(EXAMPLE_CONFIG_PATH)).not.toThrow();
});

test('defaults fill everything but the account, region and instances', () => {
  const { instances, account, region } = example();

  const config = parseDeployConfig({ instances, account, region });

  expect(config.database).toMatchObject({
    minCapacity: 0,
    removalPolicy: 'snapshot',
    deletionProtection: true,
  });
  expect(config.quickSight.enabled).toBe(false);
  expect(config.metricsNamespace).toBe('ConnectMetricsPipeline');
});

test('reports every problem at once, each with its path, the value and what is expected', () => {
  const input = { ...example(), account: '12345', logRetentionDays: 31, database: { maxCapacity: 300 } };

  const problems = problemsOf(input);

  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^account: expected a 12-digit AWS account id \(got "12345"\)$/),
      expect.stringMatching(/^logRetentionDays: expected one of 1, 3, .* \(got 31\)$/),
      expect.stringMatching(/^database\.maxCapacity: .*0 to 256.* \(got 300\)$/),
    ]),
  );
});

test('rejects unknown keys, so a typo does not silently fall back to a default', () => {
  expect(problemsOf({ ...example(), retentionDay: 10 })).toEqual([expect.stringMatching(/retentionDay/)]);
});

test.each([
  [
    'cadences.realtimeSecs',
    (c: Record<string, unknown>) => ({ ...c, cadences: { realtimeSecs: 5 } }),
    'realtimeSeconds, historicalMinutes, metadataMinutes',
  ],
  [
    'instances.1.rolearn',
    (c: Record<string, unknown>) => {
      const [one, two] = c.instances as Record<string, unknown>[];
      return { ...c, instances: [one, { ...two, rolearn: two?.roleArn }] };
    },
    'instanceId, instanceArn, region, clientName, environment, roleArn, endpoint',
  ],
  [
    'apiQuotas.ListUsers.brust',
    (c: Record<string, unknown>) => ({ ...c, apiQuotas: { ListUsers: { rate: 2, burst: 5, brust: 9 } } }),
    'rate, burst',
  ],
  [
    'apiQuotas.ListUser',
    (c: Record<string, unknown>) => ({ ...c, apiQuotas: { ListUser: { rate: 2, burst: 5 } } }),
    'GetCurrentMetricData, ',
  ],
  [
    'database.minCap',
    (c: Record<string, unknown>) => ({ ...c, database: { minCap: 1 } }),
    'minCapacity, maxCapacity',
  ],
  [
    'alarms.emial',
    (c: Record<string, unknown>) => ({ ...c, alarms: { emial: 'a@example.com' } }),
    'email, topicArn',
  ],
])('rejects the misspelt nested key %s with its path and the keys allowed there', (path, mutate, allowed) => {
  const problems = problemsOf(mutate(example()));

  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain(`${path}: unknown key: expected one of ${allowed}`);
});

test('refuses cadences no cron can keep on the same grid as the local runner, saying which would do', () => {
  const problems = problemsOf({ ...example(), cadences: { metadataMinutes: 90, historicalMinutes: 25 } });

  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^cadences\.metadataMinutes: expected one of 1, 2, 3, .* 1440 .* \(got 90\)$/),
      expect.stringMatching(
        /^cadences\.historicalMinutes: expected one of 5, 10, 15, 20, 30, 60 .* \(got 25\)$/,
      ),
    ]),
  );
});

test('rejects a minimum capacity above the maximum', () => {
  expect(problemsOf({ ...example(), database: { minCapacity: 8, maxCapacity: 4 } })).toEqual([
    expect.stringMatching(/^database\.minCapacity: minCapacity must not exceed maxCapacity \(4\)/),
  ]);
});

test('allows a minimum capacity of 0 so the cluster can pause', () => {
  expect(problemsOf({ ...example(), database: { minCapacity: 0, maxCapacity: 2 } })).toEqual([]);
});

test('rejects destroying a cluster that has deletion protection on', () => {
  expect(problemsOf({ ...example(), database: { removalPolicy: 'destroy' } })).toEqual([
    expect.stringMatching(/^database\.deletionProtection: expected false when removalPolicy is destroy/),
  ]);
});

test('requires the principal to share with when QuickSight is enabled', () => {
  expect(problemsOf({ ...example(), quickSight: { enabled: true } })).toEqual([
    expect.stringMatching(/^quickSight\.principalArn: expected the QuickSight user or group ARN/),
  ]);
});

test('requires a role for an instance in another account', () => {
  const [first] = example().instances as Record<string, unknown>[];
  const foreign = {
    ...first,
    instanceArn: String(first!.instanceArn).replace('111111111111', '333333333333'),
  };

  expect(problemsOf({ ...example(), instances: [foreign] })).toEqual([
    expect.stringMatching(/^instances\.0\.instanceArn: instance is in account 333333333333.*set roleArn/),
  ]);
});

test('rejects an endpoint override, which only the local simulator uses', () => {
  const [first] = example().instances as Record<string, unknown>[];

  expect(problemsOf({ ...example(), instances: [{ ...first, endpoint: 'http://127.0.0.1:4566' }] })).toEqual([
    expect.stringMatching(/^instances\.0\.endpoint: expected no endpoint override/),
  ]);
});

test('names the file when it is not JSON', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-config-'));
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, '{ "account": ');

  expect(() => loadDeployConfig(file)).toThrow(new RegExp(`${file}: expected JSON`));
});

test('names the file in every problem of an invalid config file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-config-'));
  const file = path.join(dir, 'invalid.json');
  writeFileSync(file, JSON.stringify({ ...example(), region: 'mars' }));

  expect(() => loadDeployConfig(file)).toThrow(new RegExp(`${file}: region: expected an AWS Region`));
});

test('the runtime part carries exactly what the collectors read', () => {
  const runtime = runtimeConfigOf(exampleConfig());

  expect(Object.keys(runtime).sort()).toEqual(
    [
      'apiQuotaShare',
      'apiQuotas',
      'cadences',
      'fleet',
      'historicalBackfillHours',
      'historicalRestateHours',
      'instances',
      'openingHours',
      'reconciliationTolerancePercent',
      'retentionDays',
      'serviceLevelThresholdsSeconds',
      'staleAfterCadences',
    ].sort(),
  );
});

test('takes a fleet of hundreds of instances: the runtime config travels in the bundle, not the 4 KB environment', () => {
  const [first] = example().instances as Record<string, unknown>[];
  const many = Array.from({ length: 300 }, (_, i) => {
    const id = `11111111-2222-4333-8444-${String(i).padStart(12, '0')}`;
    return { ...first, instanceId: id, instanceArn: `arn:aws:connect:us-east-1:111111111111:instance/${id}` };
  });

  expect(problemsOf({ ...example(), instances: many })).toEqual([]);
  expect(
    Buffer.byteLength(runtimeConfigJson(parseDeployConfig({ ...example(), instances: many }))),
  ).toBeGreaterThan(4096 * 10);
});

test('fleet settings: how many instances an invocation runs and groups an execution runs, within their limits', () => {
  expect(exampleConfig().fleet).toEqual({ instancesPerInvocation: 10, groupsPerExecution: 40 });
  expect(problemsOf({ ...example(), fleet: { instancesPerInvocation: 0, groupsPerExecution: 41 } })).toEqual([
    expect.stringMatching(/^fleet\.instancesPerInvocation: .*(>=|at least) ?1.*\(got 0\)/),
    expect.stringMatching(/^fleet\.groupsPerExecution: .*(<=|at most) ?40.*\(got 41\)/),
  ]);
});

test("reads each instance ARN once: the account, and the role's account, path and name", () => {
  const config = exampleConfig();

  expect(config.instances.map((i) => [i.account, i.role])).toEqual([
    ['111111111111', undefined],
    [
      '222222222222',
      {
        arn: 'arn:aws:iam::222222222222:role/ConnectMetricsReader',
        account: '222222222222',
        path: '/',
        name: 'ConnectMetricsReader',
      },
    ],
  ]);
  const pathed = parseDeployConfig({
    ...example(),
    // Row-level security names the example's other client, which this config leaves out.
    quickSight: { ...(example().quickSight as object), clientAccess: [] },
    instances: [
      {
        ...(example().instances as Record<string, unknown>[])[1],
        roleArn: 'arn:aws:iam::222222222222:role/metrics/readers/Reader',
      },
    ],
  });
  expect(pathed.instances[0]?.role).toMatchObject({ path: '/metrics/readers/', name: 'Reader' });
});

test('the runtime config the functions get parses back to the same config (pipeline-config.json)', () => {
  const config = exampleConfig();

  expect(parseRuntimeConfig(JSON.parse(runtimeConfigJson(config)))).toEqual(runtimeConfigOf(config));
});

test('the dashboard shows a collected service-level threshold, and says which are collected when not', () => {
  const input = { ...example(), dashboard: { serviceLevelThresholdSeconds: 30 } };

  expect(problemsOf(input)).toEqual([
    expect.stringMatching(
      /^dashboard\.serviceLevelThresholdSeconds: expected one of serviceLevelThresholdsSeconds \(20, 60\).*\(got 30\)/,
    ),
  ]);
  expect(parseDeployConfig(example()).dashboard).toEqual({
    serviceLevelTargetPct: 80,
    serviceLevelThresholdSeconds: 20,
    maxWaitSeconds: 60,
  });
});

test("an instance's own push target must be a secret ARN, named with the instance's path", () => {
  const input = example();
  const [first, ...rest] = input.instances as Record<string, unknown>[];
  expect(
    problemsOf({ ...input, instances: [{ ...first, pushTargetSecretArn: 'https://example.com' }, ...rest] }),
  ).toEqual([
    'instances.0.pushTargetSecretArn: expected arn:aws:secretsmanager:<region>:<account>:secret:<name> (got "https://example.com")',
  ]);
});
