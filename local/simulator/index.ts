import type { Server } from 'node:http';
import type { ApiContext, CachedCurrentMetrics } from './api/context';
import type { SimulatorProfile } from './catalog';
import { createCentre, type SimulatedCentre } from './centre';
import { type SimulatorClock, systemClock } from './clock';
import { type FaultSettings, Faults } from './faults';
import { GroundTruth } from './ground-truth';
import { defaultRetentionDays } from './history';
import { mutations, type SimulatorMutations } from './mutate';
import { PageTokens, SnapshotCache } from './pagination';
import { type Quota, type SimulatedApi, TokenBuckets } from './quotas';
import { Rng } from './random';
import { type CallCounters, createConnectServer, listen } from './server';
import type { SimulatedInstance } from './types';

export { AcceleratedClock, ManualClock, type SimulatorClock, systemClock } from './clock';
export type { FaultSettings, MalformedOptions } from './faults';
export type { QueueFlow } from './ground-truth';
export { SIMULATOR_DEFAULT_QUOTAS } from './quotas';
export type { GroundTruth, RunningSimulator as ConnectSimulator, SimulatorMutations, SimulatorProfile };

/** Options of {@link startConnectSimulator}. */
export interface ConnectSimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** STANDARD queues per instance (one AGENT queue per agent is added). @default 5 */
  readonly queues?: number;
  /** Agents per instance. @default 20 */
  readonly agents?: number;
  /** Seed: equal seeds and clocks give equal numbers. @default 7 */
  readonly seed?: number;
  /** @default 'follow-the-sun' */
  readonly profile?: SimulatorProfile;
  /** The office-hours profile's time zone (IANA). @default 'America/New_York' */
  readonly timeZone?: string;
  /** Instances to simulate. @default one, generated from the seed, in us-east-1 */
  readonly instances?: readonly { instanceId: string; region: string; accountId: string }[];
  /** @default the system clock */
  readonly clock?: SimulatorClock;
  /** Per-API quota overrides. @default SIMULATOR_DEFAULT_QUOTAS (a new account's) */
  readonly quotas?: Partial<Record<SimulatedApi, Quota>>;
  /** Faults in force from the start. @default none */
  readonly faults?: FaultSettings;
  /**
   * How long 15-minute (v2) history is kept, in days.
   * @default 93 where it fits a ~120 MB budget, less for large centres (1 day at 20,000 agents)
   */
  readonly historyRetentionDays?: number;
  /**
   * Run the model from this long before the clock's time at start, so history exists from the first
   * call. @default 0
   */
  readonly warmUpMs?: number;
  /**
   * Keep every completed contact record (as long as the history), so tests can compute Connect's
   * metric definitions from them (GroundTruth.fromContactRecords). @default false
   */
  readonly contactRecords?: boolean;
  /**
   * Leave out of GetCurrentMetricData a queue and channel with nothing to report (no agent online for
   * it, nothing queued): Connect answers only for queues with activity, so a quiet queue has no result
   * at all. @default false (every queue and channel asked about is answered)
   */
  readonly omitInactiveQueues?: boolean;
  /**
   * Days GetMetricDataV2 serves FIFTEEN_MIN, THIRTY_MIN and HOUR intervals for (older ranges are refused).
   * The API reference says 3 months; an older Admin Guide page says 35 days for 15-minute data, which a
   * collector must survive. @default 93
   */
  readonly intervalDataDays?: number;
}

/** A running simulator. */
export interface RunningSimulator {
  /** http://host:port, for the SDK's `endpoint`. */
  readonly endpoint: string;
  /** Region of the first instance. */
  readonly region: string;
  readonly instances: readonly {
    readonly instanceId: string;
    readonly arn: string;
    readonly region: string;
  }[];
  /** Live fault settings: `set({...})`, `outageFor(ms)`, `clear()`, or the fields directly. */
  readonly faults: Faults;
  readonly groundTruth: GroundTruth;
  readonly mutate: SimulatorMutations;
  /** Calls per API: calls, throttled, errors. */
  readonly calls: ReadonlyMap<SimulatedApi, CallCounters>;
  /** Runs the model up to the clock's time (done on every call and every second anyway). */
  sync(): void;
  close(): Promise<void>;
}

/**
 * Starts a local Amazon Connect that `@aws-sdk/client-connect` talks to unchanged (endpoint override,
 * any static credentials): list APIs, current and historical metrics, backed by a deterministic
 * contact-centre model.
 */
export async function startConnectSimulator(
  options: ConnectSimulatorOptions = {},
): Promise<RunningSimulator> {
  const seed = options.seed ?? 7;
  const clock = options.clock ?? systemClock;
  const rng = new Rng(seed);
  const instances: SimulatedInstance[] = (options.instances ?? [generatedInstance(rng)]).map((i) => ({
    ...i,
    arn: `arn:aws:connect:${i.region}:${i.accountId}:instance/${i.instanceId}`,
  }));
  const startMs = clock.now() - (options.warmUpMs ?? 0);
  const centres: SimulatedCentre[] = instances.map((instance, k) =>
    createCentre(instance, {
      seed: seed + k * 7919,
      queues: options.queues ?? 5,
      agents: options.agents ?? 20,
      profile: options.profile ?? 'follow-the-sun',
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      startMs,
      retentionMs:
        (options.historyRetentionDays ?? defaultRetentionDays(options.agents ?? 20, options.queues ?? 5)) *
        86_400_000,
      contactRecords: options.contactRecords ?? false,
    }),
  );
  const sync = (): void => {
    const now = clock.now();
    for (const centre of centres) centre.model.advanceTo(now);
  };
  sync();
  const faults = new Faults(options.faults);
  const tokens = new PageTokens(`sim-${seed}-${startMs}`);
  const snapshots = new SnapshotCache<CachedCurrentMetrics>();
  const calls = new Map<SimulatedApi, CallCounters>();
  const context = (): ApiContext => {
    sync();
    return {
      centres,
      tokens,
      snapshots,
      faults,
      omitInactiveQueues: options.omitInactiveQueues ?? false,
      intervalDataDays: options.intervalDataDays ?? 93,
      now: centres[0]?.model.time ?? clock.now(),
    };
  };
  const server: Server = createConnectServer({
    context,
    buckets: new TokenBuckets(options.quotas),
    quotaScope: (instanceId) => {
      const instance = instances.find((i) => i.instanceId === instanceId);
      return instance ? `${instance.accountId}:${instance.region}` : undefined;
    },
    faults,
    calls,
    seed,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const unsubscribe = clock.onAdvance?.(() => sync());
  const timer = clock.onAdvance ? undefined : setInterval(sync, 1000);
  timer?.unref();
  return {
    endpoint: `http://${host}:${port}`,
    region: instances[0]?.region ?? 'us-east-1',
    instances: instances.map((i) => ({ instanceId: i.instanceId, arn: i.arn, region: i.region })),
    faults,
    groundTruth: new GroundTruth(centres),
    mutate: mutations(centres, clock),
    calls,
    sync,
    close: () =>
      new Promise<void>((resolve, reject) => {
        unsubscribe?.();
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function generatedInstance(rng: Rng): { instanceId: string; region: string; accountId: string } {
  const accountId = Array.from({ length: 12 }, () => rng.int(10))
    .join('')
    .replace(/^0/, '1');
  return { instanceId: rng.uuid(), region: 'us-east-1', accountId };
}
