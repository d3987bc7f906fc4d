/**
 * The collectors' one database port: run SQL with named parameters, in or out of a transaction.
 *
 * Two adapters implement it: {@link DataApiExecutor} over the RDS Data API (deployed Lambdas, and the
 * local Data API server) and {@link PgExecutor} over `pg` (tests, migrations against any PostgreSQL).
 * Both accept the same SQL (`:name` parameters, casts such as `:rows::jsonb`) and return rows shaped
 * as the Data API's `formatRecordsAs: JSON` gives them: numbers, strings, booleans, null, and
 * timestamps as UTC strings `YYYY-MM-DD HH:MM:SS[.ffffff]` (see {@link parseDbTimestamp}).
 */

/** Wraps a value to be sent as JSON (Data API `typeHint: JSON`, pg `json` text). */
export class SqlJson {
  /** @param value any JSON-serialisable value */
  constructor(readonly value: unknown) {}
}

/** Marks a value to be sent as JSON; use with a `::jsonb` cast in the SQL. */
export function sqlJson(value: unknown): SqlJson {
  return new SqlJson(value);
}

/**
 * A value a statement parameter can take. `number` goes as an integer when it is one and as a double
 * otherwise; `Date` goes as a UTC timestamp.
 */
export type SqlParameterValue = null | boolean | number | string | Date | SqlJson;

/** Named parameters: `{ id: 'q1' }` fills `:id`. */
export type SqlParameters = Readonly<Record<string, SqlParameterValue>>;

/** One result row, keyed by column name. */
export type Row = Record<string, unknown>;

/** What a statement returns. */
export interface QueryResult<R extends Row = Row> {
  /** Rows returned (empty for statements that return none). */
  readonly rows: R[];
  /** Rows the statement changed (INSERT/UPDATE/DELETE) or returned. */
  readonly rowCount: number;
}

/** Runs SQL. Implementations must be safe to share across concurrent callers. */
export interface SqlExecutor {
  /** Runs one statement. */
  query<R extends Row = Row>(sql: string, params?: SqlParameters): Promise<QueryResult<R>>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Adapters may retry the whole of `work` on a transient database error, so
   * `work` must be idempotent, which every write here is (natural keys, `ON CONFLICT`).
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** An executor whose retries can be bound to end by a deadline (the Data API executor is one). */
export interface DeadlineBoundExecutor extends SqlExecutor {
  /** The same executor, retrying nothing after `deadlineAt` (epoch ms). */
  until(deadlineAt: number): SqlExecutor;
}

/**
 * Parses a timestamp as both adapters return it (`YYYY-MM-DD HH:MM:SS[.f]`, UTC) or an ISO string.
 * @throws TypeError when the value is not a timestamp string
 */
export function parseDbTimestamp(value: unknown): Date {
  if (typeof value !== 'string') throw new TypeError(`expected a timestamp string, got ${typeof value}`);
  const iso = /^\d{4}-\d{2}-\d{2} /.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new TypeError(`expected a timestamp, got '${value}'`);
  return date;
}

/** Parses a nullable timestamp column. */
export function parseDbTimestampOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : parseDbTimestamp(value);
}

/** A statement parameter the adapters cannot send (wrong type, or named in SQL but not given). */
export class SqlParameterError extends Error {
  override readonly name = 'SqlParameterError';
}

/**
 * Checks one parameter value before it is sent, so both adapters reject the same inputs.
 * @throws SqlParameterError naming the parameter, the type received and the types accepted
 */
export function assertSupportedParameter(name: string, value: unknown): asserts value is SqlParameterValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string' || value instanceof SqlJson)
    return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new SqlParameterError(`parameter :${name} is ${value}; expected a finite number`);
  }
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return;
    throw new SqlParameterError(`parameter :${name} is an invalid Date`);
  }
  const kind =
    value === undefined
      ? 'undefined'
      : typeof value === 'object'
        ? (value.constructor?.name ?? 'object')
        : typeof value;
  throw new SqlParameterError(
    `parameter :${name} has unsupported type ${kind}; expected null, boolean, number, string, Date or sqlJson(value)`,
  );
}

/** Formats a Date as the Data API's UTC timestamp string `YYYY-MM-DD HH:MM:SS.sss`. */
export function formatDbTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
