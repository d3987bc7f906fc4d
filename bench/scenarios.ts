/**
 * The benchmark's contact centres, run on the Connect simulator. Sizes are the issue's; the number of
 * measured runs per collector is kept small enough that `--quick` (S and M) ends in under 3 minutes on
 * a 2-core machine.
 */

/** One simulated contact centre and how many runs of each collector to measure on it. */
export interface Scenario {
  readonly name: 'S' | 'M' | 'L' | 'XL';
  /** STANDARD queues (the simulator adds one AGENT queue per agent). */
  readonly queues: number;
  readonly agents: number;
  /** Measured runs of each real-time collector (current metrics, current users). */
  readonly realtimeRuns: number;
  /** Measured runs of the metadata collector. */
  readonly metadataRuns: number;
  /**
   * Measured historical runs, five simulated minutes apart: a multiple of 3 covers whole 15-minute
   * cycles (one new v2 interval each).
   */
  readonly historicalRuns: number;
}

/** S, M, L and XL as the issue sizes them. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'S', queues: 10, agents: 50, realtimeRuns: 10, metadataRuns: 3, historicalRuns: 3 },
  { name: 'M', queues: 100, agents: 1_000, realtimeRuns: 10, metadataRuns: 3, historicalRuns: 3 },
  { name: 'L', queues: 500, agents: 5_000, realtimeRuns: 10, metadataRuns: 3, historicalRuns: 3 },
  // XL measures one metadata run: a second one (an upsert over 22,000 known queues) spends minutes in
  // the dimension upsert's anti-join when the table has no planner statistics (docs/performance.md).
  { name: 'XL', queues: 2_000, agents: 20_000, realtimeRuns: 4, metadataRuns: 1, historicalRuns: 3 },
];

/** The scenarios `--quick` runs. */
export const QUICK_SCENARIOS: readonly Scenario['name'][] = ['S', 'M'];

/**
 * Simulated time the benchmark starts at: a weekday one minute past a quarter hour, in business hours
 * of the follow-the-sun profile, so call counts (which follow how many agents are logged in) are the
 * same whenever and wherever the benchmark runs.
 */
export const BENCH_START = new Date('2026-11-24T15:01:00Z');

/** The simulator's seed for every scenario. */
export const BENCH_SEED = 7;
