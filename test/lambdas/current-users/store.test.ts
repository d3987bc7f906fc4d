import type { AgentState } from '../../../lambdas/current-users/ports';
import {
  activeRoutingProfileIds,
  writeAgentSnapshot,
  writeStatusIntervals,
} from '../../../lambdas/current-users/store';
import { parseDbTimestampOrNull } from '../../../lambdas/shared/db/executor';
import { recordingExecutor } from '../../support/collector-harness';
import { agentState } from '../../support/connect-fakes';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const INSTANCE = 'a1b2c3d4-1111-4222-8333-444455556666';
const OTHER = 'b1b2c3d4-1111-4222-8333-444455556666';
const at = (hhmmss: string) => new Date(`2026-11-23T${hhmmss}.000Z`);
const iso = (hhmmss: string) => at(hhmmss).toISOString();

const agent = (
  agentId: string,
  status: string | null,
  startedAt: string | null,
  extra: Partial<AgentState> = {},
) => agentState(agentId, status, startedAt ? at(startedAt) : null, extra);

describe.each(databaseTargets())('current-users store on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(target.url, 'current_users_store');
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'DELETE FROM agent_status_interval; DELETE FROM agent_realtime_snapshot; DELETE FROM routing_profile',
    );
  });

  /** Writes one snapshot's intervals; every agent listed is present unless `present` says otherwise. */
  function snapshot(
    time: string,
    agents: AgentState[],
    options: { present?: string[]; closeAbsent?: boolean } = {},
  ) {
    return writeStatusIntervals(db.executor, INSTANCE, {
      snapshotTime: at(time),
      agents,
      presentAgentIds: options.present ?? agents.map((a) => a.agentId),
      closeAbsent: options.closeAbsent ?? true,
    });
  }

  async function intervals(instanceId = INSTANCE) {
    const { rows } = await db.executor.query(
      `SELECT agent_id, agent_status_name, started_at, ended_at, last_seen_at FROM agent_status_interval
       WHERE instance_id = :instanceId ORDER BY agent_id, started_at`,
      { instanceId },
    );
    return rows.map((r) => [
      r.agent_id,
      r.agent_status_name,
      parseDbTimestampOrNull(r.started_at)?.toISOString(),
      parseDbTimestampOrNull(r.ended_at)?.toISOString() ?? null,
      parseDbTimestampOrNull(r.last_seen_at)?.toISOString(),
    ]);
  }

  describe('writeStatusIntervals', () => {
    test('opens one interval per agent at its StatusStartTimestamp', async () => {
      const written = await snapshot('04:00:10', [
        agent('a1', 'Available', '03:55:00'),
        agent('a2', 'Break', '04:00:02'),
      ]);

      expect(written).toBe(2);
      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('03:55:00'), null, iso('04:00:10')],
        ['a2', 'Break', iso('04:00:02'), null, iso('04:00:10')],
      ]);
    });

    test('takes the first state of an agent listed twice in one snapshot', async () => {
      const written = await snapshot('04:00:10', [
        agent('a1', 'Available', '03:55:00'),
        agent('a1', 'Lunch', '04:00:01'),
      ]);

      expect(written).toBe(1);
      expect(await intervals()).toEqual([['a1', 'Available', iso('03:55:00'), null, iso('04:00:10')]]);
    });

    test('a rerun of the same snapshot changes nothing', async () => {
      const agents = [agent('a1', 'Available', '03:55:00'), agent('a2', 'Break', '04:00:02')];
      await snapshot('04:00:10', agents);
      const before = await intervals();

      const written = await snapshot('04:00:10', agents);

      expect(written).toBe(0);
      expect(await intervals()).toEqual(before);
    });

    test('the same status in a later snapshot only moves last_seen_at', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);

      await snapshot('04:00:20', [agent('a1', 'Available', '03:55:00')]);

      expect(await intervals()).toEqual([['a1', 'Available', iso('03:55:00'), null, iso('04:00:20')]]);
    });

    test('a new StatusStartTimestamp closes the open interval at the new start and opens the next', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);

      const written = await snapshot('04:00:20', [agent('a1', 'Lunch', '04:00:14')]);

      expect(written).toBe(2);
      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('03:55:00'), iso('04:00:14'), iso('04:00:10')],
        ['a1', 'Lunch', iso('04:00:14'), null, iso('04:00:20')],
      ]);
      expect(await snapshot('04:00:20', [agent('a1', 'Lunch', '04:00:14')])).toBe(0);
    });

    test('a new status with an unchanged start closes the interval at the snapshot time', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);

      await snapshot('04:00:20', [agent('a1', 'Training', '03:55:00')]);
      const rerun = await snapshot('04:00:20', [agent('a1', 'Training', '03:55:00')]);
      await snapshot('04:00:30', [agent('a1', 'Training', '03:55:00')]);

      expect(rerun).toBe(0);
      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('03:55:00'), iso('04:00:20'), iso('04:00:10')],
        ['a1', 'Training', iso('04:00:20'), null, iso('04:00:30')],
      ]);
    });

    test('an agent no longer reported has its open interval closed at the snapshot time, once', async () => {
      await snapshot('04:00:10', [
        agent('a1', 'Available', '03:55:00'),
        agent('a2', 'Available', '03:58:00'),
      ]);

      const written = await snapshot('04:00:20', [agent('a1', 'Available', '03:55:00')]);
      const rerun = await snapshot('04:00:20', [agent('a1', 'Available', '03:55:00')]);

      expect(written).toBe(2);
      expect(rerun).toBe(0);
      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('03:55:00'), null, iso('04:00:20')],
        ['a2', 'Available', iso('03:58:00'), iso('04:00:20'), iso('04:00:10')],
      ]);
    });

    test('an agent back with the same StatusStartTimestamp reopens its interval', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);
      await snapshot('04:00:20', []);

      await snapshot('04:00:30', [agent('a1', 'Available', '03:55:00')]);

      expect(await intervals()).toEqual([['a1', 'Available', iso('03:55:00'), null, iso('04:00:30')]]);
    });

    test('when nobody is reported, every open interval of the instance is closed', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00'), agent('a2', 'Break', '03:59:00')]);
      await writeStatusIntervals(db.executor, OTHER, {
        snapshotTime: at('04:00:10'),
        agents: [agent('b1', 'Available', '03:00:00')],
        presentAgentIds: ['b1'],
        closeAbsent: true,
      });

      const written = await snapshot('04:00:20', []);

      expect(written).toBe(2);
      expect((await intervals()).map((r) => r[3])).toEqual([iso('04:00:20'), iso('04:00:20')]);
      expect((await intervals(OTHER)).map((r) => r[3])).toEqual([null]);
    });

    test('an agent present but skipped (or with no status) keeps its open interval', async () => {
      await snapshot('04:00:10', [
        agent('a1', 'Available', '03:55:00'),
        agent('a2', 'Available', '03:58:00'),
      ]);

      await snapshot('04:00:20', [agent('a2', null, null)], { present: ['a1', 'a2'] });

      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('03:55:00'), null, iso('04:00:10')],
        ['a2', 'Available', iso('03:58:00'), null, iso('04:00:10')],
      ]);
    });

    test('closes nobody for absence when the run could not tell who was present', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);

      await snapshot('04:00:20', [], { closeAbsent: false });

      expect((await intervals())[0]?.[3]).toBeNull();
    });

    test('a snapshot older than what is stored changes nothing', async () => {
      await snapshot('04:00:20', [agent('a1', 'Lunch', '04:00:14')]);
      const before = await intervals();

      const written = await snapshot('04:00:10', [agent('a1', 'Available', '03:55:00')]);

      expect(written).toBe(0);
      expect(await intervals()).toEqual(before);
    });

    test('with no StatusStartTimestamp an interval starts at the snapshot time and the same status continues it', async () => {
      await snapshot('04:00:10', [agent('a1', 'Available', null)]);
      await snapshot('04:00:20', [agent('a1', 'Available', null)]);
      await snapshot('04:00:30', [agent('a1', 'Break', null)]);

      expect(await intervals()).toEqual([
        ['a1', 'Available', iso('04:00:10'), iso('04:00:30'), iso('04:00:20')],
        ['a1', 'Break', iso('04:00:30'), null, iso('04:00:30')],
      ]);
    });

    test('never leaves more than one open interval per agent over a changing timeline', async () => {
      const steps: [string, string, string][] = [
        ['04:00:10', 'Available', '03:55:00'],
        ['04:00:20', 'Lunch', '04:00:15'],
        ['04:00:30', 'Lunch', '04:00:15'],
        ['04:00:40', 'Available', '04:00:33'],
        ['04:00:50', 'Break', '04:00:33'],
      ];
      for (const [time, status, start] of steps) await snapshot(time, [agent('a1', status, start)]);

      const rows = await intervals();
      expect(rows.filter((r) => r[3] === null)).toHaveLength(1);
      expect(rows.map((r) => r[1])).toEqual(['Available', 'Lunch', 'Available', 'Break']);
      // Each interval ends where the next one starts.
      for (let i = 1; i < rows.length; i++) expect(rows[i - 1]?.[3]).toBe(rows[i]?.[2]);
    });
    test('gives the same timeline when a large snapshot is split into several statements', async () => {
      const agents = (status: string, start: string) =>
        Array.from({ length: 200 }, (_, i) => agent(`agent-${String(i).padStart(3, '0')}`, status, start));
      await snapshot('04:00:10', agents('Available', '03:55:00'));
      const recording = recordingExecutor(db.executor);
      const later = agents('Lunch', '04:00:15').slice(0, 150); // 50 agents logged out

      const written = await writeStatusIntervals(
        recording.executor,
        INSTANCE,
        {
          snapshotTime: at('04:00:20'),
          agents: later,
          presentAgentIds: later.map((a) => a.agentId),
          closeAbsent: true,
        },
        { maxRequestBytes: 12_000 },
      );

      expect(recording.statements.length).toBeGreaterThan(2);
      expect(written).toBe(150 * 2 + 50);
      const rows = await intervals();
      expect(rows.filter((r) => r[3] === null).map((r) => [r[1], r[2]])).toEqual(
        Array.from({ length: 150 }, () => ['Lunch', iso('04:00:15')]),
      );
      expect(rows.filter((r) => r[1] === 'Available').map((r) => r[3])).toEqual([
        ...Array.from({ length: 150 }, () => iso('04:00:15')),
        ...Array.from({ length: 50 }, () => iso('04:00:20')),
      ]);
    });
  });

  describe('writeAgentSnapshot', () => {
    test('writes one row per agent and reads back exactly what went in, nulls included', async () => {
      const full = agent('a1', 'Available', '03:55:00', {
        nextStatusName: 'Lunch',
        slotsByChannel: {
          VOICE: { available: 0, active: 1, max: 1 },
          CHAT: { available: 2, active: null, max: 3 },
        },
        availableSlots: 2,
        activeSlots: 1,
        maxSlots: 4,
        contacts: [
          {
            contact_id: 'c1',
            channel: 'VOICE',
            initiation_method: 'INBOUND',
            agent_contact_state: 'CONNECTED',
            state_started_at: iso('03:59:00'),
            connected_to_agent_at: null,
            queue_id: 'q1',
          },
        ],
        hierarchyPath: { level_one: { id: 's1', arn: null } },
      });
      const bare = agent('a2', null, null, { routingProfileId: null });

      const written = await writeAgentSnapshot(
        db.executor,
        INSTANCE,
        at('04:00:10'),
        [full, bare],
        at('04:00:11'),
      );

      expect(written).toBe(2);
      const { rows } = await db.executor.query(
        `SELECT agent_id, routing_profile_id, agent_status_arn, agent_status_name, status_started_at, next_status_name,
           available_slots_count, active_slots_count, max_slots_count, slots_by_channel, contacts_count, contacts,
           hierarchy_path, snapshot_time FROM agent_realtime_snapshot ORDER BY agent_id`,
      );
      // JSON columns come back as JSON text, as the Data API returns them.
      const parsed = rows.map((r) => ({
        ...r,
        slots_by_channel: r.slots_by_channel === null ? null : JSON.parse(String(r.slots_by_channel)),
        contacts: JSON.parse(String(r.contacts)),
        hierarchy_path: r.hierarchy_path === null ? null : JSON.parse(String(r.hierarchy_path)),
      }));
      expect(parsed).toEqual([
        {
          agent_id: 'a1',
          routing_profile_id: 'rp-1',
          agent_status_arn: 'arn:status/Available',
          agent_status_name: 'Available',
          status_started_at: '2026-11-23 03:55:00.000',
          next_status_name: 'Lunch',
          available_slots_count: 2,
          active_slots_count: 1,
          max_slots_count: 4,
          slots_by_channel: full.slotsByChannel,
          contacts_count: 1,
          contacts: full.contacts,
          hierarchy_path: full.hierarchyPath,
          snapshot_time: '2026-11-23 04:00:10.000',
        },
        {
          agent_id: 'a2',
          routing_profile_id: null,
          agent_status_arn: null,
          agent_status_name: null,
          status_started_at: null,
          next_status_name: null,
          available_slots_count: null,
          active_slots_count: null,
          max_slots_count: null,
          slots_by_channel: null,
          contacts_count: 0,
          contacts: [],
          hierarchy_path: null,
          snapshot_time: '2026-11-23 04:00:10.000',
        },
      ]);
    });

    test('keeps the first state of an agent listed twice', async () => {
      const written = await writeAgentSnapshot(
        db.executor,
        INSTANCE,
        at('04:00:10'),
        [agent('a1', 'Available', '03:55:00'), agent('a1', 'Lunch', '04:00:01')],
        at('04:00:11'),
      );

      expect(written).toBe(1);
      const { rows } = await db.pool.query('SELECT agent_status_name FROM agent_realtime_snapshot');
      expect(rows).toEqual([{ agent_status_name: 'Available' }]);
    });

    test('a rerun of the same snapshot adds no row and reports none written', async () => {
      const agents = [agent('a1', 'Available', '03:55:00'), agent('a2', 'Break', '03:58:00')];
      await writeAgentSnapshot(db.executor, INSTANCE, at('04:00:10'), agents, at('04:00:11'));

      const again = await writeAgentSnapshot(db.executor, INSTANCE, at('04:00:10'), agents, at('04:00:12'));

      expect(again).toBe(0);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM agent_realtime_snapshot');
      expect(rows[0]?.n).toBe(2);
    });
  });

  test('activeRoutingProfileIds lists the instance routing profiles not marked deleted', async () => {
    await db.pool.query(
      `INSERT INTO routing_profile (instance_id, routing_profile_id, routing_profile_arn, first_seen_at, last_seen_at, deleted_at)
       VALUES ($1, 'rp-2', 'a', now(), now(), NULL), ($1, 'rp-1', 'a', now(), now(), NULL),
              ($1, 'rp-3', 'a', now(), now(), now()), ($2, 'rp-4', 'a', now(), now(), NULL)`,
      [INSTANCE, OTHER],
    );

    expect(await activeRoutingProfileIds(db.executor, INSTANCE)).toEqual(['rp-1', 'rp-2']);
  });
});
