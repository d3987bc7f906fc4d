import { AcceleratedClock, ManualClock } from '../../../local/simulator/clock';

describe('simulator clocks', () => {
  test('moves a manual clock only when told and notifies its listeners', () => {
    const clock = new ManualClock(1_000);
    const seen: number[] = [];
    const stop = clock.onAdvance((now) => seen.push(now));
    clock.advance(500);
    clock.set(2_000);
    stop();
    clock.advance(1);
    expect(seen).toEqual([1_500, 2_000]);
    expect(clock.now()).toBe(2_001);
  });

  test('refuses to move a manual clock backwards', () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.set(999)).toThrow(/cannot go back/);
    expect(() => clock.advance(-1)).toThrow(/non-negative/);
  });

  test('starts an accelerated clock at its start instant and refuses a non-positive factor', () => {
    const clock = new AcceleratedClock(60, 5_000_000);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000_000);
    expect(() => new AcceleratedClock(0)).toThrow(/factor must be > 0/);
  });
});
