import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  DatabaseErrorException,
  DatabaseResumingException,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  ServiceUnavailableError,
  StatementTimeoutException,
  TransactionNotFoundException,
} from '@aws-sdk/client-rds-data';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DataApiExecutor,
  type DataApiExecutorProps,
  DataApiResponseError,
  isRetryableDataApiError,
  RequestTooLargeError,
  type StatementEvent,
  toSqlParameter,
} from '../../../../lambdas/shared/db/data-api-executor';
import { SqlParameterError, sqlJson } from '../../../../lambdas/shared/db/executor';
import { RetryExhaustedError } from '../../../../lambdas/shared/runtime/retry';

const rds = mockClient(RDSDataClient);
const RESOURCE_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:metrics';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metrics-AbCdEf';

/** An executor on fake time: retries never really sleep. */
function executor(overrides: Partial<DataApiExecutorProps> = {}) {
  let time = 0;
  return new DataApiExecutor({
    client: new RDSDataClient({ region: 'us-east-1' }),
    resourceArn: RESOURCE_ARN,
    secretArn: SECRET_ARN,
    database: 'metrics',
    retry: {
      deadlineMs: 30_000,
      now: () => time,
      sleep: async (ms) => {
        time += ms;
      },
      random: () => 0.5,
    },
    ...overrides,
  });
}

const resuming = () =>
  new DatabaseResumingException({ message: 'The Aurora DB instance is resuming', $metadata: {} });

beforeEach(() => rds.reset());

describe('toSqlParameter', () => {
  test('maps every supported value to its typed Data API field', () => {
    expect(toSqlParameter('a', null)).toEqual({ name: 'a', value: { isNull: true } });
    expect(toSqlParameter('a', true)).toEqual({ name: 'a', value: { booleanValue: true } });
    expect(toSqlParameter('a', 42)).toEqual({ name: 'a', value: { longValue: 42 } });
    expect(toSqlParameter('a', -7)).toEqual({ name: 'a', value: { longValue: -7 } });
    expect(toSqlParameter('a', 1.5)).toEqual({ name: 'a', value: { doubleValue: 1.5 } });
    expect(toSqlParameter('a', 2 ** 60)).toEqual({ name: 'a', value: { doubleValue: 2 ** 60 } });
    expect(toSqlParameter('a', 'text')).toEqual({ name: 'a', value: { stringValue: 'text' } });
    expect(toSqlParameter('a', new Date('2026-11-23T04:05:06.789Z'))).toEqual({
      name: 'a',
      value: { stringValue: '2026-11-23 04:05:06.789' },
      typeHint: 'TIMESTAMP',
    });
    expect(toSqlParameter('a', sqlJson([{ q: 1 }]))).toEqual({
      name: 'a',
      value: { stringValue: '[{"q":1}]' },
      typeHint: 'JSON',
    });
  });

  test.each([
    ['undefined', undefined],
    ['a bigint', 10n],
    ['a plain object', { a: 1 }],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an invalid Date', new Date('nope')],
    ['an array', [1, 2]],
  ])('rejects %s with an error naming the parameter', (_label, value) => {
    expect(() => toSqlParameter('queueId', value)).toThrow(SqlParameterError);
    expect(() => toSqlParameter('queueId', value)).toThrow(/:queueId/);
  });

  test('rejects JSON that encodes to nothing', () => {
    expect(() => toSqlParameter('doc', sqlJson(undefined))).toThrow(/:doc/);
  });
});

describe('DataApiExecutor.query', () => {
  test('sends named, typed parameters and reads JSON-formatted records', async () => {
    rds.on(ExecuteStatementCommand).resolves({
      formattedRecords: '[{"queue_id":"q1","contacts":3}]',
      numberOfRecordsUpdated: 0,
    });

    const result = await executor().query('SELECT queue_id, contacts FROM q WHERE id = :id AND at > :at', {
      id: 'q1',
      at: new Date('2026-01-01T00:00:00Z'),
      unused: 1,
    });

    expect(result).toEqual({ rows: [{ queue_id: 'q1', contacts: 3 }], rowCount: 1 });
    expect(rds).toHaveReceivedCommandWith(ExecuteStatementCommand, {
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      database: 'metrics',
      formatRecordsAs: 'JSON',
      parameters: [
        { name: 'id', value: { stringValue: 'q1' } },
        { name: 'at', value: { stringValue: '2026-01-01 00:00:00.000' }, typeHint: 'TIMESTAMP' },
      ],
    });
  });

  test('reports numberOfRecordsUpdated as the row count of a write', async () => {
    rds.on(ExecuteStatementCommand).resolves({ numberOfRecordsUpdated: 12 });

    const result = await executor().query('DELETE FROM t WHERE x < :x', { x: 5 });

    expect(result).toEqual({ rows: [], rowCount: 12 });
  });

  test('rejects a parameter the SQL uses but the caller did not give, without calling the API', async () => {
    await expect(executor().query('SELECT :missing', {})).rejects.toThrow(/:missing is used in the SQL/);
    expect(rds).not.toHaveReceivedAnyCommand();
  });

  test('retries DatabaseResumingException until the cluster is up, then returns the result', async () => {
    rds
      .on(ExecuteStatementCommand)
      .rejectsOnce(resuming())
      .rejectsOnce(resuming())
      .resolves({ numberOfRecordsUpdated: 1 });
    const retries: number[] = [];

    const result = await executor({ onRetry: (e) => retries.push(e.attempt) }).query(
      'INSERT INTO t VALUES (1)',
    );

    expect(result.rowCount).toBe(1);
    expect(rds).toHaveReceivedCommandTimes(ExecuteStatementCommand, 3);
    expect(retries).toEqual([1, 2]);
  });

  test('gives up at the deadline with an error naming the last cause', async () => {
    rds.on(ExecuteStatementCommand).rejects(resuming());

    const error = await executor({ retry: { deadlineMs: 5_000, sleep: async () => undefined } })
      .query('SELECT 1')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toContain('DatabaseResumingException');
    expect((error as Error).cause).toBeInstanceOf(DatabaseResumingException);
  });

  test('a BadRequestException deadlock runs the transaction again and then commits', async () => {
    const deadlock = Object.assign(new Error('ERROR: deadlock detected; SQLState: 40P01'), {
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx' });
    rds.on(ExecuteStatementCommand).rejectsOnce(deadlock).resolves({ numberOfRecordsUpdated: 1 });
    rds.on(CommitTransactionCommand).resolves({ transactionStatus: 'Transaction Committed' });

    await executor().transaction((tx) => tx.query('UPDATE t SET a = 1'));

    expect(rds).toHaveReceivedCommandTimes(BeginTransactionCommand, 2);
    expect(rds).toHaveReceivedCommandTimes(CommitTransactionCommand, 1);
  });

  test('stops retrying at the deadline it is bound to, even when its own retry budget is longer', async () => {
    rds.on(ExecuteStatementCommand).rejects(resuming());
    let time = 0;
    const base = executor({
      retry: {
        deadlineMs: 45_000,
        now: () => time,
        sleep: async (ms) => {
          time += ms;
        },
        random: () => 0.99,
      },
    });

    const error = await base
      .until(10_000)
      .query('SELECT 1')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toContain('deadline of 10000 ms reached');
    expect(time).toBeLessThanOrEqual(10_000);
    expect(time).toBeGreaterThan(5_000); // it did wait and retry within the bound
  });

  test('bound to a deadline already passed, it still makes one attempt and retries none', async () => {
    rds.on(ExecuteStatementCommand).rejects(resuming());

    const error = await executor()
      .until(-1)
      .query('SELECT 1')
      .catch((e: unknown) => e);

    expect((error as RetryExhaustedError).attempts).toBe(1);
    expect(rds).toHaveReceivedCommandTimes(ExecuteStatementCommand, 1);
  });

  test('does not retry an SQL error', async () => {
    rds.on(ExecuteStatementCommand).rejects(
      new DatabaseErrorException({
        message: 'ERROR: relation "nope" does not exist\n  Position: 15; SQLState: 42P01',
        $metadata: {},
      }),
    );

    await expect(executor().query('SELECT * FROM nope')).rejects.toBeInstanceOf(DatabaseErrorException);
    expect(rds).toHaveReceivedCommandTimes(ExecuteStatementCommand, 1);
  });

  test('refuses a request over 4 MiB before sending it', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024);

    await expect(executor().query('SELECT :big', { big })).rejects.toBeInstanceOf(RequestTooLargeError);
    expect(rds).not.toHaveReceivedAnyCommand();
  });

  test('rejects formattedRecords that are not rows', async () => {
    rds.on(ExecuteStatementCommand).resolves({ formattedRecords: '{"not":"rows"}' });

    await expect(executor().query('SELECT 1')).rejects.toBeInstanceOf(DataApiResponseError);
  });

  test('counts each statement sent and its bytes, retries included', async () => {
    rds.on(ExecuteStatementCommand).rejectsOnce(resuming()).resolves({});
    const events: StatementEvent[] = [];

    await executor({ onStatement: (e) => events.push(e) }).query('SELECT :a', { a: 'b' });

    expect(events).toHaveLength(2);
    expect(events[0]?.sql).toBe('SELECT :a');
    expect(events[0]?.bytes).toBeGreaterThan(100);
    expect(events[0]?.inTransaction).toBe(false);
  });
});

describe('DataApiExecutor.transaction', () => {
  test('begins, runs every statement with the transaction id, and commits', async () => {
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-1' });
    rds.on(ExecuteStatementCommand).resolves({ numberOfRecordsUpdated: 1 });
    rds.on(CommitTransactionCommand).resolves({ transactionStatus: 'Transaction Committed' });

    const result = await executor().transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (:v)', { v: 1 });
      await tx.query('INSERT INTO t VALUES (:v)', { v: 2 });
      return 'done';
    });

    expect(result).toBe('done');
    expect(rds).toHaveReceivedCommandWith(BeginTransactionCommand, { database: 'metrics' });
    expect(rds).toHaveReceivedCommandTimes(ExecuteStatementCommand, 2);
    const ids = rds.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input.transactionId);
    expect(ids).toEqual(['tx-1', 'tx-1']);
    expect(rds).toHaveReceivedCommandWith(CommitTransactionCommand, { transactionId: 'tx-1' });
    expect(rds).not.toHaveReceivedCommand(RollbackTransactionCommand);
  });

  test('rolls back and rethrows when the work throws', async () => {
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-2' });
    rds.on(ExecuteStatementCommand).resolves({});
    rds.on(RollbackTransactionCommand).resolves({ transactionStatus: 'Rollback Complete' });
    const failure = new Error('logic failed');

    await expect(
      executor().transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(rds).toHaveReceivedCommandWith(RollbackTransactionCommand, { transactionId: 'tx-2' });
    expect(rds).not.toHaveReceivedCommand(CommitTransactionCommand);
  });

  test('keeps the original error when the rollback finds the transaction already ended', async () => {
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-3' });
    const sqlError = new DatabaseErrorException({
      message: 'ERROR: duplicate key; SQLState: 23505',
      $metadata: {},
    });
    rds.on(ExecuteStatementCommand).rejects(sqlError);
    rds
      .on(RollbackTransactionCommand)
      .rejects(new TransactionNotFoundException({ message: 'Transaction tx-3 is not found', $metadata: {} }));

    await expect(executor().transaction((tx) => tx.query('INSERT INTO t VALUES (1)'))).rejects.toBe(sqlError);
  });

  test('runs the whole transaction again after a transient error, in a new transaction', async () => {
    rds
      .on(BeginTransactionCommand)
      .resolvesOnce({ transactionId: 'tx-a' })
      .resolves({ transactionId: 'tx-b' });
    rds
      .on(ExecuteStatementCommand)
      .resolvesOnce({})
      .rejectsOnce(new StatementTimeoutException({ message: 'timed out', $metadata: {} }))
      .resolves({});
    rds.on(CommitTransactionCommand).resolves({ transactionStatus: 'Transaction Committed' });
    rds.on(RollbackTransactionCommand).resolves({});
    let runs = 0;

    await executor().transaction(async (tx) => {
      runs++;
      await tx.query('INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING');
      await tx.query('INSERT INTO b VALUES (1) ON CONFLICT DO NOTHING');
    });

    expect(runs).toBe(2);
    expect(rds).toHaveReceivedCommandWith(RollbackTransactionCommand, { transactionId: 'tx-a' });
    expect(rds).toHaveReceivedCommandWith(CommitTransactionCommand, { transactionId: 'tx-b' });
    expect(rds).toHaveReceivedCommandTimes(CommitTransactionCommand, 1);
  });

  test('retries a BeginTransaction refused while the cluster resumes', async () => {
    rds.on(BeginTransactionCommand).rejectsOnce(resuming()).resolves({ transactionId: 'tx-c' });
    rds.on(CommitTransactionCommand).resolves({});

    await executor().transaction(async () => undefined);

    expect(rds).toHaveReceivedCommandTimes(BeginTransactionCommand, 2);
    expect(rds).toHaveReceivedCommandWith(CommitTransactionCommand, { transactionId: 'tx-c' });
  });

  test('sends statements issued concurrently inside a transaction one at a time', async () => {
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-d' });
    rds.on(CommitTransactionCommand).resolves({});
    let running = 0;
    let maxRunning = 0;
    rds.on(ExecuteStatementCommand).callsFake(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return {};
    });

    await executor().transaction((tx) =>
      Promise.all([tx.query('SELECT 1'), tx.query('SELECT 2'), tx.query('SELECT 3')]),
    );

    expect(rds).toHaveReceivedCommandTimes(ExecuteStatementCommand, 3);
    expect(maxRunning).toBe(1);
  });

  test('joins the outer transaction when work opens a nested one', async () => {
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-e' });
    rds.on(ExecuteStatementCommand).resolves({});
    rds.on(CommitTransactionCommand).resolves({});

    await executor().transaction((tx) => tx.transaction((inner) => inner.query('SELECT 1')));

    expect(rds).toHaveReceivedCommandTimes(BeginTransactionCommand, 1);
    expect(rds).toHaveReceivedCommandWith(ExecuteStatementCommand, { transactionId: 'tx-e' });
  });
});

describe('isRetryableDataApiError', () => {
  test('treats resuming, timeouts, 5xx, throttling and serialization failures as transient', () => {
    expect(isRetryableDataApiError(resuming())).toBe(true);
    expect(isRetryableDataApiError(new StatementTimeoutException({ message: 't', $metadata: {} }))).toBe(
      true,
    );
    expect(
      isRetryableDataApiError(new ServiceUnavailableError({ $metadata: {}, message: 'unavailable' })),
    ).toBe(true);
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    expect(isRetryableDataApiError(throttled)).toBe(true);
    const gateway = Object.assign(new Error('bad gateway'), { $metadata: { httpStatusCode: 504 } });
    expect(isRetryableDataApiError(gateway)).toBe(true);
    const serialization = new DatabaseErrorException({
      message: 'ERROR: could not serialize access; SQLState: 40001',
      $metadata: {},
    });
    expect(isRetryableDataApiError(serialization)).toBe(true);
  });

  test.each([
    ['BadRequestException', '40001', 'could not serialize access due to concurrent update'],
    ['BadRequestException', '40P01', 'deadlock detected'],
    ['DatabaseErrorException', '40P01', 'deadlock detected'],
  ])('retries a %s whose SQLSTATE is %s (the SQLSTATE decides, not the name)', (name, state, text) => {
    const error = Object.assign(new Error(`ERROR: ${text}; SQLState: ${state}`), { name, $metadata: {} });

    expect(isRetryableDataApiError(error)).toBe(true);
  });

  test('treats SQL errors, bad requests and non-errors as final', () => {
    const syntax = new DatabaseErrorException({
      message: 'ERROR: syntax error; SQLState: 42601',
      $metadata: {},
    });
    expect(isRetryableDataApiError(syntax)).toBe(false);
    expect(isRetryableDataApiError(new TypeError('bug'))).toBe(false);
    expect(isRetryableDataApiError('string')).toBe(false);
  });
});
