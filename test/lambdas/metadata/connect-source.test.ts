import {
  ConnectClient,
  ListAgentStatusesCommand,
  ListHoursOfOperationsCommand,
  ListQueuesCommand,
  ListRoutingProfilesCommand,
  ListUsersCommand,
  SearchQueuesCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectMetadataSource } from '../../../lambdas/metadata/connect-source';
import { ConnectGateway } from '../../../lambdas/shared/connect/gateway';
import type { RateLimiter } from '../../../lambdas/shared/connect/rate-limiter';

const connect = mockClient(ConnectClient);
const INSTANCE_ARN = 'arn:aws:connect:us-east-1:111122223333:instance/i-1';
const limiter = { acquire: async () => undefined } as unknown as RateLimiter;
const client = new ConnectClient({ region: 'us-east-1' });
const source = () =>
  connectMetadataSource(
    new ConnectGateway(client, { limiter, deadlineAt: Date.now() + 5000 }),
    'i-1',
    INSTANCE_ARN,
  );

const users = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => ({
    Id: `u${from + k}`,
    Arn: `arn:u${from + k}`,
    Username: `user${from + k}`,
  }));

beforeEach(() => {
  connect.reset();
  connect.on(ListQueuesCommand).resolves({ QueueSummaryList: [] });
  connect.on(ListRoutingProfilesCommand).resolves({ RoutingProfileSummaryList: [] });
  connect.on(ListAgentStatusesCommand).resolves({ AgentStatusSummaryList: [] });
  connect.on(ListUsersCommand).resolves({ UserSummaryList: [] });
  connect.on(ListHoursOfOperationsCommand).resolves({ HoursOfOperationSummaryList: [] });
  connect.on(SearchQueuesCommand).resolves({ Queues: [] });
});

describe('connectMetadataSource', () => {
  test('pages ListUsers past 1,000 items to the last page, asking for 1,000 a page', async () => {
    const pages = [
      { UserSummaryList: users(0, 1000), NextToken: 'p2' },
      { UserSummaryList: users(1000, 1000), NextToken: 'p3' },
      { UserSummaryList: users(2000, 150) },
    ];
    // The SDK paginator reuses one input object, so record what each request carried when it was sent.
    const sent: [string | undefined, number | undefined][] = [];
    connect.on(ListUsersCommand).callsFake((input) => {
      sent.push([input.NextToken, input.MaxResults]);
      return pages.shift();
    });
    const metadata = await source().read(Date.parse('2026-11-23T12:00:00Z'));
    expect(metadata.agents).toHaveLength(2150);
    expect(metadata.agents[2149]).toEqual({
      id: 'u2149',
      arn: 'arn:u2149',
      name: 'user2149',
      type: null,
      lastModifiedAt: null,
    });
    expect(sent).toEqual([
      [undefined, 1000],
      ['p2', 1000],
      ['p3', 1000],
    ]);
  });

  test('asks ListQueues for STANDARD and AGENT queues and keeps their types', async () => {
    connect.on(ListQueuesCommand).resolves({
      QueueSummaryList: [
        { Id: 'q1', Arn: 'arn:q1', Name: 'Sales', QueueType: 'STANDARD' },
        { Id: 'q2', Arn: 'arn:q2', QueueType: 'AGENT' },
      ],
    });
    const metadata = await source().read(Date.parse('2026-11-23T12:00:00Z'));
    expect(connect).toHaveReceivedCommandWith(ListQueuesCommand, { QueueTypes: ['STANDARD', 'AGENT'] });
    expect(metadata.queues.map((q) => [q.id, q.name, q.type])).toEqual([
      ['q1', 'Sales', 'STANDARD'],
      ['q2', null, 'AGENT'],
    ]);
  });

  test('skips a malformed record, says why, and keeps the rest of the page', async () => {
    connect.on(ListUsersCommand).resolves({
      UserSummaryList: [
        { Id: 'u1', Arn: 'arn:u1', Username: 'ok' },
        { Arn: 'arn:no-id' },
        { Id: 'u3', Arn: 'arn:u3' },
      ],
    });
    const metadata = await source().read(Date.parse('2026-11-23T12:00:00Z'));
    expect(metadata.agents.map((a) => a.id)).toEqual(['u1', 'u3']);
    expect(metadata.skipped).toEqual([{ record: 'user[1]', reason: expect.stringContaining('Id') }]);
  });

  test('keeps one item when a page boundary repeats it', async () => {
    connect
      .on(ListRoutingProfilesCommand)
      .resolvesOnce({ RoutingProfileSummaryList: [{ Id: 'r1', Arn: 'arn:r1', Name: 'A' }], NextToken: 'n' })
      .resolvesOnce({
        RoutingProfileSummaryList: [
          { Id: 'r1', Arn: 'arn:r1', Name: 'A' },
          { Id: 'r2', Arn: 'arn:r2', Name: 'B' },
        ],
      });
    const metadata = await source().read(Date.parse('2026-11-23T12:00:00Z'));
    expect(metadata.routingProfiles.map((r) => r.id)).toEqual(['r1', 'r2']);
  });

  test('a role that may not read hours of operation: the other dimensions still land, and the skip names the fix', async () => {
    connect
      .on(ListQueuesCommand)
      .resolves({ QueueSummaryList: [{ Id: 'q1', Arn: 'arn:q1', QueueType: 'STANDARD' }] });
    connect.on(ListHoursOfOperationsCommand).rejects(
      Object.assign(new Error('not authorized to perform: connect:ListHoursOfOperations'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const metadata = await source().read(Date.parse('2026-11-23T12:00:00Z'));

    expect(metadata.queues.map((q) => [q.id, q.hoursId])).toEqual([['q1', null]]);
    expect(metadata.hours).toBeNull();
    expect(metadata.skipped).toEqual([
      {
        record: 'hoursOfOperation',
        reason: expect.stringMatching(/AccessDeniedException.*redeploy the client account's read-only role/),
      },
    ]);
  });
});
