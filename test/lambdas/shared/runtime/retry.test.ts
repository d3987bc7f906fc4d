import {
  fullJitterDelay,
  type RetryEvent,
  RetryExhaustedError,
  retry,
} from '../../../../lambdas/shared/runtime/retry';

class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** A fake clock: sleeping advances time instantly and records every wait. */
function fakeTime(random = () => 0.5) {
  let time = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    random,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const isTransient = (error: unknown) => error instanceof TransientError;

describe('retry', () => {
  test('returns the first successful result without waiting', async () => {
    const clock = fakeTime();
    const operation = jest.fn(async () => 'ok');

    const result = await retry(operation, { isRetryable: isTransient, ...clock });

    expect(result).toBe('ok');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('retries transient errors with full-jitter exponential waits until the operation succeeds', async () => {
    const clock = fakeTime(() => 0.5);
    let calls = 0;
    const operation = async (attempt: number) => {
      calls++;
      if (attempt < 4) throw new TransientError(`try ${attempt}`);
      return attempt;
    };

    const result = await retry(operation, { isRetryable: isTransient, baseDelayMs: 100, ...clock });

    expect(result).toBe(4);
    expect(calls).toBe(4);
    // ceilings 100, 200, 400, half of each with random() = 0.5
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  test('caps each wait at maxDelayMs', async () => {
    const clock = fakeTime(() => 0.999);
    const operation = async (attempt: number) => {
      if (attempt < 8) throw new TransientError('again');
      return 'done';
    };

    await retry(operation, {
      isRetryable: isTransient,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      deadlineMs: 60_000,
      ...clock,
    });

    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(1_000);
    expect(clock.sleeps.slice(-3)).toEqual([999, 999, 999]);
  });

  test('rethrows a non-retryable error at once, unchanged', async () => {
    const clock = fakeTime();
    const fatal = new TypeError('bad input');
    const operation = jest.fn(async () => {
      throw fatal;
    });

    await expect(retry(operation, { isRetryable: isTransient, ...clock })).rejects.toBe(fatal);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('gives up at the deadline with an error that names the last cause and keeps it', async () => {
    const clock = fakeTime(() => 0.999);
    let last: TransientError | undefined;
    const operation = async (attempt: number) => {
      last = new TransientError(`database resuming (attempt ${attempt})`);
      throw last;
    };

    const failure = retry(operation, {
      isRetryable: isTransient,
      deadlineMs: 2_000,
      baseDelayMs: 100,
      ...clock,
    });

    await expect(failure).rejects.toBeInstanceOf(RetryExhaustedError);
    const error = (await failure.catch((e: unknown) => e)) as RetryExhaustedError;
    expect(error.name).toBe('RetryExhaustedError');
    expect(error.cause).toBe(last);
    expect(error.message).toContain('TransientError: database resuming');
    expect(error.message).toContain('deadline of 2000 ms');
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeLessThan(2_000);
    expect(error.attempts).toBe(clock.sleeps.length + 1);
  });

  test('counts time the operation itself takes against the deadline', async () => {
    const clock = fakeTime(() => 0);
    const operation = async () => {
      clock.advance(600);
      throw new TransientError('slow and failing');
    };

    const error = await retry(operation, { isRetryable: isTransient, deadlineMs: 1_000, ...clock }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).attempts).toBe(2);
  });

  test('stops after maxAttempts', async () => {
    const clock = fakeTime();
    const operation = jest.fn(async () => {
      throw new TransientError('throttled');
    });

    const error = await retry(operation, { isRetryable: isTransient, maxAttempts: 3, ...clock }).catch(
      (e: unknown) => e,
    );

    expect(operation).toHaveBeenCalledTimes(3);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toContain('attempts spent');
  });

  test('tells onRetry about each retry before waiting, so callers can count throttles', async () => {
    const clock = fakeTime(() => 0.5);
    const events: RetryEvent[] = [];
    const operation = async (attempt: number) => {
      if (attempt < 3) throw new TransientError(`throttle ${attempt}`);
      return 'ok';
    };

    await retry(operation, { isRetryable: isTransient, onRetry: (event) => events.push(event), ...clock });

    expect(events.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 50],
      [2, 100],
    ]);
    expect(events[1]?.error).toEqual(new TransientError('throttle 2'));
    expect(events[1]?.elapsedMs).toBe(50);
  });
});

describe('fullJitterDelay', () => {
  test('draws uniformly below the exponential ceiling', () => {
    expect(fullJitterDelay(0, 0.5, 100, 10_000)).toBe(50);
    expect(fullJitterDelay(3, 0.5, 100, 10_000)).toBe(400);
    expect(fullJitterDelay(0, 0, 100, 10_000)).toBe(0);
  });

  test('stays finite for very large retry indexes', () => {
    expect(fullJitterDelay(5_000, 0.5, 100, 10_000)).toBe(5_000);
  });
});
