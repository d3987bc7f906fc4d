import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Stops the PGlite socket server started by global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__pgliteServer as
    | { db: PGlite; server: PGLiteSocketServer }
    | undefined;
  if (!started) return;
  await started.server.stop();
  await started.db.close();
}
