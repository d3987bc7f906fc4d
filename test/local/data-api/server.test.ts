import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  RDSDataClient,
  RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import {
  LocalDataApiConfigError,
  type RunningDataApi,
  startLocalDataApi,
} from '../../../local/data-api/server';
import { createTestSchema, databaseTargets, type TestSchema } from '../../support/databases';

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

/** Runs `promise` and returns what it rejected with (fails the test if it resolved). */
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected the call to fail, but it succeeded');
  return outcome;
}

describe.each(databaseTargets())('local Data API on $name', ({ url }) => {
  let db: TestSchema;
  let api: RunningDataApi;
  let client: RDSDataClient;
  const base = () => ({ resourceArn: api.resourceArn, secretArn: api.secretArn, database: api.database });
  const execute = (input: Omit<ExecuteStatementCommandInput, 'resourceArn' | 'secretArn'>) =>
    client.send(new ExecuteStatementCommand({ ...base(), ...input }));
  const post = (path: string, body: string) =>
    fetch(`${api.endpoint}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    db = await createTestSchema(url, 'data_api');
    api = await startLocalDataApi({ databaseUrl: url, searchPath: db.schema });
    client = new RDSDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await db.pool.query(`CREATE TABLE kinds (
      id int PRIMARY KEY, flag boolean, small int, big bigint, ratio double precision, amount numeric(12,3),
      label text, code varchar(10), at timestamptz, local_at timestamp, day date, clock time, uid uuid,
      doc jsonb, raw bytea, tags text[], counts int[])`);
    await db.pool.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  afterAll(async () => {
    client.destroy();
    await api.close();
    await db.drop();
  });
  beforeEach(() => db.pool.query('TRUNCATE notes'));

  test('round-trips every value type with the real SDK client, as records and as JSON', async () => {
    const insert = await execute({
      sql: `INSERT INTO kinds VALUES (:id, :flag, :small, :big, :ratio, :amount, :label, :code, :at, :localAt,
              :day, :clock, :uid, :doc::jsonb, :raw, ARRAY['a', 'b c'], ARRAY[1, NULL, 3])`,
      parameters: [
        { name: 'id', value: { longValue: 1 } },
        { name: 'flag', value: { booleanValue: true } },
        { name: 'small', value: { longValue: -5 } },
        { name: 'big', value: { longValue: 9_007_199_254_740_991 } },
        { name: 'ratio', value: { doubleValue: 0.25 } },
        { name: 'amount', value: { stringValue: '12345.678' }, typeHint: 'DECIMAL' },
        { name: 'label', value: { stringValue: 'Queue "Sales" ü' } },
        { name: 'code', value: { isNull: true } },
        { name: 'at', value: { stringValue: '2026-11-23 04:05:06.789' }, typeHint: 'TIMESTAMP' },
        { name: 'localAt', value: { stringValue: '2026-11-23 10:00:00' }, typeHint: 'TIMESTAMP' },
        { name: 'day', value: { stringValue: '2026-11-23' }, typeHint: 'DATE' },
        { name: 'clock', value: { stringValue: '13:14:15' }, typeHint: 'TIME' },
        { name: 'uid', value: { stringValue: '6f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f' }, typeHint: 'UUID' },
        { name: 'doc', value: { stringValue: '{"queues":["q1"],"n":2}' }, typeHint: 'JSON' },
        { name: 'raw', value: { blobValue: new Uint8Array([0, 1, 254, 255]) } },
      ],
    });
    expect(insert.numberOfRecordsUpdated).toBe(1);

    const asRecords = await execute({ sql: 'SELECT * FROM kinds WHERE id = 1', includeResultMetadata: true });
    const asJson = await execute({ sql: 'SELECT * FROM kinds WHERE id = 1', formatRecordsAs: 'JSON' });

    expect(asRecords.records?.[0]).toEqual([
      { longValue: 1 },
      { booleanValue: true },
      { longValue: -5 },
      { longValue: 9_007_199_254_740_991 },
      { doubleValue: 0.25 },
      { stringValue: '12345.678' },
      { stringValue: 'Queue "Sales" ü' },
      { isNull: true },
      { stringValue: '2026-11-23 04:05:06.789' },
      { stringValue: '2026-11-23 10:00:00' },
      { stringValue: '2026-11-23' },
      { stringValue: '13:14:15' },
      { stringValue: '6f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f' },
      { stringValue: '{"n": 2, "queues": ["q1"]}' },
      { blobValue: new Uint8Array([0, 1, 254, 255]) },
      { arrayValue: { stringValues: ['a', 'b c'] } },
      { arrayValue: { longValues: [1, null, 3] } },
    ]);
    expect(asRecords.columnMetadata?.map((c) => c.typeName)).toEqual([
      'int4',
      'bool',
      'int4',
      'int8',
      'float8',
      'numeric',
      'text',
      'varchar',
      'timestamptz',
      'timestamp',
      'date',
      'time',
      'uuid',
      'jsonb',
      'bytea',
      '_text',
      '_int4',
    ]);
    expect(JSON.parse(asJson.formattedRecords ?? '')).toEqual([
      {
        id: 1,
        flag: true,
        small: -5,
        big: 9_007_199_254_740_991,
        ratio: 0.25,
        amount: '12345.678',
        label: 'Queue "Sales" ü',
        code: null,
        at: '2026-11-23 04:05:06.789',
        local_at: '2026-11-23 10:00:00',
        day: '2026-11-23',
        clock: '13:14:15',
        uid: '6f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
        doc: '{"n": 2, "queues": ["q1"]}',
        raw: 'AAH+/w==',
        tags: ['a', 'b c'],
        counts: [1, null, 3],
      },
    ]);
    expect(asJson.records).toBeUndefined();
  });

  test('binds a string without typeHint as varchar, so a timestamptz column refuses it as on AWS', async () => {
    const error = await failure(
      execute({
        sql: 'INSERT INTO kinds (id, at) VALUES (2, :at)',
        parameters: [{ name: 'at', value: { stringValue: '2026-11-23 04:05:06' } }],
      }),
    );

    expect(error.name).toBe('DatabaseErrorException');
    expect(error.message).toMatch(
      /column "at" is of type timestamp with time zone but expression is of type character varying/,
    );
    expect(error.message).toMatch(/SQLState: 42804/);
  });

  test('refuses a TIMESTAMP typeHint value that is not YYYY-MM-DD HH:MM:SS[.FFF]', async () => {
    const error = await failure(
      execute({
        sql: 'SELECT :at AS at',
        parameters: [{ name: 'at', value: { stringValue: '2026-11-23T04:05:06Z' }, typeHint: 'TIMESTAMP' }],
      }),
    );

    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain('YYYY-MM-DD HH:MM:SS');
  });

  test('commits a transaction: its rows are visible afterwards', async () => {
    const { transactionId } = await client.send(new BeginTransactionCommand(base()));
    await execute({ sql: "INSERT INTO notes VALUES (1, 'one')", transactionId });
    await execute({ sql: "INSERT INTO notes VALUES (2, 'two')", transactionId });

    const outcome = await client.send(new CommitTransactionCommand({ ...base(), transactionId }));

    expect(outcome.transactionStatus).toBe('Transaction Committed');
    const { rows } = await db.pool.query('SELECT id FROM notes ORDER BY id');
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('rolls back a transaction: nothing it wrote remains', async () => {
    const { transactionId } = await client.send(new BeginTransactionCommand(base()));
    await execute({ sql: "INSERT INTO notes VALUES (1, 'one')", transactionId });

    const outcome = await client.send(new RollbackTransactionCommand({ ...base(), transactionId }));

    expect(outcome.transactionStatus).toBe('Rollback Complete');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });

  test('a failed statement aborts its transaction: nothing is left behind and the id is gone', async () => {
    const { transactionId } = await client.send(new BeginTransactionCommand(base()));
    await execute({ sql: "INSERT INTO notes VALUES (1, 'one')", transactionId });

    const sqlError = await failure(execute({ sql: 'INSERT INTO notes VALUES (2, NULL)', transactionId }));
    const afterwards = await failure(client.send(new CommitTransactionCommand({ ...base(), transactionId })));

    expect(sqlError.name).toBe('DatabaseErrorException');
    expect(sqlError.message).toMatch(/null value in column "body".*SQLState: 23502/s);
    expect(afterwards.name).toBe('TransactionNotFoundException');
    expect(afterwards.message).toContain('aborted by an error');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });

  test('answers an unknown transaction id with TransactionNotFoundException (404)', async () => {
    const error = await failure(execute({ sql: 'SELECT 1', transactionId: 'bm90LWEtdHJhbnNhY3Rpb24=' }));

    expect(error.name).toBe('TransactionNotFoundException');
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  test('rolls back a transaction left idle past the timeout', async () => {
    const quick = await startLocalDataApi({
      databaseUrl: url,
      searchPath: db.schema,
      transactionIdleTimeoutMs: 1_000,
    });
    const quickClient = new RDSDataClient({ endpoint: quick.endpoint, region: 'us-east-1', credentials });
    const { transactionId } = await quickClient.send(new BeginTransactionCommand(base()));
    await quickClient.send(
      new ExecuteStatementCommand({ ...base(), sql: "INSERT INTO notes VALUES (7, 'idle')", transactionId }),
    );

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const error = await failure(quickClient.send(new CommitTransactionCommand({ ...base(), transactionId })));
    quickClient.destroy();
    await quick.close();

    expect(error.name).toBe('TransactionNotFoundException');
    expect(error.message).toContain('expired');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });

  test('answers an SQL error with DatabaseErrorException carrying the PostgreSQL message', async () => {
    const error = await failure(execute({ sql: 'SELECT * FROM no_such_table' }));

    expect(error.name).toBe('DatabaseErrorException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      /^ERROR: relation "no_such_table" does not exist\n {2}Position: 15; SQLState: 42P01$/,
    );
  });

  test('refuses several statements in one call with ValidationException, as the Data API does', async () => {
    const error = await failure(
      execute({ sql: "INSERT INTO notes VALUES (1, 'a'); INSERT INTO notes VALUES (2, 'b')" }),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("Multistatements aren't supported.");
    expect((await db.pool.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });

  test('runs BatchExecute with every parameter set, all or nothing', async () => {
    const sets = [1, 2, 3].map((id) => [
      { name: 'id', value: { longValue: id } },
      { name: 'body', value: id === 3 ? { isNull: true } : { stringValue: `n${id}` } },
    ]);
    const sql = 'INSERT INTO notes VALUES (:id, :body)';

    const error = await failure(
      client.send(new BatchExecuteStatementCommand({ ...base(), sql, parameterSets: sets })),
    );
    const ok = await client.send(
      new BatchExecuteStatementCommand({ ...base(), sql, parameterSets: sets.slice(0, 2) }),
    );

    expect(error.name).toBe('DatabaseErrorException');
    expect(ok.updateResults).toHaveLength(2);
    expect((await db.pool.query('SELECT id FROM notes ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('answers malformed bodies, bad ARNs and empty fields with BadRequestException', async () => {
    const notJson = await post('/Execute', '{"sql": ');
    const badArn = await post(
      '/Execute',
      JSON.stringify({ resourceArn: 'cluster', secretArn: api.secretArn, sql: 'SELECT 1' }),
    );
    const emptyField = await failure(
      execute({ sql: 'SELECT :x', parameters: [{ name: 'x', value: {} as never }] }),
    );

    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^Malformed request body/);
    expect(badArn.status).toBe(400);
    expect(((await badArn.json()) as { message: string }).message).toContain(
      'resourceArn: resourceArn is not a well-formed ARN',
    );
    expect(emptyField.name).toBe('BadRequestException');
    expect(emptyField.message).toContain('exactly one value member');
  });

  test('refuses a request body over 4 MiB', async () => {
    const body = JSON.stringify({
      ...base(),
      sql: 'SELECT 1',
      parameters: [{ name: 'x', value: { stringValue: 'x'.repeat(4_200_000) } }],
    });

    const response = await post('/Execute', body);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(((await response.json()) as { message: string }).message).toContain('4 MiB');
  });

  test('answers many concurrent statements and transactions each with its own result', async () => {
    const one = async (i: number) => {
      const parameters = [
        { name: 'v', value: { longValue: i } },
        { name: 's', value: { stringValue: `s${i}` } },
      ];
      const sql = 'SELECT :v + 1 AS n, :s AS s';
      if (i % 3 !== 0) return (await execute({ sql, parameters, formatRecordsAs: 'JSON' })).formattedRecords;
      const { transactionId } = await client.send(new BeginTransactionCommand(base()));
      const result = await execute({ sql, parameters, formatRecordsAs: 'JSON', transactionId });
      await client.send(new CommitTransactionCommand({ ...base(), transactionId }));
      return result.formattedRecords;
    };

    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => one(i)));

    expect(answers.map((a) => JSON.parse(a ?? '[]'))).toEqual(
      Array.from({ length: 30 }, (_, i) => [{ n: i + 1, s: `s${i}` }]),
    );
  });

  test('answers a call that waits too long for a single-session database with a retryable 503, not a hang', async () => {
    const single = await startLocalDataApi({
      databaseUrl: url,
      searchPath: db.schema,
      singleSession: true,
      sessionWaitTimeoutMs: 200,
    });
    const singleClient = new RDSDataClient({
      endpoint: single.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const { transactionId } = await singleClient.send(new BeginTransactionCommand(base()));

    const error = await failure(
      singleClient.send(new ExecuteStatementCommand({ ...base(), sql: 'SELECT 1' })),
    );
    await singleClient.send(new RollbackTransactionCommand({ ...base(), transactionId }));
    const after = await singleClient.send(new ExecuteStatementCommand({ ...base(), sql: 'SELECT 1 AS one' }));
    singleClient.destroy();
    await single.close();

    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.$metadata?.httpStatusCode).toBe(503);
    expect(after.records).toEqual([[{ longValue: 1 }]]);
  });

  test('serves the SDK behind a path prefix', async () => {
    const prefixed = new RDSDataClient({
      endpoint: `${api.endpoint}/rds-data`,
      region: 'us-east-1',
      credentials,
    });

    const result = await prefixed.send(new ExecuteStatementCommand({ ...base(), sql: 'SELECT 41 + 1 AS n' }));
    prefixed.destroy();

    expect(result.records).toEqual([[{ longValue: 42 }]]);
  });
});

describe('startLocalDataApi options', () => {
  test('needs exactly one of databaseUrl and pglite', async () => {
    await expect(startLocalDataApi({})).rejects.toBeInstanceOf(LocalDataApiConfigError);
  });

  test('rejects a port already in use instead of hanging', async () => {
    const url = databaseTargets()[0]!.url;
    const first = await startLocalDataApi({ databaseUrl: url });
    const port = Number(new URL(first.endpoint).port);

    const error = await startLocalDataApi({ databaseUrl: url, port }).catch((e: unknown) => e);
    await first.close();

    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });
});
