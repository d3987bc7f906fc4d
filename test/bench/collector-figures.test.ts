import {
  minimumOfHistoricalRun,
  type RunMeasure,
  summarize,
  tablesWritten,
} from '../../bench/collector-figures';
import { parseRuntimeConfig } from '../../lambdas/shared/config/runtime-config';

const config = parseRuntimeConfig({
  instances: [
    {
      instanceId: '00000000-0000-4000-8000-000000000001',
      instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000001',
      region: 'us-east-1',
      clientName: 'Bench',
      environment: 'bench',
    },
  ],
});

const run = (over: Partial<RunMeasure> = {}): RunMeasure => ({
  apiCalls: 4,
  minApiCalls: 4,
  throttles: 0,
  statements: 4,
  writeStatements: 3,
  tablesWritten: 3,
  dataApiCalls: 6,
  bytesSent: 1000,
  rowsWritten: 10,
  latencyMs: 100,
  outcome: 'succeeded',
  error: null,
  ...over,
});

const byMetric = (figures: ReturnType<typeof summarize>) =>
  Object.fromEntries(figures.map((f) => [f.metric, f.value]));

describe('summarize', () => {
  test('averages the counts over the runs and takes p50/p95 of the latency, suffixed by database', () => {
    const figures = summarize(
      'M',
      'current_users',
      [run({ apiCalls: 4, latencyMs: 100 }), run({ apiCalls: 5, latencyMs: 300 })],
      'pglite',
      config,
      true,
    );

    const values = byMetric(figures);
    expect(values.api_calls_per_run).toBe(4.5);
    expect(values.run_latency_p50_pglite).toBe(200);
    expect(values.run_latency_p95_pglite).toBe(290);
    expect(figures.every((f) => f.scenario === 'M' && f.collector === 'current_users')).toBe(true);
  });

  test('gives real-time feeds the refresh period the account quota allows and the one achieved', () => {
    // 67 calls at GetCurrentUserData's default 2/s: 33.5 s; a 40 s run achieves 40 s.
    const values = byMetric(
      summarize('XL', 'current_users', [run({ minApiCalls: 67, latencyMs: 40_000 })], 'pglite', config, true),
    );

    expect(values.refresh_period_allowed).toBe(33.5);
    expect(values.refresh_period_achieved_pglite).toBe(40);
  });

  test('never reports a refresh period shorter than the configured cadence', () => {
    const values = byMetric(
      summarize('S', 'current_metrics', [run({ latencyMs: 60 })], 'pglite', config, true),
    );
    expect(values.refresh_period_achieved_pglite).toBe(10);
  });

  test('leaves the counts out of a timing-only pass and counts failed runs', () => {
    const figures = summarize(
      'S',
      'metadata',
      [run(), run({ outcome: 'failed', error: 'boom' })],
      'postgres',
      config,
      false,
    );

    expect(figures.map((f) => f.metric)).toEqual([
      'failed_runs_postgres',
      'run_latency_p50_postgres',
      'run_latency_p95_postgres',
    ]);
    expect(figures[0]?.value).toBe(1);
  });
});

describe('minimumOfHistoricalRun', () => {
  test('counts the intervals each feed fetched from its details', () => {
    const minimum = minimumOfHistoricalRun({
      details: {
        queues: 100,
        agents: 1000,
        queue_v1: { from: '2026-11-24T15:00:00.000Z', to: '2026-11-24T15:10:00.000Z', ranges: 2 },
        queue_v2: { from: '2026-11-24T14:45:00.000Z', to: '2026-11-24T15:00:00.000Z', ranges: 1 },
        agent_v2: { from: '2026-11-24T14:45:00.000Z', to: '2026-11-24T15:00:00.000Z', ranges: 1 },
      },
    });

    expect(minimum).toBe(2 * 3 + 3 + 10);
  });

  test('counts no calls for a feed that fetched no range', () => {
    const minimum = minimumOfHistoricalRun({
      details: {
        queues: 10,
        agents: 50,
        queue_v1: { from: '2026-11-24T15:00:00.000Z', to: '2026-11-24T15:05:00.000Z', ranges: 1 },
        queue_v2: { from: null, to: null, ranges: 0 },
        agent_v2: { from: null, to: null, ranges: 0 },
      },
    });

    expect(minimum).toBe(1);
  });
});

describe('tablesWritten', () => {
  test('names the table of an upsert once, ignoring ON CONFLICT DO UPDATE SET', () => {
    expect(
      tablesWritten(
        'INSERT INTO queue_realtime_snapshot (a) SELECT a FROM jsonb_to_recordset(:rows) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a',
      ),
    ).toEqual(['queue_realtime_snapshot']);
  });

  test('finds updates and deletes, and nothing in a read', () => {
    expect(
      tablesWritten('WITH x AS (DELETE FROM agent RETURNING 1) UPDATE queue SET deleted_at = now()'),
    ).toEqual(['agent', 'queue']);
    expect(tablesWritten('SELECT queue_id FROM queue')).toEqual([]);
  });
});
