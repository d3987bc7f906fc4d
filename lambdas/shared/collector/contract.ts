import type { Feed } from '../../feeds';
import type { InstanceConfig, RuntimeConfig } from '../config/runtime-config';
import type { ConnectGateway } from '../connect/gateway';
import type { SqlExecutor } from '../db/executor';
import type { Log } from '../runtime/logger';

/**
 * The collector contract. A collector is two functions over its ports: `fetch` reads Connect and the
 * database (no writes), `write` writes what was fetched, one statement per table, inside the
 * transaction the runner opened; the runner then writes the run row in that same transaction, and runs
 * the feed's after-run steps once every instance is done (see run-feed.ts).
 */

/** A record the collector could not use and skipped, with why. */
export interface SkippedRecord {
  readonly record: string;
  readonly reason: string;
}

/** What a collector reports of a successful run. */
export interface RunResult {
  readonly rowsWritten: number;
  /** The newest data written: snapshot time or interval end. */
  readonly dataTime: Date | null;
  readonly skipped?: readonly SkippedRecord[];
  /** Small feed-specific facts for `collector_run.details` (kept under a few KB). */
  readonly details?: Record<string, unknown>;
  /** Feed-specific counts published as metrics beside the run's (names from metric-names.ts). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** One run of one feed on one instance, as `collector_run` records it. */
export interface RunSummary extends RunResult {
  readonly feed: Feed;
  readonly instanceId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /**
   * `closed`: the poll gate kept the run from going ahead (the instance closed, and idle when probed);
   * it wrote nothing, not even a `collector_run` row, so the database may stay paused.
   */
  readonly outcome: 'succeeded' | 'partial' | 'failed' | 'closed';
  readonly apiCalls: number;
  readonly throttles: number;
  readonly error: string | null;
}

/** What a collector knows of the run it is part of. */
export interface RunContext {
  readonly feed: Feed;
  readonly instance: InstanceConfig;
  readonly config: RuntimeConfig;
  readonly log: Log;
  /** The run's start: the one "now" the collector should use for data (snapshot and interval times). */
  readonly startedAt: Date;
  /** Data time: what time it is in the contact centre (the simulator's clock in tests). */
  readonly now: () => Date;
  /**
   * Elapsed-time clock in epoch ms, for budgets against {@link deadlineAt}. It is wall-clock time even
   * when {@link now} is simulated, so a run on accelerated time still gets its real time budget.
   */
  readonly clock: () => number;
  /** {@link clock} time by which the run must be done. */
  readonly deadlineAt: number;
  /**
   * Runs of this feed were skipped from here on because the instance was closed (poll-gate.ts): the
   * run reads what they would have read (the historical re-reads due meanwhile).
   */
  readonly catchUpFrom?: Date;
}

/** What a run's adapters are built from: Connect under the run's budget, and the run itself. */
export interface RunWiring {
  readonly connect: ConnectGateway;
  readonly run: RunContext;
}

/** A collector of one feed. */
export interface Collector<Ports, Fetched> {
  readonly feed: Feed;
  /** Builds the ports of one run (the Connect and SQL adapters); tests give fakes instead. */
  readonly ports: (wiring: RunWiring) => Ports;
  /** Reads Connect and the database; writes nothing. */
  fetch(run: RunContext, db: SqlExecutor, ports: Ports): Promise<Fetched>;
  /** Writes what `fetch` read, inside the runner's transaction; returns what the run row records. */
  write(tx: SqlExecutor, fetched: Fetched, run: RunContext, ports: Ports): Promise<RunResult>;
}

/** Any collector, as the runner and the registries hold them. */
// biome-ignore lint/suspicious/noExplicitAny: each collector has its own ports and fetched shapes
export type AnyCollector = Collector<any, any>;
