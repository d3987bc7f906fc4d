import type { FlatQueueRow } from '../../../lambdas/push/flatten';
import { runFeed } from '../../../lambdas/shared/collector/run-feed';
import { exportRows, toCsv } from '../../../local/cli/export';
import { COLLECTORS } from '../../../local/runner/collectors';
import { startTestPipeline, type TestPipeline } from '../../support/pipeline';

const row = (name: string, inQueue: number | null) =>
  ({
    Date: '2026-11-23T10:00:00.000Z',
    Client: 'Acme',
    QueueName: name,
    Channel: 'VOICE',
    ContactsInQueue: inQueue,
  }) as unknown as FlatQueueRow;

describe('toCsv', () => {
  test('writes a header and one line per row, nulls as empty fields', () => {
    expect(toCsv([row('Sales', 3), row('Support', null)])).toBe(
      'Date,Client,QueueName,Channel,ContactsInQueue\n' +
        '2026-11-23T10:00:00.000Z,Acme,Sales,VOICE,3\n' +
        '2026-11-23T10:00:00.000Z,Acme,Support,VOICE,\n',
    );
  });

  test('quotes fields with commas, quotes or line breaks', () => {
    expect(
      toCsv([row('Sales, "West"\nline', 1)])
        .split('\n')
        .slice(1)
        .join('\n'),
    ).toBe('2026-11-23T10:00:00.000Z,Acme,"Sales, ""West""\nline",VOICE,1\n');
  });

  test('prints nothing for no rows', () => {
    expect(toCsv([])).toBe('');
  });
});

describe('exportRows: one client of several (a fleet)', () => {
  let pipeline: TestPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({ instanceCount: 2, queues: 3, agents: 6, label: 'export_client' });
    await runFeed(COLLECTORS.metadata, pipeline.deps());
    await runFeed(COLLECTORS.current_metrics, pipeline.deps());
  }, 60_000);
  afterAll(() => pipeline.close());

  test("--client keeps that client's instances only; without it, every client", async () => {
    const all = await exportRows(pipeline.db);
    const second = await exportRows(pipeline.db, 'Client 2');

    expect(new Set(all.map((r) => r.Client))).toEqual(new Set(['Client 1', 'Client 2']));
    expect(second.length).toBeGreaterThan(0);
    expect(second).toEqual(all.filter((r) => r.Client === 'Client 2'));
  });

  test('an unknown client is an error naming the clients there are', async () => {
    await expect(exportRows(pipeline.db, 'Client 9')).rejects.toThrow(
      '--client: no instance of client "Client 9" (expected one of: Client 1, Client 2)',
    );
  });
});
