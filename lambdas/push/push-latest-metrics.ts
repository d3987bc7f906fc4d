import * as z from 'zod';
import { describeError, retry } from '../shared/runtime/retry';
import type { FlatQueueRow } from './flatten';

/**
 * POSTs flat rows to a push target (a Power BI streaming dataset's push URL, or any HTTPS endpoint
 * taking a JSON array of rows), with a timeout per attempt and retries with full-jitter backoff under a
 * total deadline. It never throws: the caller gets a {@link PushResult} to log and count, because a
 * push target being down must never fail a collector run.
 *
 * The URL is a secret (a Power BI push URL carries its key in the query string): only its host is ever
 * put in an error or a log line.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A push URL: HTTPS, or plain HTTP to a loopback address (local runs and tests). */
export const PushUrlSchema = z.url().refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  },
  { message: 'expected an https:// URL (http:// only to 127.0.0.1 or localhost)' },
);

/** The push target answered with an HTTP error status. */
export class PushHttpError extends Error {
  override readonly name = 'PushHttpError';
  constructor(
    readonly status: number,
    host: string,
  ) {
    super(`push target ${host} answered HTTP ${status}`);
  }
}

/** An attempt took longer than its timeout. */
export class PushTimeoutError extends Error {
  override readonly name = 'PushTimeoutError';
}

/** How to push. */
export interface PushOptions {
  /** Where to POST (a secret: never logged). */
  readonly url: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Time allowed for one attempt, response body included, in ms.
   * @default 2000
   */
  readonly timeoutMs?: number;
  /**
   * Attempts in all, per request.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Total time for one request and its retries, in ms.
   * @default 5000
   */
  readonly deadlineMs?: number;
  /**
   * Most rows in one POST (a Power BI push accepts up to 10,000).
   * @default 10000
   */
  readonly maxRowsPerRequest?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** What a push did. */
export interface PushResult {
  readonly ok: boolean;
  readonly rows: number;
  /** POST requests that succeeded. */
  readonly requests: number;
  /** HTTP attempts made, retries included. */
  readonly attempts: number;
  /** `Name: message` of the last failure, when the push failed. */
  readonly error: string | null;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof PushHttpError) return error.status === 429 || error.status >= 500;
  // Timeouts and network failures (fetch rejects with a TypeError) are worth another try.
  return error instanceof PushTimeoutError || error instanceof TypeError;
}

async function postOnce(
  doFetch: typeof fetch,
  url: string,
  body: string,
  timeoutMs: number,
  host: string,
): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: controller.signal,
    });
    // Read the body to free the connection; the timeout covers it too.
    await response.arrayBuffer();
    if (!response.ok) throw new PushHttpError(response.status, host);
  } catch (error: unknown) {
    if (controller.signal.aborted) {
      throw new PushTimeoutError(`push target ${host} did not answer within ${timeoutMs} ms`, {
        cause: error,
      });
    }
    if (error instanceof PushHttpError) throw error;
    // Network errors can quote the URL: keep only their kind, never the URL with its key.
    throw new TypeError(
      `push target ${host} could not be reached (${error instanceof Error ? error.name : 'error'})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs `rows` as JSON arrays (split past `maxRowsPerRequest`); never throws. */
export async function pushLatestMetrics(
  rows: readonly FlatQueueRow[],
  options: PushOptions,
): Promise<PushResult> {
  const parsedUrl = PushUrlSchema.safeParse(options.url);
  if (!parsedUrl.success) {
    return {
      ok: false,
      rows: rows.length,
      requests: 0,
      attempts: 0,
      error: 'push URL is not a valid https:// URL',
    };
  }
  if (rows.length === 0) return { ok: true, rows: 0, requests: 0, attempts: 0, error: null };
  const host = new URL(options.url).host;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const perRequest = options.maxRowsPerRequest ?? 10_000;
  let attempts = 0;
  let requests = 0;
  try {
    for (let i = 0; i < rows.length; i += perRequest) {
      const body = JSON.stringify(rows.slice(i, i + perRequest));
      await retry(
        () => {
          attempts += 1;
          return postOnce(doFetch, options.url, body, timeoutMs, host);
        },
        {
          isRetryable,
          maxAttempts: options.maxAttempts ?? 3,
          deadlineMs: options.deadlineMs ?? 5_000,
          baseDelayMs: 200,
          maxDelayMs: 1_000,
          sleep: options.sleep,
          random: options.random,
        },
      );
      requests += 1;
    }
    return { ok: true, rows: rows.length, requests, attempts, error: null };
  } catch (error: unknown) {
    return { ok: false, rows: rows.length, requests, attempts, error: describeError(error) };
  }
}
