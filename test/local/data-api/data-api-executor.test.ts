import { DatabaseErrorException, RDSDataClient } from '@aws-sdk/client-rds-data';
import { type BatchRow, writeBatch } from '../../../lambdas/shared/db/batch';
import { DataApiExecutor, type StatementEvent } from '../../../lambdas/shared/db/data-api-executor';
import { parseDbTimestamp, SqlParameterError, sqlJson } from '../../../lambdas/shared/db/executor';
import { RetryExhaustedError } from '../../../lambdas/shared/runtime/retry';
import { type RunningDataApi, startLocalDataApi } from '../../../local/data-api/server';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

/**
 * The DataApiExecutor over the real SDK client and the local Data API: what the deployed collectors
 * do against Aurora, end to end.
 */
describe.each(databaseTargets())('DataApiExecutor through the local Data API on $name', ({ url }) => {
  let db: TestSchema;
  let api: RunningDataApi;
  let client: RDSDataClient;
  let statements: StatementEvent[];

  const executor = (deadlineMs = 10_000) =>
    new DataApiExecutor({
      client,
      resourceArn: api.resourceArn,
      secretArn: api.secretArn,
      database: api.database,
      retry: { deadlineMs, baseDelayMs: 20, maxDelayMs: 200 },
      onStatement: (event) => statements.push(event),
    });
  const count = async (table: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

  beforeAll(async () => {
    db = await createTestSchema(url, 'executor_api');
    api = await startLocalDataApi({ databaseUrl: url, searchPath: db.schema });
    client = new RDSDataClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await db.pool.query(`CREATE TABLE readings (
      id text PRIMARY KEY, at timestamptz, ok boolean, n bigint, x double precision, note text, doc jsonb)`);
    await db.pool.query(`CREATE TABLE snapshots (
      instance_id text, queue_id text, snapshot_time timestamptz, contacts_in_queue_count int, oldest_contact_age_seconds double precision,
      PRIMARY KEY (instance_id, queue_id, snapshot_time))`);
  });
  afterAll(async () => {
    client.destroy();
    await api.close();
    await db.drop();
  });
  beforeEach(async () => {
    statements = [];
    api.faults.clear();
    await db.pool.query('TRUNCATE readings, snapshots');
  });

  test('round-trips null, boolean, integer, float, string, Date and JSON parameters', async () => {
    const at = new Date('2026-11-23T04:05:06.789Z');

    await executor().query('INSERT INTO readings VALUES (:id, :at, :ok, :n, :x, :note, :doc::jsonb)', {
      id: 'r1',
      at,
      ok: false,
      n: 1_234_567_890_123,
      x: -0.125,
      note: null,
      doc: sqlJson({ queues: ['q1', 'q2'], depth: 3 }),
    });
    const { rows } = await executor().query("SELECT *, doc->>'depth' AS depth FROM readings WHERE id = :id", {
      id: 'r1',
    });

    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(parseDbTimestamp(row.at)).toEqual(at);
    expect(row).toMatchObject({
      id: 'r1',
      ok: false,
      n: 1_234_567_890_123,
      x: -0.125,
      note: null,
      depth: '3',
    });
    expect(JSON.parse(row.doc as string)).toEqual({ queues: ['q1', 'q2'], depth: 3 });
  });

  test('retries through an injected resuming window and the write lands once', async () => {
    api.faults.resumingFor(1_500);
    const before = api.stats.statements;

    const result = await executor().query(
      "INSERT INTO readings (id, note) VALUES ('once', 'landed') ON CONFLICT (id) DO NOTHING",
    );

    expect(result.rowCount).toBe(1);
    expect(api.faults.injected).toBeGreaterThanOrEqual(1);
    expect(api.stats.statements - before).toBe(1);
    expect(await count('readings')).toBe(1);
  });

  test('sends each refused attempt again and runs the statement on the database once', async () => {
    api.faults.failNext('DatabaseResumingException', 3);
    const before = api.stats.statements;

    await executor().query("INSERT INTO readings (id) VALUES ('counted')");

    expect(statements).toHaveLength(4);
    expect(api.stats.statements - before).toBe(1);
    expect(await count('readings')).toBe(1);
  });

  test('retries a whole transaction refused while the cluster resumes', async () => {
    api.faults.resumingFor(500);

    await executor().transaction(async (tx) => {
      await tx.query("INSERT INTO readings (id) VALUES ('a') ON CONFLICT DO NOTHING");
      await tx.query("INSERT INTO readings (id) VALUES ('b') ON CONFLICT DO NOTHING");
    });

    expect(await count('readings')).toBe(2);
  });

  test('retries a 503 from the service', async () => {
    api.faults.failNext('ServiceUnavailableError', 2);

    const result = await executor().query('SELECT 1 AS one');

    expect(result.rows).toEqual([{ one: 1 }]);
  });

  test('gives up at the deadline with an error naming DatabaseResumingException, having written nothing', async () => {
    api.faults.resumingFor(60_000);

    const error = await executor(300)
      .query("INSERT INTO readings (id) VALUES ('never')")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toContain('DatabaseResumingException');
    expect(await count('readings')).toBe(0);
  });

  test('a transaction whose work throws leaves nothing behind', async () => {
    const failure = await executor()
      .transaction(async (tx) => {
        await tx.query("INSERT INTO readings (id) VALUES ('partial')");
        throw new Error('collector failed half way');
      })
      .catch((e: unknown) => e);

    expect((failure as Error).message).toBe('collector failed half way');
    expect(await count('readings')).toBe(0);
  });

  test('a transaction whose SQL fails leaves nothing behind and surfaces DatabaseErrorException', async () => {
    const failure = await executor()
      .transaction(async (tx) => {
        await tx.query("INSERT INTO readings (id) VALUES ('first')");
        await tx.query("INSERT INTO readings (id) VALUES ('first')");
      })
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DatabaseErrorException);
    expect((failure as Error).message).toMatch(
      /duplicate key value violates unique constraint.*SQLState: 23505/s,
    );
    expect(await count('readings')).toBe(0);
  });

  test('rejects an unsupported parameter type before any request is sent', async () => {
    const requests = api.stats.requests;

    const error = await executor()
      .query('INSERT INTO readings (id, n) VALUES (:id, :n)', { id: 'x', n: 10n as unknown as number })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SqlParameterError);
    expect((error as Error).message).toContain(':n');
    expect(api.stats.requests).toBe(requests);
  });

  test('upserts 5,000 rows in one Data API statement, and rerunning it changes nothing', async () => {
    const sql = `
      INSERT INTO snapshots (instance_id, queue_id, snapshot_time, contacts_in_queue_count, oldest_contact_age_seconds)
      SELECT :instanceId, r.queue_id, r.snapshot_time, r.contacts_in_queue_count, r.oldest_contact_age_seconds
      FROM jsonb_to_recordset(:rows::jsonb)
        AS r(queue_id text, snapshot_time timestamptz, contacts_in_queue_count int, oldest_contact_age_seconds double precision)
      ON CONFLICT (instance_id, queue_id, snapshot_time) DO UPDATE
        SET contacts_in_queue_count = excluded.contacts_in_queue_count,
            oldest_contact_age_seconds = excluded.oldest_contact_age_seconds
        WHERE (snapshots.contacts_in_queue_count, snapshots.oldest_contact_age_seconds)
          IS DISTINCT FROM (excluded.contacts_in_queue_count, excluded.oldest_contact_age_seconds)`;
    const at = new Date('2026-11-23T04:00:10Z');
    const rows: BatchRow[] = Array.from({ length: 5_000 }, (_, i) => ({
      queue_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      snapshot_time: at,
      contacts_in_queue_count: i % 23,
      oldest_contact_age_seconds: i / 10,
    }));
    const before = api.stats.statements;

    const first = await writeBatch(executor(), sql, rows, { params: { instanceId: 'inst-1' } });
    const snapshot = await db.pool.query('SELECT * FROM snapshots ORDER BY queue_id');
    const second = await writeBatch(executor(), sql, rows, { params: { instanceId: 'inst-1' } });
    const after = await db.pool.query('SELECT * FROM snapshots ORDER BY queue_id');

    expect(first).toBe(5_000);
    expect(second).toBe(0);
    expect(api.stats.statements - before).toBe(2);
    expect(statements).toHaveLength(2);
    expect(statements[0]!.bytes).toBeLessThan(4 * 1024 * 1024);
    expect(after.rows).toEqual(snapshot.rows);
    expect(after.rows).toHaveLength(5_000);
  });
});
