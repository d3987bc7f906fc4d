import {
  type BatchRow,
  BatchRowTooLargeError,
  splitRows,
  writeBatch,
} from '../../../../lambdas/shared/db/batch';
import type { QueryResult, SqlExecutor, SqlParameters } from '../../../../lambdas/shared/db/executor';
import { createTestSchema, databaseTargets, type TestSchema } from '../../../support/databases';

/** Wraps an executor to record every statement and whether it ran in a transaction. */
function recording(inner: SqlExecutor) {
  const statements: { sql: string; params: SqlParameters | undefined; inTransaction: boolean }[] = [];
  const wrap = (target: SqlExecutor, inTransaction: boolean): SqlExecutor => ({
    query: <R extends Record<string, unknown>>(sql: string, params?: SqlParameters) => {
      statements.push({ sql, params, inTransaction });
      return target.query<R>(sql, params) as Promise<QueryResult<R>>;
    },
    transaction: (work) => target.transaction((tx) => work(wrap(tx, true))),
  });
  return { executor: wrap(inner, false), statements };
}

/** An executor that answers every statement with rowCount = number of rows sent. */
function fakeExecutor(): SqlExecutor {
  const self: SqlExecutor = {
    query: async (_sql, params) => {
      const rows = (params?.rows as { value: unknown[] } | undefined)?.value ?? [];
      return { rows: [], rowCount: rows.length };
    },
    transaction: (work) => work(self),
  };
  return self;
}

describe('splitRows', () => {
  test('keeps rows in order and in as few chunks as the budget allows', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: i, name: 'x'.repeat(10) }));
    const oneRow = Buffer.byteLength(JSON.stringify(JSON.stringify(rows[0]))) - 2 + 1;

    const chunks = splitRows(rows, 2 + oneRow * 4);

    expect(chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunks.flat()).toEqual(rows);
  });

  test('counts the escaping a JSON string gets inside the request body', () => {
    const quoted = [{ text: '"'.repeat(100) }, { text: '"'.repeat(100) }];

    // One row's JSON is 213 bytes; inside the request body each \" travels as \\\" (~413 bytes).
    expect(JSON.stringify(quoted).length).toBeLessThan(600);
    expect(splitRows(quoted, 600)).toHaveLength(2);
  });

  test('refuses a row that alone exceeds the budget', () => {
    expect(() => splitRows([{ id: 1 }, { blob: 'y'.repeat(1_000) }], 500)).toThrow(BatchRowTooLargeError);
    expect(() => splitRows([{ id: 1 }, { blob: 'y'.repeat(1_000) }], 500)).toThrow(/row 1/);
  });
});

describe('writeBatch', () => {
  test('sends nothing for an empty batch', async () => {
    const { executor, statements } = recording(fakeExecutor());

    expect(await writeBatch(executor, 'INSERT ... :rows', [])).toBe(0);
    expect(statements).toHaveLength(0);
  });

  test('splits only past the request limit, in one transaction, and sums rows affected', async () => {
    const { executor, statements } = recording(fakeExecutor());
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ id: i, padding: 'p'.repeat(100) }));

    const affected = await writeBatch(executor, 'INSERT INTO t SELECT * FROM x(:rows::jsonb)', rows, {
      maxRequestBytes: 50_000,
      params: { instanceId: 'i-1' },
    });

    expect(affected).toBe(1_000);
    expect(statements.length).toBeGreaterThan(1);
    expect(statements.every((s) => s.inTransaction)).toBe(true);
    expect(statements.every((s) => s.params?.instanceId === 'i-1')).toBe(true);
  });
});

const UPSERT = `
  INSERT INTO batch_target (instance_id, queue_id, snapshot_time, contacts_in_queue_count, name)
  SELECT :instanceId, r.queue_id, r.snapshot_time, r.contacts_in_queue_count, r.name
  FROM jsonb_to_recordset(:rows::jsonb)
    AS r(queue_id text, snapshot_time timestamptz, contacts_in_queue_count integer, name text)
  ON CONFLICT (instance_id, queue_id, snapshot_time) DO UPDATE
    SET contacts_in_queue_count = excluded.contacts_in_queue_count, name = excluded.name
    WHERE (batch_target.contacts_in_queue_count, batch_target.name)
      IS DISTINCT FROM (excluded.contacts_in_queue_count, excluded.name)`;

describe.each(databaseTargets())('writeBatch on $name', ({ url }) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(url, 'batch');
    await db.pool.query(`CREATE TABLE batch_target (
      instance_id text NOT NULL, queue_id text NOT NULL, snapshot_time timestamptz NOT NULL,
      contacts_in_queue_count integer, name text,
      PRIMARY KEY (instance_id, queue_id, snapshot_time))`);
  });
  afterAll(() => db.drop());

  test('upserts 5,000 rows in one statement, and rerunning it changes nothing', async () => {
    const at = new Date('2026-11-23T04:00:10.000Z');
    const rows: BatchRow[] = Array.from({ length: 5_000 }, (_, i) => ({
      queue_id: `q-${i}`,
      snapshot_time: at,
      contacts_in_queue_count: i % 17,
      name: `Queue "${i}" ünïcode`,
    }));
    const { executor, statements } = recording(db.executor);

    const first = await writeBatch(executor, UPSERT, rows, { params: { instanceId: 'inst-1' } });
    const before = await db.pool.query('SELECT * FROM batch_target ORDER BY queue_id');
    const second = await writeBatch(executor, UPSERT, rows, { params: { instanceId: 'inst-1' } });
    const after = await db.pool.query('SELECT * FROM batch_target ORDER BY queue_id');

    expect(first).toBe(5_000);
    expect(second).toBe(0);
    expect(statements).toHaveLength(2);
    expect(after.rows).toEqual(before.rows);
    const sample = await db.pool.query(
      "SELECT contacts_in_queue_count, name, snapshot_time = '2026-11-23T04:00:10Z'::timestamptz AS same_time FROM batch_target WHERE queue_id = 'q-42'",
    );
    expect(sample.rows[0]).toEqual({
      contacts_in_queue_count: 42 % 17,
      name: 'Queue "42" ünïcode',
      same_time: true,
    });
  });
});
