import { Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import {
  type BundlingOptions,
  type ICommandHooks,
  type NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import type { FunctionDefinition } from '../../lambdas/feeds';

/**
 * The defaults every function of the pipeline shares, as plain values and functions beside
 * PipelineFunction: its bundle, the Lambda limits its definition is checked against, its Data API
 * actions and the cdk-nag findings it carries by design.
 */

/** The RDS Data API actions a database client needs (no admin actions). */
export const DATA_API_ACTIONS = [
  'rds-data:BatchExecuteStatement',
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
] as const;

/**
 * How every Lambda of the pipeline is bundled: the one set of esbuild settings that PipelineFunction
 * hands to NodejsFunction, and that the bench and the bundle test build with, so the bundle measured
 * and tested is the bundle deployed. What each alternative measured is in docs/performance.md.
 */
const LAMBDA_BUNDLE = {
  minify: true,
  target: 'node22',
  format: 'cjs',
  /**
   * The ES-module build of a package first: the AWS SDK, Smithy, Powertools and zod all ship one,
   * and esbuild drops what is never imported from it, where their CommonJS builds are kept whole:
   * about a third less code to load at every cold start.
   */
  mainFields: ['module', 'main'],
} as const;

/**
 * esbuild options that build `entry` into `outfile` as {@link LAMBDA_BUNDLE} says, every module
 * bundled (the pinned AWS SDK included: the version under test is the one deployed).
 */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    logLevel: 'error',
    minify: LAMBDA_BUNDLE.minify,
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
  };
}

/**
 * {@link LAMBDA_BUNDLE} as NodejsFunction's bundling: the local esbuild (never Docker), the pinned AWS
 * SDK bundled instead of the runtime's (the version under test is the one deployed), and `copies`
 * (`[source, name in bundle]`) copied next to `index.js` afterwards.
 */
export function nodejsBundling(copies: ReadonlyArray<readonly [string, string]>): BundlingOptions {
  return {
    minify: LAMBDA_BUNDLE.minify,
    target: LAMBDA_BUNDLE.target,
    format: OutputFormat.CJS,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    bundleAwsSDK: true,
    externalModules: [],
    forceDockerBundling: false,
    commandHooks: copyHooks(copies),
  };
}

function copyHooks(copies: ReadonlyArray<readonly [string, string]>): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      copies.map(([source, name]) => `cp -R "${source}" "${outputDir}/${name}"`),
  };
}

/** Memory and timeout within Lambda's limits, both reported at once. */
export function checkDefinition(id: string, definition: FunctionDefinition): void {
  const problems: string[] = [];
  if (definition.memorySize < 128 || definition.memorySize > 10240) {
    problems.push(`memorySize: expected 128-10240 MB (got ${definition.memorySize})`);
  }
  if (definition.timeoutSeconds < 1 || definition.timeoutSeconds > 900) {
    problems.push(`timeoutSeconds: expected 1-900 seconds (got ${definition.timeoutSeconds})`);
  }
  if (problems.length > 0) throw new Error(`PipelineFunction ${id}: ${problems.join('; ')}`);
}

/** The cdk-nag findings every function of the pipeline carries by design, each with its reason. */
export function acknowledgeFunctionFindings(fn: NodejsFunction, role: IRole): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
  });
  const runtimeReason =
    'Pinned to nodejs22.x, the runtime the pinned AWS SDK and this code are tested on; a runtime upgrade is a deliberate, tested change.';
  Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason });
  Validations.of(fn).acknowledge({ id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      'Failed asynchronous invocations go to the on-failure destination, which records the error as well as the event; a dead-letter queue would only duplicate it.',
  });
}
