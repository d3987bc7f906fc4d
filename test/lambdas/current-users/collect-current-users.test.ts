import {
  ConnectClient,
  GetCurrentUserDataCommand,
  ListRoutingProfilesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import {
  collectCurrentUsers,
  currentUsersCollector,
  userSnapshotTime,
} from '../../../lambdas/current-users/collect-current-users';
import type {
  AgentState,
  CurrentUsersSource,
  UsersSnapshot,
} from '../../../lambdas/current-users/current-users-source';
import {
  loadMigrations,
  REPOSITORY_MIGRATIONS_DIR,
  runMigrations,
} from '../../../lambdas/migrate/migrations';
import { runCollector } from '../../../lambdas/shared/collector/run';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';
import {
  collectorDeps,
  INSTANCE_ID,
  recordingExecutor,
  tablesWritten,
  testContext,
} from '../current-metrics/collector-harness';
import { offlineConnectClient } from '../current-metrics/connect-fakes';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const connect = mockClient(ConnectClient);

const agent = (agentId: string, status: string, startedAt: string): AgentState => ({
  agentId,
  routingProfileId: 'rp-1',
  statusArn: `arn:status/${status}`,
  statusName: status,
  statusStartedAt: new Date(startedAt),
  nextStatusName: null,
  slotsByChannel: null,
  availableSlots: null,
  activeSlots: null,
  maxSlots: null,
  contacts: [],
  hierarchyPath: null,
});

function fakeSource(snapshot: Partial<UsersSnapshot>, listed: string[] = []) {
  const asked: string[][] = [];
  const source: CurrentUsersSource = {
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
  return { source, asked };
}

describe('userSnapshotTime', () => {
  test('is the run start truncated to the second', () => {
    expect(userSnapshotTime(STARTED).toISOString()).toBe('2026-11-23T04:00:10.000Z');
  });
});

describe.each(databaseTargets())('collectCurrentUsers on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(target.url, 'collect_current_users');
    await runMigrations(db.executor, loadMigrations(REPOSITORY_MIGRATIONS_DIR));
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    connect.reset();
    await db.pool.query(
      'DELETE FROM agent_status_interval; DELETE FROM agent_realtime_snapshot; DELETE FROM routing_profile; DELETE FROM collector_run',
    );
  });

  async function addProfiles(ids: string[]) {
    for (const profileId of ids) {
      await db.pool.query(
        `INSERT INTO routing_profile (instance_id, routing_profile_id, routing_profile_arn, first_seen_at, last_seen_at)
         VALUES ($1, $2, 'arn', now(), now())`,
        [INSTANCE_ID, profileId],
      );
    }
  }

  test('writes the snapshot and the status timeline in one transaction, one statement per table', async () => {
    await addProfiles(['rp-1', 'rp-2']);
    const { source, asked } = fakeSource({
      agents: [
        agent('a1', 'Available', '2026-11-23T03:55:00Z'),
        agent('a2', 'Lunch', '2026-11-23T04:00:01Z'),
      ],
    });
    const recording = recordingExecutor(db.executor);
    const { context, recorded } = testContext(
      'current_users',
      recording.executor,
      offlineConnectClient(),
      STARTED,
    );

    const result = await collectCurrentUsers(context, { source });

    expect(asked).toEqual([['rp-1', 'rp-2']]);
    expect(result).toMatchObject({ rowsWritten: 4, dataTime: new Date('2026-11-23T04:00:10.000Z') });
    expect(result.details).toMatchObject({ agents: 2, snapshotRows: 2, intervalRows: 2, closedAbsent: true });
    expect(recorded).toEqual([result]);
    const writes = recording.statements.filter((s) => tablesWritten(s.sql).length > 0);
    expect(writes.map((s) => [tablesWritten(s.sql), s.inTransaction])).toEqual([
      [['agent_realtime_snapshot'], true],
      [['agent_status_interval'], true],
    ]);
  });

  test('lists routing profiles with ListRoutingProfiles when metadata has not filled the table yet', async () => {
    const { source, asked } = fakeSource({ agents: [] }, ['rp-9']);
    const { context } = testContext('current_users', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentUsers(context, { source });

    expect(asked).toEqual([['rp-9']]);
    expect(result.details).toMatchObject({ routingProfileSource: 'ListRoutingProfiles' });
  });

  test('keeps absent agents open when a skipped record named no user', async () => {
    await addProfiles(['rp-1']);
    const first = testContext('current_users', db.executor, offlineConnectClient(), STARTED);
    await collectCurrentUsers(first.context, {
      source: fakeSource({ agents: [agent('a1', 'Available', '2026-11-23T03:55:00Z')] }).source,
    });
    const later = testContext(
      'current_users',
      db.executor,
      offlineConnectClient(),
      new Date(STARTED.getTime() + 10_000),
    );

    const result = await collectCurrentUsers(later.context, {
      source: fakeSource({
        agents: [],
        someAgentsUnidentified: true,
        skipped: [{ record: 'batch 0 UserDataList[0]', reason: 'User: required' }],
      }).source,
    });

    expect(result.details).toMatchObject({ closedAbsent: false });
    const { rows } = await db.pool.query('SELECT ended_at FROM agent_status_interval');
    expect(rows).toEqual([{ ended_at: null }]);
  });

  test('lists the routing profiles again, once, when Connect refuses one the table still holds', async () => {
    await addProfiles(['rp-1', 'rp-deleted']);
    const asked: string[][] = [];
    const source: CurrentUsersSource = {
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
    const { context } = testContext('current_users', db.executor, offlineConnectClient(), STARTED);

    const result = await collectCurrentUsers(context, { source });

    expect(asked).toEqual([['rp-1', 'rp-deleted'], ['rp-1']]);
    expect(result.details).toMatchObject({
      routingProfileSource: 'ListRoutingProfiles after an unknown routing profile',
      agents: 1,
    });
  });

  test('as run by runCollector, lands the agents, their intervals and the run row together', async () => {
    await addProfiles(['rp-1']);
    connect.on(GetCurrentUserDataCommand).resolves({
      UserDataList: [
        {
          User: { Id: 'a1' },
          RoutingProfile: { Id: 'rp-1' },
          Status: {
            StatusName: 'Available',
            StatusArn: 'arn:s/1',
            StatusStartTimestamp: new Date('2026-11-23T03:55:00Z'),
          },
        },
        {
          User: { Id: 'a2' },
          RoutingProfile: { Id: 'rp-1' },
          Status: { StatusName: 'Break', StatusArn: 'arn:s/2' },
        },
      ],
    });

    const [run] = await runCollector(
      'current_users',
      currentUsersCollector,
      collectorDeps(db.executor, offlineConnectClient(), () => STARTED),
    );

    expect(run).toMatchObject({ outcome: 'succeeded', rowsWritten: 4, error: null });
    expect(connect.commandCalls(ListRoutingProfilesCommand)).toHaveLength(0);
    const snapshot = await db.pool.query('SELECT agent_id FROM agent_realtime_snapshot ORDER BY agent_id');
    expect(snapshot.rows).toEqual([{ agent_id: 'a1' }, { agent_id: 'a2' }]);
    const runs = await db.pool.query('SELECT feed, outcome, rows_written FROM collector_run');
    expect(runs.rows).toEqual([{ feed: 'current_users', outcome: 'succeeded', rows_written: 4 }]);
  });
});
