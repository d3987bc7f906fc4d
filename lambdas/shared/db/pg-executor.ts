import { Pool, type PoolClient, type PoolConfig, type QueryResultRow, types } from 'pg';
import {
  assertSupportedParameter,
  formatDbTimestamp,
  type QueryResult,
  type Row,
  type SqlExecutor,
  SqlJson,
  SqlParameterError,
  type SqlParameters,
} from './executor';
import { compileNamedParameters } from './named-parameters';

const OID = { INT8: 20, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184, JSON: 114, JSONB: 3802 } as const;

/**
 * Type parsers that make `pg` rows look like Data API JSON records: int8 as a number, timestamps as
 * UTC `YYYY-MM-DD HH:MM:SS.sss` strings whatever the session time zone, dates and json as their text.
 */
const dataApiLikeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case OID.INT8:
        return (text: string) => Number(text);
      case OID.TIMESTAMPTZ:
        return (text: string) =>
          formatDbTimestamp(new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')));
      case OID.TIMESTAMP:
        return (text: string) => formatDbTimestamp(new Date(`${text.replace(' ', 'T')}Z`));
      case OID.DATE:
      case OID.JSON:
      case OID.JSONB:
        return (text: string) => text;
      default:
        return types.getTypeParser(oid, format ?? 'text');
    }
  },
};

/** Converts named parameters to pg's positional values, checking every one. */
function toPositional(sql: string, params: SqlParameters = {}): { text: string; values: unknown[] } {
  const { text, names } = compileNamedParameters(sql);
  const values = names.map((name) => {
    if (!Object.hasOwn(params, name)) {
      throw new SqlParameterError(`parameter :${name} is used in the SQL but was not given`);
    }
    const value = params[name];
    assertSupportedParameter(name, value);
    if (value instanceof SqlJson) return JSON.stringify(value.value);
    if (value instanceof Date) return value.toISOString();
    return value;
  });
  return { text, values };
}

type Queryable = Pick<PoolClient, 'query'>;

/**
 * {@link SqlExecutor} over node-postgres: tests, the migration command and the local mode against any
 * PostgreSQL (or PGlite through its socket server). Build the pool with `types: dataApiLikeTypes`
 * (see {@link createPgPool}) so rows match the Data API adapter's.
 */
export class PgExecutor implements SqlExecutor {
  constructor(
    private readonly pool: Pool,
    private readonly client?: Queryable,
  ) {}

  async query<R extends Row = Row>(sql: string, params?: SqlParameters): Promise<QueryResult<R>> {
    const { text, values } = toPositional(sql, params);
    const target: Queryable = this.client ?? this.pool;
    const result = await target.query<QueryResultRow>(text, values);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.client) return work(this);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PgExecutor(this.pool, client));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: destroy it rather than return it to the pool.
      const rollbackError = await client.query('ROLLBACK').then(
        () => undefined,
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
      );
      client.release(rollbackError);
      throw error;
    }
  }
}

/** Creates a pg pool whose rows follow the Data API conventions; `searchPath` pins every connection. */
export function createPgPool(
  connectionString: string,
  options: PoolConfig & { searchPath?: string } = {},
): Pool {
  const { searchPath, ...config } = options;
  // A startup option, so the search path is set before the connection is handed out.
  const startup = searchPath ? { options: `-c search_path=${quoteIdentifier(searchPath)}` } : {};
  const pool = new Pool({ max: 5, ...config, ...startup, connectionString, types: dataApiLikeTypes });
  return pool;
}

/** Quotes an SQL identifier (for names the code chooses, never user input). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
