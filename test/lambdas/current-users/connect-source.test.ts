import {
  ConnectClient,
  GetCurrentUserDataCommand,
  type GetCurrentUserDataCommandInput,
  ListRoutingProfilesCommand,
  type UserData,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectCurrentUsersSource } from '../../../lambdas/current-users/connect-source';
import { id, offlineConnectClient, page, unlimitedGateway } from '../../support/connect-fakes';

const INSTANCE = 'a1b2c3d4-1111-4222-8333-444455556666';
const connect = mockClient(ConnectClient);
const STATUS_START = new Date('2026-11-23T03:55:00.000Z');

const userData = (agent: number, profile: string): UserData => ({
  User: { Id: id('agent', agent), Arn: `arn:agent/${agent}` },
  RoutingProfile: { Id: profile, Arn: `arn:rp/${profile}` },
  Status: { StatusName: 'Available', StatusArn: 'arn:status/available', StatusStartTimestamp: STATUS_START },
  AvailableSlotsByChannel: { VOICE: 1, CHAT: 2, TASK: 0 },
  MaxSlotsByChannel: { VOICE: 1, CHAT: 3, TASK: 1 },
  ActiveSlotsByChannel: { VOICE: 0, CHAT: 1, TASK: 1 },
  Contacts: [],
});

/** Answers GetCurrentUserData like Connect: the agents of the filtered routing profiles, 100 a page. */
function serveUsers(agents: number, profiles: number) {
  const all = Array.from({ length: agents }, (_, i) => userData(i, id('rp', i % profiles)));
  connect.on(GetCurrentUserDataCommand).callsFake((input: GetCurrentUserDataCommandInput) => {
    const wanted = new Set(input.Filters?.RoutingProfiles ?? []);
    const matching = all.filter((u) => wanted.has(u.RoutingProfile?.Id ?? ''));
    const { items, next } = page(matching, input.NextToken, input.MaxResults ?? 100);
    return Promise.resolve({ UserDataList: items, NextToken: next, ApproximateTotalCount: matching.length });
  });
}

function source() {
  return connectCurrentUsersSource(unlimitedGateway(offlineConnectClient()), INSTANCE);
}

beforeEach(() => connect.reset());

describe('connectCurrentUsersSource.read', () => {
  test('filters on 100 routing profiles a request, 100 agents a page, and reads every agent of 2,500', async () => {
    serveUsers(2500, 250);
    const profiles = Array.from({ length: 250 }, (_, i) => id('rp', i));

    const snapshot = await source().read(profiles);

    expect(snapshot.agents).toHaveLength(2500);
    expect(new Set(snapshot.agents.map((a) => a.agentId)).size).toBe(2500);
    expect(snapshot.batches).toBe(3);
    const inputs = connect.commandCalls(GetCurrentUserDataCommand).map((c) => c.args[0].input);
    const batches = [...new Set(inputs.map((i) => JSON.stringify(i.Filters?.RoutingProfiles)))];
    expect(batches.map((b) => (JSON.parse(b) as string[]).length).sort()).toEqual([100, 100, 50]);
    for (const input of inputs) {
      expect(input).toMatchObject({ InstanceId: INSTANCE, MaxResults: 100 });
      expect(input.Filters?.Queues).toBeUndefined();
    }
    // 1,000 + 1,000 + 500 agents in the three batches: 10 + 10 + 5 pages, the fewest calls possible.
    expect(inputs).toHaveLength(25);
  });

  test('keeps each agent once when a moved page boundary repeats it', async () => {
    connect
      .on(GetCurrentUserDataCommand)
      .resolvesOnce({ UserDataList: [userData(1, 'rp'), userData(2, 'rp')], NextToken: 't' })
      .resolvesOnce({ UserDataList: [userData(2, 'rp'), userData(3, 'rp')] });

    const snapshot = await source().read(['rp']);

    expect(snapshot.agents.map((a) => a.agentId)).toEqual([id('agent', 1), id('agent', 2), id('agent', 3)]);
    expect(snapshot.presentAgentIds).toHaveLength(3);
  });

  test('maps status, slots by channel, contacts and hierarchy into the stored shape', async () => {
    const connected = new Date('2026-11-23T03:59:30.000Z');
    connect.on(GetCurrentUserDataCommand).resolves({
      UserDataList: [
        {
          ...userData(1, 'rp-1'),
          HierarchyPath: { LevelOne: { Id: 'site-1', Arn: 'arn:site-1' }, LevelTwo: { Id: 'team-4' } },
          NextStatus: 'Lunch',
          Contacts: [
            {
              ContactId: 'c-1',
              Channel: 'VOICE',
              InitiationMethod: 'INBOUND',
              AgentContactState: 'CONNECTED',
              StateStartTimestamp: connected,
              ConnectedToAgentTimestamp: connected,
              Queue: { Id: 'q-1', Arn: 'arn:q-1' },
            },
          ],
        },
      ],
    });

    const [agent] = (await source().read(['rp-1'])).agents;

    expect(agent).toEqual({
      agentId: id('agent', 1),
      routingProfileId: 'rp-1',
      statusArn: 'arn:status/available',
      statusName: 'Available',
      statusStartedAt: STATUS_START,
      nextStatusName: 'Lunch',
      slotsByChannel: {
        CHAT: { available: 2, active: 1, max: 3 },
        TASK: { available: 0, active: 1, max: 1 },
        VOICE: { available: 1, active: 0, max: 1 },
      },
      availableSlots: 3,
      activeSlots: 2,
      maxSlots: 5,
      contacts: [
        {
          contact_id: 'c-1',
          channel: 'VOICE',
          initiation_method: 'INBOUND',
          agent_contact_state: 'CONNECTED',
          state_started_at: connected.toISOString(),
          connected_to_agent_at: connected.toISOString(),
          queue_id: 'q-1',
        },
      ],
      hierarchyPath: {
        level_one: { id: 'site-1', arn: 'arn:site-1' },
        level_two: { id: 'team-4', arn: null },
      },
    });
  });

  test('keeps what Connect left out as null, never zero', async () => {
    connect.on(GetCurrentUserDataCommand).resolves({ UserDataList: [{ User: { Id: 'u-1' } }] });

    const [agent] = (await source().read(['rp-1'])).agents;

    expect(agent).toMatchObject({
      routingProfileId: null,
      statusName: null,
      statusStartedAt: null,
      slotsByChannel: null,
      availableSlots: null,
      activeSlots: null,
      maxSlots: null,
      contacts: [],
      hierarchyPath: null,
    });
  });

  test('skips a malformed record and records why, keeps the rest, and still counts its agent present', async () => {
    connect.on(GetCurrentUserDataCommand).resolves({
      UserDataList: [
        userData(1, 'rp'),
        { ...userData(2, 'rp'), AvailableSlotsByChannel: { VOICE: 'one' as unknown as number } },
        userData(3, 'rp'),
      ],
    });

    const snapshot = await source().read(['rp']);

    expect(snapshot.agents.map((a) => a.agentId)).toEqual([id('agent', 1), id('agent', 3)]);
    expect(snapshot.presentAgentIds).toContain(id('agent', 2));
    expect(snapshot.someAgentsUnidentified).toBe(false);
    expect(snapshot.skipped).toEqual([
      {
        record: `batch 0 UserDataList[1] (user ${id('agent', 2)})`,
        reason: expect.stringContaining('AvailableSlotsByChannel.VOICE'),
      },
    ]);
  });

  test('flags a skipped record that names no user, since absence then proves nothing', async () => {
    connect.on(GetCurrentUserDataCommand).resolves({
      UserDataList: [userData(1, 'rp'), { Status: { StatusName: 'Available' } }],
    });

    const snapshot = await source().read(['rp']);

    expect(snapshot.agents).toHaveLength(1);
    expect(snapshot.someAgentsUnidentified).toBe(true);
    expect(snapshot.skipped[0]?.reason).toContain('User');
  });

  test('flags a page whose user list is unreadable, since its agents cannot be known', async () => {
    connect
      .on(GetCurrentUserDataCommand)
      .resolvesOnce({ UserDataList: [userData(1, 'rp')], NextToken: 't' })
      .resolvesOnce({ UserDataList: 'garbage' as unknown as UserData[] });

    const snapshot = await source().read(['rp']);

    expect(snapshot.agents).toHaveLength(1);
    expect(snapshot.someAgentsUnidentified).toBe(true);
    expect(snapshot.skipped).toEqual([{ record: 'batch 0 page', reason: 'UserDataList is not a list' }]);
  });
});

describe('connectCurrentUsersSource.listRoutingProfileIds', () => {
  test('lists every routing profile 1,000 a page to the last page', async () => {
    const all = Array.from({ length: 1001 }, (_, i) => ({
      Id: id('rp', i),
      Arn: `arn:rp/${i}`,
      Name: `RP ${i}`,
    }));
    connect.on(ListRoutingProfilesCommand).callsFake((input) => {
      const { items, next } = page(all, input.NextToken, input.MaxResults ?? 100);
      return Promise.resolve({ RoutingProfileSummaryList: items, NextToken: next });
    });

    const ids = await source().listRoutingProfileIds();

    expect(ids).toEqual(all.map((p) => p.Id));
    expect(connect.commandCalls(ListRoutingProfilesCommand)).toHaveLength(2);
  });
});
