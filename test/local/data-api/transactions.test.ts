import type { Backend, LeasedSession, RawResult } from '../../../local/data-api/backends';
import { DataApiError } from '../../../local/data-api/protocol';
import { TransactionRegistry } from '../../../local/data-api/transactions';

const EMPTY: RawResult = { fields: [], rows: [], updated: 0 };

/** A backend whose sessions record statements; `hold` makes the next statement wait until released. */
function fakeBackend() {
  const statements: string[] = [];
  const released: boolean[] = [];
  let gate: Promise<void> | undefined;
  const backend: Backend = {
    database: 'postgres',
    withSession: async (work) =>
      work({
        run: async () => EMPTY,
      }),
    lease: async (): Promise<LeasedSession> => ({
      run: async (text) => {
        statements.push(text);
        if (gate && text !== 'BEGIN' && text !== 'ROLLBACK' && text !== 'COMMIT') await gate;
        if (text === 'FAIL') throw new Error('statement failed');
        return EMPTY;
      },
      release: (broken = false) => released.push(broken),
    }),
    close: async () => undefined,
  };
  return {
    backend,
    statements,
    released,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<DataApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DataApiError)) throw new Error(`expected a DataApiError, got ${String(error)}`);
  return error;
}

describe('TransactionRegistry', () => {
  test('refuses a second call while the transaction is still running one, as the Data API does', async () => {
    const fake = fakeBackend();
    const registry = new TransactionRegistry(fake.backend);
    const id = await registry.begin();
    const release = fake.hold();
    const first = registry.use(id, (session) => session.run('SELECT slow', []));

    const error = await rejection(registry.use(id, (session) => session.run('SELECT 1', [])));
    release();
    await first;

    expect(error.errorType).toBe('DatabaseErrorException');
    expect(error.message).toBe('Transaction is still running a query');
    expect(fake.statements).toEqual(['BEGIN', 'SELECT slow']);
    await registry.rollback(id);
  });

  test('gives out opaque ids that differ per transaction', async () => {
    const registry = new TransactionRegistry(fakeBackend().backend);

    const [a, b] = await Promise.all([registry.begin(), registry.begin()]);

    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(64);
    await registry.closeAll();
  });

  test('rolls back, releases and forgets a transaction whose statement fails', async () => {
    const fake = fakeBackend();
    const registry = new TransactionRegistry(fake.backend);
    const id = await registry.begin();

    await expect(registry.use(id, (session) => session.run('FAIL', []))).rejects.toThrow('statement failed');
    const error = await rejection(registry.commit(id));

    expect(fake.statements).toEqual(['BEGIN', 'FAIL', 'ROLLBACK']);
    expect(fake.released).toEqual([false]);
    expect(error.errorType).toBe('TransactionNotFoundException');
    expect(error.status).toBe(404);
    expect(registry.size).toBe(0);
  });

  test('says a committed id was already committed when it is used again', async () => {
    const registry = new TransactionRegistry(fakeBackend().backend);
    const id = await registry.begin();
    await registry.commit(id);

    const error = await rejection(registry.rollback(id));

    expect(error.message).toBe(`Transaction ${id} is not found (it was already committed)`);
  });

  test('rolls back every open transaction on closeAll', async () => {
    const fake = fakeBackend();
    const registry = new TransactionRegistry(fake.backend);
    await registry.begin();
    await registry.begin();

    await registry.closeAll();

    expect(fake.statements.filter((s) => s === 'ROLLBACK')).toHaveLength(2);
    expect(registry.size).toBe(0);
  });
});
