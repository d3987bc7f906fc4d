import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const config = require('../../jest.config.js') as { maxWorkers: number };

/**
 * Starts one embedded PGlite database per jest worker behind a PostgreSQL wire-protocol socket and
 * publishes their URLs as PGLITE_URL_<worker id> (PGlite is ESM and does not run inside jest's module
 * VM, so tests connect with `pg`). A PGlite database is a single session, so two workers must not share
 * one: a `SET search_path` from one test file would change the other's. See databases.ts.
 */
export default async function globalSetup(): Promise<void> {
  const started = await Promise.all(
    Array.from({ length: config.maxWorkers }, async (_, index) => {
      const db = await PGlite.create();
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 64 });
      await server.start();
      process.env[`PGLITE_URL_${index + 1}`] = `postgres://postgres@${server.getServerConn()}/postgres`;
      return { db, server };
    }),
  );
  (globalThis as Record<string, unknown>).__pgliteServers = started;
}
