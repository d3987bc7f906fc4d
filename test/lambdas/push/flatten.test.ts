import { flattenQueueRow, METRIC_KEYS, type QueueSnapshotRow } from '../../../lambdas/push/flatten';

const metrics = Object.fromEntries(
  Object.keys(METRIC_KEYS).map((c, i) => [c, i]),
) as QueueSnapshotRow['metrics'];

describe('flattenQueueRow', () => {
  test('puts Date, Client, QueueName and Channel first, then one key per current metric', () => {
    const flat = flattenQueueRow(
      {
        instanceId: 'i-1',
        queueId: 'q-1',
        queueName: 'Sales',
        channel: 'CHAT',
        snapshotTime: new Date('2026-11-23T12:00:10Z'),
        metrics,
      },
      'Acme',
    );

    expect(Object.keys(flat).slice(0, 4)).toEqual(['Date', 'Client', 'QueueName', 'Channel']);
    expect(Object.keys(flat)).toHaveLength(4 + 14);
    expect(flat).toMatchObject({
      Date: '2026-11-23T12:00:10.000Z',
      Client: 'Acme',
      QueueName: 'Sales',
      Channel: 'CHAT',
      AgentsAfterContactWork: 0,
      SlotsAvailable: 13,
    });
  });

  test('keeps nulls as nulls and names a queue by its id until it has a name', () => {
    const flat = flattenQueueRow(
      {
        instanceId: 'i-1',
        queueId: 'q-unnamed',
        queueName: null,
        channel: 'VOICE',
        snapshotTime: new Date('2026-11-23T12:00:10Z'),
        metrics: { ...metrics, estimated_wait_time_seconds: null, agents_online_count: null },
      },
      'Acme',
    );

    expect(flat.QueueName).toBe('q-unnamed');
    expect(flat.EstimatedWaitTimeSeconds).toBeNull();
    expect(flat.AgentsOnline).toBeNull();
    expect(flat.AgentsAvailable).toBe(1);
  });
});
