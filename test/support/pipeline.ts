import { ConnectClient } from '@aws-sdk/client-connect';
import type { RunDeps } from '../../lambdas/shared/collector/run-feed';
import {
  DEFAULT_API_QUOTAS,
  parseRuntimeConfig,
  type RuntimeConfig,
  type RuntimeConfigInput,
} from '../../lambdas/shared/config/runtime-config';
import { ConnectClients } from '../../lambdas/shared/connect/clients';
import { RateLimiters } from '../../lambdas/shared/connect/rate-limiter';
import type { DataApiExecutor } from '../../lambdas/shared/db/data-api-executor';
import { silentLog } from '../../lambdas/shared/runtime/logger';
import type { RunningDataApi } from '../../local/data-api/server';
import { LOCAL_CREDENTIALS, openLocalDataStack } from '../../local/runner/database';
import {
  type ConnectSimulator,
  type ConnectSimulatorOptions,
  ManualClock,
  startConnectSimulator,
} from '../../local/simulator';
import { createMigratedSchema, databaseTargets, type TestSchema } from './databases';
import { simulationStart } from './simulation-start';

export { LOCAL_CREDENTIALS };

/**
 * Quotas so large, in the simulator and in config, that the rate limiter never waits: for tests whose
 * call counts are the fewest the request limits allow whatever the rate, or whose runs are simulated
 * hours apart. The limiter is tested on its own.
 */
export const FAST_HISTORICAL_QUOTAS = Object.fromEntries(
  (
    [
      'ListQueues',
      'ListRoutingProfiles',
      'ListAgentStatuses',
      'ListUsers',
      'GetMetricData',
      'GetMetricDataV2',
    ] as const
  ).map((api) => [api, { rate: 500, burst: 500 }]),
);

/** The same for every Connect API: for runs of the real-time feeds simulated minutes apart. */
export const FAST_QUOTAS = Object.fromEntries(
  Object.keys(DEFAULT_API_QUOTAS).map((api) => [api, { rate: 500, burst: 500 }]),
);

/** Options of {@link startTestPipeline}. */
export interface TestPipelineOptions extends Omit<ConnectSimulatorOptions, 'instances' | 'clock' | 'port'> {
  /** Database URL. @default this worker's PGlite */
  readonly databaseUrl?: string;
  /** Simulated instances (each its own contact centre). @default 1 */
  readonly instanceCount?: number;
  /** Accounts the instances are spread over (instance k in account k mod accounts). @default 1 */
  readonly accounts?: number;
  /** Simulated time at start. @default today at 10:00 UTC ({@link simulationStart}) */
  readonly startAt?: Date;
  /** Runtime config fields besides `instances`. */
  readonly config?: Omit<Partial<RuntimeConfigInput>, 'instances'>;
  /** Label for the test schema. */
  readonly label?: string;
  /**
   * One fake clock for the local Data API's fault windows and the executor's retry backoff, so an
   * injected resuming window is waited out without real waiting.
   */
  readonly dataApiClock?: { now(): number; sleep(ms: number): Promise<void> };
}

/** A running simulator + local Data API + migrated schema, and the deps a collector run needs. */
export interface TestPipeline {
  readonly simulator: ConnectSimulator;
  readonly dataApi: RunningDataApi;
  readonly schema: TestSchema;
  /** The collectors' executor: DataApiExecutor through the real RDSDataClient. */
  readonly db: DataApiExecutor;
  readonly clock: ManualClock;
  readonly config: RuntimeConfig;
  /** Statements the collectors sent through the Data API since the last {@link resetCounters}. */
  readonly counters: { statements: number; bytes: number };
  resetCounters(): void;
  /** Deps for `runCollector` (deadline one minute from the call). */
  deps(overrides?: Partial<RunDeps>): RunDeps;
  close(): Promise<void>;
}

/** Starts everything a multi-part test needs, on loopback, with fake credentials. */
export async function startTestPipeline(options: TestPipelineOptions = {}): Promise<TestPipeline> {
  const url = options.databaseUrl ?? databaseTargets()[0]!.url;
  const schema = await createMigratedSchema(url, options.label ?? 'pipeline');
  const data = await openLocalDataStack(
    { kind: 'postgres', url, searchPath: schema.schema },
    options.dataApiClock ? { clock: options.dataApiClock } : {},
  );
  const { dataApi, db, counters } = data;
  const clock = new ManualClock((options.startAt ?? simulationStart()).getTime());
  const instances = Array.from({ length: options.instanceCount ?? 1 }, (_, k) => ({
    instanceId: `00000000-0000-4000-8000-${String(k + 1).padStart(12, '0')}`,
    region: 'us-east-1',
    accountId: String(111122223333 + (k % (options.accounts ?? 1))),
  }));
  const {
    databaseUrl: _u,
    instanceCount: _n,
    accounts: _a,
    startAt: _s,
    config: configOverrides,
    label: _l,
    dataApiClock: _c,
    ...simOptions
  } = options;
  const simulator = await startConnectSimulator({ ...simOptions, instances, clock, port: 0 });
  const config = parseRuntimeConfig({
    ...configOverrides,
    instances: simulator.instances.map((i, k) => ({
      instanceId: i.instanceId,
      instanceArn: i.arn,
      region: i.region,
      clientName: `Client ${k + 1}`,
      environment: 'test',
      endpoint: simulator.endpoint,
    })),
  });
  const clients = new ConnectClients({ credentials: LOCAL_CREDENTIALS });
  const limiters = new RateLimiters(config);
  return {
    simulator,
    dataApi,
    schema,
    db,
    clock,
    config,
    counters,
    resetCounters() {
      counters.statements = 0;
      counters.bytes = 0;
    },
    deps(overrides = {}) {
      return {
        config,
        db,
        clients,
        limiters,
        log: silentLog,
        now: () => new Date(clock.now()),
        deadlineAt: Date.now() + 60_000,
        ...overrides,
      };
    },
    async close() {
      clients.destroy();
      await simulator.close();
      await data.close();
      await schema.drop();
    },
  };
}

/**
 * Deps in which one instance's Connect endpoint refuses connections (the others are unchanged), for
 * tests that one failing instance never stops the others. Call `close()` after the run.
 */
export function withUnreachableInstance(deps: RunDeps, instanceId: string): { deps: RunDeps; close(): void } {
  const unreachable = new ConnectClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    deps: {
      ...deps,
      clients: { for: (i) => (i.instanceId === instanceId ? unreachable : deps.clients.for(i)) },
    },
    close: () => unreachable.destroy(),
  };
}
