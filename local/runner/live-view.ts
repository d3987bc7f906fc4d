import { FEEDS, type Feed } from '../../lambdas/feeds';
import type { RunSummary } from '../../lambdas/shared/collector/contract';

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
  rows: number;
  calls: number;
  throttles: number;
  skippedTicks: number;
  latencies: number[];
}

/**
 * The compact console view of `npm start`: one line per feed run (rows written, Connect calls,
 * throttles, latency from start to commit, and the age of the newest data), a progress bar while the
 * first historical backfill runs, and a summary table on exit.
 */
export class LiveView {
  private readonly totals = new Map<Feed, FeedTotals>();

  constructor(
    private readonly out: Out,
    private readonly now: () => number = Date.now,
  ) {}

  /** Prints one line for a feed's run (all instances of it). */
  run(feed: Feed, runs: readonly RunSummary[], latencyMs: number, skippedTicks = 0): void {
    const t = this.totalsFor(feed);
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
    if (errors.length > 0) t.failed += 1;
    const age = newest === null ? '   -' : `${((this.now() - newest) / 1000).toFixed(1).padStart(5)}s`;
    const skipped = skippedTicks > 0 ? `  (${skippedTicks} tick${skippedTicks > 1 ? 's' : ''} skipped)` : '';
    const status = errors.length > 0 ? `  FAILED: ${errors.join('; ').slice(0, 160)}` : '';
    this.out.write(
      `${clock(this.now())}  ${LABEL[feed].padEnd(8)} ${String(rows).padStart(6)} rows ${String(calls).padStart(4)} calls ` +
        `${String(throttles).padStart(3)} throttled ${String(Math.round(latencyMs)).padStart(6)} ms  data age ${age}${skipped}${status}\n`,
    );
  }

  /** Prints the backfill progress bar (fraction 0..1 of the intervals the first run must fetch). */
  backfill(fraction: number, detail: string): void {
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
    this.out.write(`${clock(this.now())}  ${text}\n`);
  }

  /** The table printed on exit. */
  summary(): string {
    const lines = [
      '',
      'feed        runs  failed  partial     rows   calls  throttled  skipped ticks  p50 ms  p95 ms',
    ];
    for (const feed of FEEDS) {
      const t = this.totals.get(feed);
      if (!t) continue;
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const pct = (p: number) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
      lines.push(
        `${LABEL[feed].padEnd(10)} ${String(t.runs).padStart(5)} ${String(t.failed).padStart(7)} ${String(t.partial).padStart(8)} ` +
          `${String(t.rows).padStart(8)} ${String(t.calls).padStart(7)} ${String(t.throttles).padStart(10)} ` +
          `${String(t.skippedTicks).padStart(14)} ${String(pct(0.5)).padStart(7)} ${String(pct(0.95)).padStart(7)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /** Totals so far, per feed (tests and the summary read them). */
  totalsOf(feed: Feed): Readonly<FeedTotals> | undefined {
    return this.totals.get(feed);
  }

  private totalsFor(feed: Feed): FeedTotals {
    let t = this.totals.get(feed);
    if (!t) {
      t = { runs: 0, failed: 0, partial: 0, rows: 0, calls: 0, throttles: 0, skippedTicks: 0, latencies: [] };
      this.totals.set(feed, t);
    }
    return t;
  }
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
