import { currentMetrics } from '../../lambdas/current-metrics/index';
import { readLatestSnapshots } from '../../lambdas/current-metrics/store';
import { currentUsers } from '../../lambdas/current-users/index';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { startTestPipeline, type TestPipeline } from '../support/pipeline';
import { simulationStart } from '../support/simulation-start';

const HOUR = 3_600_000;

/**
 * A single-site centre that closes at night, on a simulator that leaves queues without activity out of
 * GetCurrentMetricData as Connect does: at night the latest run has no rows, and every reader says
 * there is no current activity instead of showing the afternoon's.
 */
describe.each([
  { omitInactiveQueues: true, night: 'no result at all' },
  { omitInactiveQueues: false, night: 'results of zeros' },
])('a quiet centre is current when Connect answers with $night', ({ omitInactiveQueues }) => {
  let pipeline: TestPipeline;
  let instanceId: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 3,
      agents: 12,
      profile: 'single-site',
      omitInactiveQueues,
      label: `quiet_${omitInactiveQueues}`,
      startAt: simulationStart(15),
      warmUpMs: HOUR,
    });
    instanceId = pipeline.simulator.instances[0]!.instanceId;
    await runCollector(metadata, pipeline.deps());
  });
  afterAll(() => pipeline.close());

  const latestView = async () =>
    (
      await pipeline.db.query<{ queue_id: string; contacts: number | null; online: number | null }>(
        `SELECT queue_id, contacts_in_queue_count AS contacts, agents_online_count AS online
         FROM v_queue_realtime_latest WHERE instance_id = :instanceId`,
        { instanceId },
      )
    ).rows;
  const latestAgents = async () =>
    (
      await pipeline.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM v_agent_realtime_latest WHERE instance_id = :instanceId',
        { instanceId },
      )
    ).rows[0]?.n;
  const tick = async () => {
    const [metrics] = await runCollector(currentMetrics, pipeline.deps());
    const [users] = await runCollector(currentUsers, pipeline.deps());
    return [metrics?.outcome, users?.outcome];
  };

  test('open in the afternoon: the latest snapshot shows the activity', async () => {
    expect(await tick()).toEqual(['succeeded', 'succeeded']);

    const rows = await latestView();
    expect(rows.some((r) => (r.online ?? 0) > 0)).toBe(true);
    expect(await latestAgents()).toBeGreaterThan(0);
  });

  test("closed at 03:00: no current activity anywhere, not the afternoon's", async () => {
    pipeline.clock.set(simulationStart(15).getTime() + 12 * HOUR);

    expect(await tick()).toEqual(['succeeded', 'succeeded']);

    const rows = await latestView();
    const exported = await readLatestSnapshots(pipeline.db, [instanceId]);
    // Either no row (Connect left every queue out) or rows of zeros: never older activity.
    expect(rows.every((r) => (r.online ?? 0) === 0 && (r.contacts ?? 0) === 0)).toBe(true);
    expect(rows.length === 0).toBe(omitInactiveQueues);
    expect(exported).toHaveLength(rows.length);
    expect(await latestAgents()).toBe(0);
  });
});
