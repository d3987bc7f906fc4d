/**
 * Where a test's simulated clock starts: today (the real date, UTC) at a fixed hour.
 *
 * The database's `now()` moves with the calendar: the `v_*` views keep the last day of snapshots
 * before it, and a simulated clock fixed at a literal date falls out of that window some day. So the
 * date follows the real one (and a suite run with the system date moved, under `faketime`, follows
 * it too). The hour stays fixed: the simulated contact centre's activity depends on the time of day
 * (shift starts, breaks, the arrival curve), and a test that must see, say, status changes within
 * three simulated minutes must see the same centre on every run. Today at 10:00 is always within a
 * day of the real time, before or after it. Tests whose every clock is injected and that never meet
 * the real one keep literal dates: nothing they compare moves.
 */
export function simulationStart(hourUtc = 10): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), hourUtc));
}
