import { mkdirSync } from 'node:fs';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { PGlite } from '@electric-sql/pglite';
import { DataApiExecutor } from '../../lambdas/shared/db/data-api-executor';
import { type RunningDataApi, startLocalDataApi } from '../data-api/server';

/** Where the local pipeline keeps its data. */
export type LocalDatabase =
  | { readonly kind: 'pglite' /** Folder to persist in; none = in memory. */; readonly dataDir?: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The local Data API over the chosen database, and the collectors' executor talking to it. */
export interface LocalDataStack {
  readonly dataApi: RunningDataApi;
  readonly db: DataApiExecutor;
  /** Data API statements and request bytes sent so far. */
  readonly counters: { statements: number; bytes: number };
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
  options: { port?: number } = {},
): Promise<LocalDataStack> {
  let pglite: PGlite | undefined;
  if (database.kind === 'pglite') {
    if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
    pglite = database.dataDir ? await PGlite.create(database.dataDir) : await PGlite.create();
  }
  const dataApi = await startLocalDataApi({
    port: options.port ?? 0,
    ...(pglite ? { pglite } : { databaseUrl: (database as { url: string }).url }),
  });
  const counters = { statements: 0, bytes: 0 };
  const client = new RDSDataClient({
    endpoint: dataApi.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const db = new DataApiExecutor({
    client,
    resourceArn: dataApi.resourceArn,
    secretArn: dataApi.secretArn,
    database: dataApi.database,
    onStatement: ({ bytes }) => {
      counters.statements += 1;
      counters.bytes += bytes;
    },
  });
  return {
    dataApi,
    db,
    counters,
    async close() {
      client.destroy();
      await dataApi.close();
      await pglite?.close();
    },
  };
}
