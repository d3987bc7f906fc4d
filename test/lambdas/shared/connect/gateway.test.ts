import { Readable } from 'node:stream';
import { ConnectClient, ListQueuesCommand, paginateListQueues } from '@aws-sdk/client-connect';
import type { HttpRequest } from '@smithy/types';
import {
  ConnectGateway,
  isThrottle,
  isTransientConnectError,
  RunStoppedError,
} from '../../../../lambdas/shared/connect/gateway';
import type { RateLimiter } from '../../../../lambdas/shared/connect/rate-limiter';

type Reply = { status: number; body: unknown; errorType?: string };

/** A ConnectClient whose HTTP layer answers from a script, so the gateway's middleware really runs. */
function scriptedClient(replies: Reply[]) {
  const requests: HttpRequest[] = [];
  const client = new ConnectClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        requests.push(request);
        const reply = replies.shift() ?? { status: 500, body: { Message: 'script ran out' } };
        return {
          response: {
            statusCode: reply.status,
            headers: {
              'content-type': 'application/json',
              ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
            },
            body: Readable.from([Buffer.from(JSON.stringify(reply.body))]),
          },
        };
      },
    },
  });
  return { client, requests };
}

const throttle: Reply = { status: 429, body: { Message: 'Rate exceeded' }, errorType: 'ThrottlingException' };
const page = (ids: string[], next?: string): Reply => ({
  status: 200,
  body: {
    QueueSummaryList: ids.map((id) => ({ Id: id, Arn: `arn:${id}` })),
    ...(next ? { NextToken: next } : {}),
  },
});

function gateway(client: ConnectClient, deadlineMs = 10_000) {
  const taken: string[] = [];
  const limiter = { acquire: async (api: string) => void taken.push(api) } as unknown as RateLimiter;
  const gw = new ConnectGateway(client, {
    limiter,
    deadlineAt: Date.now() + deadlineMs,
    sleep: async () => undefined,
    random: () => 0.5,
  });
  return { gw, taken };
}

describe('ConnectGateway', () => {
  test('retries a throttled call, counting the throttle and every request', async () => {
    const { client } = scriptedClient([throttle, throttle, page(['q1'])]);
    const { gw, taken } = gateway(client);
    const out = await gw.send(new ListQueuesCommand({ InstanceId: 'i-1' }));
    expect(out.QueueSummaryList?.map((q) => q.Id)).toEqual(['q1']);
    expect(gw.stats).toEqual({ calls: 3, throttles: 2, byApi: { ListQueues: { calls: 3, throttles: 2 } } });
    expect(taken).toEqual(['ListQueues', 'ListQueues', 'ListQueues']);
  });

  test('takes a rate-limiter token for every page of an SDK paginator and follows NextToken to the end', async () => {
    const { client, requests } = scriptedClient([
      page(['a'], 't1'),
      throttle,
      page(['b'], 't2'),
      page(['c']),
    ]);
    const { gw, taken } = gateway(client);
    const ids: string[] = [];
    for await (const p of gw.paginate(paginateListQueues, { InstanceId: 'i-1' }, 1000)) {
      ids.push(...(p.QueueSummaryList ?? []).map((q) => q.Id ?? ''));
    }
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(taken).toHaveLength(4);
    expect(gw.stats.throttles).toBe(1);
    expect(requests.map((r) => r.query?.nextToken ?? null)).toEqual([null, 't1', 't1', 't2']);
    expect(requests.every((r) => r.query?.maxResults === '1000')).toBe(true);
  });

  test('gives up with the last cause once the deadline has passed, instead of retrying forever', async () => {
    const { client } = scriptedClient([throttle, throttle, throttle, throttle]);
    const { gw } = gateway(client, 0);
    await expect(gw.send(new ListQueuesCommand({ InstanceId: 'i-1' }))).rejects.toThrow(
      /ThrottlingException/,
    );
  });

  test('sends nothing once the run is stopped', async () => {
    const { client, requests } = scriptedClient([page(['q1'])]);
    const limiter = { acquire: async () => undefined } as unknown as RateLimiter;
    const controller = new AbortController();
    controller.abort();
    const gw = new ConnectGateway(client, {
      limiter,
      deadlineAt: Date.now() + 5000,
      signal: controller.signal,
    });
    const error = await gw.send(new ListQueuesCommand({ InstanceId: 'i-1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoppedError);
    expect((error as Error).message).toBe('stopped before calling ListQueues');
    expect(requests).toHaveLength(0);
  });

  test('does not retry a client error such as a wrong instance id', async () => {
    const { client, requests } = scriptedClient([
      { status: 404, body: { Message: 'Instance not found' }, errorType: 'ResourceNotFoundException' },
    ]);
    const { gw } = gateway(client);
    await expect(gw.send(new ListQueuesCommand({ InstanceId: 'i-1' }))).rejects.toThrow('Instance not found');
    expect(requests).toHaveLength(1);
  });
});

describe('error classification', () => {
  test('treats 429s, 5xx and lost connections as transient and 4xx as final', () => {
    const err = (name: string, status: number) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    expect(isThrottle(err('ThrottlingException', 429))).toBe(true);
    expect(isTransientConnectError(err('InternalServiceException', 500))).toBe(true);
    expect(isTransientConnectError(err('ServiceUnavailable', 503))).toBe(true);
    expect(isTransientConnectError(err('InvalidParameterException', 400))).toBe(false);
    expect(isTransientConnectError('not an error')).toBe(false);
    expect(
      isTransientConnectError(Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError' })),
    ).toBe(true);
    expect(
      isTransientConnectError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isTransientConnectError(new Error('Unexpected token < in JSON'))).toBe(false);
  });
});
