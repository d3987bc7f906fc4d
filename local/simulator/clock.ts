/**
 * The simulator's notion of time. Real time for `npm start`; a manual clock for tests, where
 * `advance(ms)` moves the contact centre forward deterministically (hours run in seconds).
 */
export interface SimulatorClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Subscribes to jumps of a manual clock, so the model runs forward as soon as time moves.
   * Real clocks do not implement it: the simulator ticks on a timer instead.
   */
  onAdvance?(listener: (nowMs: number) => void): () => void;
}

/** Wall-clock time. */
export const systemClock: SimulatorClock = { now: () => Date.now() };

/** A clock that only moves when told to: the injectable clock for tests. */
export class ManualClock implements SimulatorClock {
  private current: number;
  private readonly listeners = new Set<(nowMs: number) => void>();

  /** @param startMs the initial time, in epoch milliseconds. */
  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` and runs the model up to the new time before returning. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance expects a non-negative number of ms, got ${ms}`);
    this.set(this.current + ms);
  }

  /** Sets the time (never backwards) and runs the model up to it. */
  set(ms: number): void {
    if (ms < this.current) throw new RangeError(`the clock cannot go back from ${this.current} to ${ms}`);
    this.current = ms;
    for (const listener of this.listeners) listener(ms);
  }

  onAdvance(listener: (nowMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Wall-clock time sped up by a factor from a start instant: a day in 24 minutes at 60. The simulator
 * ticks it on its one-second timer, so the model moves `factor` seconds each real second.
 */
export class AcceleratedClock implements SimulatorClock {
  private readonly realStart = Date.now();

  /**
   * @param factor model seconds per real second (> 0)
   * @param startMs model time at creation. @default now
   */
  constructor(
    private readonly factor: number,
    private readonly startMs: number = Date.now(),
  ) {
    if (!(factor > 0)) throw new RangeError(`factor must be > 0, got ${factor}`);
  }

  now(): number {
    return this.startMs + (Date.now() - this.realStart) * this.factor;
  }
}
