import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addPipelineStacks } from '../../lib/pipeline-app';
import { exampleConfig, testApp } from '../support/cdk-fixtures';

/**
 * The deploy guide's commands, checked against the app the example config synthesizes: every stack a
 * command names exists, each in the account the command runs in, and the teardown works as written.
 */
const guide = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
/** Each shell command of the guide's bash blocks, continuation lines joined, comments dropped. */
const commands = [...guide.matchAll(/```bash\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stacks = addPipelineStacks(testApp(), exampleConfig());
// The guide's StackSet section: the example with `clientRollout` as the guide writes it.
const rolloutJson = /```json\n"clientRollout": ([\s\S]*?)\n```/.exec(guide)?.[1];
const rollout = addPipelineStacks(
  testApp(),
  exampleConfig({ clientRollout: JSON.parse(rolloutJson ?? 'null') }),
).clientRollout;
const all = [
  stacks.database,
  stacks.pipeline,
  ...(stacks.reporting ? [stacks.reporting] : []),
  ...stacks.clientAccounts,
  ...(rollout ? [rollout] : []),
];
const accountOf = new Map(all.map((s) => [s.stackName, s.account]));
const named = (command: string): string[] => [
  ...(command.match(/ConnectMetrics-[A-Za-z]+(?:-\d{12})?/g) ?? []),
];
const cdk = (verb: string) => commands.filter((c) => c.startsWith(`npx cdk ${verb} `));

test('every stack a cdk or CloudFormation command names is one the example config synthesizes', () => {
  const mentioned = commands.filter((c) => /npx cdk|aws cloudformation/.test(c)).flatMap(named);

  expect(mentioned.length).toBeGreaterThan(0);
  for (const name of mentioned) expect([name, accountOf.has(name)]).toEqual([name, true]);
});

test('commands without a client profile name only pipeline-account stacks; with one, only client stacks', () => {
  for (const command of [
    ...cdk('deploy'),
    ...cdk('destroy'),
    ...commands.filter((c) => c.startsWith('aws cloudformation')),
  ]) {
    const accounts = new Set(named(command).map((n) => accountOf.get(n)));
    const expected = command.includes('--profile client')
      ? stacks.clientAccounts[0]!.account
      : command.includes('--profile org-admin')
        ? rollout?.account
        : stacks.pipeline.account;
    for (const account of accounts) expect([command, account]).toEqual([command, expected]);
  }
});

test("the StackSet section's config synthesizes the StackSet stack in its administrator account", () => {
  expect(rollout?.stackName).toBe('ConnectMetrics-ClientAccessStackSet');
  expect(rollout?.account).toBe('999999999999');
});

test('the teardown names its stacks: no --all, which would also pick the client stacks', () => {
  expect(cdk('destroy').length).toBeGreaterThan(0);
  for (const command of cdk('destroy')) expect(command).not.toMatch(/--all\b/);
});

test('the pipeline-account teardown deletes every pipeline-account stack', () => {
  const destroy = cdk('destroy').find((c) => !c.includes('--profile'));
  const pipelineAccount = all.filter((s) => s.account === stacks.pipeline.account).map((s) => s.stackName);

  expect(named(destroy ?? '').sort()).toEqual(pipelineAccount.sort());
});

test('a client stack has one name whether deployed with the CDK or plain CloudFormation', () => {
  const client = stacks.clientAccounts[0]!.stackName;
  const cloudFormation = commands.find((c) => c.startsWith('aws cloudformation deploy'));

  expect(cdk('deploy').some((c) => named(c).includes(client))).toBe(true);
  expect(cloudFormation).toContain(`--stack-name ${client} `);
  expect(cloudFormation).toContain(`--template-file cdk.out/${client}.template.json`);
  expect(commands.find((c) => c.startsWith('aws cloudformation delete-stack'))).toContain(
    `--stack-name ${client} `,
  );
});
