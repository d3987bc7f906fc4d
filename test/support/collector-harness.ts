import type { ConnectClient } from '@aws-sdk/client-connect';
import type { Feed } from '../../lambdas/feeds';
import type { RunContext } from '../../lambdas/shared/collector/contract';
import type { RunDeps } from '../../lambdas/shared/collector/run-feed';
import { parseRuntimeConfig, type RuntimeConfig } from '../../lambdas/shared/config/runtime-config';
import { RateLimiters } from '../../lambdas/shared/connect/rate-limiter';
import type { QueryResult, Row, SqlExecutor, SqlParameters } from '../../lambdas/shared/db/executor';
import { silentLog } from '../../lambdas/shared/runtime/logger';

/** Shared by the collector tests: a one-instance config, run contexts, and executors that record. */

export const INSTANCE_ID = 'a1b2c3d4-1111-4222-8333-444455556666';

/** A one-instance runtime config with no API budget worth waiting on. */
export function testConfig(): RuntimeConfig {
  return parseRuntimeConfig({
    instances: [
      {
        instanceId: INSTANCE_ID,
        instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`,
        region: 'us-east-1',
        clientName: 'Acme',
        environment: 'test',
      },
    ],
    apiQuotas: {
      GetCurrentMetricData: { rate: 1000, burst: 1000 },
      GetCurrentUserData: { rate: 1000, burst: 1000 },
      ListQueues: { rate: 1000, burst: 1000 },
      ListRoutingProfiles: { rate: 1000, burst: 1000 },
    },
  });
}

/** Two instances of two clients in one account, for what reads across instances. */
export const TWO_CLIENTS = {
  a: '0000000a-2222-4333-8444-555555555555',
  b: '0000000b-2222-4333-8444-555555555555',
} as const;

/** A runtime config with {@link TWO_CLIENTS}: `a` serves Acme, `b` Bravo, both in prod. */
export function twoClientConfig(): RuntimeConfig {
  const instance = (id: string, clientName: string) => ({
    instanceId: id,
    instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${id}`,
    region: 'us-east-1',
    clientName,
    environment: 'prod',
  });
  return parseRuntimeConfig({
    instances: [instance(TWO_CLIENTS.a, 'Acme'), instance(TWO_CLIENTS.b, 'Bravo')],
  });
}

/** The run context a collector's logic gets, for calling its `fetch` and `write` directly. */
export function runContext(feed: Feed, startedAt: Date, overrides: Partial<RunContext> = {}): RunContext {
  const config = overrides.config ?? testConfig();
  const instance = config.instances[0];
  if (!instance) throw new Error('no instance in the test config');
  return {
    feed,
    instance,
    config,
    log: silentLog,
    startedAt,
    now: () => startedAt,
    clock: () => Date.now(),
    deadlineAt: Date.now() + 60_000,
    ...overrides,
  };
}

/**
 * The executor a collector's logic receives in logic tests: it must read and write only through its
 * ports (faked there), so any statement sent to this one fails the test.
 */
export const PORTS_ONLY: SqlExecutor = {
  query: async (sql) => {
    throw new Error(`the logic sent SQL itself instead of using its ports: ${sql.slice(0, 60)}`);
  },
  transaction: async () => {
    throw new Error('the logic opened a transaction itself: the runner opens it');
  },
};

/** Deps for `runCollector` over one mocked Connect client and a real database. */
export function collectorDeps(db: SqlExecutor, client: ConnectClient, now: () => Date): RunDeps {
  const config = testConfig();
  return {
    config,
    db,
    clients: { for: () => client },
    limiters: new RateLimiters(config),
    log: silentLog,
    now,
    deadlineAt: Date.now() + 60_000,
  };
}

/** One statement as the recording executor saw it. */
export interface RecordedStatement {
  readonly sql: string;
  readonly params: SqlParameters | undefined;
  readonly inTransaction: boolean;
}

/** Wraps an executor to record every statement and whether it ran inside a transaction. */
export function recordingExecutor(inner: SqlExecutor): {
  executor: SqlExecutor;
  statements: RecordedStatement[];
} {
  const statements: RecordedStatement[] = [];
  const wrap = (target: SqlExecutor, inTransaction: boolean): SqlExecutor => ({
    query: <R extends Row>(sql: string, params?: SqlParameters) => {
      statements.push({ sql, params, inTransaction });
      return target.query<R>(sql, params) as Promise<QueryResult<R>>;
    },
    transaction: (work) => target.transaction((tx) => work(wrap(tx, true))),
  });
  return { executor: wrap(inner, false), statements };
}

/** The tables a statement writes (INSERT INTO / UPDATE), for counting statements per table. */
export function tablesWritten(sql: string): string[] {
  const names = [...sql.matchAll(/\b(?:INSERT\s+INTO|UPDATE)\s+([a-z_]+)/gi)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => n.toUpperCase() !== 'SET'))];
}
