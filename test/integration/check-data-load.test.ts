import { checkDataLoad } from '../../lambdas/check-data-load/check';
import { sqlFreshnessStore } from '../../lambdas/check-data-load/freshness-store';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { silentLog } from '../../lambdas/shared/runtime/logger';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';

const MIN = 60_000;

describe('data-load check over the local Data API, after real collector runs', () => {
  let pipeline: TestPipeline;
  let first: string;
  let second: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ queues: 5, agents: 20, instanceCount: 2, label: 'check_it' });
    first = pipeline.simulator.instances[0]!.instanceId;
    second = pipeline.simulator.instances[1]!.instanceId;
  });
  afterAll(() => pipeline.close());

  const check = (query: Record<string, string> | null) =>
    checkDataLoad(query, {
      config: pipeline.config,
      store: sqlFreshnessStore(pipeline.db),
      now: () => new Date(pipeline.clock.now()),
      log: silentLog,
    });

  test('before any run every feed is stale: 503 with nothing known', async () => {
    const response = await check(null);

    expect(response.statusCode).toBe(503);
    expect(response.body.feeds).toHaveLength(2 * 4);
    expect(response.body.feeds?.every((f) => f.status === 'stale' && f.lastSuccessAt === null)).toBe(true);
  });

  test('after a metadata run, that feed is fresh for three cadences, then stale', async () => {
    const [run] = await runCollector(metadata, pipeline.deps({ instanceIds: [first] }));
    pipeline.clock.advance(44 * MIN);

    const fresh = await check({ instance: first, feed: 'metadata' });
    pipeline.clock.advance(2 * MIN);
    const stale = await check({ instance: first, feed: 'metadata' });

    expect(fresh.statusCode).toBe(200);
    expect(fresh.body.feeds).toEqual([
      expect.objectContaining({
        instanceId: first,
        clientName: 'Client 1',
        feed: 'metadata',
        status: 'ok',
        staleAfterSeconds: 45 * 60,
        lastSuccessRows: run!.rowsWritten,
        lastOutcome: 'succeeded',
        lastError: null,
      }),
    ]);
    expect(stale.statusCode).toBe(503);
    expect(stale.body.feeds?.[0]).toMatchObject({ status: 'stale', ageSeconds: 46 * 60 });
  });

  test('the second instance is reported on its own, with the last failed run error', async () => {
    await pipeline.db.query(
      `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome, error_text)
       VALUES (:second, 'historical_metrics', :at, :at, 'failed', 'NoQueuesKnownError: no STANDARD queue')`,
      { second, at: new Date(pipeline.clock.now()) },
    );

    const response = await check({ instance: second, feed: 'historical_metrics' });

    expect(response.statusCode).toBe(503);
    expect(response.body.feeds).toEqual([
      expect.objectContaining({
        instanceId: second,
        status: 'stale',
        lastOutcome: 'failed',
        lastError: 'NoQueuesKnownError: no STANDARD queue',
      }),
    ]);
    expect(Object.keys(response.body.latest ?? {})).toEqual([second]);
  });

  test('a query string naming an instance that is not configured answers 400', async () => {
    const response = await check({ instance: '00000000-0000-4000-8000-000000000099' });

    expect(response).toEqual({
      statusCode: 400,
      body: expect.objectContaining({
        status: 'error',
        message: expect.stringMatching(/not a configured instance/),
      }),
    });
  });
});
