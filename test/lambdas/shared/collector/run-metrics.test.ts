import { Metrics } from '@aws-lambda-powertools/metrics';
import type { RunSummary } from '../../../../lambdas/shared/collector/contract';
import {
  CLIENT_DIMENSIONS,
  CLIENT_RUN_FAILED,
  FEED_DIMENSION,
  RUN_METRICS,
} from '../../../../lambdas/shared/collector/metric-names';
import { powertoolsRunMetrics } from '../../../../lambdas/shared/collector/run-metrics';

/** A Powertools Metrics stand-in that records each published set of data points. */
function recordingMetrics() {
  const published: Array<{ dimensions: Record<string, string>; values: Record<string, number> }> = [];
  const singles: Array<{ dimensions: Record<string, string>; values: Record<string, number> }> = [];
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
    singleMetric: () => {
      const single = { dimensions: {} as Record<string, string>, values: {} as Record<string, number> };
      singles.push(single);
      return {
        addDimensions: (d: Record<string, string>) => Object.assign(single.dimensions, d),
        addMetric: (name: string, _unit: string, value: number) => {
          single.values[name] = value;
        },
      };
    },
  };
  return { metrics: metrics as unknown as Metrics, published, singles };
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

test('a failed run is also published under its client and instance, and only a failed one', () => {
  const { metrics, singles } = recordingMetrics();
  const clients: Record<string, string> = { 'i-1': 'Example Retail', 'i-2': 'Example Bank' };

  powertoolsRunMetrics(metrics, undefined, (id) => clients[id]).publish([
    run({ instanceId: 'i-1' }),
    run({ instanceId: 'i-2', outcome: 'failed' }),
    run({ instanceId: 'i-3', outcome: 'failed' }),
  ]);

  expect(singles).toEqual([
    {
      dimensions: {
        [FEED_DIMENSION]: 'current_users',
        [CLIENT_DIMENSIONS.client]: 'Example Bank',
        [CLIENT_DIMENSIONS.instance]: 'i-2',
      },
      values: { [CLIENT_RUN_FAILED]: 1 },
    },
    {
      // An instance the config does not name (never, deployed) still counts, as an unknown client.
      dimensions: {
        [FEED_DIMENSION]: 'current_users',
        [CLIENT_DIMENSIONS.client]: 'unknown',
        [CLIENT_DIMENSIONS.instance]: 'i-3',
      },
      values: { [CLIENT_RUN_FAILED]: 1 },
    },
  ]);
});

test('with Powertools itself: the client metric is its own EMF document with service, feed, client and instance', () => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: 'ConnectMetrics', serviceName: 'current-users' });
    powertoolsRunMetrics(metrics, undefined, () => 'Example Bank').publish([run({ outcome: 'failed' })]);
  } finally {
    write.mockRestore();
  }
  const documents = lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('_aws'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
  const client = documents.find((d) => CLIENT_RUN_FAILED in d);

  expect(client).toMatchObject({
    service: 'current-users',
    [FEED_DIMENSION]: 'current_users',
    Client: 'Example Bank',
    InstanceId: 'i-1',
    [CLIENT_RUN_FAILED]: 1,
    _aws: {
      CloudWatchMetrics: [
        {
          Namespace: 'ConnectMetrics',
          Dimensions: [expect.arrayContaining(['service', FEED_DIMENSION, 'Client', 'InstanceId'])],
        },
      ],
    },
  });
  // The run metrics stay under the feed only: no per-client series for every run.
  const runDocument = documents.find((d) => RUN_METRICS.failed in d);
  expect(runDocument).toBeDefined();
  expect(runDocument).not.toHaveProperty('Client');
});
