import {
  fetchCurrentMetrics,
  truncateToSecond,
  writeCurrentMetrics,
} from '../../../lambdas/current-metrics/collector';
import { emptyMetricValues } from '../../../lambdas/current-metrics/definitions';
import type {
  CurrentMetricsConnect,
  CurrentMetricsPorts,
  QueueChannelMetrics,
  QueueMetricsSnapshot,
} from '../../../lambdas/current-metrics/ports';
import { INSTANCE_ID, PORTS_ONLY, runContext } from '../../support/collector-harness';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const SNAPSHOT = new Date('2026-11-23T04:00:09.000Z');
const run = runContext('current_metrics', STARTED);

/** A Connect port that returns a fixed snapshot and remembers which queues it was asked for. */
function fakeConnect(snapshot: Partial<QueueMetricsSnapshot>, listed: string[] = []) {
  const asked: string[][] = [];
  const connect: CurrentMetricsConnect = {
    listStandardQueueIds: async () => listed,
    read: async (queueIds) => {
      asked.push([...queueIds]);
      return { snapshotTime: SNAPSHOT, rows: [], skipped: [], batches: 1, ...snapshot };
    },
  };
  return { connect, asked };
}

/** A store port over the queue table's ids; remembers every snapshot written. */
function fakeStore(queueIds: string[] = []) {
  const written: Array<{ instanceId: string; snapshotTime: Date; rows: readonly QueueChannelMetrics[] }> = [];
  return {
    written,
    store: {
      activeStandardQueueIds: async () => [...queueIds],
      writeSnapshot: async (_tx, instanceId, snapshotTime, rows) => {
        written.push({ instanceId, snapshotTime, rows });
        return rows.length;
      },
    } satisfies CurrentMetricsPorts['store'],
  };
}

/** What the runner does with a collector: fetch, then write (in its transaction). */
async function collect(ports: CurrentMetricsPorts) {
  const fetched = await fetchCurrentMetrics(run, PORTS_ONLY, ports);
  return writeCurrentMetrics(PORTS_ONLY, fetched, run, ports);
}

const metrics = (agentsOnline: number | null) => ({ ...emptyMetricValues(), AGENTS_ONLINE: agentsOnline });

test('truncateToSecond drops the milliseconds', () => {
  expect(truncateToSecond(STARTED).toISOString()).toBe('2026-11-23T04:00:10.000Z');
});

test('reads the STANDARD queues the queue table holds and writes their snapshot at DataSnapshotTime', async () => {
  const rows: QueueChannelMetrics[] = [
    { queueId: 'q1', channel: 'VOICE', values: metrics(3) },
    { queueId: 'q2', channel: 'CHAT', values: metrics(null) },
  ];
  const { connect, asked } = fakeConnect({ rows });
  const { store, written } = fakeStore(['q1', 'q2']);

  const result = await collect({ connect, store });

  expect(asked).toEqual([['q1', 'q2']]);
  expect(written).toEqual([{ instanceId: INSTANCE_ID, snapshotTime: SNAPSHOT, rows }]);
  expect(result.rowsWritten).toBe(2);
  expect(result.dataTime).toEqual(SNAPSHOT);
  expect(result.details).toMatchObject({
    queues: 2,
    queueSource: 'queue table',
    queueChannelsWithoutResult: 4,
  });
});

test('lists queues with ListQueues when metadata has not filled the queue table yet', async () => {
  const { connect, asked } = fakeConnect({}, ['q7', 'q8']);

  const result = await collect({ connect, store: fakeStore().store });

  expect(asked).toEqual([['q7', 'q8']]);
  expect(result.details).toMatchObject({ queueSource: 'ListQueues', queues: 2 });
});

test('uses the run start, to the second, when Connect gives no DataSnapshotTime', async () => {
  const { connect } = fakeConnect({
    snapshotTime: null,
    rows: [{ queueId: 'q1', channel: 'TASK', values: metrics(1) }],
  });
  const { store, written } = fakeStore(['q1']);

  const result = await collect({ connect, store });

  expect(result.dataTime?.toISOString()).toBe('2026-11-23T04:00:10.000Z');
  expect(written[0]?.snapshotTime.toISOString()).toBe('2026-11-23T04:00:10.000Z');
  expect(result.details).toMatchObject({ snapshotTimeFrom: 'run start' });
});

test('passes skipped records on to the run, so it is recorded as partial', async () => {
  const skipped = [{ record: 'batch 0 page 0 MetricResults[3]', reason: 'Dimensions.Queue: required' }];
  const { connect } = fakeConnect({
    rows: [{ queueId: 'q1', channel: 'VOICE', values: metrics(1) }],
    skipped,
  });

  const result = await collect({ connect, store: fakeStore(['q1']).store });

  expect(result.skipped).toEqual(skipped);
  expect(result.rowsWritten).toBe(1);
});

test('records the snapshot time as the data time when Connect answers with no result at all', async () => {
  const { connect } = fakeConnect({ rows: [] });

  const result = await collect({ connect, store: fakeStore(['q1']).store });

  expect(result).toMatchObject({ rowsWritten: 0, dataTime: SNAPSHOT });
  expect(result.details).toMatchObject({ queueChannels: 0, queueChannelsWithoutResult: 3 });
});

test('asks Connect nothing when the instance has no STANDARD queue at all', async () => {
  const { connect, asked } = fakeConnect({}, []);

  const result = await collect({ connect, store: fakeStore().store });

  expect(asked).toEqual([]);
  expect(result).toMatchObject({ rowsWritten: 0, dataTime: null });
});

test('lists the queues again, once, when Connect refuses a queue the table still holds', async () => {
  const asked: string[][] = [];
  const connect: CurrentMetricsConnect = {
    listStandardQueueIds: async () => ['q1'],
    read: async (queueIds) => {
      asked.push([...queueIds]);
      if (queueIds.includes('deleted-since')) {
        throw Object.assign(new Error('queue not found'), { name: 'ResourceNotFoundException' });
      }
      return {
        snapshotTime: SNAPSHOT,
        rows: [{ queueId: 'q1', channel: 'VOICE', values: metrics(1) }],
        skipped: [],
        batches: 1,
      };
    },
  };

  const result = await collect({ connect, store: fakeStore(['deleted-since', 'q1']).store });

  expect(asked).toEqual([['deleted-since', 'q1'], ['q1']]);
  expect(result.rowsWritten).toBe(1);
  expect(result.details).toMatchObject({ queueSource: 'ListQueues after an unknown queue', queues: 1 });
});

test('does not list again for other errors: the fetch fails and nothing is written', async () => {
  let listed = 0;
  const connect: CurrentMetricsConnect = {
    listStandardQueueIds: async () => {
      listed += 1;
      return ['q1'];
    },
    read: async () => {
      throw Object.assign(new Error('boom'), { name: 'InternalServiceException' });
    },
  };
  const { store, written } = fakeStore(['q1']);

  await expect(fetchCurrentMetrics(run, PORTS_ONLY, { connect, store })).rejects.toThrow('boom');
  expect(listed).toBe(0);
  expect(written).toEqual([]);
});
