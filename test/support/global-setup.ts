import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Starts one embedded PGlite database behind a PostgreSQL wire-protocol socket for the whole run and
 * publishes its URL as PGLITE_URL, so database tests connect with `pg` (PGlite itself is ESM and does
 * not run inside jest's module VM). Each test file works in its own schema (see databases.ts).
 */
export default async function globalSetup(): Promise<void> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 64 });
  await server.start();
  const conn = server.getServerConn();
  process.env.PGLITE_URL = `postgres://postgres@${conn}/postgres`;
  (globalThis as Record<string, unknown>).__pgliteServer = { db, server };
}
