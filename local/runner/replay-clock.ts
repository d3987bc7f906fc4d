import type { SimulatorClock } from '../simulator/clock';
import type { LoopClock } from './feed-loop';

/** Resolves after `ms` of real time, or early (without error) when `signal` aborts. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * How far back a replay may start: a week and a day, so a full weekend or week can be replayed. The
 * simulator builds a day of history before the start.
 */
export const MAX_REPLAY_MS = 8 * 86_400_000;

/** A replay's start when --speed comes without --start-at: the last 12 hours. */
export const DEFAULT_REPLAY_MS = 12 * 3_600_000;

/**
 * A replay's start (`npm start -- --start-at`): an ISO-8601 date-time with its zone (`Z` or an offset: without one
 * it would mean this machine's zone), or a time before `nowMs` (`14h`, `90m`). Undefined when neither.
 */
export function replayStart(text: string, nowMs: number): number | undefined {
  const ago = /^(\d+(?:\.\d+)?)(h|m)$/.exec(text);
  if (ago) return nowMs - Number(ago[1]) * (ago[2] === 'h' ? 3_600_000 : 60_000);
  const instant = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!instant) return undefined;
  // Date.parse rolls an impossible day over (February 30th is March 2nd): refuse it instead.
  const [, year, month, day] = instant.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  if (date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * The local pipeline's one clock, for the simulator, the feed loops, the runs' data time, /check and
 * the dashboard: a replay that starts at `startMs` in the past and runs `speed` times faster than real
 * time until it has caught up with real time, then goes on at real time (speed 1 from now: plain real
 * time). Simulated time never passes real time, so nothing written is ever ahead of the database's own
 * `now()` (which the BI views read) and the run ends up as an ordinary live one.
 *
 * What it does not speed up: Connect's quotas (the client's rate limiters and the simulator's
 * throttling are per real second, as in AWS), the runs' deadlines and the Data API's retries; a run
 * that takes longer than its sped-up cadence skips ticks, and the live view says so.
 */
export class ReplayClock implements LoopClock, SimulatorClock {
  /** Real time at which the replay started; undefined while it is held at `startMs`. */
  private realStart: number | undefined;

  private constructor(
    /** Simulated ms per real ms while replaying. */
    readonly speed: number,
    /** Simulated time at the start. */
    readonly startMs: number,
    private readonly wall: () => number,
  ) {}

  /** Real time. */
  static real(wall: () => number = Date.now): ReplayClock {
    const clock = new ReplayClock(1, wall(), wall);
    clock.realStart = clock.startMs;
    return clock;
  }

  /**
   * A replay from `startMs` (in the past, by at most {@link MAX_REPLAY_MS}) at `speed` (> 1), held at
   * `startMs` until {@link start}: the start-up (migrations, the first metadata run) takes no
   * simulated time.
   */
  static replay(speed: number, startMs: number, wall: () => number = Date.now): ReplayClock {
    if (!(Number.isFinite(speed) && speed > 1))
      throw new RangeError(`a replay's speed must be > 1, got ${speed}`);
    const behind = wall() - startMs;
    if (!(behind >= 0))
      throw new RangeError(`a replay starts in the past, not at ${new Date(startMs).toISOString()}`);
    if (behind > MAX_REPLAY_MS)
      throw new RangeError(
        `a replay starts at most ${MAX_REPLAY_MS / 86_400_000} days ago, not at ${new Date(startMs).toISOString()}`,
      );
    return new ReplayClock(speed, startMs, wall);
  }

  /** Lets a held replay run (once; later calls do nothing). */
  start(): void {
    this.realStart ??= this.wall();
  }

  now(): number {
    if (this.realStart === undefined) return this.startMs;
    const wall = this.wall();
    return Math.min(this.startMs + (wall - this.realStart) * this.speed, wall);
  }

  /** Real time (epoch ms) at which the replay reaches real time and goes on at speed 1; undefined while held. */
  get caughtUpAt(): number | undefined {
    if (this.realStart === undefined) return undefined;
    return this.speed === 1
      ? this.realStart
      : this.realStart + (this.realStart - this.startMs) / (this.speed - 1);
  }

  /** Real ms from now until this clock shows `targetMs` (a held replay counted as starting now). */
  realDelayUntil(targetMs: number): number {
    const wall = this.wall();
    const realStart = this.realStart ?? wall;
    // Both terms of now()'s min must have reached the target: the replay's and real time's.
    const at = Math.max(realStart + (targetMs - this.startMs) / this.speed, targetMs);
    return Math.max(0, at - wall);
  }

  /**
   * Waits until this clock has moved `ms` on (a simulated interval), or `signal` aborts. Timers may
   * fire a millisecond early, which is `speed` ms of simulated time: it waits again until it is there.
   */
  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    const target = this.now() + ms;
    while (!signal.aborted && this.now() < target) {
      await sleepUnlessAborted(Math.max(1, this.realDelayUntil(target)), signal);
    }
  }
}
