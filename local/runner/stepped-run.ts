import { FEEDS, type Feed, nextDue } from '../../lambdas/feeds';
import type { RunSummary } from '../../lambdas/shared/collector/contract';
import { type RunDeps, runFeed } from '../../lambdas/shared/collector/run-feed';
import { COLLECTORS } from './collectors';

/**
 * The pipeline on simulated time: every feed on its deployed schedule (the loop's ticks, the scheduled
 * feeds' grids), in time order, with a manual clock moved to each due time before its runs, so days of a
 * contact centre run in minutes. Each feed's runs go through `runFeed` with the deps given (the poll
 * gate included), as deployed. For tests and the bench: what a week costs in Connect calls and database
 * statements, and what it stores.
 */

/** What one due time ran. */
export interface SteppedRuns {
  readonly at: number;
  readonly feed: Feed;
  readonly runs: readonly RunSummary[];
}

export interface SteppedRunOptions {
  readonly from: number;
  /** Exclusive. */
  readonly until: number;
  /** Moves the simulated clock (the simulator's model runs up to it). */
  readonly setClock: (ms: number) => void;
  /** Deps of one feed's run at the current time. */
  readonly deps: (feed: Feed) => RunDeps;
  /** Feeds to run. @default all four */
  readonly feeds?: readonly Feed[];
  /** Called after each feed's runs at a due time (to measure, or to check); with no runs when skipped. */
  readonly after?: (step: SteppedRuns) => void | Promise<void>;
  /** A due time to leave out (an outage): the feed does not run then (`after` still sees it). */
  readonly skip?: (feed: Feed, at: number) => boolean;
  /**
   * A sampled schedule for long simulations: these feeds run every this many ms (on multiples of it)
   * instead of every cadence.
   */
  readonly everyMs?: Partial<Record<Feed, number>>;
}

/** Runs the feeds from `from` to `until` and returns how many due times ran. */
export async function runStepped(options: SteppedRunOptions): Promise<number> {
  const feeds = options.feeds ?? FEEDS;
  const { cadences } = options.deps(feeds[0] ?? 'metadata').config;
  const next = (feed: Feed, after: number) => {
    const every = options.everyMs?.[feed];
    return every ? Math.ceil(after / every) * every : nextDue(feed, after, cadences);
  };
  const due = new Map(feeds.map((f) => [f, next(f, options.from)]));
  let steps = 0;
  for (;;) {
    const at = Math.min(...due.values());
    if (at >= options.until) return steps;
    options.setClock(at);
    // In the feed table's order at a shared time: metadata first, so queues are known.
    for (const feed of feeds.filter((f) => due.get(f) === at)) {
      due.set(feed, next(feed, at + 1));
      if (options.skip?.(feed, at)) {
        await options.after?.({ at, feed, runs: [] });
        continue;
      }
      const { runs } = await runFeed(COLLECTORS[feed], options.deps(feed));
      steps += 1;
      await options.after?.({ at, feed, runs });
    }
  }
}
