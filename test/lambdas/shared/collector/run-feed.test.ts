import type { Feed } from '../../../../lambdas/feeds';
import type { AnyCollector, RunContext, RunSummary } from '../../../../lambdas/shared/collector/contract';
import { PollGate } from '../../../../lambdas/shared/collector/poll-gate';
import { closedForAll, runCollector, runFeed } from '../../../../lambdas/shared/collector/run-feed';
import { parseRuntimeConfig } from '../../../../lambdas/shared/config/runtime-config';
import { RateLimiters } from '../../../../lambdas/shared/connect/rate-limiter';
import type { SqlExecutor } from '../../../../lambdas/shared/db/executor';
import { silentLog } from '../../../../lambdas/shared/runtime/logger';
import { recordingExecutor } from '../../../support/collector-harness';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../../support/databases';

const instance = (n: number) => ({
  instanceId: `00000000-0000-4000-8000-00000000000${n}`,
  instanceArn: `arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-00000000000${n}`,
  region: 'us-east-1',
  clientName: `c${n}`,
  environment: 'test',
});
const config = parseRuntimeConfig({ instances: [instance(1), instance(2)] });
const STARTED = new Date('2026-11-23T10:00:00.000Z');

/** What the fake collector does per instance: fetch fails, write fails, or rows with skipped records. */
type Behaviour = { fetchFails?: boolean; writeFails?: boolean; skipped?: number };

/** A collector over a scratch table: fetch reads nothing, write inserts one row per instance. */
function scratchCollector(
  feed: Feed,
  behaviour: (instanceId: string) => Behaviour = () => ({}),
): AnyCollector {
  return {
    feed,
    ports: ({ run }) => behaviour(run.instance.instanceId),
    fetch: async (_run: RunContext, _db: SqlExecutor, b: Behaviour) => {
      if (b.fetchFails) throw new Error('Connect said no');
      return 'fetched';
    },
    write: async (tx: SqlExecutor, _fetched: string, run: RunContext, b: Behaviour) => {
      await tx.query('INSERT INTO scratch (instance_id) VALUES (:id)', { id: run.instance.instanceId });
      if (b.writeFails) throw new Error('the write broke');
      return {
        rowsWritten: 1,
        dataTime: run.startedAt,
        skipped: Array.from({ length: b.skipped ?? 0 }, (_, i) => ({ record: `r${i}`, reason: 'malformed' })),
      };
    },
  };
}

describe.each(databaseTargets())('the runner on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'run_feed');
    await db.pool.query('CREATE TABLE scratch (instance_id text)');
  });
  afterAll(() => db.drop());
  beforeEach(() => db.pool.query('DELETE FROM scratch; DELETE FROM collector_run'));

  const deps = (executor: SqlExecutor, published: RunSummary[][] = []) => ({
    config,
    db: executor,
    clients: { for: () => ({}) as never },
    limiters: new RateLimiters(config),
    log: silentLog,
    now: () => STARTED,
    deadlineAt: Date.now() + 10_000,
    metrics: { publish: (runs: readonly RunSummary[]) => void published.push([...runs]) },
  });
  const runRows = async () =>
    (
      await db.pool.query(
        'SELECT instance_id, outcome, rows_written, skipped_records, error_text FROM collector_run ORDER BY instance_id',
      )
    ).rows;

  test('writes what was fetched and its run row in one transaction, and nothing outside it', async () => {
    const recording = recordingExecutor(db.executor);

    const runs = await runCollector(scratchCollector('metadata'), deps(recording.executor));

    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    const writes = recording.statements.map((s) => [s.sql.match(/INSERT INTO (\w+)/)?.[1], s.inTransaction]);
    // The two instances run side by side, so on a server their statements may interleave: each write
    // is inside a transaction, one of each table per instance (run rows land per instance, below).
    expect(writes.map((w) => w.join(':')).sort()).toEqual([
      'collector_run:true',
      'collector_run:true',
      'scratch:true',
      'scratch:true',
    ]);
    expect(await runRows()).toEqual([
      {
        instance_id: instance(1).instanceId,
        outcome: 'succeeded',
        rows_written: 1,
        skipped_records: 0,
        error_text: null,
      },
      {
        instance_id: instance(2).instanceId,
        outcome: 'succeeded',
        rows_written: 1,
        skipped_records: 0,
        error_text: null,
      },
    ]);
  });

  test('a run with skipped records lands whole and is recorded as partial', async () => {
    const runs = await runCollector(
      scratchCollector('metadata', () => ({ skipped: 2 })),
      deps(db.executor),
    );

    expect(runs.map((r) => [r.outcome, r.skipped?.length])).toEqual([
      ['partial', 2],
      ['partial', 2],
    ]);
    expect((await runRows()).map((r) => [r.outcome, r.skipped_records])).toEqual([
      ['partial', 2],
      ['partial', 2],
    ]);
  });

  test('a failed fetch writes nothing but a failed run row naming the error; the other instance lands', async () => {
    const failFirst = (id: string) => ({ fetchFails: id === instance(1).instanceId });

    const runs = await runCollector(scratchCollector('metadata', failFirst), deps(db.executor));

    expect(runs.map((r) => [r.outcome, r.error])).toEqual([
      ['failed', 'Error: Connect said no'],
      ['succeeded', null],
    ]);
    expect((await db.pool.query('SELECT instance_id FROM scratch')).rows).toEqual([
      { instance_id: instance(2).instanceId },
    ]);
    expect((await runRows()).map((r) => [r.outcome, r.error_text])).toEqual([
      ['failed', 'Error: Connect said no'],
      ['succeeded', null],
    ]);
  });

  test('a write that fails rolls back what it wrote and records the failed run', async () => {
    const runs = await runCollector(
      scratchCollector('metadata', () => ({ writeFails: true })),
      deps(db.executor),
    );

    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM scratch')).rows[0]?.n).toBe(0);
    expect((await runRows()).map((r) => r.error_text)).toEqual([
      'Error: the write broke',
      'Error: the write broke',
    ]);
  });

  test('publishes every run to the metrics once', async () => {
    const published: RunSummary[][] = [];

    await runCollector(scratchCollector('current_users'), deps(db.executor, published));

    expect(published.map((runs) => runs.map((r) => r.feed))).toEqual([['current_users', 'current_users']]);
  });

  test("runs the feed's after-run steps once, after every run, with the runs", async () => {
    const seen: string[][] = [];

    const { runs, after } = await runFeed(scratchCollector('current_metrics'), {
      ...deps(db.executor),
      steps: {
        push: async (given) => {
          seen.push(given.map((r) => r.outcome));
          return 'pushed';
        },
        retention: async () => 'not a current_metrics step',
      },
    });

    expect(runs).toHaveLength(2);
    expect(seen).toEqual([['succeeded', 'succeeded']]);
    expect(after).toEqual({ push: { ok: true, value: 'pushed' } });
  });

  test('a step that fails is reported, never thrown: the runs are already recorded', async () => {
    const { after } = await runFeed(scratchCollector('metadata'), {
      ...deps(db.executor),
      steps: {
        retention: async () => {
          throw new Error('out of time');
        },
      },
    });

    expect(after).toEqual({ retention: { ok: false, error: 'Error: out of time' } });
    expect((await runRows()).map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
  });

  test('a step the feed table names but nobody implements (push with no target) is skipped', async () => {
    const { after } = await runFeed(scratchCollector('current_metrics'), deps(db.executor));

    expect(after).toEqual({});
  });
  test('a run the poll gate keeps closed touches neither the database nor its after-run steps, and says so', async () => {
    const recording = recordingExecutor(db.executor);
    const published: RunSummary[][] = [];
    const steps: string[] = [];
    // 03:00 UTC, the instances open 08:00-20:00 UTC: historical (scheduled) runs only in closed batches.
    const closedAt = new Date('2026-11-23T03:06:00.000Z');
    const gate = new PollGate({
      config,
      probe: async () => false,
      log: silentLog,
      read: async () => ({
        queueIds: ['q1'],
        periods: [[Date.parse('2026-11-23T08:00:00Z'), Date.parse('2026-11-23T20:00:00Z')]],
        coversFrom: closedAt.getTime() - 86_400_000,
        coversUntil: closedAt.getTime() + 86_400_000,
        calls: 0,
      }),
    });
    const closedDeps = { ...deps(recording.executor, published), now: () => closedAt, gate };
    const collector = scratchCollector('metadata');
    expect(await closedForAll(collector, closedDeps)).toBe(true);
    const { runs, after } = await runFeed(collector, {
      ...closedDeps,
      steps: { retention: async () => void steps.push('retention') },
    });

    expect(runs.map((r) => [r.outcome, r.rowsWritten, r.details])).toEqual([
      ['closed', 0, { gate: 'closed' }],
      ['closed', 0, { gate: 'closed' }],
    ]);
    expect(recording.statements).toEqual([]);
    expect(steps).toEqual([]);
    expect(after).toEqual({});
    // Published (RunClosed), so the alarms count the tick as taken.
    expect(published.flat().map((r) => r.outcome)).toEqual(['closed', 'closed']);

    // At opening (07:46, inside the 15-minute margin) the run goes ahead and is told what was skipped.
    const seen: (Date | undefined)[] = [];
    const opening = new Date('2026-11-23T07:46:00.000Z');
    const catching: AnyCollector = {
      ...collector,
      fetch: async (run: RunContext) => {
        seen.push(run.catchUpFrom);
        return 'fetched';
      },
    };
    expect(await closedForAll(catching, { ...closedDeps, now: () => opening })).toBe(false);
    const opened = await runFeed(catching, { ...closedDeps, now: () => opening });
    expect(opened.runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    // Skipped since 04:16: the run before it (04:01, 15 minutes back) was its 4-hour block's batch run.
    expect(seen.map((d) => d?.toISOString())).toEqual([
      '2026-11-23T04:16:00.000Z',
      '2026-11-23T04:16:00.000Z',
    ]);
  });
});
