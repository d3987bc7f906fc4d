import {
  ConnectClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricDataV2Command,
  type GetMetricDataV2CommandInput,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectHistoricalSource } from '../../../lambdas/historical-metrics/connect-source';
import { ConnectGateway } from '../../../lambdas/shared/connect/gateway';
import { RateLimiter } from '../../../lambdas/shared/connect/rate-limiter';

const INSTANCE = {
  instanceId: '11111111-2222-3333-4444-555555555555',
  instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555',
};
const range = { start: new Date('2026-11-23T10:00:00Z'), end: new Date('2026-11-23T10:05:00Z') };
const range15 = { start: new Date('2026-11-23T10:00:00Z'), end: new Date('2026-11-23T10:30:00Z') };

const connectMock = mockClient(ConnectClient);

function gateway() {
  const client = new ConnectClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  const limiter = new RateLimiter(() => ({ rate: 1_000_000, burst: 1_000_000 }));
  return new ConnectGateway(client, {
    limiter,
    deadlineAt: Date.now() + 30_000,
    sleep: async () => undefined,
    random: () => 0,
  });
}

const queueIds = (n: number) => Array.from({ length: n }, (_, i) => `q-${String(i).padStart(4, '0')}`);

/** A v1 result for a queue and channel with every count = seed and SERVICE_LEVEL per threshold. */
function v1Result(queueId: string, channel: string, input: GetMetricDataCommandInput) {
  return {
    Dimensions: { Queue: { Id: queueId, Arn: `arn:queue/${queueId}` }, Channel: channel },
    Collections: (input.HistoricalMetrics ?? []).map((m) => ({
      Metric: m,
      Value:
        m.Name === 'HANDLE_TIME' ? undefined : m.Name === 'SERVICE_LEVEL' ? m.Threshold?.ThresholdValue : 7,
    })),
  };
}

/** Answers GetMetricData like Connect: one result per queue x channel, `MaxResults` a page. */
function serveV1(channels = ['VOICE', 'CHAT', 'TASK']) {
  connectMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const all = (input.Filters?.Queues ?? []).flatMap((q) => channels.map((c) => v1Result(q, c, input)));
    const offset = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 100;
    const next = offset + size < all.length ? String(offset + size) : undefined;
    return { MetricResults: all.slice(offset, offset + size), NextToken: next };
  });
}

beforeEach(() => connectMock.reset());

describe('queueV1', () => {
  test('asks every queue in batches of 100 and follows every page past 1,000 results', async () => {
    serveV1();
    const source = connectHistoricalSource(gateway(), INSTANCE, [20, 60]);

    const fetched = await source.queueV1(range, queueIds(1_050));

    const calls = connectMock.commandCalls(GetMetricDataCommand);
    // The SDK paginator reuses its input object, so batches are told apart by their first queue.
    const batchSizes = new Map(
      calls.map((c) => [c.args[0].input.Filters?.Queues?.[0], c.args[0].input.Filters?.Queues?.length]),
    );
    expect([...batchSizes.values()]).toEqual([...Array(10).fill(100), 50]);
    expect(calls).toHaveLength(10 * 3 + 2);
    expect(fetched.records).toHaveLength(1_050 * 3);
    expect(new Set(fetched.records.map((r) => `${r.queueId}/${r.channel}`)).size).toBe(3_150);
    expect(fetched.skipped).toEqual([]);
  });

  test('asks all 25 metrics, SERVICE_LEVEL once per threshold, on the 5-minute range', async () => {
    serveV1();
    const source = connectHistoricalSource(gateway(), INSTANCE, [20, 60]);

    await source.queueV1(range, queueIds(1));

    const input = connectMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(range.start);
    expect(input?.EndTime).toEqual(range.end);
    expect(input?.Groupings).toEqual(['QUEUE', 'CHANNEL']);
    const names = input?.HistoricalMetrics?.map((m) => m.Name) ?? [];
    expect(new Set(names).size).toBe(25);
    expect(
      input?.HistoricalMetrics?.filter((m) => m.Name === 'SERVICE_LEVEL').map((m) => m.Threshold),
    ).toEqual([
      { Comparison: 'LT', ThresholdValue: 20 },
      { Comparison: 'LT', ThresholdValue: 60 },
    ]);
  });

  test('keeps a missing value as null, never zero, and maps each threshold to its own service level', async () => {
    serveV1(['VOICE']);
    const source = connectHistoricalSource(gateway(), INSTANCE, [20, 60]);

    const [record] = (await source.queueV1(range, ['q-1'])).records;

    expect(record?.metrics.handle_time_avg_seconds).toBeNull();
    expect(record?.metrics.contacts_handled_count).toBe(7);
    expect(record?.intervalMinutes).toBe(5);
    expect(record?.serviceLevels).toEqual([
      ...[20, 60].map((t) => ({
        thresholdSeconds: t,
        serviceLevelPct: t,
        answeredInThreshold: null,
        abandonedInThreshold: null,
        removedInThreshold: null,
      })),
    ]);
  });

  test('skips and records a malformed result while the rest lands', async () => {
    connectMock.on(GetMetricDataCommand).resolves({
      MetricResults: [
        { Dimensions: { Queue: { Id: 'q-1' }, Channel: 'VOICE' }, Collections: [] },
        { Dimensions: { Channel: 'CHAT' }, Collections: [] },
        { Dimensions: { Queue: { Id: 'q-2' }, Channel: 'VOICE' }, Collections: [] },
      ],
    });
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);

    const fetched = await source.queueV1(range, ['q-1', 'q-2']);

    expect(fetched.records.map((r) => r.queueId)).toEqual(['q-1', 'q-2']);
    expect(fetched.skipped).toHaveLength(1);
    expect(fetched.skipped[0]?.reason).toMatch(/Queue/);
  });
});

/** Answers GetMetricDataV2 with one result per filter value and 15-minute interval. */
function serveV2(dimension: 'QUEUE' | 'AGENT') {
  connectMock.on(GetMetricDataV2Command).callsFake((input: GetMetricDataV2CommandInput) => {
    const ids = input.Filters?.[0]?.FilterValues ?? [];
    const starts: number[] = [];
    for (let t = input.StartTime?.getTime() ?? 0; t < (input.EndTime?.getTime() ?? 0); t += 900_000)
      starts.push(t);
    const all = ids.flatMap((id) =>
      starts.map((t) => ({
        Dimensions: dimension === 'QUEUE' ? { QUEUE: id, CHANNEL: 'VOICE' } : { AGENT: id },
        MetricInterval: { StartTime: new Date(t), EndTime: new Date(t + 900_000) },
        Collections: (input.Metrics ?? []).map((m) => ({
          Metric: m,
          Value:
            m.Name === 'SUM_HOLD_TIME'
              ? undefined
              : m.Name === 'AVG_QUEUE_ANSWER_TIME'
                ? 12.5
                : m.Name === 'AVG_HANDLE_TIME'
                  ? 180.5
                  : (m.Threshold?.[0]?.ThresholdValue ?? 4),
        })),
      })),
    );
    const offset = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 100;
    return {
      MetricResults: all.slice(offset, offset + size),
      NextToken: offset + size < all.length ? String(offset + size) : undefined,
    };
  });
}

describe('queueV2', () => {
  test('asks FIFTEEN_MIN intervals in UTC, grouped by queue and channel, 100 queue values a request', async () => {
    serveV2('QUEUE');
    const source = connectHistoricalSource(gateway(), INSTANCE, [20, 60]);

    const fetched = await source.queueV2(range15, queueIds(150));

    const first = connectMock.commandCalls(GetMetricDataV2Command);
    const batchSizes = new Map(
      first.map((c) => [
        c.args[0].input.Filters?.[0]?.FilterValues?.[0],
        c.args[0].input.Filters?.[0]?.FilterValues?.length,
      ]),
    );
    expect([...batchSizes.values()]).toEqual([100, 50]);
    const input = first[0]?.args[0].input;
    expect(input?.ResourceArn).toBe(INSTANCE.instanceArn);
    expect(input?.Interval).toEqual({ IntervalPeriod: 'FIFTEEN_MIN', TimeZone: 'UTC' });
    expect(input?.Groupings).toEqual(['QUEUE', 'CHANNEL']);
    expect(
      input?.Metrics?.filter((m) => m.Threshold).map((m) => `${m.Name}<${m.Threshold?.[0]?.ThresholdValue}`),
    ).toEqual([
      'SERVICE_LEVEL<20',
      'SERVICE_LEVEL<60',
      'CONTACTS_REMOVED_FROM_QUEUE_IN_X<20',
      'CONTACTS_REMOVED_FROM_QUEUE_IN_X<60',
      'SUM_CONTACTS_ANSWERED_IN_X<20',
      'SUM_CONTACTS_ANSWERED_IN_X<60',
      'SUM_CONTACTS_ABANDONED_IN_X<20',
      'SUM_CONTACTS_ABANDONED_IN_X<60',
      // Every contact answered from the queue: the weight of the average queue answer time.
      'SUM_CONTACTS_ANSWERED_IN_X<604800',
    ]);
    expect(input?.Metrics?.map((m) => m.Name)).toContain('AVG_HANDLE_TIME');
    expect(fetched.records).toHaveLength(300);
  });

  test('weights each average by the contacts it covers (answer time by answered, not handled), keeps missing sums null, and maps thresholds', async () => {
    serveV2('QUEUE');
    const source = connectHistoricalSource(gateway(), INSTANCE, [20, 60]);

    const [record] = (
      await source.queueV2({ start: range15.start, end: new Date('2026-11-23T10:15:00Z') }, ['q-1'])
    ).records;

    expect(record?.intervalMinutes).toBe(15);
    expect(record?.intervalEnd).toEqual(new Date('2026-11-23T10:15:00Z'));
    expect(record?.metrics.contacts_handled_count).toBe(4);
    // The served value of SUM_CONTACTS_ANSWERED_IN_X is its threshold: 604800 answered from the queue.
    expect(record?.metrics.contacts_answered_count).toBe(604800);
    expect(record?.metrics.queue_answer_time_avg_seconds).toBe(12.5);
    expect(record?.metrics.queue_answer_time_sum_seconds).toBe(12.5 * 604800);
    expect(record?.metrics.handle_time_avg_seconds).toBe(180.5);
    expect(record?.metrics.aht_weighted_sum_seconds).toBe(180.5 * 4);
    expect(record?.metrics.hold_time_sum_seconds).toBeNull();
    expect(record?.serviceLevels).toEqual(
      [20, 60].map((t) => ({
        thresholdSeconds: t,
        serviceLevelPct: t,
        answeredInThreshold: t,
        abandonedInThreshold: t,
        removedInThreshold: t,
      })),
    );
  });
});

describe('agentV2', () => {
  test('asks agents in batches of 100 grouped by agent and follows pages past 1,000 results', async () => {
    serveV2('AGENT');
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);
    const agents = Array.from({ length: 250 }, (_, i) => `a-${i}`);

    const fetched = await source.agentV2(
      { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-23T02:00:00Z') },
      agents,
    );

    const calls = connectMock.commandCalls(GetMetricDataV2Command);
    expect(calls[0]?.args[0].input.Groupings).toEqual(['AGENT']);
    expect(calls[0]?.args[0].input.Filters?.[0]?.FilterKey).toBe('AGENT');
    expect(calls).toHaveLength(8 + 8 + 4);
    expect(fetched.records).toHaveLength(2_000);
    expect(fetched.records[0]?.metrics.hold_time_sum_seconds).toBeNull();
    expect(fetched.records[0]?.metrics.online_time_sum_seconds).toBe(4);
    // Connect's average handle time per agent, stored weighted by the contacts handled.
    expect(fetched.records[0]?.metrics.aht_weighted_sum_seconds).toBe(180.5 * 4);
  });

  test('skips a result without an AGENT dimension and records why', async () => {
    connectMock.on(GetMetricDataV2Command).resolves({
      MetricResults: [
        {
          Dimensions: { QUEUE: 'q' },
          MetricInterval: { StartTime: range15.start, EndTime: range15.end },
          Collections: [],
        },
        {
          Dimensions: { AGENT: 'a-1' },
          MetricInterval: { StartTime: range15.start, EndTime: range15.end },
          Collections: [],
        },
      ],
    });
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);

    const fetched = await source.agentV2(range15, ['a-1']);

    expect(fetched.records.map((r) => r.agentId)).toEqual(['a-1']);
    expect(fetched.skipped[0]?.reason).toMatch(/AGENT/);
  });
});

describe('what Connect refuses never stalls a feed', () => {
  const refused = (message: string) =>
    Object.assign(new Error(message), {
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
  /** Serves v2 queue results, but refuses any request naming a `bad` id or starting before `oldest`. */
  function serveRefusing(bad: readonly string[], oldest = 0) {
    connectMock.on(GetMetricDataV2Command).callsFake((input: GetMetricDataV2CommandInput) => {
      const ids = input.Filters?.[0]?.FilterValues ?? [];
      const named = ids.find((id) => bad.includes(id));
      if (named) throw refused(`The QUEUE filter value ${named} is not a resource of the instance`);
      if ((input.StartTime?.getTime() ?? 0) < oldest) throw refused('StartTime is older than the data kept');
      return {
        MetricResults: ids.map((id) => ({
          Dimensions: { QUEUE: id, CHANNEL: 'VOICE' },
          MetricInterval: { StartTime: input.StartTime, EndTime: input.EndTime },
          Collections: [{ Metric: { Name: 'CONTACTS_QUEUED' }, Value: 1 }],
        })),
      };
    });
  }
  const names = (calls = connectMock.commandCalls(GetMetricDataV2Command)) =>
    calls.map((c) => c.args[0].input.Filters?.[0]?.FilterValues?.length);

  test('a refused id is found by halving its batch, recorded, and left out of the later ranges', async () => {
    serveRefusing(['q-0042']);
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);
    const ids = queueIds(150);

    const first = await source.queueV2(range15, ids);
    const firstCalls = connectMock.commandCalls(GetMetricDataV2Command).length;
    const second = await source.queueV2({ start: range15.end, end: new Date('2026-11-23T11:00:00Z') }, ids);

    expect(first.records.map((r) => r.queueId)).toHaveLength(149);
    expect(first.records.map((r) => r.queueId)).not.toContain('q-0042');
    expect(first.skipped).toEqual([
      {
        record: expect.stringContaining('id q-0042'),
        reason: expect.stringContaining('q-0042 is not a resource'),
      },
    ]);
    // The batch of 100, one probe with an id answered in the other batch (the range is served), then
    // halves down to the one id (2 a level, 7 levels), and the other batch.
    expect(firstCalls).toBe(1 + 1 + 2 * 7 + 1);
    expect(second.records).toHaveLength(149);
    expect(second.skipped).toEqual([]);
    expect(names(connectMock.commandCalls(GetMetricDataV2Command).slice(firstCalls))).toEqual([100, 49]);
  });

  test('a range Connect refuses even for an id it answered before is refused whole, after one probe', async () => {
    serveRefusing([], new Date('2026-11-23T10:30:00Z').getTime());
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);
    await source.queueV2(
      { start: new Date('2026-11-23T10:30:00Z'), end: new Date('2026-11-23T11:00:00Z') },
      queueIds(3),
    );
    const before = connectMock.commandCalls(GetMetricDataV2Command).length;

    await expect(source.queueV2(range15, queueIds(3))).rejects.toMatchObject({
      name: 'RangeRefusedError',
      message: expect.stringContaining('older than the data kept'),
    });
    expect(connectMock.commandCalls(GetMetricDataV2Command).length - before).toBe(2); // the batch and the probe
  });

  test('once a range is refused, its other batches stop instead of halving on', async () => {
    serveRefusing([], new Date('2026-11-23T10:30:00Z').getTime());
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);
    await source.queueV2(
      { start: new Date('2026-11-23T10:30:00Z'), end: new Date('2026-11-23T11:00:00Z') },
      queueIds(250),
    );
    const before = connectMock.commandCalls(GetMetricDataV2Command).length;

    await expect(source.queueV2(range15, queueIds(250))).rejects.toMatchObject({ name: 'RangeRefusedError' });
    // The three batches' first calls (already sent) and one probe: no batch is halved.
    expect(connectMock.commandCalls(GetMetricDataV2Command).length - before).toBe(3 + 1);
  });

  test('with no id known good yet, a range whose first ids are all refused is refused whole', async () => {
    serveRefusing([], new Date('2026-11-23T12:00:00Z').getTime());
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);

    await expect(source.queueV2(range15, queueIds(100))).rejects.toMatchObject({ name: 'RangeRefusedError' });
    expect(connectMock.commandCalls(GetMetricDataV2Command).length).toBeLessThanOrEqual(20);
  });

  test('a throttle or a server error is not a refusal: it stops the feed as before', async () => {
    connectMock.on(GetMetricDataV2Command).rejects(
      Object.assign(new Error('boom'), {
        name: 'InternalServiceException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const source = connectHistoricalSource(gateway(), INSTANCE, [20]);

    await expect(source.queueV2(range15, queueIds(3))).rejects.toMatchObject({
      name: 'InternalServiceException',
    });
  });
});
