import { CadencesSchema } from '../../../lambdas/shared/config/runtime-config';
import { type LoopClock, type LoopEvent, runFeedLoop } from '../../../local/runner/feed-loop';

const cadences = CadencesSchema.parse({});
const START = new Date('2026-11-23T10:00:03Z').getTime();

/** A clock that jumps forward on sleep, so the loop runs in no real time. */
function jumpingClock(): LoopClock & { advance(ms: number): void } {
  let now = START;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('runFeedLoop', () => {
  test('runs on the anchored ticks and never overlaps runs of one feed', async () => {
    const clock = jumpingClock();
    const controller = new AbortController();
    const events: LoopEvent[] = [];
    await runFeedLoop(
      'current_metrics',
      cadences,
      async (event) => {
        events.push(event);
        clock.advance(2_000); // a 2-second run
        if (events.length === 4) controller.abort();
      },
      { signal: controller.signal, clock },
    );
    expect(events.map((e) => new Date(e.dueAt).toISOString().slice(11, 19))).toEqual([
      '10:00:10',
      '10:00:20',
      '10:00:30',
      '10:00:40',
    ]);
    expect(events.every((e) => e.skippedTicks === 0)).toBe(true);
  });

  test('starts an overrun tick as soon as the run ends and reports the ticks it had to skip', async () => {
    const clock = jumpingClock();
    const controller = new AbortController();
    const events: LoopEvent[] = [];
    const durations = [25_000, 1_000, 1_000];
    await runFeedLoop(
      'current_users',
      cadences,
      async (event) => {
        events.push(event);
        clock.advance(durations[events.length - 1] ?? 1_000);
        if (events.length === 3) controller.abort();
      },
      { signal: controller.signal, clock },
    );
    // 10:00:10 ran until 10:00:35: the 10:00:20 tick was skipped, the 10:00:30 one ran at once.
    expect(events.map((e) => [new Date(e.dueAt).toISOString().slice(11, 19), e.skippedTicks])).toEqual([
      ['10:00:10', 0],
      ['10:00:30', 1],
      ['10:00:40', 0],
    ]);
  });

  test("a long run at start, off the grid, counts the skipped ticks in the schedule's own steps", async () => {
    const clock = jumpingClock(); // 10:00:03, off the 5-minute grid (ticks at :01, :06, ...)
    const controller = new AbortController();
    const events: LoopEvent[] = [];
    await runFeedLoop(
      'historical_metrics',
      cadences,
      async (event) => {
        events.push(event);
        if (events.length === 1) clock.advance(32 * 60_000); // the backfill: until 10:32:03
        if (events.length === 2) controller.abort();
      },
      { signal: controller.signal, clock, runAtStart: true },
    );
    // 10:01 to 10:26 passed during it (6 ticks); 10:31 runs at once.
    expect(events.map((e) => [new Date(e.dueAt).toISOString().slice(11, 19), e.skippedTicks])).toEqual([
      ['10:00:03', 0],
      ['10:31:00', 6],
    ]);
  });

  test('returns after the run in flight when stopped during it, without starting another', async () => {
    const clock = jumpingClock();
    const controller = new AbortController();
    let runs = 0;
    let finished = false;
    await runFeedLoop(
      'historical_metrics',
      cadences,
      async () => {
        runs += 1;
        controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished = true;
      },
      { signal: controller.signal, clock, runAtStart: true },
    );
    expect(runs).toBe(1);
    expect(finished).toBe(true);
  });
});
