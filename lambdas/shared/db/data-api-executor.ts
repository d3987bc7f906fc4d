import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  type RDSDataClient,
  RollbackTransactionCommand,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import * as z from 'zod';
import { RETRY_DEFAULTS, type RetryEvent, type RetryOptions, retry } from '../runtime/retry';
import {
  assertSupportedParameter,
  type DeadlineBoundExecutor,
  formatDbTimestamp,
  type QueryResult,
  type Row,
  type SqlExecutor,
  type SqlJson,
  SqlParameterError,
  type SqlParameters,
  type SqlParameterValue,
} from './executor';
import { compileNamedParameters } from './named-parameters';

/** The Data API's request size limit (4 MiB). */
export const DATA_API_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** What {@link DataApiExecutorProps.onStatement} learns about each ExecuteStatement call. */
export interface StatementEvent {
  /** The SQL sent. */
  readonly sql: string;
  /** Size of the request body in bytes (SQL, parameters and envelope). */
  readonly bytes: number;
  /** True when the statement ran inside a transaction. */
  readonly inTransaction: boolean;
}

/** Builds a {@link DataApiExecutor}. */
export interface DataApiExecutorProps {
  /** The RDS Data client, built once at init (point `endpoint` at the local Data API to run locally). */
  readonly client: RDSDataClient;
  /** ARN of the Aurora cluster. */
  readonly resourceArn: string;
  /** ARN of the Secrets Manager secret holding the database credentials. */
  readonly secretArn: string;
  /** Database name. */
  readonly database: string;
  /**
   * Backoff for transient errors (paused cluster, timeouts, 503/504, throttling).
   * @default RETRY_DEFAULTS: 45 s deadline, 100 ms base, 10 s cap
   */
  readonly retry?: RetryOptions;
  /**
   * Called for every ExecuteStatement request sent, retries included (benchmarks count statements and
   * bytes per run). Must not throw.
   * @default - none
   */
  readonly onStatement?: (event: StatementEvent) => void;
  /**
   * Called before each retry wait (log it, count it). Must not throw.
   * @default - none
   */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * Epoch ms (on `retry.now`'s clock) after which no retry starts, whatever `retry.deadlineMs` allows:
   * the end of the Lambda invocation, so a retried transaction never outlives it and is never left open
   * by a function killed at its timeout. Set per invocation with {@link DataApiExecutor.until}.
   * @default - only `retry.deadlineMs` bounds the retries
   */
  readonly deadlineAt?: number;
}

/** A request that would pass the Data API's 4 MiB limit; nothing was sent. */
export class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

/** A Data API response this adapter cannot read (for example `formattedRecords` that is not JSON rows). */
export class DataApiResponseError extends Error {
  override readonly name = 'DataApiResponseError';
}

const RETRYABLE_NAMES = new Set([
  'DatabaseResumingException',
  'StatementTimeoutException',
  'ServiceUnavailableError',
  'DatabaseUnavailableException',
  'InternalServerErrorException',
  'ThrottlingException',
  'TooManyRequestsException',
]);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
// Serialization failure and deadlock: PostgreSQL's own advice is to run the transaction again.
const RETRYABLE_SQLSTATE = /SQLState: (40001|40P01)\b/;

/**
 * True for the Data API errors worth another attempt: a paused cluster resuming, a statement timeout,
 * 5xx unavailability, throttling (by name or HTTP status), and serialization failures or deadlocks.
 * The SQLSTATE decides for a database error whatever the exception is called: Aurora Serverless v2
 * answers DatabaseErrorException, but BadRequestException ("an error in the call or in a SQL
 * statement") is still in ExecuteStatement's error list and still returned by some clusters.
 */
export function isRetryableDataApiError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && RETRYABLE_STATUS.has(status)) return true;
  return RETRYABLE_SQLSTATE.test(error.message);
}

/**
 * Maps one named parameter to the Data API's typed `SqlParameter`.
 * @throws SqlParameterError naming the parameter when its value has no Data API mapping
 */
export function toSqlParameter(name: string, value: unknown): SqlParameter {
  assertSupportedParameter(name, value);
  const typed: SqlParameterValue = value;
  if (typed === null) return { name, value: { isNull: true } };
  if (typeof typed === 'boolean') return { name, value: { booleanValue: typed } };
  if (typeof typed === 'number') {
    // Past 2^53 a number is no longer an exact integer, and past 2^63 it does not fit a long at all.
    return Number.isSafeInteger(typed)
      ? { name, value: { longValue: typed } }
      : { name, value: { doubleValue: typed } };
  }
  if (typeof typed === 'string') return { name, value: { stringValue: typed } };
  if (typed instanceof Date) {
    return { name, value: { stringValue: formatDbTimestamp(typed) }, typeHint: 'TIMESTAMP' };
  }
  const json = JSON.stringify((typed as SqlJson).value);
  if (json === undefined) throw new SqlParameterError(`parameter :${name} holds a value JSON cannot encode`);
  return { name, value: { stringValue: json }, typeHint: 'JSON' };
}

const FormattedRecordsSchema = z.array(z.record(z.string(), z.unknown()));

/**
 * {@link SqlExecutor} over the RDS Data API (`@aws-sdk/client-rds-data`).
 *
 * Reads use `formatRecordsAs: 'JSON'`; `numberOfRecordsUpdated` is the row count of writes. Transient
 * errors are retried with full-jitter backoff under a total deadline; a transaction is retried as a
 * whole (the Data API cannot resume one), so the work passed to {@link transaction} must be
 * idempotent, as every write in this project is.
 */
export class DataApiExecutor implements DeadlineBoundExecutor {
  constructor(private readonly props: DataApiExecutorProps) {}

  /**
   * The same executor (client, database, retry policy) with every retry ending by `deadlineAt`: built
   * once at init, bound to each invocation's end with this.
   */
  until(deadlineAt: number): DataApiExecutor {
    return new DataApiExecutor({ ...this.props, deadlineAt });
  }

  /** Runs one statement outside any transaction, retrying transient errors. */
  async query<R extends Row = Row>(sql: string, params?: SqlParameters): Promise<QueryResult<R>> {
    const input = this.buildInput(sql, params);
    return this.withRetry(() => this.execute<R>(input, false));
  }

  /**
   * Runs `work` in one Data API transaction: Begin, the work's statements, Commit; Rollback when
   * anything throws. On a transient error the whole transaction is run again.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.withRetry(async () => {
      const { transactionId } = await this.props.client.send(
        new BeginTransactionCommand({
          resourceArn: this.props.resourceArn,
          secretArn: this.props.secretArn,
          database: this.props.database,
        }),
      );
      if (!transactionId) throw new DataApiResponseError('BeginTransaction returned no transactionId');
      try {
        const result = await work(new DataApiTransaction(this, transactionId));
        await this.props.client.send(
          new CommitTransactionCommand({
            resourceArn: this.props.resourceArn,
            secretArn: this.props.secretArn,
            transactionId,
          }),
        );
        return result;
      } catch (error: unknown) {
        await this.rollbackQuietly(transactionId);
        throw error;
      }
    });
  }

  /** @internal Validates and types the parameters (a missing or unsupported one throws SqlParameterError). */
  buildInput(sql: string, params: SqlParameters = {}, transactionId?: string): ExecuteStatementCommandInput {
    const { names } = compileNamedParameters(sql);
    const parameters = names.map((name) => {
      if (!Object.hasOwn(params, name)) {
        throw new SqlParameterError(`parameter :${name} is used in the SQL but was not given`);
      }
      return toSqlParameter(name, params[name]);
    });
    return {
      resourceArn: this.props.resourceArn,
      secretArn: this.props.secretArn,
      database: this.props.database,
      sql,
      parameters,
      formatRecordsAs: 'JSON',
      transactionId,
    };
  }

  /** @internal Sends one ExecuteStatement (refused locally past 4 MiB) and reads its result. */
  async execute<R extends Row>(
    input: ExecuteStatementCommandInput,
    inTransaction: boolean,
  ): Promise<QueryResult<R>> {
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > DATA_API_MAX_REQUEST_BYTES) {
      throw new RequestTooLargeError(
        `statement request is ${bytes} bytes, over the Data API's ${DATA_API_MAX_REQUEST_BYTES}-byte limit; ` +
          'split the rows (writeBatch does) or send less',
      );
    }
    this.props.onStatement?.({ sql: input.sql ?? '', bytes, inTransaction });
    const output = await this.props.client.send(new ExecuteStatementCommand(input));
    const rows = parseFormattedRecords(output.formattedRecords) as R[];
    const updated = output.numberOfRecordsUpdated ?? 0;
    return { rows, rowCount: updated > 0 ? updated : rows.length };
  }

  private withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const now = this.props.retry?.now ?? Date.now;
    const configured = this.props.retry?.deadlineMs ?? RETRY_DEFAULTS.deadlineMs;
    const deadlineMs =
      this.props.deadlineAt === undefined
        ? configured
        : Math.max(0, Math.min(configured, this.props.deadlineAt - now()));
    return retry(operation, {
      ...this.props.retry,
      deadlineMs,
      isRetryable: isRetryableDataApiError,
      onRetry: this.props.onRetry,
    });
  }

  private async rollbackQuietly(transactionId: string): Promise<void> {
    try {
      await this.props.client.send(
        new RollbackTransactionCommand({
          resourceArn: this.props.resourceArn,
          secretArn: this.props.secretArn,
          transactionId,
        }),
      );
    } catch {
      // The Data API ends a transaction itself when a statement in it fails, so a rollback that
      // finds nothing is normal; the error that matters is the one being rethrown.
    }
  }
}

/** The executor handed to transaction work: every statement carries the transaction id. */
class DataApiTransaction implements SqlExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly parent: DataApiExecutor,
    private readonly transactionId: string,
  ) {}

  query<R extends Row = Row>(sql: string, params?: SqlParameters): Promise<QueryResult<R>> {
    // The Data API rejects a second call on a transaction that is still running one ("Transaction is
    // still running a query"), so statements issued concurrently by `work` are sent one at a time.
    const run = async () =>
      this.parent.execute<R>(this.parent.buildInput(sql, params, this.transactionId), true);
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Nested transactions join the outer one. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return work(this);
  }
}

function parseFormattedRecords(formatted: string | undefined): Row[] {
  if (formatted === undefined || formatted === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(formatted);
  } catch (error: unknown) {
    throw new DataApiResponseError('formattedRecords is not valid JSON', { cause: error });
  }
  const result = FormattedRecordsSchema.safeParse(parsed);
  if (!result.success) {
    throw new DataApiResponseError('formattedRecords is not an array of row objects', {
      cause: result.error,
    });
  }
  return result.data;
}
