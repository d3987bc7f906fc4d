import {
  ConnectServiceException,
  GetCurrentMetricDataCommand,
  InternalServiceException,
  ListAgentStatusesCommand,
  ListQueuesCommand,
  ListUsersCommand,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { SIMULATOR_DEFAULT_QUOTAS } from '../../../local/simulator';
import { startTestSimulator } from '../../support/simulator';

describe('Connect simulator faults and metadata changes', () => {
  let env: Awaited<ReturnType<typeof startTestSimulator>>;
  beforeAll(async () => {
    const generous = { rate: 1000, burst: 1000 };
    env = await startTestSimulator({
      quotas: Object.fromEntries(Object.keys(SIMULATOR_DEFAULT_QUOTAS).map((api) => [api, generous])),
    });
    env.clock.advance(1_800_000);
  });
  afterEach(() => env.sim.faults.clear());
  afterAll(async () => {
    env.client.destroy();
    await env.sim.close();
  });
  const listQueues = () => env.client.send(new ListQueuesCommand({ InstanceId: env.instanceId }));
  const failure = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  test('answers 403 MissingAuthenticationTokenException to an unsigned request', async () => {
    const res = await fetch(`${env.sim.endpoint}/queues-summary/${env.instanceId}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ Message: 'Missing Authentication Token' });
  });

  test('throttles every call when throttleRate is 1 and none once cleared', async () => {
    env.sim.faults.set({ throttleRate: 1 });
    expect(await failure(listQueues())).toBeInstanceOf(ThrottlingException);
    env.sim.faults.clear();
    await expect(listQueues()).resolves.toBeDefined();
  });

  test('answers 500 InternalServiceException at an error rate of 1', async () => {
    env.sim.faults.set({ errorRate: 1 });
    const error = await failure(listQueues());
    expect(error).toBeInstanceOf(InternalServiceException);
    expect((error as InternalServiceException).$metadata.httpStatusCode).toBe(500);
  });

  test('answers 503 during an outage window and recovers after it', async () => {
    env.sim.faults.outageFor(60_000);
    const error = await failure(listQueues());
    expect(error).toBeInstanceOf(ConnectServiceException);
    expect((error as ConnectServiceException).name).toBe('ServiceUnavailableException');
    expect((error as ConnectServiceException).$metadata.httpStatusCode).toBe(503);
    env.sim.faults.set({ outage: { from: Date.now() - 2000, to: Date.now() - 1000 } });
    await expect(listQueues()).resolves.toBeDefined();
  });

  test('delays answers by the configured latency', async () => {
    env.sim.faults.set({ latencyMs: 150 });
    const started = Date.now();
    await listQueues();
    // A lower bound only (timers may fire a millisecond early): proves the delay is applied.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('sends malformed but parseable answers the SDK still reads', async () => {
    env.sim.faults.set({
      malformed: {
        nullValues: 1,
        missingOptionalFields: true,
        unknownMetricNames: true,
        longNonAsciiNames: true,
      },
    });
    const queues = (await listQueues()).QueueSummaryList ?? [];
    const standard = queues.filter((q) => q.QueueType === 'STANDARD');
    expect(standard[0]?.Name?.length).toBeGreaterThan(200);
    expect(standard[0]?.Name).toMatch(/客服/);
    expect(standard[0]?.LastModifiedTime).toBeUndefined();
    const metrics = await env.client.send(
      new GetCurrentMetricDataCommand({
        InstanceId: env.instanceId,
        Filters: { Queues: [standard[0]?.Id ?? ''] },
        Groupings: ['QUEUE'],
        CurrentMetrics: [{ Name: 'AGENTS_ONLINE', Unit: 'COUNT' }],
      }),
    );
    const collections = metrics.MetricResults?.[0]?.Collections ?? [];
    expect(collections[0]?.Value ?? null).toBeNull();
    expect(collections.map((c) => c.Metric?.Name)).toContain('SIMULATOR_FUTURE_METRIC');
  });

  test('lists a queue added while running and stops listing a removed agent', async () => {
    const id = env.sim.mutate.addQueue('Escalations');
    const agent = env.sim.groundTruth.resources().agents[3];
    env.sim.mutate.removeAgent(agent?.id ?? '');
    env.clock.advance(600_000);
    const queues = await env.client.send(
      new ListQueuesCommand({ InstanceId: env.instanceId, QueueTypes: ['STANDARD'] }),
    );
    expect(queues.QueueSummaryList?.find((q) => q.Id === id)?.Name).toBe('Escalations');
    const users = await env.client.send(new ListUsersCommand({ InstanceId: env.instanceId }));
    expect(users.UserSummaryList?.map((u) => u.Id)).not.toContain(agent?.id);
    expect(users.UserSummaryList).toHaveLength(19);
  });

  test('routes traffic to a queue added while running', () => {
    const id = env.sim.mutate.addQueue('Overflow', { weight: 5 });
    env.clock.advance(3_600_000);
    const flows = env.sim.groundTruth.flows().filter((f) => f.queueId === id);
    expect(flows.reduce((n, f) => n + f.queued, 0)).toBeGreaterThan(0);
    expect(flows.reduce((n, f) => n + f.handled, 0)).toBeGreaterThan(0);
  });

  test('reports a renamed status with a later LastModifiedTime', async () => {
    const before = Date.UTC(2026, 10, 20, 9, 30);
    env.sim.mutate.renameStatus('Lunch', 'Meal break');
    const out = await env.client.send(new ListAgentStatusesCommand({ InstanceId: env.instanceId }));
    const status = out.AgentStatusSummaryList?.find((s) => s.Name === 'Meal break');
    expect(status?.LastModifiedTime?.getTime()).toBeGreaterThanOrEqual(before);
    expect(out.AgentStatusSummaryList?.map((s) => s.Name)).not.toContain('Lunch');
  });
});
