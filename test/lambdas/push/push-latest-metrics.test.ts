import type { FlatQueueRow } from '../../../lambdas/push/flatten';
import { pushLatestMetrics } from '../../../lambdas/push/push-latest-metrics';
import { type Receiver, startReceiver } from '../../support/push-receiver';

function row(queue: string): FlatQueueRow {
  return {
    Date: '2026-11-23T12:00:00.000Z',
    Client: 'Acme',
    QueueName: queue,
    Channel: 'VOICE',
    AgentsAfterContactWork: 1,
    AgentsAvailable: 2,
    AgentsError: 0,
    AgentsNonProductive: null,
    AgentsOnline: 5,
    AgentsOnCall: 2,
    AgentsOnContact: 2,
    AgentsStaffed: 5,
    ContactsInQueue: 3,
    ContactsScheduled: 0,
    EstimatedWaitTimeSeconds: null,
    OldestContactAgeSeconds: 41.5,
    SlotsActive: 2,
    SlotsAvailable: 3,
  };
}

const fast = { sleep: async () => undefined, random: () => 0 };

describe('pushLatestMetrics against a local receiver', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  test('POSTs the rows as one JSON array', async () => {
    receiver = await startReceiver(['ok']);
    const rows = [row('Sales'), row('Support')];

    const result = await pushLatestMetrics(rows, { url: receiver.url, ...fast });

    expect(result).toEqual({ ok: true, rows: 2, requests: 1, attempts: 1, error: null });
    expect(receiver.bodies).toEqual([rows]);
  });

  test('retries a receiver that fails once, then lands the rows', async () => {
    receiver = await startReceiver(['fail', 'ok']);

    const result = await pushLatestMetrics([row('Sales')], { url: receiver.url, ...fast });

    expect(result.ok).toBe(true);
    expect(result.attempts).toBe(2);
    expect(receiver.bodies).toHaveLength(1);
  });

  test('gives up on a receiver that keeps failing, without throwing and without the URL key in the error', async () => {
    receiver = await startReceiver(['fail']);

    const result = await pushLatestMetrics([row('Sales')], { url: receiver.url, maxAttempts: 3, ...fast });

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(3);
    expect(receiver.requests()).toBe(3);
    expect(result.error).toMatch(/HTTP 500/);
    expect(result.error).not.toMatch(/SECRETKEY/);
  });

  test('does not retry a 400, which another try cannot fix', async () => {
    receiver = await startReceiver(['bad-request']);

    const result = await pushLatestMetrics([row('Sales')], { url: receiver.url, ...fast });

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/HTTP 400/);
  });

  test('times out a receiver that hangs and stops within the deadline', async () => {
    receiver = await startReceiver(['hang']);

    const result = await pushLatestMetrics([row('Sales')], {
      url: receiver.url,
      timeoutMs: 200,
      deadlineMs: 1_000,
      maxAttempts: 2,
      ...fast,
    });

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).toMatch(/PushTimeoutError|did not answer within 200 ms/);
    expect(result.error).not.toMatch(/SECRETKEY/);
  });

  test('splits rows past maxRowsPerRequest into several POSTs', async () => {
    receiver = await startReceiver(['ok']);
    const rows = Array.from({ length: 5 }, (_, i) => row(`Q${i}`));

    const result = await pushLatestMetrics(rows, { url: receiver.url, maxRowsPerRequest: 2, ...fast });

    expect(result.requests).toBe(3);
    expect(receiver.bodies.map((b) => (b as unknown[]).length)).toEqual([2, 2, 1]);
  });

  test('reports an unreachable receiver as a failure', async () => {
    receiver = await startReceiver(['ok']);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;

    const result = await pushLatestMetrics([row('Sales')], { url, maxAttempts: 2, ...fast });

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).toMatch(/could not be reached/);
  });

  test.each([['http://example.com/push'], ['not a url']])(
    'refuses %s without sending anything',
    async (url) => {
      const result = await pushLatestMetrics([row('Sales')], { url, ...fast });

      expect(result).toEqual({
        ok: false,
        rows: 1,
        requests: 0,
        attempts: 0,
        error: 'push URL is not a valid https:// URL',
      });
    },
  );
});
