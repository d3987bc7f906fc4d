import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Stops the PGlite socket servers started by global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  const started = ((globalThis as Record<string, unknown>).__pgliteServers ?? []) as {
    db: PGlite;
    server: PGLiteSocketServer;
  }[];
  for (const { server, db } of started) {
    await server.stop();
    await db.close();
  }
}
