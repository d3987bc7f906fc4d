/**
 * Simulated time that follows the real date, so a test passes on any day it runs.
 *
 * The database's `now()` (the `v_*` views keep the last day of snapshots, `v_data_freshness` measures
 * age from it) and the system clock move with the calendar; a simulated clock fixed at a literal date
 * drifts away from them and a test that compares the two starts failing some day. Every test whose
 * data meets the database clock or `Date.now()` starts its simulated clock here instead: the real
 * time, floored to a whole step (a 5-minute interval by default, so historical intervals line up),
 * optionally some time back. Tests whose every clock is injected and that never meet the real one
 * keep literal dates: nothing they compare moves.
 */
export function realTimeStart(options: { stepMs?: number; backMs?: number } = {}): Date {
  const step = options.stepMs ?? 5 * 60_000;
  return new Date(Math.floor((Date.now() - (options.backMs ?? 0)) / step) * step);
}
