import {
  GetCurrentMetricDataCommand,
  GetCurrentUserDataCommand,
  GetMetricDataCommand,
  GetMetricDataV2Command,
  InvalidParameterException,
  ListQueuesCommand,
} from '@aws-sdk/client-connect';
import { SIMULATOR_DEFAULT_QUOTAS } from '../../../local/simulator';
import { startTestSimulator } from '../../support/simulator';

describe('Connect simulator validation', () => {
  let env: Awaited<ReturnType<typeof startTestSimulator>>;
  let queueId: string;
  let now: number;
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `q-${i}`);
  beforeAll(async () => {
    const generous = { rate: 1000, burst: 1000 };
    env = await startTestSimulator({
      quotas: Object.fromEntries(Object.keys(SIMULATOR_DEFAULT_QUOTAS).map((api) => [api, generous])),
    });
    env.clock.advance(3_600_000);
    queueId = env.sim.groundTruth.resources().queues[0]?.id ?? '';
    now = Math.floor(env.sim.groundTruth.now() / 900_000) * 900_000;
  });
  afterAll(async () => {
    env.client.destroy();
    await env.sim.close();
  });

  // One helper for commands of several types: `send` is overloaded per command, hence the cast.
  const expectInvalid = async (command: object, message: RegExp): Promise<void> => {
    const error = await env.client.send(command as GetCurrentUserDataCommand).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(message);
    expect((error as InvalidParameterException).$metadata.httpStatusCode).toBe(400);
  };
  const v1 = (start: number, end: number) =>
    new GetMetricDataCommand({
      InstanceId: env.instanceId,
      StartTime: new Date(start),
      EndTime: new Date(end),
      Filters: { Queues: [queueId] },
      HistoricalMetrics: [{ Name: 'CONTACTS_HANDLED', Unit: 'COUNT', Statistic: 'SUM' }],
    });
  const v2 = (
    start: number,
    end: number,
    period: string,
    filters = [{ FilterKey: 'QUEUE', FilterValues: [queueId] }],
  ) =>
    new GetMetricDataV2Command({
      ResourceArn: env.arn,
      StartTime: new Date(start),
      EndTime: new Date(end),
      Interval: { IntervalPeriod: period as 'HOUR' },
      Filters: filters,
      Metrics: [{ Name: 'CONTACTS_HANDLED' }],
    });

  test('refuses more than 100 queues in a GetCurrentMetricData filter', async () => {
    await expectInvalid(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: ids(101) },
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
      }),
      /between 1 and 100 values; got 101/,
    );
  });

  test('refuses both queues and routing profiles in GetCurrentMetricData', async () => {
    await expectInvalid(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId], RoutingProfiles: ['rp'] },
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
      }),
      /Queues or RoutingProfiles, but not both/,
    );
  });

  test('refuses more than one primary filter in GetCurrentUserData', async () => {
    await expectInvalid(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId], Agents: ['a'] },
      }),
      /exactly one of .*got Queues, Agents/,
    );
  });

  test('refuses more than 100 agents in GetCurrentUserData', async () => {
    await expectInvalid(
      new GetCurrentUserDataCommand({ InstanceId: env.instanceId, Filters: { Agents: ids(101) } }),
      /Filters.Agents must contain between 1 and 100/,
    );
  });

  test('refuses GetMetricData times off 5-minute boundaries', async () => {
    await expectInvalid(
      v1(now - 3_600_000 + 60_000, now),
      /StartTime must be specified using a multiple of 5 minutes/,
    );
    await expectInvalid(
      v1(now - 3_600_000, now - 1000),
      /EndTime must be specified using a multiple of 5 minutes/,
    );
  });

  test('refuses a GetMetricData range of 24 hours or more', async () => {
    await expectInvalid(v1(now - 86_400_000, now), /less than 24 hours/);
  });

  test('refuses a GetMetricData start older than 24 hours', async () => {
    await expectInvalid(v1(now - 86_400_000 - 900_000, now - 86_400_000 + 900_000), /earlier than 24 hours/);
  });

  test('refuses a GetMetricDataV2 range past the limit of its interval period', async () => {
    await expectInvalid(v2(now - 4 * 86_400_000, now, 'HOUR'), /must be less than 3 days/);
    await expectInvalid(v2(now - 36 * 86_400_000, now, 'DAY'), /must be less than 35 days/);
    // "Less than": exactly 3 days is refused, 3 days less one interval is not.
    await expectInvalid(v2(now - 3 * 86_400_000, now, 'FIFTEEN_MIN'), /must be less than 3 days/);
    await expect(
      env.client.send(v2(now - 3 * 86_400_000 + 900_000, now, 'FIFTEEN_MIN')),
    ).resolves.toBeDefined();
  });

  test('refuses EMAIL where the channel filter takes only VOICE, CHAT and TASK', async () => {
    await expectInvalid(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId], Channels: ['VOICE', 'EMAIL'] },
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
      }),
      /only VOICE, CHAT and TASK/,
    );
    await expectInvalid(
      new GetMetricDataCommand({
        InstanceId: env.instanceId,
        StartTime: new Date(now - 900_000),
        EndTime: new Date(now),
        Filters: { Queues: [queueId], Channels: ['EMAIL'] },
        HistoricalMetrics: [{ Name: 'CONTACTS_HANDLED', Unit: 'COUNT', Statistic: 'SUM' }],
      }),
      /only VOICE, CHAT and TASK/,
    );
  });

  test('takes LT and LTE thresholds on the v2 threshold metrics, a whole number of seconds from 1 to 604800', async () => {
    const withThreshold = (Comparison: string, ThresholdValue: number) =>
      new GetMetricDataV2Command({
        ResourceArn: env.arn,
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now),
        Filters: [{ FilterKey: 'QUEUE', FilterValues: [queueId] }],
        Metrics: [{ Name: 'CONTACTS_REMOVED_FROM_QUEUE_IN_X', Threshold: [{ Comparison, ThresholdValue }] }],
      });

    await expect(env.client.send(withThreshold('LTE', 604800))).resolves.toBeDefined();
    await expect(env.client.send(withThreshold('LT', 20))).resolves.toBeDefined();
    await expectInvalid(withThreshold('GT', 20), /LT or LTE/);
    await expectInvalid(withThreshold('LT', 604801), /1-604800/);
  });

  test('refuses a GetMetricDataV2 start older than 3 months', async () => {
    await expectInvalid(v2(now - 100 * 86_400_000, now - 99 * 86_400_000, 'DAY'), /3 months/);
  });

  test('refuses more than 100 filter values in total in GetMetricDataV2', async () => {
    await expectInvalid(
      v2(now - 3_600_000, now, 'HOUR', [
        { FilterKey: 'QUEUE', FilterValues: ids(80) },
        { FilterKey: 'CHANNEL', FilterValues: Array(21).fill('VOICE') },
      ]),
      /at most 100 values in total; got 101/,
    );
  });

  test('refuses an unknown time zone and a v2 metric the simulator does not serve', async () => {
    await expectInvalid(
      new GetMetricDataV2Command({
        ResourceArn: env.arn,
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now),
        Interval: { IntervalPeriod: 'HOUR', TimeZone: 'Mars/Olympus_Mons' },
        Filters: [{ FilterKey: 'QUEUE', FilterValues: [queueId] }],
        Metrics: [{ Name: 'CONTACTS_HANDLED' }],
      }),
      /TimeZone Mars\/Olympus_Mons is not a valid time zone/,
    );
    await expectInvalid(
      new GetMetricDataV2Command({
        ResourceArn: env.arn,
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now),
        Filters: [{ FilterKey: 'QUEUE', FilterValues: [queueId] }],
        Metrics: [{ Name: 'SUM_RETRY_CALLBACK_ATTEMPTS' }],
      }),
      /Metric SUM_RETRY_CALLBACK_ATTEMPTS is not supported/,
    );
  });

  test('refuses MaxResults out of range on list and metric calls', async () => {
    await expectInvalid(
      new ListQueuesCommand({ InstanceId: env.instanceId, MaxResults: 1001 }),
      /between 1 and 1000/,
    );
    await expectInvalid(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId] },
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
        MaxResults: 101,
      }),
      /between 1 and 100/,
    );
  });

  test('GetMetricData NextTokens expire after 5 minutes', async () => {
    const request = {
      InstanceId: env.instanceId,
      StartTime: new Date(now - 900_000),
      EndTime: new Date(now - 600_000),
      Filters: { Queues: [queueId] },
      Groupings: ['QUEUE' as const, 'CHANNEL' as const],
      HistoricalMetrics: [
        { Name: 'CONTACTS_HANDLED' as const, Unit: 'COUNT' as const, Statistic: 'SUM' as const },
      ],
      MaxResults: 1,
    };
    const first = await env.client.send(new GetMetricDataCommand(request));
    expect(first.NextToken).toBeDefined();
    env.clock.advance(301_000);
    await expectInvalid(new GetMetricDataCommand({ ...request, NextToken: first.NextToken }), /expired/);
  });

  test('refuses an expired or forged NextToken', async () => {
    const first = await env.client.send(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId] },
        MaxResults: 1,
      }),
    );
    expect(first.NextToken).toBeDefined();
    env.clock.advance(301_000);
    await expectInvalid(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId] },
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
      /expired/,
    );
    await expectInvalid(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [queueId] },
        NextToken: 'abc.def',
      }),
      /not valid/,
    );
  });
});
