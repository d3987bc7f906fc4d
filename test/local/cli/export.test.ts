import type { FlatQueueRow } from '../../../lambdas/push/flatten';
import { toCsv } from '../../../local/cli/export';

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
