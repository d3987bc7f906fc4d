import type { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import { DataApiError } from './protocol';
import type { BoundParameter, ColumnDescription } from './values';

/**
 * Where the local Data API runs SQL: a PostgreSQL server through a `pg` pool, or an in-process PGlite.
 * Both bind typed parameters through the extended protocol (so, as on AWS, a multi-statement string is
 * refused) and return every cell as PostgreSQL text for values.ts to convert.
 */

/** One statement's raw result. */
export interface RawResult {
  readonly fields: readonly ColumnDescription[];
  readonly rows: readonly (readonly (string | null)[])[];
  /** Rows inserted, updated, deleted or merged; 0 for reads. */
  readonly updated: number;
}

/** A database session that runs statements. */
export interface Session {
  run(text: string, params: readonly BoundParameter[]): Promise<RawResult>;
}

/** A session held by one transaction until released. */
export interface LeasedSession extends Session {
  /** Gives the session back; `broken` discards it (a pooled connection that failed to roll back). */
  release(broken?: boolean): void;
}

/** A database the local Data API serves. */
export interface Backend {
  /** The database name clients must use (or omit). */
  readonly database: string;
  /** Runs `work` on a session for autocommit statements. */
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Takes a session for a transaction; with PGlite this holds the whole database until released. */
  lease(): Promise<LeasedSession>;
  /** Closes what the backend opened (not a PGlite instance it was given). */
  close(): Promise<void>;
}

/** The Data API's statement timeout: 45 seconds. */
const STATEMENT_TIMEOUT_MS = 45_000;

const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** Builds the `pg` query config: typed parameters, extended protocol, cells left as text. */
function pgQuery(text: string, params: readonly BoundParameter[]): QueryConfig {
  // pg reads `types` twice: as the parameter type OIDs of the Parse message (an array) and as the
  // result type parsers (an object with getTypeParser). One array carrying both does both jobs.
  const types = Object.assign(
    params.map((p) => p.oid),
    { getTypeParser: () => (value: string) => value },
  );
  const config = {
    text,
    values: params.map((p) => p.text),
    types,
    rowMode: 'array',
    queryMode: 'extended',
  };
  return config as QueryConfig;
}

class PgSession implements LeasedSession {
  private released = false;

  constructor(
    private readonly client: PoolClient,
    private readonly onRelease: () => void = () => undefined,
  ) {}

  async run(text: string, params: readonly BoundParameter[]): Promise<RawResult> {
    const result = await this.client.query<unknown[]>(pgQuery(text, params));
    return {
      fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: result.rows as (string | null)[][],
      updated: WRITE_COMMANDS.has(result.command) ? (result.rowCount ?? 0) : 0,
    };
  }

  release(broken = false): void {
    if (this.released) return;
    this.released = true;
    this.client.release(broken);
    this.onRelease();
  }
}

/** Options for {@link pgBackend}. */
export interface PgBackendOptions {
  /** postgres://user:password@host:port/database */
  readonly databaseUrl: string;
  /** Schema search path for every session (tests use one schema per file). @default - the server's */
  readonly searchPath?: string;
  /**
   * Pool size: transactions at once (AWS's Data API sets no per-client limit). A fleet's real-time
   * tick opens one per instance and feed at the same moment: 10 starved a 50-instance fleet. @default 50
   */
  readonly maxConnections?: number;
  /** Statement timeout in ms. @default 45000 (the Data API's) */
  readonly statementTimeoutMs?: number;
  /**
   * Whether every connection shares one session, as with PGlite's socket server, whose connections
   * also interleave extended-protocol messages; then one statement or transaction runs at a time.
   * @default - detected from `version()`
   */
  readonly singleSession?: boolean;
  /** How long a call waits for a free session before a retryable 503. @default 10000 */
  readonly sessionWaitTimeoutMs?: number;
}

/**
 * A backend over a PostgreSQL server: each transaction holds its own pooled connection. Over PGlite's
 * socket server (one session) it serializes like {@link pgliteBackend}.
 */
export function pgBackend(options: PgBackendOptions): Backend {
  const waitMs = options.sessionWaitTimeoutMs ?? SESSION_WAIT_TIMEOUT_MS;
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 50,
    connectionTimeoutMillis: waitMs,
  });
  pool.on('connect', (client) => {
    // Queued before any other query on this client. The Data API's sessions run in UTC; set it here
    // rather than as a startup option, which PGlite's socket server ignores.
    const path = options.searchPath
      ? `; SET search_path TO "${options.searchPath.replaceAll('"', '""')}"`
      : '';
    const timeout = Math.max(0, Math.floor(options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS));
    client.query(`SET TimeZone TO 'UTC'; SET statement_timeout TO ${timeout}${path}`).catch(() => undefined);
  });
  // An idle client that errors (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1)) || 'postgres';
  const mutex = new Mutex();
  let singleSession: Promise<boolean> | undefined;
  // Takes the lock when the database is single-session; a no-op release otherwise.
  const hold = async (): Promise<() => void> => {
    singleSession ??=
      options.singleSession !== undefined
        ? Promise.resolve(options.singleSession)
        : pool.query<{ v: string }>('SELECT version() AS v').then(
            (result) => /PGlite/i.test(result.rows[0]?.v ?? ''),
            () => false,
          );
    return (await singleSession) ? mutex.acquire(waitMs) : () => undefined;
  };
  const connect = async (): Promise<PgSession> => {
    const release = await hold();
    try {
      return new PgSession(await pool.connect(), release);
    } catch (error: unknown) {
      release();
      // pg's pool says "timeout exceeded when trying to connect" when every connection stays busy.
      throw error instanceof Error && /timeout exceeded/i.test(error.message)
        ? sessionBusy(waitMs, error)
        : error;
    }
  };
  return {
    database,
    async withSession(work) {
      const session = await connect();
      try {
        return await work(session);
      } finally {
        session.release();
      }
    },
    lease: connect,
    close: () => pool.end(),
  };
}

/** How long a call may wait for a database session before it is refused (10 s). */
const SESSION_WAIT_TIMEOUT_MS = 10_000;

/**
 * The answer when no session frees up in time: a 503 the SDK and the DataApiExecutor retry. Without
 * it a single-session database could deadlock: calls waiting for a transaction to end can occupy
 * every client socket that transaction's own next call needs.
 */
function sessionBusy(waitedMs: number, cause?: unknown): DataApiError {
  return new DataApiError(
    'ServiceUnavailableError',
    503,
    `No database session became free within ${waitedMs} ms (another transaction holds it); try again`,
    { cause },
  );
}

/** A FIFO async lock whose waiters can give up. */
export class Mutex {
  private locked = false;
  private readonly waiters: ((release: () => void) => void)[] = [];

  /**
   * Resolves with a release function once every earlier holder has released.
   * @throws DataApiError ServiceUnavailableError after `timeoutMs` of waiting
   */
  acquire(timeoutMs: number = Number.POSITIVE_INFINITY): Promise<() => void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (release: () => void) => {
        clearTimeout(timer);
        resolve(release);
      };
      this.waiters.push(waiter);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index === -1) return;
          this.waiters.splice(index, 1);
          reject(sessionBusy(timeoutMs));
        }, timeoutMs);
      }
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(this.releaser());
      else this.locked = false;
    };
  }
}

const identity = (value: string) => value;

/**
 * PGlite parsers that leave every cell as PostgreSQL's text. PGlite merges the option into its own
 * table with an object spread, so every OID it knows must be listed (a Proxy would be spread away).
 */
function textParsers(db: PGlite): Record<number, (value: string) => string> {
  return Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, identity]));
}

// PGlite looks serializers up by parameter type OID directly: answering every lookup with the identity
// keeps parameters as the text values.ts produced.
const textSerializers = new Proxy({} as Record<number, (value: string) => string>, { get: () => identity });

/** Options for {@link pgliteBackend}. */
export interface PgliteBackendOptions {
  /** An open PGlite instance; the caller keeps ownership and closes it. */
  readonly db: PGlite;
  /** The database name to advertise. @default postgres */
  readonly database?: string;
  /** How long a call waits for the session before a retryable 503. @default 10000 */
  readonly sessionWaitTimeoutMs?: number;
}

/**
 * A backend over an in-process PGlite, which is one session: a mutex gives a transaction the whole
 * database from BeginTransaction to Commit/Rollback, and autocommit statements wait their turn.
 */
export async function pgliteBackend(options: PgliteBackendOptions): Promise<Backend> {
  const { db } = options;
  const mutex = new Mutex();
  await db.exec("SET TimeZone TO 'UTC'");
  const session: Session = {
    async run(text, params) {
      const result = await db.query<unknown[]>(
        text,
        params.map((p) => p.text),
        {
          rowMode: 'array',
          paramTypes: params.map((p) => p.oid),
          parsers: textParsers(db),
          serializers: textSerializers,
        },
      );
      return {
        fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        rows: result.rows as (string | null)[][],
        // PGlite counts INSERT, UPDATE, DELETE, COPY and MERGE only, as the Data API does.
        updated: result.affectedRows ?? 0,
      };
    },
  };
  return {
    database: options.database ?? 'postgres',
    async withSession(work) {
      const release = await mutex.acquire(options.sessionWaitTimeoutMs ?? SESSION_WAIT_TIMEOUT_MS);
      try {
        return await work(session);
      } finally {
        release();
      }
    },
    async lease() {
      const release = await mutex.acquire(options.sessionWaitTimeoutMs ?? SESSION_WAIT_TIMEOUT_MS);
      let released = false;
      return {
        run: (text, params) => session.run(text, params),
        release: () => {
          if (released) return;
          released = true;
          release();
        },
      };
    },
    close: async () => undefined,
  };
}
