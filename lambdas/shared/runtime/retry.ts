/**
 * One retry helper for every transient failure the pipeline meets: a paused Aurora cluster
 * (DatabaseResumingException), Data API timeouts and 503/504s, and Connect throttling.
 *
 * Backoff is exponential with full jitter, as in the AWS Architecture Blog's "Exponential Backoff
 * And Jitter": the n-th wait (n from 0) is `random() * min(maxDelayMs, baseDelayMs * 2^n)`. Retries
 * stop at the first non-retryable error, after `maxAttempts`, or when the next wait would end past
 * the total deadline, whichever comes first; the caller then gets a {@link RetryExhaustedError}
 * naming the last cause. Time is injectable (`now`, `sleep`, `random`) so tests run on fake time.
 */

/** Tunes {@link retry}. Every field is optional; defaults suit a Lambda talking to the Data API. */
export interface RetryOptions {
  /**
   * Total time budget from the first attempt, in ms. No attempt starts after it; a wait that would
   * end after it is not taken.
   * @default 45000
   */
  readonly deadlineMs?: number;
  /**
   * First backoff ceiling in ms; the n-th ceiling is `baseDelayMs * 2^n`.
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Largest backoff ceiling in ms.
   * @default 10000
   */
  readonly maxDelayMs?: number;
  /**
   * Attempts in all, the first included.
   * @default Infinity (the deadline bounds it)
   */
  readonly maxAttempts?: number;
  /** Current time in ms. @default Date.now */
  readonly now?: () => number;
  /** Waits `ms`. @default a setTimeout promise */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** What {@link RetryOptions.onRetry} learns before each wait. */
export interface RetryEvent {
  /** The error that failed this attempt. */
  readonly error: unknown;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** How long the helper will wait before the next attempt, in ms. */
  readonly delayMs: number;
  /** Time spent since the first attempt started, in ms. */
  readonly elapsedMs: number;
}

/** The policy half of a retry: what is transient, and who hears about each retry. */
export interface RetryPolicy extends RetryOptions {
  /** True when the error is transient and the operation may be tried again. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Called before each wait (count throttles, log a warning). Must not throw. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Thrown when retries are spent: names the last cause and keeps it as `cause`. */
export class RetryExhaustedError extends Error {
  override readonly name = 'RetryExhaustedError';
  /** Attempts made, the first included. */
  readonly attempts: number;
  /** Time spent in ms, from the first attempt to giving up. */
  readonly elapsedMs: number;

  constructor(params: { attempts: number; elapsedMs: number; reason: string; cause: unknown }) {
    super(
      `gave up after ${params.attempts} attempt(s) in ${params.elapsedMs} ms (${params.reason}); ` +
        `last error: ${describeError(params.cause)}`,
      { cause: params.cause },
    );
    this.attempts = params.attempts;
    this.elapsedMs = params.elapsedMs;
  }
}

/** Default backoff settings, exported so callers can document what they inherit. */
export const RETRY_DEFAULTS = {
  deadlineMs: 45_000,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
  maxAttempts: Number.POSITIVE_INFINITY,
} as const;

/**
 * The full-jitter wait before retry number `retryIndex` (0 for the first retry).
 * @param random a value in [0, 1)
 */
export function fullJitterDelay(
  retryIndex: number,
  random: number,
  baseDelayMs: number = RETRY_DEFAULTS.baseDelayMs,
  maxDelayMs: number = RETRY_DEFAULTS.maxDelayMs,
): number {
  // 2^retryIndex overflows to Infinity for large indexes; min() keeps the ceiling finite.
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
  return Math.floor(random * ceiling);
}

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs (rethrown as is), or the budget
 * is spent ({@link RetryExhaustedError} with the last error as `cause`).
 *
 * `operation` receives the attempt number (from 1). A retried write must be idempotent: a call that
 * timed out on the client may still have committed on the server.
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  const deadlineMs = policy.deadlineMs ?? RETRY_DEFAULTS.deadlineMs;
  const baseDelayMs = policy.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const maxDelayMs = policy.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const maxAttempts = policy.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  const started = now();

  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error: unknown) {
      if (!policy.isRetryable(error)) throw error;
      const elapsedMs = now() - started;
      if (attempt >= maxAttempts) {
        throw new RetryExhaustedError({
          attempts: attempt,
          elapsedMs,
          reason: 'attempts spent',
          cause: error,
        });
      }
      const delayMs = fullJitterDelay(attempt - 1, random(), baseDelayMs, maxDelayMs);
      if (elapsedMs + delayMs >= deadlineMs) {
        throw new RetryExhaustedError({
          attempts: attempt,
          elapsedMs,
          reason: `deadline of ${deadlineMs} ms reached`,
          cause: error,
        });
      }
      policy.onRetry?.({ error, attempt, delayMs, elapsedMs });
      await sleep(delayMs);
    }
  }
}

/** A one-line description of any thrown value: `Name: message`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
