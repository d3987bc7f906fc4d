import {
  fetchCurrentUsers,
  userSnapshotTime,
  writeCurrentUsers,
} from '../../../lambdas/current-users/collector';
import type {
  AgentState,
  CurrentUsersConnect,
  CurrentUsersPorts,
  StatusSnapshot,
  UsersSnapshot,
} from '../../../lambdas/current-users/ports';
import { PORTS_ONLY, runContext } from '../../support/collector-harness';
import { agentState } from '../../support/connect-fakes';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const SNAPSHOT_TIME = new Date('2026-11-23T04:00:10.000Z');
const run = runContext('current_users', STARTED);

const agent = (agentId: string, status: string, startedAt: string): AgentState =>
  agentState(agentId, status, new Date(startedAt));

/** A Connect port answering with a fixed snapshot; remembers the routing profiles asked about. */
function fakeConnect(snapshot: Partial<UsersSnapshot>, listed: string[] = []) {
  const asked: string[][] = [];
  const connect: CurrentUsersConnect = {
    listRoutingProfileIds: async () => listed,
    read: async (ids) => {
      asked.push([...ids]);
      const agents = snapshot.agents ?? [];
      return {
        agents,
        presentAgentIds: agents.map((a) => a.agentId),
        someAgentsUnidentified: false,
        skipped: [],
        batches: 1,
        ...snapshot,
      };
    },
  };
  return { connect, asked };
}

/** A store port over the routing_profile table's ids; remembers what each write got. */
function fakeStore(profileIds: string[] = []) {
  const snapshots: Array<{ snapshotTime: Date; agents: readonly AgentState[] }> = [];
  const timelines: StatusSnapshot[] = [];
  return {
    snapshots,
    timelines,
    store: {
      activeRoutingProfileIds: async () => [...profileIds],
      writeAgentSnapshot: async (_tx, _instanceId, snapshotTime, agents) => {
        snapshots.push({ snapshotTime, agents });
        return agents.length;
      },
      writeStatusIntervals: async (_tx, _instanceId, snapshot) => {
        timelines.push(snapshot);
        return snapshot.agents.length;
      },
    } satisfies CurrentUsersPorts['store'],
  };
}

async function collect(ports: CurrentUsersPorts) {
  const fetched = await fetchCurrentUsers(run, PORTS_ONLY, ports);
  return writeCurrentUsers(PORTS_ONLY, fetched, run, ports);
}

test('userSnapshotTime is the run start truncated to the second', () => {
  expect(userSnapshotTime(STARTED)).toEqual(SNAPSHOT_TIME);
});

test('writes the agents snapshot and the status timeline from the routing profiles the table holds', async () => {
  const agents = [
    agent('a1', 'Available', '2026-11-23T03:55:00Z'),
    agent('a2', 'Lunch', '2026-11-23T04:00:01Z'),
  ];
  const { connect, asked } = fakeConnect({ agents });
  const { store, snapshots, timelines } = fakeStore(['rp-1', 'rp-2']);

  const result = await collect({ connect, store });

  expect(asked).toEqual([['rp-1', 'rp-2']]);
  expect(snapshots).toEqual([{ snapshotTime: SNAPSHOT_TIME, agents }]);
  expect(timelines).toEqual([
    { snapshotTime: SNAPSHOT_TIME, agents, presentAgentIds: ['a1', 'a2'], closeAbsent: true },
  ]);
  expect(result).toMatchObject({ rowsWritten: 4, dataTime: SNAPSHOT_TIME });
  expect(result.details).toMatchObject({ agents: 2, snapshotRows: 2, intervalRows: 2, closedAbsent: true });
});

test('lists routing profiles with ListRoutingProfiles when metadata has not filled the table yet', async () => {
  const { connect, asked } = fakeConnect({ agents: [] }, ['rp-9']);

  const result = await collect({ connect, store: fakeStore().store });

  expect(asked).toEqual([['rp-9']]);
  expect(result.details).toMatchObject({ routingProfileSource: 'ListRoutingProfiles' });
});

test('keeps absent agents open when a skipped record named no user', async () => {
  const { connect } = fakeConnect({
    agents: [],
    someAgentsUnidentified: true,
    skipped: [{ record: 'batch 0 UserDataList[0]', reason: 'User: required' }],
  });
  const { store, timelines } = fakeStore(['rp-1']);

  const result = await collect({ connect, store });

  expect(timelines[0]?.closeAbsent).toBe(false);
  expect(result.details).toMatchObject({ closedAbsent: false });
  expect(result.skipped).toHaveLength(1);
});

test('with no routing profile at all, asks nobody and closes nobody', async () => {
  const { connect, asked } = fakeConnect({}, []);
  const { store, timelines } = fakeStore();

  await collect({ connect, store });

  expect(asked).toEqual([]);
  expect(timelines[0]?.closeAbsent).toBe(false);
});

test('lists the routing profiles again, once, when Connect refuses one the table still holds', async () => {
  const asked: string[][] = [];
  const connect: CurrentUsersConnect = {
    listRoutingProfileIds: async () => ['rp-1'],
    read: async (ids) => {
      asked.push([...ids]);
      if (ids.includes('rp-deleted')) {
        throw Object.assign(new Error('bad routing profile'), { name: 'InvalidParameterException' });
      }
      const agents = [agent('a1', 'Available', '2026-11-23T03:55:00Z')];
      return { agents, presentAgentIds: ['a1'], someAgentsUnidentified: false, skipped: [], batches: 1 };
    },
  };

  const result = await collect({ connect, store: fakeStore(['rp-1', 'rp-deleted']).store });

  expect(asked).toEqual([['rp-1', 'rp-deleted'], ['rp-1']]);
  expect(result.details).toMatchObject({
    routingProfileSource: 'ListRoutingProfiles after an unknown routing profile',
    agents: 1,
  });
});
