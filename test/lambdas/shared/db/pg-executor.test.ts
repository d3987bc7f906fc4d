import { parseDbTimestamp, SqlParameterError, sqlJson } from '../../../../lambdas/shared/db/executor';
import { createTestSchema, databaseTargets, type TestSchema } from '../../../support/databases';

describe.each(databaseTargets())('PgExecutor on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema(url, 'pg_executor');
    await db.executor.query(
      'CREATE TABLE item (id text PRIMARY KEY, n bigint, x double precision, at timestamptz, doc jsonb, ok boolean)',
    );
  });
  afterAll(() => db.drop());

  test('round-trips every parameter type with Data API-shaped rows', async () => {
    const at = new Date('2026-11-23T10:20:30.456Z');
    await db.executor.query('INSERT INTO item VALUES (:id, :n, :x, :at, :doc::jsonb, :ok)', {
      id: 'a',
      n: 42,
      x: 1.5,
      at,
      doc: sqlJson({ k: ['v', 1] }),
      ok: true,
    });
    const { rows } = await db.executor.query('SELECT * FROM item WHERE id = :id', { id: 'a' });
    expect(rows).toEqual([
      { id: 'a', n: 42, x: 1.5, at: '2026-11-23 10:20:30.456', doc: '{"k": ["v", 1]}', ok: true },
    ]);
    expect(parseDbTimestamp(rows[0]?.at)).toEqual(at);
  });

  test('sends null as SQL NULL', async () => {
    await db.executor.query('INSERT INTO item (id, n) VALUES (:id, :n)', { id: 'null-n', n: null });
    const { rows } = await db.executor.query('SELECT n IS NULL AS is_null FROM item WHERE id = :id', {
      id: 'null-n',
    });
    expect(rows[0]?.is_null).toBe(true);
  });

  test('rejects a parameter of an unsupported type before sending anything', async () => {
    await expect(
      db.executor.query('INSERT INTO item (id, n) VALUES (:id, :n)', { id: 'bad', n: BigInt(1) as never }),
    ).rejects.toThrow(
      new SqlParameterError(
        'parameter :n has unsupported type bigint; expected null, boolean, number, string, Date or sqlJson(value)',
      ),
    );
    await expect(db.executor.query('SELECT :missing')).rejects.toThrow(
      /:missing is used in the SQL but was not given/,
    );
  });

  test('a transaction that throws leaves nothing behind', async () => {
    await expect(
      db.executor.transaction(async (tx) => {
        await tx.query("INSERT INTO item (id) VALUES ('rolled-back')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rowCount } = await db.executor.query("SELECT 1 FROM item WHERE id = 'rolled-back'");
    expect(rowCount).toBe(0);
  });

  test('a transaction that resolves commits and returns its value', async () => {
    const value = await db.executor.transaction(async (tx) => {
      await tx.query("INSERT INTO item (id) VALUES ('committed')");
      return 7;
    });
    expect(value).toBe(7);
    const { rowCount } = await db.executor.query("SELECT 1 FROM item WHERE id = 'committed'");
    expect(rowCount).toBe(1);
  });
});
