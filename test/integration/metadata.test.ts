import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';

describe('metadata collector against the simulator (250 queues, 2,500 agents, two instances)', () => {
  let pipeline: TestPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({ queues: 250, agents: 2500, instanceCount: 2, label: 'metadata_it' });
  });
  afterAll(() => pipeline.close());

  const count = async (sql: string, params = {}) =>
    Number((await pipeline.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);

  test('writes exactly the queues, routing profiles, statuses and agents the simulator lists, per instance', async () => {
    const runs = await runCollector(metadata, pipeline.deps());
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    for (const { instanceId } of pipeline.simulator.instances) {
      const truth = pipeline.simulator.groundTruth.resources(instanceId);
      const queues = await pipeline.db.query<{
        queue_id: string;
        queue_name: string | null;
        queue_type: string;
      }>(
        'SELECT queue_id, queue_name, queue_type FROM queue WHERE instance_id = :instanceId AND deleted_at IS NULL ORDER BY queue_id',
        { instanceId },
      );
      const byId = new Map(queues.rows.map((q) => [q.queue_id, q]));
      expect(queues.rows).toHaveLength(truth.queues.length);
      for (const q of truth.queues) expect(byId.get(q.id)?.queue_type).toBe(q.type);
      expect(truth.queues.filter((q) => q.type === 'AGENT')).toHaveLength(2500);
      expect(
        await count('SELECT count(*) AS n FROM agent WHERE instance_id = :instanceId', { instanceId }),
      ).toBe(truth.agents.length);
      expect(
        await count('SELECT count(*) AS n FROM routing_profile WHERE instance_id = :instanceId', {
          instanceId,
        }),
      ).toBe(truth.routingProfiles.length);
      expect(
        await count('SELECT count(*) AS n FROM agent_status WHERE instance_id = :instanceId', { instanceId }),
      ).toBe(truth.statuses.length);
    }
  });

  test('pages to the end in the fewest calls the 1,000-item pages allow, one statement per table', async () => {
    pipeline.resetCounters();
    const [run] = await runCollector(
      metadata,
      pipeline.deps({ instanceIds: [pipeline.config.instances[0]!.instanceId] }),
    );
    const truth = pipeline.simulator.groundTruth.resources(run!.instanceId);
    const pages = (n: number, size = 1000) => Math.max(1, Math.ceil(n / size));
    expect(run!.apiCalls).toBe(
      pages(truth.queues.length) +
        pages(truth.routingProfiles.length) +
        pages(truth.statuses.length) +
        pages(truth.agents.length) +
        // Hours: the list, SearchQueues' STANDARD queues 500 a page, and for each hours of operation
        // DescribeHoursOfOperation, its overrides 100 a page and its effective hours.
        pages(truth.hours.length) +
        pages(truth.queueHours.length, 500) +
        truth.hours.reduce((n, h) => n + 2 + pages(h.overrides, 100), 0),
    );
    expect(run!.throttles).toBe(0);
    // BEGIN is not a statement; connect_instance + 4 dimension tables (the queues with their hours) +
    // hours, overrides and effective days + collector_run: one statement per table
    expect(pipeline.counters.statements).toBe(9);
  });

  test('a repeated run adds no rows', async () => {
    const before = await count('SELECT (SELECT count(*) FROM queue) + (SELECT count(*) FROM agent) AS n');
    const runs = await runCollector(metadata, pipeline.deps());
    expect(runs.map((r) => r.error)).toEqual([null, null]);
    expect(await count('SELECT (SELECT count(*) FROM queue) + (SELECT count(*) FROM agent) AS n')).toBe(
      before,
    );
  });

  test('marks a removed agent deleted, keeps a renamed status under its id, and adds a new queue', async () => {
    const instanceId = pipeline.simulator.instances[0]!.instanceId;
    const truth = pipeline.simulator.groundTruth.resources(instanceId);
    const gone = truth.agents[0]!.id;
    pipeline.simulator.mutate.removeAgent(gone, instanceId);
    pipeline.clock.advance(15 * 60_000);
    const added = pipeline.simulator.mutate.addQueue('Brand new queue', { instanceId });
    const status = truth.statuses.find((s) => s.type === 'CUSTOM')!;
    pipeline.simulator.mutate.renameStatus(status.id, 'Renamed break', instanceId);

    const [run] = await runCollector(metadata, pipeline.deps({ instanceIds: [instanceId] }));
    expect(run?.error).toBeNull();

    const agent = await pipeline.db.query(
      'SELECT deleted_at FROM agent WHERE instance_id = :instanceId AND agent_id = :gone',
      {
        instanceId,
        gone,
      },
    );
    expect(agent.rows[0]?.deleted_at).not.toBeNull();
    const queue = await pipeline.db.query(
      'SELECT queue_name, deleted_at FROM queue WHERE instance_id = :instanceId AND queue_id = :added',
      { instanceId, added },
    );
    expect(queue.rows).toEqual([{ queue_name: 'Brand new queue', deleted_at: null }]);
    const renamed = await pipeline.db.query(
      'SELECT agent_status_name FROM agent_status WHERE instance_id = :instanceId AND agent_status_id = :id',
      { instanceId, id: status.id },
    );
    expect(renamed.rows[0]?.agent_status_name).toBe('Renamed break');
    const other = pipeline.simulator.instances[1]!.instanceId;
    expect(
      await count('SELECT count(*) AS n FROM agent WHERE instance_id = :other AND deleted_at IS NOT NULL', {
        other,
      }),
    ).toBe(0);
  });
});
