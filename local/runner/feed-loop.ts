import type { Feed } from '../../lambdas/feeds';
import { nextDue } from '../../lambdas/feeds';
import type { Cadences } from '../../lambdas/shared/config/runtime-config';

/** Time for the loops: the pipeline's `ReplayClock` in `npm start`, a clock that jumps in tests. */
export interface LoopClock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** What one scheduled run reports back. */
export interface LoopEvent {
  readonly feed: Feed;
  /** When the schedule said it should start. */
  readonly dueAt: number;
  /** Ticks that were skipped because the previous run overran them. */
  readonly skippedTicks: number;
  /** The loop's first run. */
  readonly first: boolean;
}

/**
 * Runs one feed on its deployed schedule until `signal` aborts. Runs of a feed never overlap: when a run
 * overruns its next tick, that tick starts as soon as it ends (as the state machine's Wait on a past
 * timestamp does), and ticks overrun beyond that are skipped and reported. On abort, the run in flight
 * is awaited (its transaction commits or rolls back) before the loop returns.
 */
export async function runFeedLoop(
  feed: Feed,
  cadences: Cadences,
  runOnce: (event: LoopEvent) => Promise<void>,
  options: { signal: AbortSignal; clock: LoopClock; runAtStart?: boolean },
): Promise<void> {
  const { clock } = options;
  let due = options.runAtStart ? clock.now() : nextDue(feed, clock.now(), cadences);
  let skippedTicks = 0;
  let first = true;
  while (!options.signal.aborted) {
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait, options.signal);
    if (options.signal.aborted) break;
    await runOnce({ feed, dueAt: due, skippedTicks, first });
    first = false;
    const next = nextDue(feed, due + 1, cadences);
    // The schedule's step after `next` (not next - due: a run at start is off the schedule's grid).
    const cadence = Math.max(1, nextDue(feed, next + 1, cadences) - next);
    const latest = nextDue(feed, clock.now() - cadence + 1, cadences);
    skippedTicks = latest > next ? Math.round((latest - next) / cadence) : 0;
    due = Math.max(next, latest);
  }
}
