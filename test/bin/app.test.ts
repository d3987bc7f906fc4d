import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs bin/app.ts as the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function synth(context: Record<string, unknown>) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-app-'));
  const result = spawnSync(TSX, [path.join(ROOT, 'bin', 'app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        'aws:cdk:bundling-stacks': [],
        'availability-zones:account=111111111111:region=us-east-1': ['us-east-1a', 'us-east-1b'],
        ...context,
      }),
    },
  });
  return { ...result, outdir };
}

test('synthesizes every stack of the example config, cdk-nag included', () => {
  const { status, stderr, outdir } = synth({});

  expect(stderr).not.toMatch(/ERROR/);
  expect(status).toBe(0);
  expect(
    readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .sort(),
  ).toEqual([
    'ConnectMetrics-ClientAccess-222222222222.template.json',
    'ConnectMetrics-Database.template.json',
    'ConnectMetrics-Pipeline.template.json',
    'ConnectMetrics-Reporting.template.json',
  ]);
});

test('a bad config file fails the synth listing every problem with its value', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bad-config-')), 'bad.json');
  writeFileSync(file, JSON.stringify({ account: 'abc', region: 'us-east-1', instances: [] }));

  const { status, stderr } = synth({ config: file });

  expect(status).not.toBe(0);
  expect(stderr).toContain(`${file}: account: expected a 12-digit AWS account id (got "abc")`);
  expect(stderr).toContain(`${file}: instances: expected at least one Connect instance (got [])`);
});

test('a misspelt key inside an instance fails the synth with its path', () => {
  const config = JSON.parse(readFileSync(path.join(ROOT, 'config', 'example.json'), 'utf8'));
  config.instances[1].rolearn = config.instances[1].roleArn;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bad-config-')), 'typo.json');
  writeFileSync(file, JSON.stringify(config));

  const { status, stderr } = synth({ config: file });

  expect(status).not.toBe(0);
  expect(stderr).toContain(`${file}: instances.1.rolearn: unknown key: expected one of instanceId,`);
});
