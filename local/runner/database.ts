import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Agent } from 'node:http';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { PGlite } from '@electric-sql/pglite';
import { DataApiExecutor, type StatementEvent } from '../../lambdas/shared/db/data-api-executor';
import { type RunningDataApi, startLocalDataApi } from '../data-api/server';

/** Where the local pipeline keeps its data. */
export type LocalDatabase =
  | { readonly kind: 'pglite' /** Folder to persist in; none = in memory. */; readonly dataDir?: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Schema every session uses (tests and benchmarks work in a schema of their own). */
      readonly searchPath?: string;
    };

/** Options of {@link openLocalDataStack}. */
export interface LocalDataStackOptions {
  /** Port of the local Data API. @default 0 (any free port) */
  readonly port?: number;
  /**
   * Called for every ExecuteStatement sent through `db`, besides the counters (benchmarks record each;
   * `npm start` shows the collectors' load on the database).
   */
  readonly onStatement?: (event: StatementEvent) => void;
  /**
   * One clock for the Data API's fault windows and the executor's retry backoff (tests: an injected
   * resuming window is waited out without real waiting).
   * @default real time
   */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

/** The local Data API over the chosen database, and the collectors' executor talking to it. */
export interface LocalDataStack {
  readonly dataApi: RunningDataApi;
  readonly db: DataApiExecutor;
  /**
   * The same Data API for readers beside the pipeline (the local dashboard, /check): its statements
   * are counted apart, in `counters.reads`, so `statements` is the collectors' own load.
   */
  readonly reads: DataApiExecutor;
  /** Data API statements and request bytes sent through `db` so far, and statements through `reads`. */
  readonly counters: { statements: number; bytes: number; reads: number };
  close(): Promise<void>;
}

/** Fake credentials for the local servers, which accept any well-formed signed request. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

/**
 * Opens the database (embedded PGlite persisted under a folder, in memory, or a PostgreSQL server),
 * serves the local Data API over it, and returns a DataApiExecutor through the real RDSDataClient:
 * everything the local pipeline writes goes through the same protocol as in AWS.
 */
export async function openLocalDataStack(
  database: LocalDatabase,
  options: LocalDataStackOptions = {},
): Promise<LocalDataStack> {
  let pglite: PGlite | undefined;
  let unlock: () => void = () => undefined;
  if (database.kind === 'pglite') {
    if (database.dataDir) {
      mkdirSync(database.dataDir, { recursive: true });
      unlock = lockDataDir(database.dataDir);
    }
    try {
      pglite = database.dataDir ? await PGlite.create(database.dataDir) : await PGlite.create();
    } catch (error) {
      unlock();
      throw error;
    }
  }
  const dataApi = await startLocalDataApi({
    port: options.port ?? 0,
    ...(pglite ? { pglite } : postgresTarget(database)),
    ...(options.clock ? { faultClock: options.clock.now } : {}),
  });
  const counters = { statements: 0, bytes: 0, reads: 0 };
  const client = new RDSDataClient({
    endpoint: dataApi.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    // Deployed, each Lambda container has its own client; here one client serves every group of a
    // fleet at once. With fewer sockets (the SDK's default is 50) than transactions in flight, the
    // transactions holding sessions wait for sockets held by calls waiting for sessions, and all stall.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 500 }) },
  });
  const props = {
    client,
    resourceArn: dataApi.resourceArn,
    secretArn: dataApi.secretArn,
    database: dataApi.database,
    ...(options.clock ? { retry: { now: options.clock.now, sleep: options.clock.sleep } } : {}),
  };
  const reads = new DataApiExecutor({
    ...props,
    onStatement: () => {
      counters.reads += 1;
    },
  });
  const db = new DataApiExecutor({
    ...props,
    onStatement: (event) => {
      counters.statements += 1;
      counters.bytes += event.bytes;
      options.onStatement?.(event);
    },
  });
  return {
    dataApi,
    db,
    reads,
    counters,
    async close() {
      client.destroy();
      await dataApi.close();
      await pglite?.close();
      unlock();
    },
  };
}

function postgresTarget(database: LocalDatabase): { databaseUrl: string; searchPath?: string } {
  if (database.kind !== 'postgres') throw new TypeError('expected a PostgreSQL database');
  return { databaseUrl: database.url, searchPath: database.searchPath };
}

/** The embedded database folder is in use by another process. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

/**
 * Takes the embedded database folder for this process: PGlite is a single-process database, and two
 * processes writing one folder would corrupt it. A lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DataDirInUseError(
          `the embedded database in ${dataDir} is in use by process ${pid} (npm start?): stop it first, ` +
            'or give both --database-url with a PostgreSQL server',
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
