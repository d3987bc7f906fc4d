import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { readLatestSnapshots } from '../current-metrics/store';
import type { RunSummary } from '../shared/collector/contract';
import type { RuntimeConfig } from '../shared/config/runtime-config';
import type { SqlExecutor } from '../shared/db/executor';
import type { Log } from '../shared/runtime/logger';
import { describeError } from '../shared/runtime/retry';
import { flattenQueueRow } from './flatten';
import { type PushOptions, type PushResult, PushUrlSchema, pushLatestMetrics } from './push-latest-metrics';

/** What the push after a current-metrics run needs. */
export interface PushAfterRunDeps {
  readonly db: SqlExecutor;
  readonly config: RuntimeConfig;
  /** The push URL, or null when no push target is configured. */
  readonly url: () => Promise<string | null>;
  readonly log: Log;
  /** Told of every push that was attempted (metrics). */
  readonly onResult?: (result: PushResult) => void;
  readonly push?: Omit<PushOptions, 'url'>;
}

/**
 * After a current-metrics run has committed: reads the newest snapshot of each instance whose run did
 * not fail, flattens it (Date, Client, QueueName, Channel, metrics) and POSTs it to the push target.
 * Never throws: a failure is logged and counted, and the run it follows has already been recorded.
 */
export async function pushAfterCurrentMetrics(
  runs: readonly Pick<RunSummary, 'instanceId' | 'outcome'>[],
  deps: PushAfterRunDeps,
): Promise<PushResult | null> {
  try {
    const url = await deps.url();
    if (!url) return null;
    const instanceIds = runs
      .filter((r) => r.outcome !== 'failed' && r.outcome !== 'closed')
      .map((r) => r.instanceId);
    const clients = new Map(deps.config.instances.map((i) => [i.instanceId, i.clientName]));
    const snapshots = await readLatestSnapshots(deps.db, instanceIds);
    const rows = snapshots.map((s) => flattenQueueRow(s, clients.get(s.instanceId) ?? s.instanceId));
    const result = await pushLatestMetrics(rows, { ...deps.push, url });
    deps.onResult?.(result);
    if (result.ok) deps.log.info('pushed latest metrics', { rows: result.rows, attempts: result.attempts });
    else deps.log.warn('push target failed; the run is not affected', { ...result });
    return result;
  } catch (error: unknown) {
    const result: PushResult = { ok: false, rows: 0, requests: 0, attempts: 0, error: describeError(error) };
    deps.onResult?.(result);
    deps.log.warn('push target failed before posting; the run is not affected', { error: result.error });
    return result;
  }
}

/**
 * The push target of each instance: its own `pushTargetSecretArn` (a client with its own endpoint), else
 * the deployment's; undefined when it has neither (it is not pushed).
 */
export function pushTargetOf(
  config: Pick<RuntimeConfig, 'instances'>,
  deploymentTarget: string | undefined,
): (instanceId: string) => string | undefined {
  const own = new Map(config.instances.map((i) => [i.instanceId, i.pushTargetSecretArn]));
  return (instanceId) => own.get(instanceId) ?? deploymentTarget;
}

/** Whether any instance of the config is pushed anywhere. */
export function hasPushTargets(
  config: Pick<RuntimeConfig, 'instances'>,
  deploymentTarget: string | undefined,
) {
  return deploymentTarget !== undefined || config.instances.some((i) => i.pushTargetSecretArn !== undefined);
}

/**
 * {@link pushAfterCurrentMetrics} for each push target the runs' instances have (`targetOf`), each
 * target getting only its own instances' rows, all targets side by side; `urlOf` reads a target's URL (one
 * cached secret read per target). Never throws; the result of each target by its secret ARN.
 */
export async function pushToTargets(
  runs: readonly Pick<RunSummary, 'instanceId' | 'outcome'>[],
  deps: Omit<PushAfterRunDeps, 'url'> & {
    readonly targetOf: (instanceId: string) => string | undefined;
    readonly urlOf: (secretArn: string) => () => Promise<string>;
  },
): Promise<Record<string, PushResult | null>> {
  const byTarget = new Map<string, Pick<RunSummary, 'instanceId' | 'outcome'>[]>();
  for (const run of runs) {
    const target = deps.targetOf(run.instanceId);
    if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), run]);
  }
  // Side by side (each never throws and has its own time limit): one client's slow endpoint does not
  // hold up another's push.
  const results = await Promise.all(
    [...byTarget].map(
      async ([target, targetRuns]) =>
        [target, await pushAfterCurrentMetrics(targetRuns, { ...deps, url: deps.urlOf(target) })] as const,
    ),
  );
  return Object.fromEntries(results);
}

/** The push target's secret: `{"url": "https://..."}`. */
const PushSecretSchema = z.object({ url: PushUrlSchema });

/** A secret that is not `{"url": "https://..."}`. */
export class PushSecretError extends Error {
  override readonly name = 'PushSecretError';
}

/**
 * Reads the push URL from a Secrets Manager secret once and keeps it for the container's life; a
 * failed read is tried again on the next call.
 */
export function secretPushUrl(client: SecretsManagerClient, secretArn: string): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= (async () => {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      let parsed: unknown;
      try {
        parsed = JSON.parse(output.SecretString ?? '');
      } catch (error) {
        throw new PushSecretError('push target secret is not JSON; expected {"url": "https://..."}', {
          cause: error,
        });
      }
      const secret = PushSecretSchema.safeParse(parsed);
      if (!secret.success) {
        throw new PushSecretError('push target secret has no valid url; expected {"url": "https://..."}');
      }
      return secret.data.url;
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
