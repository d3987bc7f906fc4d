import {
  ConnectClient,
  GetCurrentUserDataCommand,
  ListRoutingProfilesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { currentUsers } from '../../../lambdas/current-users';
import { runCollector } from '../../../lambdas/shared/collector/run-feed';
import { collectorDeps, INSTANCE_ID } from '../../support/collector-harness';
import { offlineConnectClient } from '../../support/connect-fakes';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const STARTED = new Date('2026-11-23T04:00:10.734Z');
const connect = mockClient(ConnectClient);

/** The collector as index.ts wires it (Connect source over the run's gateway, SQL store), run by the runner. */
describe.each(databaseTargets())('the current-users collector, wired, on $name', (target) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(target.url, 'current_users_wired');
  });
  afterAll(() => db.drop());
  beforeEach(() => connect.reset());

  async function addProfiles(ids: string[]) {
    for (const profileId of ids) {
      await db.pool.query(
        `INSERT INTO routing_profile (instance_id, routing_profile_id, routing_profile_arn, first_seen_at, last_seen_at)
         VALUES ($1, $2, 'arn', now(), now())`,
        [INSTANCE_ID, profileId],
      );
    }
  }

  test('lands the agents, their intervals and the run row together', async () => {
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
      currentUsers,
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
