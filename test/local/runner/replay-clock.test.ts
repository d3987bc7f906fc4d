import { MAX_REPLAY_MS, ReplayClock, replayStart } from '../../../local/runner/replay-clock';

const HOUR = 3_600_000;
const REAL = new Date('2026-11-30T13:00:00Z').getTime();

/** Real time under the test's control. */
function wallAt(start: number) {
  let now = start;
  return { now: () => now, move: (ms: number) => (now += ms) };
}

describe('ReplayClock', () => {
  test('real time: now() is the wall clock, and a delay is the interval itself', () => {
    const wall = wallAt(REAL);
    const clock = ReplayClock.real(wall.now);
    wall.move(12_345);
    expect(clock.now()).toBe(REAL + 12_345);
    expect(clock.caughtUpAt).toBe(REAL);
    expect(clock.realDelayUntil(clock.now() + 10_000)).toBe(10_000);
  });

  test('a replay is held at its start until started, runs at its speed, and goes on at real time once it has caught up', () => {
    const wall = wallAt(REAL);
    const clock = ReplayClock.replay(60, REAL - 12 * HOUR, wall.now);
    wall.move(5_000); // the start-up: migrations, the first metadata run
    expect(clock.now()).toBe(REAL - 12 * HOUR);
    expect(clock.caughtUpAt).toBeUndefined();

    clock.start();
    const started = REAL + 5_000;
    wall.move(60_000); // a real minute is a simulated hour
    expect(clock.now()).toBe(REAL - 11 * HOUR);
    // 12 h behind at the start, gaining 59 s a second: level with real time after 12 h / 59.
    const caughtUp = started + (12 * HOUR + 5_000) / 59;
    expect(clock.caughtUpAt).toBeCloseTo(caughtUp, 6);
    wall.move(caughtUp - wall.now() - 1_000);
    expect(clock.now()).toBeLessThan(wall.now());
    wall.move(2_000);
    expect(clock.now()).toBe(wall.now());
    wall.move(HOUR);
    expect(clock.now()).toBe(wall.now());
    clock.start(); // a second start changes nothing
    expect(clock.now()).toBe(wall.now());
  });

  test('never moves backwards and never passes real time, whatever the speed', () => {
    const wall = wallAt(REAL);
    const clock = ReplayClock.replay(3600, REAL - 2 * HOUR, wall.now);
    clock.start();
    let previous = clock.now();
    for (let i = 0; i < 500; i++) {
      wall.move(37);
      const now = clock.now();
      expect(now).toBeGreaterThanOrEqual(previous);
      expect(now).toBeLessThanOrEqual(wall.now());
      previous = now;
    }
    expect(previous).toBe(wall.now());
  });

  test('the real delay to a simulated time: divided by the speed while replaying, real once caught up', () => {
    const wall = wallAt(REAL);
    const clock = ReplayClock.replay(60, REAL - 12 * HOUR, wall.now);
    clock.start();
    // Ten simulated seconds (a real-time tick) take a sixth of a real second.
    expect(clock.realDelayUntil(clock.now() + 10_000)).toBeCloseTo(10_000 / 60, 3);
    // A time after the catch-up: the replay's share, then real time up to it.
    const target = REAL + HOUR;
    expect(clock.realDelayUntil(target)).toBe(HOUR);
    // A time already shown: no wait.
    expect(clock.realDelayUntil(clock.now() - 1)).toBe(0);
  });

  test('sleep waits the real delay of a simulated interval, and ends early on abort', async () => {
    const clock = ReplayClock.replay(1000, Date.now() - HOUR);
    clock.start();
    const before = clock.now();
    await clock.sleep(5_000, new AbortController().signal); // 5 ms of real time
    expect(clock.now() - before).toBeGreaterThanOrEqual(5_000);
    const controller = new AbortController();
    const sleeping = clock.sleep(HOUR, controller.signal); // 3.6 s of real time
    controller.abort();
    await sleeping;
    expect(clock.now() - before).toBeLessThan(HOUR);
  });

  test('refuses a speed of 1 or less, a start in the future, and one more than 8 days ago', () => {
    const wall = wallAt(REAL);
    expect(() => ReplayClock.replay(1, REAL - HOUR, wall.now)).toThrow(/speed must be > 1, got 1/);
    expect(() => ReplayClock.replay(60, REAL + 1, wall.now)).toThrow(
      /starts in the past, not at 2026-11-30T13:00:00.001Z/,
    );
    expect(() => ReplayClock.replay(60, REAL - MAX_REPLAY_MS - 1, wall.now)).toThrow(/at most 8 days ago/);
    expect(ReplayClock.replay(60, REAL - MAX_REPLAY_MS, wall.now).startMs).toBe(REAL - MAX_REPLAY_MS);
  });
});

describe('replayStart (--start-at)', () => {
  test('a time ago in hours or minutes, or an instant with its zone', () => {
    expect(replayStart('14h', REAL)).toBe(REAL - 14 * HOUR);
    expect(replayStart('1.5h', REAL)).toBe(REAL - 1.5 * HOUR);
    expect(replayStart('90m', REAL)).toBe(REAL - 90 * 60_000);
    expect(replayStart('2026-11-27T19:00:00-05:00', REAL)).toBe(Date.parse('2026-11-28T00:00:00Z'));
    expect(replayStart('2026-11-28T00:00Z', REAL)).toBe(Date.parse('2026-11-28T00:00:00Z'));
  });

  test('nothing for an instant without a zone (it would mean this machine’s), a bad date or other text', () => {
    expect(replayStart('2026-11-27T19:00:00', REAL)).toBeUndefined();
    expect(replayStart('2026-13-45T19:00:00Z', REAL)).toBeUndefined();
    expect(replayStart('2026-02-30T00:00Z', REAL)).toBeUndefined();
    expect(replayStart('2026-02-28T25:00Z', REAL)).toBeUndefined();
    expect(replayStart('yesterday', REAL)).toBeUndefined();
    expect(replayStart('14', REAL)).toBeUndefined();
    expect(replayStart('-3h', REAL)).toBeUndefined();
  });
});
