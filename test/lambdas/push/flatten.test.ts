import { CURRENT_METRICS } from '../../../lambdas/current-metrics/definitions';
import type { QueueSnapshotRow } from '../../../lambdas/current-metrics/store';
import { flattenQueueRow } from '../../../lambdas/push/flatten';

/** Each metric's value is its position in the metric list. */
const values = Object.fromEntries(CURRENT_METRICS.map((m, i) => [m.name, i])) as QueueSnapshotRow['values'];

describe('flattenQueueRow', () => {
  test('puts Date, Client, QueueName and Channel first, then one key per current metric', () => {
    const flat = flattenQueueRow(
      {
        instanceId: 'i-1',
        queueId: 'q-1',
        queueName: 'Sales',
        channel: 'CHAT',
        snapshotTime: new Date('2026-11-23T12:00:10Z'),
        values,
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
        values: { ...values, ESTIMATED_WAIT_TIME: null, AGENTS_ONLINE: null },
      },
      'Acme',
    );

    expect(flat.QueueName).toBe('q-unnamed');
    expect(flat.EstimatedWaitTimeSeconds).toBeNull();
    expect(flat.AgentsOnline).toBeNull();
    expect(flat.AgentsAvailable).toBe(1);
  });
});

test("the flat keys are the metric list's export keys, one per current metric, in its order", () => {
  expect(CURRENT_METRICS.map((m) => m.exportKey)).toEqual([
    'AgentsAfterContactWork',
    'AgentsAvailable',
    'AgentsError',
    'AgentsNonProductive',
    'AgentsOnline',
    'AgentsOnCall',
    'AgentsOnContact',
    'AgentsStaffed',
    'ContactsInQueue',
    'ContactsScheduled',
    'EstimatedWaitTimeSeconds',
    'OldestContactAgeSeconds',
    'SlotsActive',
    'SlotsAvailable',
  ]);
});
