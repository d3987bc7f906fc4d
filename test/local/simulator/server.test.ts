import {
  DescribeUserCommand,
  GetCurrentMetricDataCommand,
  GetCurrentUserDataCommand,
  GetMetricDataCommand,
  GetMetricDataV2Command,
  InvalidParameterException,
  ListQueuesCommand,
  ListUsersCommand,
  paginateGetCurrentMetricData,
  paginateGetCurrentUserData,
  paginateGetMetricData,
  paginateGetMetricDataV2,
  paginateListAgentStatuses,
  paginateListQueues,
  paginateListRoutingProfiles,
  paginateListUsers,
  paginateSearchUsers,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { SIMULATOR_DEFAULT_QUOTAS } from '../../../local/simulator';
import { DAY_START, startTestSimulator } from '../../support/simulator';

const CURRENT = [
  'AGENTS_AFTER_CONTACT_WORK',
  'AGENTS_AVAILABLE',
  'AGENTS_ERROR',
  'AGENTS_NON_PRODUCTIVE',
  'AGENTS_ONLINE',
  'AGENTS_ON_CALL',
  'AGENTS_ON_CONTACT',
  'AGENTS_STAFFED',
  'CONTACTS_IN_QUEUE',
  'CONTACTS_SCHEDULED',
  'OLDEST_CONTACT_AGE',
  'SLOTS_ACTIVE',
  'SLOTS_AVAILABLE',
] as const;

describe('Connect simulator over the real SDK', () => {
  let env: Awaited<ReturnType<typeof startTestSimulator>>;
  beforeAll(async () => {
    const generous = { rate: 1000, burst: 1000 };
    env = await startTestSimulator({
      quotas: Object.fromEntries(Object.keys(SIMULATOR_DEFAULT_QUOTAS).map((api) => [api, generous])),
    });
    env.clock.advance(2 * 3_600_000);
  });
  afterAll(async () => {
    env.client.destroy();
    await env.sim.close();
  });

  test('lists every STANDARD and AGENT queue across pages of the SDK paginator', async () => {
    const ids: string[] = [];
    for await (const page of paginateListQueues(
      { client: env.client, pageSize: 7 },
      { InstanceId: env.instanceId, QueueTypes: ['STANDARD', 'AGENT'] },
    )) {
      ids.push(...(page.QueueSummaryList ?? []).map((q) => q.Id ?? ''));
    }
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const standard = await env.client.send(
      new ListQueuesCommand({ InstanceId: env.instanceId, QueueTypes: ['STANDARD'] }),
    );
    expect(standard.QueueSummaryList?.map((q) => q.QueueType)).toEqual(Array(5).fill('STANDARD'));
    expect(standard.QueueSummaryList?.[0]?.LastModifiedTime).toBeInstanceOf(Date);
  });

  test('pages routing profiles, agent statuses and users with the SDK paginators', async () => {
    const profiles: string[] = [];
    for await (const p of paginateListRoutingProfiles(
      { client: env.client, pageSize: 1 },
      { InstanceId: env.instanceId },
    )) {
      profiles.push(...(p.RoutingProfileSummaryList ?? []).map((x) => x.Name ?? ''));
    }
    const statuses: string[] = [];
    for await (const p of paginateListAgentStatuses(
      { client: env.client, pageSize: 2 },
      { InstanceId: env.instanceId, AgentStatusTypes: ['ROUTABLE', 'CUSTOM', 'OFFLINE'] },
    )) {
      statuses.push(...(p.AgentStatusSummaryList ?? []).map((x) => x.Name ?? ''));
    }
    const users: string[] = [];
    for await (const p of paginateListUsers(
      { client: env.client, pageSize: 6 },
      { InstanceId: env.instanceId },
    )) {
      users.push(...(p.UserSummaryList ?? []).map((x) => x.Username ?? ''));
    }
    expect(profiles).toHaveLength(env.sim.groundTruth.resources().routingProfiles.length);
    expect(statuses).toEqual(['Available', 'Offline', 'Lunch', 'Break', 'Training', 'Meeting']);
    expect(users).toHaveLength(20);
  });

  test('describes a user and answers ResourceNotFoundException for an unknown one', async () => {
    const agent = env.sim.groundTruth.resources().agents[0];
    const out = await env.client.send(
      new DescribeUserCommand({ InstanceId: env.instanceId, UserId: agent?.id }),
    );
    expect(out.User?.Username).toBe(agent?.username);
    await expect(
      env.client.send(
        new DescribeUserCommand({
          InstanceId: env.instanceId,
          UserId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('serves all current metrics per queue and channel equal to the ground truth', async () => {
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const results = [];
    for await (const page of paginateGetCurrentMetricData(
      { client: env.client, pageSize: 4 },
      {
        InstanceId: env.instanceId,
        Filters: { Queues: queues.map((q) => q.id), Channels: ['VOICE', 'CHAT', 'TASK'] },
        Groupings: ['QUEUE', 'CHANNEL'],
        CurrentMetrics: CURRENT.map((Name) => ({
          Name,
          Unit: Name === 'OLDEST_CONTACT_AGE' ? 'SECONDS' : 'COUNT',
        })),
      },
    )) {
      results.push(...(page.MetricResults ?? []));
      expect(page.DataSnapshotTime).toBeInstanceOf(Date);
    }
    expect(results).toHaveLength(15);
    for (const result of results) {
      const truth = env.sim.groundTruth.currentMetrics(
        result.Dimensions?.Queue?.Id ?? '',
        result.Dimensions?.Channel as 'VOICE',
      );
      for (const c of result.Collections ?? []) expect(c.Value).toBe(truth[c.Metric?.Name ?? '']);
    }
    const online = results
      .filter((r) => r.Dimensions?.Channel === 'VOICE')
      .map((r) => r.Collections?.find((c) => c.Metric?.Name === 'AGENTS_ONLINE')?.Value ?? 0);
    expect(online.some((v) => v > 0)).toBe(true);
  });

  test("keeps GetCurrentMetricData pages consistent: later pages report the first page's cached snapshot", async () => {
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const request = {
      InstanceId: env.instanceId,
      Filters: {
        Queues: queues.map((q) => q.id),
        Channels: ['VOICE' as const, 'CHAT' as const, 'TASK' as const],
      },
      Groupings: ['QUEUE' as const, 'CHANNEL' as const],
      CurrentMetrics: [{ Name: 'CONTACTS_IN_QUEUE' as const, Unit: 'COUNT' as const }],
      MaxResults: 4,
    };
    const whole = async () => {
      const pages = [await env.client.send(new GetCurrentMetricDataCommand(request))];
      const expected = pages[0]!.MetricResults;
      env.clock.advance(60_000); // the centre moves on between pages
      for (let token = pages[0]!.NextToken; token; token = pages.at(-1)!.NextToken) {
        pages.push(await env.client.send(new GetCurrentMetricDataCommand({ ...request, NextToken: token })));
      }
      return { pages, expected };
    };

    const { pages } = await whole();

    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(pages.map((p) => p.DataSnapshotTime?.getTime())).size).toBe(1);
    const fresh = await env.client.send(new GetCurrentMetricDataCommand(request));
    expect(fresh.DataSnapshotTime?.getTime()).toBe((pages[0]!.DataSnapshotTime?.getTime() ?? 0) + 60_000);
  });

  test('reports OLDEST_CONTACT_AGE in milliseconds when there is no grouping', async () => {
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const out = await env.client.send(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: queues.map((q) => q.id) },
        CurrentMetrics: [{ Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' }],
      }),
    );
    const perQueueSeconds = queues.flatMap((q) =>
      (['VOICE', 'CHAT', 'TASK'] as const).map(
        (c) => env.sim.groundTruth.currentMetrics(q.id, c).OLDEST_CONTACT_AGE ?? 0,
      ),
    );
    const value = out.MetricResults?.[0]?.Collections?.[0]?.Value ?? -1;
    expect(Math.round(value / 1000)).toBe(Math.max(0, ...perQueueSeconds));
  });

  test('returns one entry per logged-in agent from GetCurrentUserData across pages', async () => {
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const ids: string[] = [];
    for await (const page of paginateGetCurrentUserData(
      { client: env.client, pageSize: 3 },
      { InstanceId: env.instanceId, Filters: { Queues: queues.map((q) => q.id) } },
    )) {
      ids.push(...(page.UserDataList ?? []).map((u) => u.User?.Id ?? ''));
    }
    const truth = env.sim.groundTruth.currentUserData().map((u) => (u.User as { Id: string }).Id);
    expect(new Set(ids)).toEqual(new Set(truth));
    expect(ids.length).toBeGreaterThan(0);
  });

  test('serves GetMetricData v1 for all 25 metrics and matches the ground truth', async () => {
    const now = env.sim.groundTruth.now();
    const end = Math.floor(now / 300_000) * 300_000;
    const start = end - 3_600_000;
    const queue = env.sim.groundTruth.resources().queues[0];
    const names = [
      'CONTACTS_QUEUED',
      'CONTACTS_HANDLED',
      'CONTACTS_ABANDONED',
      'CONTACTS_CONSULTED',
      'CONTACTS_AGENT_HUNG_UP_FIRST',
      'CONTACTS_HANDLED_INCOMING',
      'CONTACTS_HANDLED_OUTBOUND',
      'CONTACTS_HOLD_ABANDONS',
      'CONTACTS_TRANSFERRED_IN',
      'CONTACTS_TRANSFERRED_OUT',
      'CONTACTS_TRANSFERRED_IN_FROM_QUEUE',
      'CONTACTS_TRANSFERRED_OUT_FROM_QUEUE',
      'CONTACTS_MISSED',
      'CALLBACK_CONTACTS_HANDLED',
      'API_CONTACTS_HANDLED',
      'OCCUPANCY',
      'HANDLE_TIME',
      'AFTER_CONTACT_WORK_TIME',
      'QUEUED_TIME',
      'ABANDON_TIME',
      'QUEUE_ANSWER_TIME',
      'HOLD_TIME',
      'INTERACTION_TIME',
      'INTERACTION_AND_HOLD_TIME',
      'SERVICE_LEVEL',
    ] as const;
    const out = await env.client.send(
      new GetMetricDataCommand({
        InstanceId: env.instanceId,
        StartTime: new Date(start),
        EndTime: new Date(end),
        Filters: { Queues: [queue?.id ?? ''], Channels: ['VOICE'] },
        Groupings: ['QUEUE', 'CHANNEL'],
        HistoricalMetrics: names.map((Name) => ({
          Name,
          ...(Name === 'SERVICE_LEVEL' ? { Threshold: { Comparison: 'LT', ThresholdValue: 20 } } : {}),
        })),
      }),
    );
    const collections = out.MetricResults?.[0]?.Collections ?? [];
    expect(collections).toHaveLength(25);
    for (const c of collections) {
      const truth = env.sim.groundTruth.historicalV1(
        c.Metric?.Name ?? '',
        queue?.id ?? '',
        'VOICE',
        start,
        end,
        20,
      );
      expect(c.Value).toBe(truth);
    }
    expect(collections.find((c) => c.Metric?.Name === 'CONTACTS_QUEUED')?.Value).toBeGreaterThan(0);
  });

  test('pages GetMetricDataV2 fifteen-minute intervals grouped by queue and channel', async () => {
    const now = env.sim.groundTruth.now();
    const end = Math.floor(now / 900_000) * 900_000;
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const rows = [];
    for await (const page of paginateGetMetricDataV2(
      { client: env.client, pageSize: 5 },
      {
        ResourceArn: env.arn,
        StartTime: new Date(end - 3_600_000),
        EndTime: new Date(end),
        Interval: { IntervalPeriod: 'FIFTEEN_MIN', TimeZone: 'UTC' },
        Filters: [{ FilterKey: 'QUEUE', FilterValues: queues.map((q) => q.id) }],
        Groupings: ['QUEUE', 'CHANNEL'],
        Metrics: [{ Name: 'CONTACTS_HANDLED' }, { Name: 'SUM_HANDLE_TIME' }],
      },
    )) {
      rows.push(...(page.MetricResults ?? []));
    }
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const from = row.MetricInterval?.StartTime?.getTime() ?? 0;
      expect((row.MetricInterval?.EndTime?.getTime() ?? 0) - from).toBe(900_000);
      const truth = env.sim.groundTruth.historicalV2(
        'SUM_HANDLE_TIME',
        row.Dimensions?.QUEUE ?? '',
        row.Dimensions?.CHANNEL as 'VOICE',
        from,
        from + 900_000,
      );
      expect(row.Collections?.[1]?.Value).toBe(truth);
    }
  });

  test('serves agent metrics grouped by AGENT for a routing-profile filter', async () => {
    const now = env.sim.groundTruth.now();
    const end = Math.floor(now / 900_000) * 900_000;
    const profile = env.sim.groundTruth.resources().routingProfiles[0];
    const out = await env.client.send(
      new GetMetricDataV2Command({
        ResourceArn: env.arn,
        StartTime: new Date(end - 3_600_000),
        EndTime: new Date(end),
        Interval: { IntervalPeriod: 'HOUR' },
        Filters: [{ FilterKey: 'ROUTING_PROFILE', FilterValues: [profile?.id ?? ''] }],
        Groupings: ['AGENT'],
        Metrics: [{ Name: 'SUM_ONLINE_TIME_AGENT' }, { Name: 'CONTACTS_HANDLED' }],
      }),
    );
    const rows = out.MetricResults ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const agent = row.Dimensions?.AGENT ?? '';
      expect(row.Collections?.[0]?.Value).toBe(
        env.sim.groundTruth.agentV2('SUM_ONLINE_TIME_AGENT', agent, end - 3_600_000, end),
      );
    }
  });

  test('pages GetMetricData v1 per queue and SearchUsers with the SDK paginators', async () => {
    const end = Math.floor(env.sim.groundTruth.now() / 300_000) * 300_000;
    const queueIds = env.sim.groundTruth.resources().queues.map((q) => q.id);
    const queues: string[] = [];
    for await (const page of paginateGetMetricData(
      { client: env.client, pageSize: 4 },
      {
        InstanceId: env.instanceId,
        StartTime: new Date(end - 1_800_000),
        EndTime: new Date(end),
        Filters: { Queues: queueIds.slice(0, 10) },
        Groupings: ['QUEUE'],
        HistoricalMetrics: [{ Name: 'CONTACTS_HANDLED', Unit: 'COUNT', Statistic: 'SUM' }],
      },
    )) {
      queues.push(...(page.MetricResults ?? []).map((r) => r.Dimensions?.Queue?.Id ?? ''));
    }
    expect(queues).toEqual(queueIds.slice(0, 10));
    const users: string[] = [];
    for await (const page of paginateSearchUsers(
      { client: env.client, pageSize: 8 },
      { InstanceId: env.instanceId },
    )) {
      users.push(...(page.Users ?? []).map((u) => u.Id ?? ''));
    }
    expect(new Set(users)).toEqual(new Set(env.sim.groundTruth.resources().agents.map((a) => a.id)));
  });

  test('counts the agents of each routing profile once when grouped by ROUTING_PROFILE', async () => {
    const profiles = env.sim.groundTruth.resources().routingProfiles;
    const out = await env.client.send(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { RoutingProfiles: profiles.map((p) => p.id) },
        Groupings: ['ROUTING_PROFILE'],
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
      }),
    );
    const total = (out.MetricResults ?? []).reduce((n, r) => n + (r.Collections?.[0]?.Value ?? 0), 0);
    const states = env.sim.groundTruth.agentStates();
    expect(total).toBe(20 - (states.OFFLINE ?? 0));
    expect(out.MetricResults?.map((r) => r.Dimensions?.RoutingProfile?.Id)).toEqual(
      profiles.map((p) => p.id),
    );
  });

  test('filters GetCurrentUserData by agent, hierarchy group and contact state', async () => {
    const online = env.sim.groundTruth.currentUserData();
    const first = online[0] as { User: { Id: string }; HierarchyPath: { LevelOne: { Id: string } } };
    const byAgent = await env.client.send(
      new GetCurrentUserDataCommand({ InstanceId: env.instanceId, Filters: { Agents: [first.User.Id] } }),
    );
    expect(byAgent.UserDataList?.map((u) => u.User?.Id)).toEqual([first.User.Id]);
    const bySite = await env.client.send(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { UserHierarchyGroups: [first.HierarchyPath.LevelOne.Id] },
      }),
    );
    expect(
      bySite.UserDataList?.every((u) => u.HierarchyPath?.LevelOne?.Id === first.HierarchyPath.LevelOne.Id),
    ).toBe(true);
    const profiles = env.sim.groundTruth.resources().routingProfiles.map((p) => p.id);
    const connected = await env.client.send(
      new GetCurrentUserDataCommand({
        InstanceId: env.instanceId,
        Filters: { RoutingProfiles: profiles, ContactFilter: { ContactStates: ['CONNECTED'] } },
      }),
    );
    for (const user of connected.UserDataList ?? []) {
      expect(user.Contacts?.some((c) => c.AgentContactState === 'CONNECTED')).toBe(true);
    }
  });

  test('aligns v2 DAY intervals to midnight in the requested time zone', async () => {
    const now = env.sim.groundTruth.now();
    const start = Date.UTC(2026, 10, 19, 17, 0);
    const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
    const out = await env.client.send(
      new GetMetricDataV2Command({
        ResourceArn: env.arn,
        StartTime: new Date(start),
        EndTime: new Date(now),
        Interval: { IntervalPeriod: 'DAY', TimeZone: 'Asia/Kolkata' },
        Filters: [{ FilterKey: 'QUEUE', FilterValues: queues.map((q) => q.id) }],
        Metrics: [{ Name: 'CONTACTS_QUEUED' }],
      }),
    );
    // Kolkata is UTC+05:30, so its days start at 18:30 UTC; the model has data only after that.
    const rows = out.MetricResults ?? [];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.MetricInterval?.StartTime?.toISOString()).toBe('2026-11-19T18:30:00.000Z');
    expect(rows[0]?.MetricInterval?.EndTime?.getTime()).toBe(now);
    const truth = queues
      .flatMap((q) =>
        (['VOICE', 'CHAT', 'TASK'] as const).map(
          (c) => env.sim.groundTruth.historicalV2('CONTACTS_QUEUED', q.id, c, start, now) ?? 0,
        ),
      )
      .reduce((a, b) => a + b, 0);
    expect(rows[0]?.Collections?.[0]?.Value).toBe(truth);
  });

  test('answers ResourceNotFoundException for an unknown instance id or ARN', async () => {
    await expect(
      env.client.send(new ListQueuesCommand({ InstanceId: '11111111-2222-4333-8444-555555555555' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      env.client.send(
        new GetMetricDataV2Command({
          ResourceArn: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555',
          StartTime: new Date(Date.UTC(2026, 10, 20, 9)),
          EndTime: new Date(Date.UTC(2026, 10, 20, 10)),
          Filters: [{ FilterKey: 'QUEUE', FilterValues: ['x'] }],
          Metrics: [{ Name: 'CONTACTS_HANDLED' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('throttles a burst past the bucket with ThrottlingException when SDK retries are off', async () => {
    // Burst 10 as in a new account; a rate this low refills nothing while the burst is sent.
    const { sim } = await startTestSimulator({ quotas: { ListQueues: { rate: 0.001, burst: 10 } } });
    const client = new (await import('@aws-sdk/client-connect')).ConnectClient({
      endpoint: sim.endpoint,
      region: sim.region,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        client.send(new ListQueuesCommand({ InstanceId: sim.instances[0]?.instanceId })),
      ),
    );
    const throttled = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof ThrottlingException,
    );
    expect(throttled).toHaveLength(2);
    expect(sim.calls.get('ListQueues')).toEqual({ calls: 12, throttled: 2, errors: 0 });
    client.destroy();
    await sim.close();
  });

  test('refuses a NextToken replayed with different filters', async () => {
    const first = await env.client.send(new ListQueuesCommand({ InstanceId: env.instanceId, MaxResults: 2 }));
    await expect(
      env.client.send(
        new ListQueuesCommand({
          InstanceId: env.instanceId,
          MaxResults: 2,
          QueueTypes: ['AGENT'],
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('Connect simulator with quiet queues left out', () => {
  test('answers GetCurrentMetricData only for queues and channels with activity when asked to', async () => {
    const ask = async (hour: number, omitInactiveQueues: boolean) => {
      const env = await startTestSimulator(
        { profile: 'single-site', omitInactiveQueues },
        DAY_START + hour * 3_600_000,
      );
      const queues = env.sim.groundTruth.resources().queues.filter((q) => q.type === 'STANDARD');
      const answer = await env.client.send(
        new GetCurrentMetricDataCommand({
          InstanceId: env.instanceId,
          Filters: { Queues: queues.map((q) => q.id), Channels: ['VOICE', 'CHAT', 'TASK'] },
          Groupings: ['QUEUE', 'CHANNEL'],
          CurrentMetrics: [
            { Name: 'AGENTS_ONLINE', Unit: 'COUNT' },
            { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
          ],
        }),
      );
      env.client.destroy();
      await env.sim.close();
      return answer.MetricResults ?? [];
    };
    const active = (results: Awaited<ReturnType<typeof ask>>) =>
      results.filter((r) => (r.Collections ?? []).some((c) => (c.Value ?? 0) > 0));

    // A single-site centre: closed at 03:00 (no agent, no contact anywhere), open at 12:00.
    const night = { all: await ask(3, false), quiet: await ask(3, true) };
    const noon = { all: await ask(12, false), quiet: await ask(12, true) };

    expect(night.all).toHaveLength(15);
    expect(active(night.all)).toEqual([]);
    expect(night.quiet).toEqual([]);
    expect(active(noon.all)).toHaveLength(15);
    expect(noon.quiet).toEqual(noon.all);
  });
});

describe('Connect simulator instances and warm-up', () => {
  test('serves several instances that share the account quota', async () => {
    const { sim, client } = await startTestSimulator({
      instances: [
        {
          instanceId: '0b1f8a52-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
          region: 'us-east-1',
          accountId: '123456789012',
        },
        {
          instanceId: '7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f',
          region: 'us-east-1',
          accountId: '123456789012',
        },
      ],
      quotas: { ListUsers: { rate: 0.001, burst: 4 } },
    });
    const [a, b] = sim.instances;
    const send = (instanceId: string) => client.send(new ListUsersCommand({ InstanceId: instanceId }));
    const results = await Promise.allSettled([a, b, a, b, a, b].map((i) => send(i?.instanceId ?? '')));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    expect(sim.groundTruth.resources(b?.instanceId).agents[0]?.id).not.toBe(
      sim.groundTruth.resources(a?.instanceId).agents[0]?.id,
    );
    client.destroy();
    await sim.close();
  });

  test('has history from the first call when started with a warm-up', async () => {
    const { sim, client, instanceId } = await startTestSimulator({ warmUpMs: 3_600_000 });
    const end = Math.floor(sim.groundTruth.now() / 300_000) * 300_000;
    const queueIds = sim.groundTruth
      .resources()
      .queues.filter((q) => q.type === 'STANDARD')
      .map((q) => q.id);
    const out = await client.send(
      new GetMetricDataCommand({
        InstanceId: instanceId,
        StartTime: new Date(end - 3_300_000),
        EndTime: new Date(end),
        Filters: { Queues: queueIds },
        HistoricalMetrics: [{ Name: 'CONTACTS_QUEUED', Unit: 'COUNT', Statistic: 'SUM' }],
      }),
    );
    expect(out.MetricResults?.[0]?.Collections?.[0]?.Value).toBeGreaterThan(0);
    client.destroy();
    await sim.close();
  });
});
