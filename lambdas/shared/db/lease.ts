import type { SqlExecutor } from './executor';

/**
 * A lease in the database: at most one holder of a key at a time, lapsing by itself at its expiry, so
 * a holder that dies (a Lambda timeout) never blocks the key for longer than it asked for. Times are
 * the database's (`now()`), so callers' clocks never need to agree.
 */

/**
 * Takes the lease of `key` for `ttlMs` if it is free, lapsed, or already `holder`'s.
 * @returns true when `holder` now holds it
 */
export async function acquireLease(
  db: SqlExecutor,
  key: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const { rows } = await db.query<{ holder: string }>(
    `INSERT INTO collector_lease (lease_key, holder, expires_at)
     VALUES (:key, :holder, now() + :ttlMs * interval '1 millisecond')
     ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE collector_lease.expires_at <= now() OR collector_lease.holder = EXCLUDED.holder
     RETURNING holder`,
    { key, holder, ttlMs: Math.max(0, Math.round(ttlMs)) },
  );
  return rows.length === 1;
}

/** Gives the lease back at once, if `holder` still holds it. */
export async function releaseLease(db: SqlExecutor, key: string, holder: string): Promise<void> {
  await db.query(
    'UPDATE collector_lease SET expires_at = now() WHERE lease_key = :key AND holder = :holder',
    { key, holder },
  );
}
