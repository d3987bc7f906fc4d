import { FEED_TABLE, FEEDS, type Feed } from '../../lambdas/feeds';
import type { RunSummary } from '../../lambdas/shared/collector/contract';
import { AUTO_PAUSE_MINUTES } from '../../lib/config';

/** Where the live view writes (stdout in `npm start`). */
export interface Out {
  write(text: string): void;
}

const LABEL: Readonly<Record<Feed, string>> = {
  metadata: 'metadata',
  current_metrics: 'queues',
  current_users: 'agents',
  historical_metrics: 'history',
};

/** Per feed totals for the exit summary. */
interface FeedTotals {
  runs: number;
  failed: number;
  partial: number;
  /** Instance runs the poll gate kept closed (nothing written). */
  closed: number;
  rows: number;
  calls: number;
  throttles: number;
  skippedTicks: number;
  latencies: number[];
}

/** The latest run of one instance of a feed, for the per-client summary. */
interface InstanceState {
  readonly client: string;
  failedFeeds: Map<Feed, string>;
  newestData: number | null;
}

/** How often a fleet's per-client summary is printed. */
const CLIENT_SUMMARY_MS = 60_000;
const HOUR_MS = 3_600_000;
/** A stretch without a collector statement longer than this lets a cluster with minCapacity 0 pause. */
const AUTO_PAUSE_MS = AUTO_PAUSE_MINUTES * 60_000;

/** One clock hour's load, for its line. */
interface HourLoad {
  /** Start of the hour, or of the view when it began within it. */
  from: number;
  /** Feed runs that collected (any instance open). */
  runs: number;
  /** Feed runs the poll gate kept closed, and how many of them asked Connect (probes, batches). */
  closed: number;
  asked: number;
  calls: number;
  statements: number;
}

/** Stretches without a collector statement, on the view's clock. */
interface DatabaseIdle {
  last: number;
  longest: { from: number; to: number };
  /** Time beyond the auto-pause delay in each stretch: what a cluster with minCapacity 0 sleeps. */
  pausedMs: number;
}

/**
 * The compact console view of `npm start`: one line per feed run (rows written, Connect calls,
 * throttles, latency from start to commit, and the age of the newest data), a progress bar while the
 * first historical backfill runs, and a summary table on exit. With instances of several clients (a
 * fleet), each run line says how many instances and clients it covered, and a line a minute sums the
 * clients up (how many are fresh, which fail and why) instead of a line per instance. At the end of
 * each clock hour (of the view's clock: simulated in a replay) a line gives the hour's runs, closed
 * runs, Connect calls and the collectors' database statements, and how long the database has been
 * idle; the summary gives the longest idle stretch and how long a cluster with minCapacity 0 would
 * have been paused.
 */
export class LiveView {
  private readonly totals = new Map<Feed, FeedTotals>();
  private readonly instances = new Map<string, InstanceState>();
  private lastClientSummary: number;
  private readonly startedAt: number;
  private hour: HourLoad;
  private readonly idle: DatabaseIdle;
  private statementCount = 0;

  constructor(
    private readonly out: Out,
    private readonly now: () => number = Date.now,
    /** The client of each instance (instance id to client name); none: no per-client lines. */
    private readonly clientOf: ReadonlyMap<string, string> = new Map(),
  ) {
    this.startedAt = now();
    this.lastClientSummary = this.startedAt;
    this.hour = emptyHour(this.startedAt);
    this.idle = { last: this.startedAt, longest: { from: this.startedAt, to: this.startedAt }, pausedMs: 0 };
  }

  /** Counts one database statement of the collectors (not of the dashboard or /check). */
  statement(): void {
    const t = this.rollHour();
    this.hour.statements += 1;
    this.statementCount += 1;
    this.idleUntil(t);
    this.idle.last = t;
  }

  /** Closes the stretch from the last statement to `t`. */
  private idleUntil(t: number): void {
    const gap = t - this.idle.last;
    if (gap > this.idle.longest.to - this.idle.longest.from)
      this.idle.longest = { from: this.idle.last, to: t };
    this.idle.pausedMs += Math.max(0, gap - AUTO_PAUSE_MS);
  }

  /** Prints the line of every clock hour that has ended, and returns the time now. */
  private rollHour(): number {
    const t = this.now();
    for (;;) {
      const end = Math.floor(this.hour.from / HOUR_MS) * HOUR_MS + HOUR_MS;
      if (t < end) return t;
      const h = this.hour;
      const idleMs = end - this.idle.last;
      const partial = h.from % HOUR_MS === 0 ? '' : ` (from ${hhmm(h.from)})`;
      this.out.write(
        `${clock(end)}  hour     ${new Date(end - HOUR_MS).toISOString().slice(0, 13)}:00Z${partial}: ${h.runs} runs, ` +
          `${h.closed} closed (${h.asked} asked Connect), ${h.calls} Connect calls, ${h.statements} database statements` +
          `${idleMs >= AUTO_PAUSE_MS ? `; database idle for ${hours(idleMs)}` : ''}\n`,
      );
      this.hour = emptyHour(end);
    }
  }

  /** Whether the instances belong to more than one client. */
  private get isFleet(): boolean {
    return new Set(this.clientOf.values()).size > 1;
  }

  /** Prints one line for a feed's run (all instances of it). */
  run(feed: Feed, runs: readonly RunSummary[], latencyMs: number, skippedTicks = 0): void {
    this.rollHour();
    const t = this.totalsFor(feed);
    const closed = runs.filter((r) => r.outcome === 'closed');
    t.closed += closed.length;
    if (closed.length > 0 && closed.length === runs.length) {
      // Closed: a real-time tick says so only when it asked Connect (a probe); a scheduled run always.
      const calls = closed.reduce((n, r) => n + r.apiCalls, 0);
      t.calls += calls;
      this.hour.closed += 1;
      this.hour.calls += calls;
      if (calls > 0) this.hour.asked += 1;
      if (calls > 0 || FEED_TABLE[feed].schedule.kind !== 'loop') {
        this.out.write(
          `${clock(this.now())}  ${LABEL[feed].padEnd(8)} closed: ${calls > 0 ? `asked Connect (${calls} calls), idle, ` : ''}nothing written\n`,
        );
      }
      return;
    }
    t.runs += 1;
    t.skippedTicks += skippedTicks;
    t.latencies.push(latencyMs);
    let rows = 0;
    let calls = 0;
    let throttles = 0;
    let newest: number | null = null;
    const errors: string[] = [];
    for (const run of runs) {
      rows += run.rowsWritten;
      calls += run.apiCalls;
      throttles += run.throttles;
      if (run.outcome === 'failed') errors.push(run.error ?? 'failed');
      if (run.outcome === 'partial') t.partial += 1;
      if (run.dataTime) newest = Math.max(newest ?? 0, run.dataTime.getTime());
    }
    t.rows += rows;
    t.calls += calls;
    t.throttles += throttles;
    this.hour.runs += 1;
    this.hour.calls += calls;
    if (errors.length > 0) t.failed += 1;
    const age = newest === null ? '   -' : `${((this.now() - newest) / 1000).toFixed(1).padStart(5)}s`;
    const skipped = skippedTicks > 0 ? `  (${skippedTicks} tick${skippedTicks > 1 ? 's' : ''} skipped)` : '';
    const fleet = this.isFleet;
    const failedClients = new Set(
      runs.filter((r) => r.outcome === 'failed').map((r) => this.clientOf.get(r.instanceId) ?? r.instanceId),
    );
    const status =
      errors.length === 0
        ? ''
        : fleet
          ? `  FAILED for ${failedClients.size} client${failedClients.size > 1 ? 's' : ''} (${errors.length} instance${errors.length > 1 ? 's' : ''}): ${[...failedClients].slice(0, 3).join(', ')}${failedClients.size > 3 ? ', ...' : ''}`
          : `  FAILED: ${errors.join('; ').slice(0, 160)}`;
    const scope = fleet
      ? `  ${runs.length} instances of ${new Set(runs.map((r) => this.clientOf.get(r.instanceId))).size} clients`
      : '';
    this.out.write(
      `${clock(this.now())}  ${LABEL[feed].padEnd(8)} ${String(rows).padStart(6)} rows ${String(calls).padStart(4)} calls ` +
        `${String(throttles).padStart(3)} throttled ${String(Math.round(latencyMs)).padStart(6)} ms  data age ${age}${scope}${skipped}${status}\n`,
    );
    if (fleet) this.trackClients(feed, runs);
  }

  /** Keeps each instance's latest outcome per feed, and prints the per-client line once a minute. */
  private trackClients(feed: Feed, runs: readonly RunSummary[]): void {
    for (const run of runs) {
      const state = this.instances.get(run.instanceId) ?? {
        client: this.clientOf.get(run.instanceId) ?? run.instanceId,
        failedFeeds: new Map<Feed, string>(),
        newestData: null,
      };
      if (run.outcome === 'failed') state.failedFeeds.set(feed, run.error ?? 'failed');
      else state.failedFeeds.delete(feed);
      if (feed === 'current_metrics' && run.dataTime)
        state.newestData = Math.max(state.newestData ?? 0, run.dataTime.getTime());
      this.instances.set(run.instanceId, state);
    }
    if (this.now() - this.lastClientSummary >= CLIENT_SUMMARY_MS) this.out.write(this.clientSummary());
  }

  /**
   * One line for the whole fleet: clients whose every instance's latest runs succeeded, the oldest
   * real-time data among them, and each failing client with its first error.
   */
  private clientSummary(): string {
    this.lastClientSummary = this.now();
    const clients = new Map<string, InstanceState[]>();
    for (const state of this.instances.values())
      clients.set(state.client, [...(clients.get(state.client) ?? []), state]);
    const failing = [...clients].filter(([, states]) => states.some((s) => s.failedFeeds.size > 0));
    const ages = [...this.instances.values()]
      .map((s) => (s.newestData === null ? null : (this.now() - s.newestData) / 1000))
      .filter((a): a is number => a !== null);
    const oldest = ages.length > 0 ? `${Math.max(...ages).toFixed(1)}s` : '-';
    const failures = failing
      .slice(0, 5)
      .map(([client, states]) => {
        const first = states.flatMap((s) => [...s.failedFeeds]).at(0);
        return `${client} (${first ? `${LABEL[first[0]]}: ${first[1].slice(0, 60)}` : 'failed'})`;
      })
      .join('; ');
    return (
      `${clock(this.now())}  clients  ${clients.size - failing.length} of ${clients.size} ok (${this.instances.size} instances), ` +
      `oldest real-time data ${oldest}` +
      (failing.length > 0
        ? `; failing: ${failures}${failing.length > 5 ? `; and ${failing.length - 5} more` : ''}`
        : '') +
      '\n'
    );
  }

  /** Prints the backfill progress bar (fraction 0..1 of the intervals the first run must fetch). */
  backfill(fraction: number, detail: string): void {
    this.rollHour();
    const width = 30;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    this.out.write(
      `${clock(this.now())}  backfill [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(
        fraction * 100,
      )
        .toString()
        .padStart(3)}%  ${detail}\n`,
    );
  }

  /** A free-form line (start-up, shutdown). */
  note(text: string): void {
    this.rollHour();
    this.out.write(`${clock(this.now())}  ${text}\n`);
  }

  /** The table printed on exit. */
  summary(): string {
    const lines = [
      '',
      'feed        runs  failed  partial   closed     rows   calls  throttled  skipped ticks  p50 ms  p95 ms',
    ];
    for (const feed of FEEDS) {
      const t = this.totals.get(feed);
      if (!t) continue;
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const pct = (p: number) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
      lines.push(
        `${LABEL[feed].padEnd(10)} ${String(t.runs).padStart(5)} ${String(t.failed).padStart(7)} ${String(t.partial).padStart(8)} ${String(t.closed).padStart(8)} ` +
          `${String(t.rows).padStart(8)} ${String(t.calls).padStart(7)} ${String(t.throttles).padStart(10)} ` +
          `${String(t.skippedTicks).padStart(14)} ${String(pct(0.5)).padStart(7)} ${String(pct(0.95)).padStart(7)}`,
      );
    }
    return `${lines.join('\n')}\n${this.databaseSummary()}`;
  }

  /**
   * The collectors' load on the database over the run: statements, the longest stretch without one,
   * and the time beyond the auto-pause delay in every stretch, which a cluster with minCapacity 0 sleeps.
   */
  private databaseSummary(): string {
    const t = this.rollHour();
    const { longest, pausedMs } = this.idle;
    const open = t - this.idle.last;
    const [from, to] = open > longest.to - longest.from ? [this.idle.last, t] : [longest.from, longest.to];
    const paused = pausedMs + Math.max(0, open - AUTO_PAUSE_MS);
    const span = t - this.startedAt;
    return (
      `database (the pipeline's statements, not the dashboard's or /check's, ${new Date(this.startedAt).toISOString().slice(0, 16)}Z to ${new Date(t).toISOString().slice(0, 16)}Z, ${hours(span)}): ` +
      `${this.statementCount} statements; longest stretch without one ${hours(to - from)} (${hhmm(from)}Z to ${hhmm(to)}Z); ` +
      `with minCapacity 0 (${AUTO_PAUSE_MINUTES}-minute auto-pause) the cluster would have been paused ${hours(paused)}` +
      `${span > 0 ? ` (${Math.round((paused / span) * 100)}%)` : ''}\n`
    );
  }

  /** Totals so far, per feed (tests and the summary read them). */
  totalsOf(feed: Feed): Readonly<FeedTotals> | undefined {
    return this.totals.get(feed);
  }

  private totalsFor(feed: Feed): FeedTotals {
    let t = this.totals.get(feed);
    if (!t) {
      t = {
        runs: 0,
        failed: 0,
        partial: 0,
        closed: 0,
        rows: 0,
        calls: 0,
        throttles: 0,
        skippedTicks: 0,
        latencies: [],
      };
      this.totals.set(feed, t);
    }
    return t;
  }
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function hours(ms: number): string {
  return ms >= HOUR_MS ? `${(ms / HOUR_MS).toFixed(1)} h` : `${Math.round(ms / 60_000)} min`;
}

function emptyHour(from: number): HourLoad {
  return { from, runs: 0, closed: 0, asked: 0, calls: 0, statements: 0 };
}
