import { compileNamedParameters } from '../../lambdas/shared/db/named-parameters';
import type { Backend, RawResult, Session } from './backends';
import { columnMetadata } from './column-metadata';
import {
  BatchExecuteStatementSchema,
  BeginTransactionSchema,
  badRequest,
  DataApiError,
  databaseError,
  EndTransactionSchema,
  ExecuteStatementSchema,
  parseRequest,
  unsupportedResult,
  type WireSqlParameter,
} from './protocol';
import type { TransactionRegistry } from './transactions';
import {
  assertSupportedResult,
  type BoundParameter,
  bindParameter,
  convertCell,
  type ResultOptions,
} from './values';

/** The Data API's response size limit (1 MiB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Counters the server keeps, for tests and benchmarks. */
export interface DataApiStats {
  /** HTTP requests received. */
  requests: number;
  /** SQL statements run for clients (one per Execute, one per BatchExecute parameter set). */
  statements: number;
  transactionsBegun: number;
  transactionsCommitted: number;
  transactionsRolledBack: number;
  /** Error responses by error name. */
  errors: Record<string, number>;
}

/** Creates zeroed {@link DataApiStats}. */
export function emptyStats(): DataApiStats {
  return {
    requests: 0,
    statements: 0,
    transactionsBegun: 0,
    transactionsCommitted: 0,
    transactionsRolledBack: 0,
    errors: {},
  };
}

/** Something PostgreSQL (through pg or PGlite) threw for a statement. */
interface PgErrorLike {
  message: string;
  code?: string;
  position?: string;
}

function isPgError(error: unknown): error is PgErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Turns what the database threw into the Data API's DatabaseErrorException, worded as AWS words it:
 * `ERROR: <message>\n  Position: <n>; SQLState: <code>`; several statements in one call become AWS's
 * `ValidationException: Multistatements aren't supported.`, and a statement timeout
 * StatementTimeoutException.
 */
export function toDataApiError(error: unknown): DataApiError {
  if (error instanceof DataApiError) return error;
  if (isPgError(error)) {
    // The extended protocol refuses several statements in one string; AWS answers that case itself.
    if (error.message === 'cannot insert multiple commands into a prepared statement') {
      return new DataApiError('ValidationException', 400, "Multistatements aren't supported.", {
        cause: error,
      });
    }
    // statement_timeout fired (57014 is also a user cancel, which nothing here issues).
    if (error.code === '57014') {
      return new DataApiError('StatementTimeoutException', 400, `The statement timed out: ${error.message}`, {
        cause: error,
      });
    }
    const position = error.position ? `\n  Position: ${error.position}` : '';
    return databaseError(`ERROR: ${error.message}${position}; SQLState: ${error.code}`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DataApiError('InternalServerErrorException', 500, `Local Data API failure: ${message}`, {
    cause: error,
  });
}

/** The five Data API operations over a backend. HTTP lives in server.ts. */
export class DataApiOperations {
  constructor(
    private readonly backend: Backend,
    private readonly transactions: TransactionRegistry,
    private readonly stats: DataApiStats,
  ) {}

  /** ExecuteStatement (`POST /Execute`). */
  async execute(body: unknown): Promise<Record<string, unknown>> {
    const request = parseRequest(ExecuteStatementSchema, body);
    this.checkTarget(request);
    const { text, params } = bindStatement(request.sql, request.parameters ?? []);
    const run = async (session: Session) => {
      this.stats.statements++;
      return session.run(text, params).catch((error: unknown) => {
        throw toDataApiError(error);
      });
    };
    const raw = request.transactionId
      ? await this.transactions.use(request.transactionId, run)
      : await this.backend.withSession(run);
    return shapeResult(raw, {
      json: request.formatRecordsAs === 'JSON',
      metadata: request.includeResultMetadata === true,
      options: request.resultSetOptions ?? {},
    });
  }

  /** BatchExecuteStatement (`POST /BatchExecute`): one statement, many parameter sets, all or nothing. */
  async batchExecute(body: unknown): Promise<Record<string, unknown>> {
    const request = parseRequest(BatchExecuteStatementSchema, body);
    this.checkTarget(request);
    const sets = request.parameterSets && request.parameterSets.length > 0 ? request.parameterSets : [[]];
    const bound = sets.map((set) => bindStatement(request.sql, set));
    const runAll = async (session: Session) => {
      for (const { text, params } of bound) {
        this.stats.statements++;
        await session.run(text, params).catch((error: unknown) => {
          throw toDataApiError(error);
        });
      }
    };
    if (request.transactionId) {
      await this.transactions.use(request.transactionId, runAll);
    } else {
      const id = await this.transactions.begin();
      await this.transactions.use(id, runAll);
      await this.transactions.commit(id);
    }
    return { updateResults: sets.map(() => ({ generatedFields: [] })) };
  }

  /** BeginTransaction (`POST /BeginTransaction`). */
  async begin(body: unknown): Promise<Record<string, unknown>> {
    const request = parseRequest(BeginTransactionSchema, body);
    this.checkTarget(request);
    const transactionId = await this.transactions.begin().catch((error: unknown) => {
      throw toDataApiError(error);
    });
    this.stats.transactionsBegun++;
    return { transactionId };
  }

  /** CommitTransaction (`POST /CommitTransaction`). */
  async commit(body: unknown): Promise<Record<string, unknown>> {
    const request = parseRequest(EndTransactionSchema, body);
    await this.transactions.commit(request.transactionId).catch((error: unknown) => {
      throw toDataApiError(error);
    });
    this.stats.transactionsCommitted++;
    return { transactionStatus: 'Transaction Committed' };
  }

  /** RollbackTransaction (`POST /RollbackTransaction`). */
  async rollback(body: unknown): Promise<Record<string, unknown>> {
    const request = parseRequest(EndTransactionSchema, body);
    await this.transactions.rollback(request.transactionId);
    this.stats.transactionsRolledBack++;
    return { transactionStatus: 'Rollback Complete' };
  }

  private checkTarget(request: { database?: string | undefined; schema?: string | undefined }): void {
    if (request.schema !== undefined) {
      throw badRequest(
        'The schema parameter is not supported for Aurora PostgreSQL; qualify names in the SQL',
      );
    }
    if (request.database !== undefined && request.database !== this.backend.database) {
      throw databaseError(`FATAL: database "${request.database}" does not exist; SQLState: 3D000`);
    }
  }
}

/**
 * Compiles `:name` placeholders to `$n` and binds each from the request's parameters. A name the SQL
 * uses but the request lacks is an error; parameters the SQL does not use are ignored.
 */
export function bindStatement(
  sql: string,
  parameters: readonly WireSqlParameter[],
): { text: string; params: BoundParameter[] } {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const { text, names } = compileNamedParameters(sql);
  const params = names.map((name) => {
    const parameter = byName.get(name);
    if (!parameter) throw databaseError(`ERROR: No value specified for parameter :${name}; SQLState: 22023`);
    return bindParameter(parameter);
  });
  return { text, params };
}

/** Shapes a raw result as ExecuteStatement's response. */
export function shapeResult(
  raw: RawResult,
  shape: { json: boolean; metadata: boolean; options: ResultOptions },
): Record<string, unknown> {
  assertSupportedResult(raw.fields);
  const response: Record<string, unknown> = { numberOfRecordsUpdated: raw.updated, generatedFields: [] };
  if (shape.metadata) response.columnMetadata = columnMetadata(raw.fields);
  if (raw.fields.length > 0) {
    const cells = raw.rows.map((row) =>
      raw.fields.map((f, i) => convertCell(f.dataTypeID, row[i] ?? null, shape.options)),
    );
    if (shape.json) {
      const objects = cells.map((row) =>
        Object.fromEntries(raw.fields.map((f, i) => [f.name, row[i]?.json])),
      );
      response.formattedRecords = JSON.stringify(objects);
    } else {
      response.records = cells.map((row) => row.map((cell) => cell.field));
    }
  }
  const size = Buffer.byteLength(JSON.stringify(response));
  if (size > MAX_RESPONSE_BYTES) {
    throw unsupportedResult(
      `Database response exceeded size limit: ${size} bytes, over the Data API's 1 MiB; use LIMIT and page`,
    );
  }
  return response;
}
