import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { REPOSITORY_MIGRATIONS_DIR } from '../lambdas/migrate/migrations';
import { lambdaBuildOptions } from '../lib/constructs/function-defaults';
import { writeRuntimeConfigFile } from '../lib/constructs/pipeline-function';
import { type Figure, figure } from './results';
import { median } from './stats';

/**
 * Builds every Lambda entry (`lambdas/<name>/handler.ts`) as PipelineFunction has NodejsFunction build
 * it (`lambdaBuildOptions`: the same esbuild settings; arm64 changes nothing in a JavaScript bundle) and
 * measures its size and the time a fresh Node process takes to load it, which is the part of a cold
 * start the code controls. `--bundle-variants` measures the alternatives to the deployed settings too.
 */

const LAMBDAS_DIR = path.join(__dirname, '..', 'lambdas');

/** Fake environment the handlers read at import: ARNs, config, Powertools; no call is made at import. */
const fakeLambdaEnv = (): Readonly<Record<string, string>> => ({
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
  PIPELINE_CONFIG_FILE: writeRuntimeConfigFile({
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
});

/** The Lambda entries: every `lambdas/<name>/handler.ts`. */
function lambdaEntries(dir: string = LAMBDAS_DIR): { name: string; entry: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, entry: path.join(dir, d.name, 'handler.ts') }))
    .filter((e) => statSync(e.entry, { throwIfNoEntry: false })?.isFile() ?? false)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A way to bundle the functions, as changes to the deployed esbuild settings. */
export interface BundleVariant {
  readonly describe: string;
  readonly options: Partial<BuildOptions>;
  /** Packages left out of the bundle, loaded from node_modules as Lambda's runtime loads its own SDK. */
  readonly external?: readonly string[];
}

/** The deployed settings and the alternatives measured against them (docs/performance.md). */
export const BUNDLE_VARIANTS = {
  deployed: { describe: 'CJS, ES-module builds of packages first (deployed)', options: {} },
  'main-first': {
    describe: "CJS, CommonJS builds of packages first (esbuild's default for node)",
    options: { mainFields: ['main', 'module'] },
  },
  esm: {
    describe: 'ES module output (index.mjs), ES-module builds first',
    options: {
      format: 'esm',
      // Bundled CommonJS code still calls require() for Node built-ins.
      banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
    },
  },
  'sdk-external': {
    describe: "CJS, AWS SDK and Smithy left to the runtime's copy",
    options: {},
    external: ['@aws-sdk/*', '@smithy/*'],
  },
} satisfies Record<string, BundleVariant>;
/** A name of {@link BUNDLE_VARIANTS}. */
export type BundleVariantName = keyof typeof BUNDLE_VARIANTS;

/** Options of {@link benchBundles}. */
export interface BundleBenchOptions {
  /** Fresh processes per function. @default 10 */
  readonly imports?: number;
  /** Which ways to bundle. @default ['deployed'] */
  readonly variants?: readonly BundleVariantName[];
  readonly progress: (line: string) => void;
}

/**
 * Bundle bytes and median import time (over fresh processes) of every Lambda function, for each
 * variant: the deployed one under the section `bundle`, the others under `bundle:<variant>`.
 */
export async function benchBundles(options: BundleBenchOptions): Promise<Figure[]> {
  const imports = options.imports ?? 10;
  const out = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  const figures: Figure[] = [];
  try {
    for (const variantName of options.variants ?? ['deployed']) {
      const variant: BundleVariant = BUNDLE_VARIANTS[variantName];
      const section = variantName === 'deployed' ? 'bundle' : `bundle:${variantName}`;
      for (const { name, entry } of lambdaEntries()) {
        const dir = path.join(out, variantName, name);
        const esm = variant.options.format === 'esm';
        const file = path.join(dir, esm ? 'index.mjs' : 'index.js');
        await build({
          ...lambdaBuildOptions(entry, file),
          ...variant.options,
          external: [...(variant.external ?? [])],
        });
        // The migration function carries its SQL next to index.js (SchemaMigration's copyIntoBundle).
        if (name === 'migrate')
          cpSync(REPOSITORY_MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true });
        const times: number[] = [];
        for (let i = 0; i < imports; i += 1) times.push(importMs(file, esm));
        const bytes = statSync(file).size;
        figures.push(
          figure(section, name, 'bundle_bytes', bytes, 'bytes'),
          figure(section, name, 'import_ms_median', Math.round(median(times) * 10) / 10, 'ms'),
        );
        options.progress(
          `  ${section} ${name}: ${Math.round(bytes / 1024)} KiB, import ${Math.round(median(times))} ms`,
        );
      }
    }
    return figures;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Time for a fresh Node process to load the bundle, measured inside that process. Packages left
 * external resolve from this repository's node_modules (NODE_PATH), as Lambda's runtime resolves
 * its own SDK from /var/runtime/node_modules.
 */
function importMs(file: string, esm: boolean): number {
  const load = esm ? 'await import(require("node:url").pathToFileURL(f).href)' : 'require(f)';
  const script =
    `(async()=>{const f=process.argv[1];const t=process.hrtime.bigint();${load};` +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))})()';
  const result = spawnSync(process.execPath, ['-e', script, file], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: NODE_MODULES, ...fakeLambdaEnv() },
    encoding: 'utf8',
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`importing ${file} failed (exit ${result.status}): ${result.stderr.slice(0, 500)}`);
  }
  return ms;
}

const NODE_MODULES = path.join(__dirname, '..', 'node_modules');
