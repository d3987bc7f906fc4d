import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { type Backend, pgBackend, pgliteBackend } from './backends';
import { FaultInjector } from './faults';
import { DataApiOperations, type DataApiStats, emptyStats, toDataApiError } from './operations';
import { badRequest, DataApiError } from './protocol';
import { TRANSACTION_IDLE_TIMEOUT_MS, TransactionRegistry } from './transactions';

/** The Data API's request size limit (4 MiB). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** ARNs the standalone server prints; any well-formed ARN is accepted. */
const DEFAULT_RESOURCE_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:local-metrics';
const DEFAULT_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:local-metrics-AbCdEf';

/** Options for {@link startLocalDataApi}: give `databaseUrl` or `pglite`, not both. */
export interface LocalDataApiOptions {
  /** TCP port. @default 0 (any free port) */
  readonly port?: number;
  /** Interface to listen on. @default 127.0.0.1 */
  readonly host?: string;
  /** A PostgreSQL server to run SQL on. */
  readonly databaseUrl?: string;
  /** An in-process PGlite to run SQL on (the caller keeps ownership). */
  readonly pglite?: PGlite;
  /** search_path for every session (with `databaseUrl`). @default - the server's */
  readonly searchPath?: string;
  /**
   * With `databaseUrl`: whether all connections share one session (PGlite's socket server), so
   * statements and transactions must run one at a time. @default - detected from `version()`
   */
  readonly singleSession?: boolean;
  /**
   * How long a call waits for a database session (held by other transactions) before it is answered
   * with a retryable 503 ServiceUnavailableError instead of hanging. @default 10000
   */
  readonly sessionWaitTimeoutMs?: number;
  /**
   * Statement timeout in ms (with `databaseUrl`; PGlite cannot interrupt a running statement).
   * @default 45000, the Data API's
   */
  readonly statementTimeoutMs?: number;
  /** Idle time after which an open transaction is rolled back. @default 3 minutes */
  readonly transactionIdleTimeoutMs?: number;
  /** Answer DatabaseResumingException for this long after start, like a cluster waking up. @default 0 */
  readonly resumingForMs?: number;
  /**
   * Clock of the fault windows (tests put it on the same fake clock as the client's retry backoff, so
   * a 30-second resuming window passes without 30 seconds of waiting).
   * @default Date.now
   */
  readonly faultClock?: () => number;
}

/** A running local Data API. */
export interface RunningDataApi {
  /** Base URL to give the SDK client as `endpoint`. */
  readonly endpoint: string;
  /** A resourceArn clients can use. */
  readonly resourceArn: string;
  /** A secretArn clients can use. */
  readonly secretArn: string;
  /** The database name clients can use. */
  readonly database: string;
  /** Fault injection (resuming windows, queued errors). */
  readonly faults: FaultInjector;
  /** Live counters. */
  readonly stats: DataApiStats;
  /** Rolls back open transactions, stops listening and closes what the server opened. */
  close(): Promise<void>;
}

/** A bad combination of {@link LocalDataApiOptions}. */
export class LocalDataApiConfigError extends Error {
  override readonly name = 'LocalDataApiConfigError';
}

// Operation by the last path segment, so the server also answers behind a prefix
// (`endpoint: http://host:port/rds-data`), which the SDK keeps.
type Operation = 'execute' | 'batchExecute' | 'begin' | 'commit' | 'rollback';
const OPERATIONS: Readonly<Record<string, Operation>> = {
  Execute: 'execute',
  BatchExecute: 'batchExecute',
  BeginTransaction: 'begin',
  CommitTransaction: 'commit',
  RollbackTransaction: 'rollback',
};

/**
 * Starts an HTTP server speaking the RDS Data API wire protocol over PostgreSQL or PGlite, so the real
 * `@aws-sdk/client-rds-data` client (and the DataApiExecutor) run against it as against AWS.
 */
export async function startLocalDataApi(options: LocalDataApiOptions): Promise<RunningDataApi> {
  if ((options.databaseUrl === undefined) === (options.pglite === undefined)) {
    throw new LocalDataApiConfigError(
      'give exactly one of databaseUrl (a PostgreSQL URL) or pglite (a PGlite instance)',
    );
  }
  const { sessionWaitTimeoutMs } = options;
  const backend: Backend = options.pglite
    ? await pgliteBackend({ db: options.pglite, sessionWaitTimeoutMs })
    : pgBackend({
        databaseUrl: options.databaseUrl!,
        sessionWaitTimeoutMs,
        searchPath: options.searchPath,
        singleSession: options.singleSession,
        statementTimeoutMs: options.statementTimeoutMs,
      });
  const transactions = new TransactionRegistry(
    backend,
    options.transactionIdleTimeoutMs ?? TRANSACTION_IDLE_TIMEOUT_MS,
  );
  const stats = emptyStats();
  const faults = new FaultInjector(options.faultClock);
  if (options.resumingForMs) faults.resumingFor(options.resumingForMs);
  const operations = new DataApiOperations(backend, transactions, stats);

  const server = createServer((request, response) => {
    handle(request, response, operations, faults, stats).catch((error: unknown) => {
      // handle() answers every error itself; this only guards against a failure while answering.
      if (!response.headersSent) send(response, toDataApiError(error));
    });
  });
  // Lambdas keep connections alive; do not let an idle keep-alive socket hold close() open.
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error: unknown) {
    // A taken port must not leave the pool (or its sockets) open behind the error.
    await backend.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    endpoint: `http://${host}:${address.port}`,
    resourceArn: DEFAULT_RESOURCE_ARN,
    secretArn: DEFAULT_SECRET_ARN,
    database: backend.database,
    faults,
    stats,
    async close() {
      await transactions.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await backend.close();
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  operations: DataApiOperations,
  faults: FaultInjector,
  stats: DataApiStats,
): Promise<void> {
  stats.requests++;
  try {
    const segment =
      new URL(request.url ?? '/', 'http://local').pathname.split('/').filter(Boolean).pop() ?? '';
    const operation = OPERATIONS[segment];
    if (!operation) {
      throw new DataApiError('UnknownOperationException', 404, `Unknown operation /${segment}`);
    }
    if (request.method !== 'POST') {
      throw new DataApiError('MethodNotAllowedException', 405, `${request.method} is not allowed; use POST`);
    }
    const body = await readJsonBody(request);
    const fault = faults.next();
    if (fault) throw fault;
    const result = await operations[operation](body);
    sendJson(response, 200, result);
  } catch (error: unknown) {
    const failure = toDataApiError(error);
    stats.errors[failure.errorType] = (stats.errors[failure.errorType] ?? 0) + 1;
    send(response, failure);
  }
}

/**
 * Reads the request body as JSON, refusing (after draining, so the client sees the answer) a body
 * over the 4 MiB limit.
 */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(buffer);
  }
  if (size > MAX_REQUEST_BYTES) {
    throw badRequest(
      `Request size ${size} bytes exceeds the Data API's limit of ${MAX_REQUEST_BYTES} bytes (4 MiB)`,
    );
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    throw badRequest('Malformed request body: the body is empty; expected a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw badRequest(`Malformed request body: ${error instanceof Error ? error.message : 'not JSON'}`, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Malformed request body: expected a JSON object');
  }
  return parsed;
}

function send(response: ServerResponse, error: DataApiError): void {
  sendJson(response, error.status, { message: error.message }, { 'x-amzn-ErrorType': error.errorType });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(payload);
}
