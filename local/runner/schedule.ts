import type { Cadences, Feed } from '../../lambdas/shared/config/runtime-config';

/**
 * When each feed runs, as the deployed stack fires them (lib/constructs/polling-loop.ts and
 * collector-schedule.ts): real-time feeds on ticks anchored to the minute (+0, +10, ... +50 s for a
 * 10-second cadence), historical every N minutes one minute past the interval boundary (so Connect has
 * finished the interval), metadata every M minutes on the boundary.
 */

/** Minutes past the boundary the historical schedule fires (the stack's `offsetMinutes`). */
export const HISTORICAL_OFFSET_MINUTES = 1;

/** The first time at or after `afterMs` when `feed` is due. */
export function nextDue(feed: Feed, afterMs: number, cadences: Cadences): number {
  switch (feed) {
    case 'current_metrics':
    case 'current_users':
      return ceilTo(afterMs, cadences.realtimeSeconds * 1000, 0);
    case 'historical_metrics':
      return ceilTo(afterMs, cadences.historicalMinutes * 60_000, HISTORICAL_OFFSET_MINUTES * 60_000);
    case 'metadata':
      return ceilTo(afterMs, cadences.metadataMinutes * 60_000, 0);
  }
}

/** Tick offsets within a minute for the real-time loop, in seconds: [0, 10, 20, 30, 40, 50]. */
export function realtimeTickOffsets(cadences: Cadences): number[] {
  return Array.from({ length: 60 / cadences.realtimeSeconds }, (_, i) => i * cadences.realtimeSeconds);
}

/** The cadence of a feed in ms (what staleness and the live view measure against). */
export function cadenceMs(feed: Feed, cadences: Cadences): number {
  if (feed === 'current_metrics' || feed === 'current_users') return cadences.realtimeSeconds * 1000;
  if (feed === 'historical_metrics') return cadences.historicalMinutes * 60_000;
  return cadences.metadataMinutes * 60_000;
}

function ceilTo(ms: number, step: number, offset: number): number {
  return Math.ceil((ms - offset) / step) * step + offset;
}

/**
 * Time a run may take before its retries stop (the deployed functions get this from their timeout): a
 * real-time run must be done before the next tick; the others have minutes.
 */
export function runBudgetMs(feed: Feed, cadences: Cadences): number {
  if (feed === 'current_metrics' || feed === 'current_users')
    return Math.max(2_000, cadences.realtimeSeconds * 1000 - 1_000);
  return 4 * 60_000;
}
