import type { Feed } from '../../../../lambdas/feeds';
import type { AnyCollector, RunContext, RunSummary } from '../../../../lambdas/shared/collector/contract';
import { parseRuntimeConfig } from '../../../../lambdas/shared/config/runtime-config';
import { RateLimiters } from '../../../../lambdas/shared/connect/rate-limiter';
import type { DeadlineBoundExecutor } from '../../../../lambdas/shared/db/executor';
import {
  CollectorRunError,
  collectorHandler,
  eventInstanceIds,
  exclusively,
  InvocationEventError,
  invokeFeed,
  type LambdaRuntime,
  leaseKey,
} from '../../../../lambdas/shared/lambda/runtime';
import { silentLog } from '../../../../lambdas/shared/runtime/logger';

const instance = (n: number) => ({
  instanceId: `00000000-0000-4000-8000-00000000000${n}`,
  instanceArn: `arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-00000000000${n}`,
  region: 'us-east-1',
  clientName: `c${n}`,
  environment: 'prod',
});

function runtime(): { runtime: LambdaRuntime; statements: string[]; boundTo: number[] } {
  const config = parseRuntimeConfig({ instances: [instance(1), instance(2)] });
  const statements: string[] = [];
  const boundTo: number[] = [];
  const db: DeadlineBoundExecutor = {
    query: async (sql) => {
      statements.push(sql);
      return { rows: [], rowCount: 1 };
    },
    transaction: (work) => work(db),
    until: (deadlineAt) => {
      boundTo.push(deadlineAt);
      return db;
    },
  };
  return {
    statements,
    boundTo,
    runtime: {
      env: { dbClusterArn: 'c', dbSecretArn: 's', dbName: 'd', config, pushTargetSecretArn: undefined },
      db,
      deps: {
        config,
        clients: { for: () => ({}) as never },
        limiters: new RateLimiters(config),
        log: silentLog,
      },
    },
  };
}

const context = { getRemainingTimeInMillis: () => 30_000 };

/** A collector that writes `rows` rows, or fails for the instances `failing` names. */
function fakeCollector(
  feed: Feed,
  rows: number,
  failing: (instanceId: string) => boolean = () => false,
): AnyCollector {
  return {
    feed,
    ports: () => ({}),
    fetch: async (run: RunContext) => {
      if (failing(run.instance.instanceId))
        throw new Error(`instance ${run.instance.instanceId.slice(-1)} is down`);
      return rows;
    },
    write: async (_tx, fetched: number) => ({ rowsWritten: fetched, dataTime: null }),
  };
}

describe('invokeFeed', () => {
  test('runs the after-run steps with every run, then fails the invocation naming the instance that failed', async () => {
    const { runtime: rt, statements } = runtime();
    const seen: RunSummary[][] = [];

    const invocation = invokeFeed(
      rt,
      fakeCollector('current_metrics', 5, (id) => id.endsWith('2')),
      context,
      {
        push: async (runs) => void seen.push([...runs]),
      },
    );

    await expect(invocation).rejects.toThrow(CollectorRunError);
    await expect(invocation).rejects.toThrow(
      /1 of 2 instance runs failed: 00000000-0000-4000-8000-000000000002: Error: instance 2 is down/,
    );
    expect(seen[0]?.map((r) => r.outcome)).toEqual(['succeeded', 'failed']);
    expect(statements.filter((s) => s.includes('INSERT INTO collector_run'))).toHaveLength(2);
  });

  test("returns a short summary per instance and each step's result when everything succeeded", async () => {
    const { runtime: rt } = runtime();

    const result = await invokeFeed(rt, fakeCollector('metadata', 3), context, {
      retention: async () => ({ batches: 0, done: true }),
    });

    expect(result.runs.map((r) => [r.outcome, r.rowsWritten])).toEqual([
      ['succeeded', 3],
      ['succeeded', 3],
    ]);
    expect(result.after).toEqual({ retention: { batches: 0, done: true } });
  });

  test('a step that fails fails the invocation after every run was recorded', async () => {
    const { runtime: rt, statements } = runtime();

    await expect(
      invokeFeed(rt, fakeCollector('metadata', 3), context, {
        retention: async () => {
          throw new Error('the database is read-only');
        },
      }),
    ).rejects.toThrow(/retention failed: Error: the database is read-only/);
    expect(statements.filter((s) => s.includes('INSERT INTO collector_run'))).toHaveLength(2);
  });

  test('binds the Data API retries to the invocation: they end a few seconds before the function times out', async () => {
    const { runtime: rt, boundTo } = runtime();
    const before = Date.now();

    await invokeFeed(rt, fakeCollector('current_users', 0), context);

    expect(boundTo).toHaveLength(1);
    expect(boundTo[0]).toBeGreaterThanOrEqual(before + 30_000 - 3_000);
    expect(boundTo[0]).toBeLessThanOrEqual(Date.now() + 30_000 - 3_000);
  });
});

describe('the invocation event: a fleet group', () => {
  const config = parseRuntimeConfig({ instances: [instance(1), instance(2), instance(3)] });
  const id = (n: number) => instance(n).instanceId;

  test('names the instances of its group; an event without (EventBridge, a test) runs them all', () => {
    expect(
      eventInstanceIds({ tick: 0, dueAt: 'x', group: 'g', instanceIds: [id(2), id(3)] }, config),
    ).toEqual([id(2), id(3)]);
    expect(
      eventInstanceIds({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, config),
    ).toBeUndefined();
    expect(eventInstanceIds(undefined, config)).toBeUndefined();
  });

  test('refuses instances the config does not have, or a malformed list, saying which', () => {
    expect(() => eventInstanceIds({ instanceIds: [id(1), 'i-nope'] }, config)).toThrow(
      new InvocationEventError(
        'event: instanceIds: i-nope is not in the runtime config (expected the instance ids of one group)',
      ),
    );
    expect(() => eventInstanceIds({ instanceIds: [] }, config)).toThrow(InvocationEventError);
    expect(() => eventInstanceIds({ instanceIds: 'x' }, config)).toThrow(/event: instanceIds/);
  });

  test('the handler runs only the group it is given', async () => {
    const { runtime: rt } = runtime();
    const handler = collectorHandler(fakeCollector('current_metrics', 2), rt);

    const result = await handler({ instanceIds: [id(2)] }, { ...context, awsRequestId: 'r' });

    expect('runs' in result && result.runs.map((r) => r.instanceId)).toEqual([id(2)]);
  });

  test("a scheduled group's lease is its own: groups run side by side, a group never overlaps itself", () => {
    expect(leaseKey('historical_metrics')).toBe('historical_metrics');
    const a = leaseKey('historical_metrics', [id(1), id(2)]);
    expect(a).toMatch(/^historical_metrics\/[0-9a-f]{16}$/);
    expect(leaseKey('historical_metrics', [id(1), id(2)])).toBe(a);
    expect(leaseKey('historical_metrics', [id(3)])).not.toBe(a);
  });
});

describe('exclusively', () => {
  /** A runtime whose database holds one lease table (what V008 creates), in memory. */
  function leaseRuntime(heldBy?: string) {
    const { runtime: rt } = runtime();
    const leases = new Map<string, string>(heldBy ? [['historical_metrics', heldBy]] : []);
    const db: DeadlineBoundExecutor = {
      query: async (sql, params = {}) => {
        const { key, holder } = params as { key: string; holder: string };
        if (sql.includes('INSERT INTO collector_lease')) {
          const current = leases.get(key);
          if (current && current !== holder) return { rows: [], rowCount: 0 };
          leases.set(key, holder);
          return { rows: [{ holder }] as never[], rowCount: 1 };
        }
        if (sql.includes('UPDATE collector_lease') && leases.get(key) === holder) leases.delete(key);
        return { rows: [], rowCount: 0 };
      },
      transaction: (work) => work(db),
      until: () => db,
    };
    return { runtime: { ...rt, db }, leases };
  }
  const invocation = (id: string) => ({ getRemainingTimeInMillis: () => 300_000, awsRequestId: id });

  test('runs the work holding the feed lease, and gives it back after', async () => {
    const { runtime: rt, leases } = leaseRuntime();
    let heldDuringWork: string | undefined;

    const result = await exclusively(rt, 'historical_metrics', invocation('req-1'), async () => {
      heldDuringWork = leases.get('historical_metrics');
      return 'collected';
    });

    expect(result).toBe('collected');
    expect(heldDuringWork).toBe('req-1');
    expect(leases.has('historical_metrics')).toBe(false);
  });

  test('skips the work while another invocation holds the lease, saying why', async () => {
    const { runtime: rt } = leaseRuntime('req-still-running');
    let ran = false;

    const result = await exclusively(rt, 'historical_metrics', invocation('req-2'), async () => {
      ran = true;
    });

    expect(ran).toBe(false);
    expect(result).toEqual({
      skipped: expect.stringContaining('another historical_metrics run holds the lease'),
    });
  });

  test('gives the lease back when the work throws', async () => {
    const { runtime: rt, leases } = leaseRuntime();

    await expect(
      exclusively(rt, 'historical_metrics', invocation('req-3'), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(leases.has('historical_metrics')).toBe(false);
  });
});
