import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { RunSummary } from '../../../../lambdas/shared/collector/contract';
import { FEED_DIMENSION, RUN_METRICS } from '../../../../lambdas/shared/collector/metric-names';
import { powertoolsRunMetrics } from '../../../../lambdas/shared/collector/run-metrics';

/** A Powertools Metrics stand-in that records each published set of data points. */
function recordingMetrics() {
  const published: Array<{ dimensions: Record<string, string>; values: Record<string, number> }> = [];
  let dimensions: Record<string, string> = {};
  let values: Record<string, number> = {};
  const metrics = {
    addDimension: (name: string, value: string) => {
      dimensions[name] = value;
    },
    addMetric: (name: string, _unit: string, value: number) => {
      values[name] = value;
    },
    publishStoredMetrics: () => {
      published.push({ dimensions, values });
      dimensions = {};
      values = {};
    },
  };
  return { metrics: metrics as unknown as Metrics, published };
}

const run = (overrides: Partial<RunSummary>): RunSummary => ({
  feed: 'current_users',
  instanceId: 'i-1',
  startedAt: new Date('2026-11-23T10:00:00.000Z'),
  finishedAt: new Date('2026-11-23T10:00:01.250Z'),
  outcome: 'succeeded',
  rowsWritten: 12,
  dataTime: new Date('2026-11-23T10:00:00.000Z'),
  apiCalls: 3,
  throttles: 1,
  error: null,
  ...overrides,
});

test("publishes one set of data points per run, under the Feed dimension, with the alarms' names", () => {
  const { metrics, published } = recordingMetrics();
  const now = () => new Date('2026-11-23T10:00:05.000Z');

  powertoolsRunMetrics(metrics, now).publish([
    run({}),
    run({ instanceId: 'i-2', outcome: 'failed', dataTime: null }),
  ]);

  expect(published).toEqual([
    {
      dimensions: { [FEED_DIMENSION]: 'current_users' },
      values: {
        [RUN_METRICS.succeeded]: 1,
        [RUN_METRICS.failed]: 0,
        [RUN_METRICS.rowsWritten]: 12,
        [RUN_METRICS.apiCalls]: 3,
        [RUN_METRICS.throttles]: 1,
        [RUN_METRICS.durationMs]: 1250,
        [RUN_METRICS.dataAgeSeconds]: 5,
      },
    },
    {
      dimensions: { [FEED_DIMENSION]: 'current_users' },
      values: {
        [RUN_METRICS.succeeded]: 0,
        [RUN_METRICS.failed]: 1,
        [RUN_METRICS.rowsWritten]: 12,
        [RUN_METRICS.apiCalls]: 3,
        [RUN_METRICS.throttles]: 1,
        [RUN_METRICS.durationMs]: 1250,
      },
    },
  ]);
});

test('a partial run counts as succeeded: its data landed', () => {
  const { metrics, published } = recordingMetrics();

  powertoolsRunMetrics(metrics).publish([run({ outcome: 'partial' })]);

  expect(published[0]?.values[RUN_METRICS.succeeded]).toBe(1);
});
