import {
  ConnectClient,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataCommandInput,
  ListQueuesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { batchesOf, connectCurrentMetricsSource } from '../../../lambdas/current-metrics/connect-source';
import { CURRENT_METRIC_NAMES, REALTIME_CHANNELS } from '../../../lambdas/current-metrics/definitions';
import { id, offlineConnectClient, page, unlimitedGateway } from '../../support/connect-fakes';

const INSTANCE = 'a1b2c3d4-1111-4222-8333-444455556666';
const connect = mockClient(ConnectClient);
const SNAPSHOT = new Date('2026-11-23T04:00:10.000Z');

/** A metric value that identifies its queue, channel and metric, so tests can check where it landed. */
const expectedValue = (queue: string, channel: string, metric: number) =>
  Number(queue.slice(-5)) * 100 + REALTIME_CHANNELS.indexOf(channel as 'VOICE') * 20 + metric;

/** Answers GetCurrentMetricData like Connect: one result per filtered queue and channel, 100 a page. */
function serveCurrentMetrics(options: { snapshotTimes?: Date[] } = {}) {
  let call = 0;
  connect.on(GetCurrentMetricDataCommand).callsFake((input: GetCurrentMetricDataCommandInput) => {
    const queues = input.Filters?.Queues ?? [];
    const channels = input.Filters?.Channels ?? [];
    const all = queues.flatMap((q) =>
      channels.map((ch) => ({
        Dimensions: { Queue: { Id: q, Arn: `arn:queue/${q}` }, Channel: ch },
        Collections: (input.CurrentMetrics ?? []).map((m, i) => ({
          Metric: { Name: m.Name, Unit: m.Unit },
          Value: expectedValue(q, ch, i),
        })),
      })),
    );
    const { items, next } = page(all, input.NextToken, input.MaxResults ?? 100);
    const time = options.snapshotTimes?.[call] ?? SNAPSHOT;
    call += 1;
    return Promise.resolve({ MetricResults: items, NextToken: next, DataSnapshotTime: time });
  });
}

function source() {
  return connectCurrentMetricsSource(unlimitedGateway(offlineConnectClient()), INSTANCE);
}

beforeEach(() => connect.reset());

describe('batchesOf', () => {
  test('splits into batches of at most the size, keeping every item in order', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);

    const batches = batchesOf(items, 100);

    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(items);
  });
});

describe('connectCurrentMetricsSource.read', () => {
  test('asks for the 14 metrics of 100 queues a request on every channel, grouped by queue and channel', async () => {
    serveCurrentMetrics();
    const queues = Array.from({ length: 250 }, (_, i) => id('q', i));

    await source().read(queues);

    const inputs = connect.commandCalls(GetCurrentMetricDataCommand).map((c) => c.args[0].input);
    const batches = [...new Set(inputs.map((i) => JSON.stringify(i.Filters?.Queues)))].map(
      (b) => JSON.parse(b) as string[],
    );
    expect(batches.map((b) => b.length).sort()).toEqual([100, 100, 50]);
    expect(batches.flat().sort()).toEqual(queues);
    for (const input of inputs) {
      expect(input.InstanceId).toBe(INSTANCE);
      expect(input.Filters?.Channels).toEqual(['VOICE', 'CHAT', 'TASK']);
      expect(input.Groupings).toEqual(['QUEUE', 'CHANNEL']);
      expect(input.MaxResults).toBe(100);
      expect(input.CurrentMetrics?.map((m) => m.Name)).toEqual([...CURRENT_METRIC_NAMES]);
      expect(input.CurrentMetrics?.find((m) => m.Name === 'OLDEST_CONTACT_AGE')?.Unit).toBe('SECONDS');
      expect(input.CurrentMetrics?.find((m) => m.Name === 'AGENTS_ONLINE')?.Unit).toBe('COUNT');
    }
  });

  test('reads every page of every batch: 1,200 queues give 3,600 rows in ceil(queues/100) x pages calls', async () => {
    serveCurrentMetrics();
    const queues = Array.from({ length: 1200 }, (_, i) => id('q', i));

    const snapshot = await source().read(queues);

    expect(snapshot.rows).toHaveLength(3600);
    expect(snapshot.batches).toBe(12);
    expect(connect.commandCalls(GetCurrentMetricDataCommand)).toHaveLength(12 * 3);
    expect(new Set(snapshot.rows.map((r) => `${r.queueId}/${r.channel}`)).size).toBe(3600);
    const last = snapshot.rows.find((r) => r.queueId === id('q', 1199) && r.channel === 'TASK');
    expect(last?.values.AGENTS_ONLINE).toBe(expectedValue(id('q', 1199), 'TASK', 4));
    expect(last?.values.SLOTS_AVAILABLE).toBe(expectedValue(id('q', 1199), 'TASK', 13));
  });

  test('gives every row the first response DataSnapshotTime', async () => {
    const later = new Date(SNAPSHOT.getTime() + 2_000);
    serveCurrentMetrics({ snapshotTimes: [SNAPSHOT, later, later, later] });

    const snapshot = await source().read(Array.from({ length: 150 }, (_, i) => id('q', i)));

    expect(snapshot.snapshotTime).toEqual(SNAPSHOT);
  });

  test('keeps a null value null and a zero zero', async () => {
    connect.on(GetCurrentMetricDataCommand).resolves({
      DataSnapshotTime: SNAPSHOT,
      MetricResults: [
        {
          Dimensions: { Queue: { Id: 'q1' }, Channel: 'VOICE' },
          Collections: [
            { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: 0 },
            { Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' } },
            { Metric: { Name: 'ESTIMATED_WAIT_TIME', Unit: 'SECONDS' }, Value: null as unknown as number },
          ],
        },
      ],
    });

    const snapshot = await source().read(['q1']);

    const values = snapshot.rows[0]?.values;
    expect(values?.AGENTS_ONLINE).toBe(0);
    expect(values?.CONTACTS_IN_QUEUE).toBeNull();
    expect(values?.ESTIMATED_WAIT_TIME).toBeNull();
    expect(values?.OLDEST_CONTACT_AGE).toBeNull();
  });

  test('stores OLDEST_CONTACT_AGE in seconds as the grouped request returns it, and rounds counts', async () => {
    connect.on(GetCurrentMetricDataCommand).resolves({
      DataSnapshotTime: SNAPSHOT,
      MetricResults: [
        {
          Dimensions: { Queue: { Id: 'q1' }, Channel: 'CHAT' },
          Collections: [
            { Metric: { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' }, Value: 24 },
            { Metric: { Name: 'ESTIMATED_WAIT_TIME', Unit: 'SECONDS' }, Value: 12.5 },
            { Metric: { Name: 'AGENTS_STAFFED', Unit: 'COUNT' }, Value: 3.0000001 },
          ],
        },
      ],
    });

    const [row] = (await source().read(['q1'])).rows;

    expect(row?.values.OLDEST_CONTACT_AGE).toBe(24);
    expect(row?.values.ESTIMATED_WAIT_TIME).toBe(12.5);
    expect(row?.values.AGENTS_STAFFED).toBe(3);
  });

  test('skips a malformed result and records why, keeping the other results', async () => {
    connect.on(GetCurrentMetricDataCommand).resolves({
      DataSnapshotTime: SNAPSHOT,
      MetricResults: [
        { Dimensions: { Queue: { Id: 'q1' }, Channel: 'VOICE' }, Collections: [] },
        { Dimensions: { Channel: 'VOICE' }, Collections: [] },
        {
          Dimensions: { Queue: { Id: 'q3' }, Channel: 'VOICE' },
          Collections: [{ Metric: { Name: 'AGENTS_ONLINE' }, Value: 'many' as unknown as number }],
        },
        { Dimensions: { Queue: { Id: 'q4' }, Channel: 'VOICE' }, Collections: [] },
      ],
    });

    const snapshot = await source().read(['q1', 'q2', 'q3', 'q4']);

    expect(snapshot.rows.map((r) => r.queueId)).toEqual(['q1', 'q4']);
    expect(snapshot.skipped).toHaveLength(2);
    expect(snapshot.skipped[0]).toEqual({
      record: 'batch 0 page 0 MetricResults[1]',
      reason: expect.stringContaining('Dimensions.Queue'),
    });
    expect(snapshot.skipped[1]?.record).toContain('queue q3');
    expect(snapshot.skipped[1]?.reason).toContain('Collections[0]');
  });

  test('drops a metric name it does not know, records it, and keeps the rest of the record', async () => {
    connect.on(GetCurrentMetricDataCommand).resolves({
      DataSnapshotTime: SNAPSHOT,
      MetricResults: [
        {
          Dimensions: { Queue: { Id: 'q1' }, Channel: 'TASK' },
          Collections: [
            { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: 7 },
            { Metric: { Name: 'FUTURE_METRIC' as 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: 1 },
          ],
        },
      ],
    });

    const snapshot = await source().read(['q1']);

    expect(snapshot.rows).toHaveLength(1);
    expect(snapshot.rows[0]?.values.AGENTS_ONLINE).toBe(7);
    expect(snapshot.skipped).toEqual([
      { record: expect.stringContaining('Collections[1]'), reason: expect.stringContaining('FUTURE_METRIC') },
    ]);
  });

  test('keeps one row for a queue and channel a moved page boundary repeats', async () => {
    const result = (q: string) => ({
      Dimensions: { Queue: { Id: q }, Channel: 'VOICE' as const },
      Collections: [],
    });
    connect
      .on(GetCurrentMetricDataCommand)
      .resolvesOnce({
        DataSnapshotTime: SNAPSHOT,
        MetricResults: [result('q1'), result('q2')],
        NextToken: 't',
      })
      .resolvesOnce({ DataSnapshotTime: SNAPSHOT, MetricResults: [result('q2'), result('q3')] });

    const snapshot = await source().read(['q1', 'q2', 'q3']);

    expect(snapshot.rows.map((r) => r.queueId)).toEqual(['q1', 'q2', 'q3']);
    expect(snapshot.skipped).toEqual([]);
  });

  test('returns no snapshot time when no response carries one', async () => {
    connect.on(GetCurrentMetricDataCommand).resolves({ MetricResults: [] });

    const snapshot = await source().read(['q1']);

    expect(snapshot.snapshotTime).toBeNull();
    expect(snapshot.rows).toEqual([]);
  });
});

describe('connectCurrentMetricsSource.listStandardQueueIds', () => {
  test('lists STANDARD queues 1,000 a page to the last page', async () => {
    const all = Array.from({ length: 2300 }, (_, i) => ({
      Id: id('q', i),
      Arn: `arn:q/${i}`,
      QueueType: 'STANDARD',
    }));
    connect.on(ListQueuesCommand).callsFake((input) => {
      const { items, next } = page(all, input.NextToken, input.MaxResults ?? 100);
      return Promise.resolve({ QueueSummaryList: items, NextToken: next });
    });

    const ids = await source().listStandardQueueIds();

    expect(ids).toEqual(all.map((q) => q.Id));
    const calls = connect.commandCalls(ListQueuesCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0]?.args[0].input).toMatchObject({
      InstanceId: INSTANCE,
      QueueTypes: ['STANDARD'],
      MaxResults: 1000,
    });
  });
});
