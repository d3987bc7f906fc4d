import { currentUsers } from '../../lambdas/current-users/index';
import { localRunBudgetMs } from '../../lambdas/feeds';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { writeBatch } from '../../lambdas/shared/db/batch';
import { parseDbTimestamp, parseDbTimestampOrNull } from '../../lambdas/shared/db/executor';
import { startTestPipeline, type TestPipeline, withUnreachableInstance } from '../support/pipeline';

/**
 * GetCurrentUserData and ListRoutingProfiles get a large budget (in the simulator and in config) so the file
 * stays fast: at Connect's default 2/s one run over 2,500 agents takes seconds. The budget itself is
 * the rate limiter's business; here the call counts prove the collector makes the fewest calls.
 */
const FAST = Object.fromEntries(
  (['GetCurrentUserData', 'ListRoutingProfiles'] as const).map((api) => [api, { rate: 200, burst: 200 }]),
);

/** One GetCurrentUserData entry as the simulator's ground truth gives it (timestamps in epoch seconds). */
interface TruthUser {
  User: { Id: string };
  RoutingProfile?: { Id: string };
  Status?: { StatusName: string; StatusArn: string; StatusStartTimestamp: number };
  AvailableSlotsByChannel: Record<string, number>;
  ActiveSlotsByChannel: Record<string, number>;
  MaxSlotsByChannel: Record<string, number>;
  Contacts: { ContactId: string; AgentContactState: string }[];
  NextStatus?: string;
}

type SnapshotRow = {
  agent_id: string;
  routing_profile_id: string | null;
  agent_status_arn: string | null;
  agent_status_name: string | null;
  status_started_at: string | null;
  next_status_name: string | null;
  available_slots_count: number | null;
  active_slots_count: number | null;
  max_slots_count: number | null;
  contacts_count: number;
  contacts: string;
  snapshot_time: string;
};

const total = (slots: Record<string, number>) => Object.values(slots).reduce((a, b) => a + b, 0);

describe('current-users collector against the simulator (250 queues, 2,500 agents, two instances)', () => {
  let pipeline: TestPipeline;
  let first: string;
  let second: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 250,
      agents: 2500,
      instanceCount: 2,
      label: 'current_users_it',
      warmUpMs: 15 * 60_000,
      quotas: FAST,
      config: { apiQuotas: FAST },
    });
    first = pipeline.simulator.instances[0]!.instanceId;
    second = pipeline.simulator.instances[1]!.instanceId;
  });
  afterAll(() => pipeline.close());

  const count = async (sql: string, params = {}) =>
    Number((await pipeline.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);
  const truthUsers = (instanceId: string) =>
    pipeline.simulator.groundTruth.currentUserData(instanceId) as unknown as TruthUser[];
  const snapshotTime = () => new Date(Math.floor(pipeline.clock.now() / 1000) * 1000);

  /** The fewest calls: routing profiles in id order, 100 a batch, ceil(reported agents / 100) pages each. */
  function minimumCalls(instanceId: string): number {
    const profiles = pipeline.simulator.groundTruth
      .resources(instanceId)
      .routingProfiles.map((p) => p.id)
      .sort();
    const perProfile = new Map<string, number>();
    for (const u of truthUsers(instanceId)) {
      const id = u.RoutingProfile?.Id ?? '';
      perProfile.set(id, (perProfile.get(id) ?? 0) + 1);
    }
    let calls = 0;
    for (let i = 0; i < profiles.length; i += 100) {
      const agents = profiles.slice(i, i + 100).reduce((n, p) => n + (perProfile.get(p) ?? 0), 0);
      calls += Math.max(1, Math.ceil(agents / 100));
    }
    return calls;
  }

  /** What the metadata collector would write for routing profiles (its own test covers that), in one statement. */
  async function fillRoutingProfileTable() {
    for (const instanceId of [first, second]) {
      const rows = pipeline.simulator.groundTruth
        .resources(instanceId)
        .routingProfiles.map((p) => ({ ...p }));
      await writeBatch(
        pipeline.db,
        `INSERT INTO routing_profile (instance_id, routing_profile_id, routing_profile_arn, routing_profile_name,
           first_seen_at, last_seen_at)
         SELECT :instanceId, r.id, 'arn:' || r.id, r.name, now(), now()
         FROM jsonb_to_recordset(:rows::jsonb) AS r(id text, name text)`,
        rows,
        { params: { instanceId } },
      );
    }
  }

  test('before metadata has run, lists the routing profiles itself and still reads every agent', async () => {
    const [run] = await runCollector(currentUsers, pipeline.deps({ instanceIds: [first] }));

    const reported = truthUsers(first).length;
    expect(run).toMatchObject({ outcome: 'succeeded', throttles: 0 });
    expect(run!.details).toMatchObject({ routingProfileSource: 'ListRoutingProfiles', agents: reported });
    expect(run!.apiCalls).toBe(1 + minimumCalls(first));
  });

  test('writes exactly the ground truth for every agent of each instance, in minimal calls', async () => {
    await fillRoutingProfileTable();
    pipeline.clock.advance(10_000);
    pipeline.resetCounters();

    const runs = await runCollector(currentUsers, pipeline.deps());

    expect(runs.map((r) => [r.instanceId, r.outcome, r.apiCalls, r.throttles])).toEqual([
      [first, 'succeeded', minimumCalls(first), 0],
      [second, 'succeeded', minimumCalls(second), 0],
    ]);
    // Per instance: read the routing profiles, write the snapshot, write the intervals, write the run.
    expect(pipeline.counters.statements).toBe(2 * 4);
    for (const instanceId of [first, second]) {
      const truth = truthUsers(instanceId);
      expect(truth.length).toBeGreaterThan(500); // a busy centre, not a comparison of empty sets
      const { rows } = await pipeline.db.query<SnapshotRow>(
        `SELECT agent_id, routing_profile_id, agent_status_arn, agent_status_name, status_started_at,
           next_status_name, available_slots_count, active_slots_count, max_slots_count, contacts_count,
           contacts, snapshot_time
         FROM agent_realtime_snapshot WHERE instance_id = :instanceId AND snapshot_time = :at`,
        { instanceId, at: snapshotTime() },
      );
      expect(rows).toHaveLength(truth.length);
      const byId = new Map(rows.map((r) => [r.agent_id, r]));
      for (const user of truth) {
        const row = byId.get(user.User.Id);
        expect(row && parseDbTimestampOrNull(row.status_started_at)?.getTime()).toBe(
          Math.round((user.Status?.StatusStartTimestamp ?? 0) * 1000),
        );
        expect({
          routing: row?.routing_profile_id,
          status: row?.agent_status_name,
          arn: row?.agent_status_arn,
          next: row?.next_status_name,
          slots: [row?.available_slots_count, row?.active_slots_count, row?.max_slots_count],
          contacts: (JSON.parse(row?.contacts ?? '[]') as { contact_id: string }[]).map((c) => c.contact_id),
        }).toEqual({
          routing: user.RoutingProfile?.Id,
          status: user.Status?.StatusName,
          arn: user.Status?.StatusArn,
          next: user.NextStatus ?? null,
          slots: [
            total(user.AvailableSlotsByChannel),
            total(user.ActiveSlotsByChannel),
            total(user.MaxSlotsByChannel),
          ],
          contacts: user.Contacts.map((c) => c.ContactId),
        });
      }
      expect(
        await count(
          'SELECT count(*) AS n FROM agent_status_interval WHERE instance_id = :instanceId AND ended_at IS NULL',
          { instanceId },
        ),
      ).toBe(truth.length);
    }
  });

  test('a repeated run of the same snapshot writes nothing', async () => {
    const before = await count(
      'SELECT (SELECT count(*) FROM agent_realtime_snapshot) + (SELECT count(*) FROM agent_status_interval) AS n',
    );

    const [run] = await runCollector(currentUsers, pipeline.deps({ instanceIds: [first] }));

    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: 0 });
    expect(
      await count(
        'SELECT (SELECT count(*) FROM agent_realtime_snapshot) + (SELECT count(*) FROM agent_status_interval) AS n',
      ),
    ).toBe(before);
  });

  test('follows status changes and log-outs: one open interval per reported agent, at its status start', async () => {
    const reportedBefore = new Set(truthUsers(first).map((u) => u.User.Id));
    for (let step = 0; step < 3; step++) {
      pipeline.clock.advance(60_000);
      const [run] = await runCollector(currentUsers, pipeline.deps({ instanceIds: [first] }));
      expect(run!.outcome).toBe('succeeded');
    }

    const truth = truthUsers(first);
    const { rows } = await pipeline.db.query<{
      agent_id: string;
      agent_status_name: string;
      started_at: string;
      ended_at: string | null;
    }>(
      `SELECT agent_id, agent_status_name, started_at, ended_at FROM agent_status_interval
       WHERE instance_id = :first ORDER BY agent_id, started_at`,
      { first },
    );
    const open = rows.filter((r) => r.ended_at === null);
    expect(open).toHaveLength(truth.length);
    const openById = new Map(open.map((r) => [r.agent_id, r]));
    for (const user of truth) {
      const interval = openById.get(user.User.Id);
      expect([user.User.Id, interval?.agent_status_name]).toEqual([user.User.Id, user.Status?.StatusName]);
      expect([user.User.Id, parseDbTimestamp(interval?.started_at).getTime()]).toEqual([
        user.User.Id,
        Math.round((user.Status?.StatusStartTimestamp ?? 0) * 1000),
      ]);
    }
    const changed = rows.filter((r) => r.ended_at !== null);
    expect(changed.length).toBeGreaterThan(0); // three minutes of a busy centre change some statuses
    const loggedOut = [...reportedBefore].filter((id) => !openById.has(id));
    for (const id of loggedOut) {
      expect(rows.filter((r) => r.agent_id === id).every((r) => r.ended_at !== null)).toBe(true);
    }
    for (const r of changed) {
      expect(parseDbTimestamp(r.ended_at).getTime()).toBeGreaterThanOrEqual(
        parseDbTimestamp(r.started_at).getTime(),
      );
    }
  });

  test('collects the second instance independently when the first one fails in the same run', async () => {
    pipeline.clock.advance(10_000);
    // One tick's budget, as the loop gives a run: the refusing endpoint is retried until it ends.
    const deps = pipeline.deps({
      deadlineAt: Date.now() + localRunBudgetMs('current_users', pipeline.config.cadences),
    });
    const failing = withUnreachableInstance(deps, first);
    const openBefore = await count(
      'SELECT count(*) AS n FROM agent_status_interval WHERE instance_id = :first AND ended_at IS NULL',
      { first },
    );

    const runs = await runCollector(currentUsers, failing.deps);
    failing.close();

    expect(runs.map((r) => [r.instanceId, r.outcome])).toEqual([
      [first, 'failed'],
      [second, 'succeeded'],
    ]);
    expect(
      await count(
        'SELECT count(*) AS n FROM agent_realtime_snapshot WHERE instance_id = :second AND snapshot_time = :at',
        {
          second,
          at: snapshotTime(),
        },
      ),
    ).toBe(truthUsers(second).length);
    // The failed run wrote nothing: in particular it closed no interval for "absent" agents.
    expect(
      await count(
        'SELECT count(*) AS n FROM agent_status_interval WHERE instance_id = :first AND ended_at IS NULL',
        { first },
      ),
    ).toBe(openBefore);
  });
});
