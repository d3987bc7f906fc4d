import { randomBytes } from 'node:crypto';
import type { Backend, LeasedSession, Session } from './backends';
import { databaseError, transactionNotFound } from './protocol';

/** The Data API's transaction idle timeout: 3 minutes between calls. */
export const TRANSACTION_IDLE_TIMEOUT_MS = 3 * 60 * 1000;

interface OpenTransaction {
  readonly session: LeasedSession;
  busy: boolean;
  timer: NodeJS.Timeout;
}

// Why a transaction id is no longer open, kept for the error message (bounded: oldest forgotten first).
const ENDED_MEMORY = 1_000;

/**
 * Open Data API transactions: opaque ids, each holding a database session until Commit/Rollback, an
 * SQL error (which aborts it, as on AWS), or the idle timeout (which rolls it back).
 */
export class TransactionRegistry {
  private readonly open = new Map<string, OpenTransaction>();
  private readonly ended = new Map<string, string>();

  constructor(
    private readonly backend: Backend,
    private readonly idleTimeoutMs: number = TRANSACTION_IDLE_TIMEOUT_MS,
  ) {}

  /** Number of transactions open now. */
  get size(): number {
    return this.open.size;
  }

  /** Opens a transaction and returns its id. */
  async begin(): Promise<string> {
    const session = await this.backend.lease();
    try {
      await session.run('BEGIN', []);
    } catch (error: unknown) {
      session.release(true);
      throw error;
    }
    const id = randomBytes(48).toString('base64');
    this.open.set(id, { session, busy: false, timer: this.idleTimer(id) });
    return id;
  }

  /**
   * Runs `work` on the transaction's session. An error from `work` aborts the transaction: it is
   * rolled back and its id forgotten.
   * @throws DataApiError TransactionNotFoundException for an unknown id; DatabaseErrorException when the
   *   transaction is still running another call
   */
  async use<T>(id: string, work: (session: Session) => Promise<T>): Promise<T> {
    const tx = this.take(id);
    tx.busy = true;
    clearTimeout(tx.timer);
    try {
      const result = await work(tx.session);
      tx.busy = false;
      tx.timer = this.idleTimer(id);
      return result;
    } catch (error: unknown) {
      await this.end(id, 'ROLLBACK', 'it was aborted by an error in a previous call');
      throw error;
    }
  }

  /** Commits and forgets the transaction. */
  async commit(id: string): Promise<void> {
    this.take(id);
    await this.end(id, 'COMMIT', 'it was already committed');
  }

  /** Rolls back and forgets the transaction. */
  async rollback(id: string): Promise<void> {
    this.take(id);
    await this.end(id, 'ROLLBACK', 'it was already rolled back');
  }

  /** Rolls back every open transaction (server shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.end(id, 'ROLLBACK', 'the server stopped')));
  }

  private take(id: string): OpenTransaction {
    const tx = this.open.get(id);
    if (!tx) throw transactionNotFound(id, this.ended.get(id) ?? 'it was never begun, or it expired');
    if (tx.busy) throw databaseError('Transaction is still running a query');
    return tx;
  }

  private async end(id: string, command: 'COMMIT' | 'ROLLBACK', reason: string): Promise<void> {
    const tx = this.open.get(id);
    if (!tx) return;
    this.open.delete(id);
    clearTimeout(tx.timer);
    this.remember(id, reason);
    let broken = false;
    try {
      await tx.session.run(command, []);
    } catch (error: unknown) {
      broken = true;
      // A failed COMMIT (a deferred constraint) is the caller's error; a failed ROLLBACK only means the
      // connection is unusable, which `broken` takes care of.
      if (command === 'COMMIT') throw error;
    } finally {
      tx.session.release(broken);
    }
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      void this.end(id, 'ROLLBACK', 'it expired after 3 minutes without a call').catch(() => undefined);
    }, this.idleTimeoutMs);
    timer.unref();
    return timer;
  }

  private remember(id: string, reason: string): void {
    this.ended.set(id, reason);
    if (this.ended.size > ENDED_MEMORY) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }
}
