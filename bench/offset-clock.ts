import type { SimulatorClock } from '../local/simulator';

/**
 * Wall-clock time shifted to a chosen start, which can jump forward. Within a run time flows as on a
 * wall clock (so rate limiters, deadlines and latencies are real); between historical runs it jumps
 * ahead by the cadence, so five simulated minutes cost no waiting.
 */
export class OffsetClock implements SimulatorClock {
  private offset: number;
  private readonly listeners = new Set<(nowMs: number) => void>();

  /** @param startMs the time `now()` answers at construction, in epoch ms. */
  constructor(
    startMs: number,
    private readonly wall: () => number = Date.now,
  ) {
    this.offset = startMs - wall();
  }

  now(): number {
    return this.wall() + this.offset;
  }

  /** Moves time forward by `ms` and tells the simulator, which runs its model up to the new time. */
  jump(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`jump expects a non-negative number of ms, got ${ms}`);
    this.offset += ms;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }

  onAdvance(listener: (nowMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
