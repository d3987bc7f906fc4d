import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPOSITORY_MIGRATIONS_DIR } from '../lambdas/migrate/migrations';
import { type Figure, figure } from './results';
import { median } from './stats';

/**
 * Builds every Lambda entry (`lambdas/<name>/handler.ts`) the way CollectorFunction has NodejsFunction
 * build it (esbuild, minified, CJS, target node22, every module bundled: `bundleAwsSDK: true` and no
 * externals; arm64 changes nothing in a JavaScript bundle) and measures its size and the time a fresh
 * Node process takes to `require` it, which is the part of a cold start the code controls.
 */

const LAMBDAS_DIR = path.join(__dirname, '..', 'lambdas');

/** Fake environment the handlers read at import: ARNs, config, Powertools; no call is made at import. */
export const FAKE_LAMBDA_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
  AWS_SECRET_ACCESS_KEY: 'local',
  DB_CLUSTER_ARN: 'arn:aws:rds:us-east-1:123456789012:cluster:bench',
  DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf',
  DB_NAME: 'connect_metrics',
  COLLECTOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:collector-AbCdEf',
  REPORTING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:reporting-AbCdEf',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  PIPELINE_CONFIG: JSON.stringify({
    instances: [
      {
        instanceId: '00000000-0000-4000-8000-000000000001',
        instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000001',
        region: 'us-east-1',
        clientName: 'Bench',
        environment: 'bench',
      },
    ],
  }),
};

/** The Lambda entries: every `lambdas/<name>/handler.ts`. */
export function lambdaEntries(dir: string = LAMBDAS_DIR): { name: string; entry: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, entry: path.join(dir, d.name, 'handler.ts') }))
    .filter((e) => statSync(e.entry, { throwIfNoEntry: false })?.isFile() ?? false)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Options of {@link benchBundles}. */
export interface BundleBenchOptions {
  /** Fresh processes per function. @default 10 */
  readonly imports?: number;
  readonly progress: (line: string) => void;
}

/** Bundle bytes and median import time (over fresh processes) of every Lambda function. */
export async function benchBundles(options: BundleBenchOptions): Promise<Figure[]> {
  const imports = options.imports ?? 10;
  const out = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  const figures: Figure[] = [];
  try {
    for (const { name, entry } of lambdaEntries()) {
      const dir = path.join(out, name);
      const file = path.join(dir, 'index.js');
      await build({
        entryPoints: [entry],
        outfile: file,
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        logLevel: 'error',
      });
      // The migration function carries its SQL next to index.js (SchemaMigration's copyIntoBundle).
      if (name === 'migrate')
        cpSync(REPOSITORY_MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true });
      const times: number[] = [];
      for (let i = 0; i < imports; i += 1) times.push(importMs(file));
      const bytes = statSync(file).size;
      figures.push(
        figure('bundle', name, 'bundle_bytes', bytes, 'bytes'),
        figure('bundle', name, 'import_ms_median', Math.round(median(times) * 10) / 10, 'ms'),
      );
      options.progress(
        `  bundle ${name}: ${Math.round(bytes / 1024)} KiB, import ${Math.round(median(times))} ms`,
      );
    }
    return figures;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Time for a fresh Node process to require the bundle, measured inside that process. */
function importMs(file: string): number {
  const script =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const result = spawnSync(process.execPath, ['-e', script, file], {
    env: { PATH: process.env.PATH ?? '', ...FAKE_LAMBDA_ENV },
    encoding: 'utf8',
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`importing ${file} failed (exit ${result.status}): ${result.stderr.slice(0, 500)}`);
  }
  return ms;
}
