import { DataApiError, databaseResuming } from './protocol';

/** Error names the injector knows the status code of (from the `@aws-sdk/client-rds-data` model). */
const STATUS_BY_NAME: Readonly<Record<string, number>> = {
  DatabaseResumingException: 400,
  StatementTimeoutException: 400,
  DatabaseErrorException: 400,
  BadRequestException: 400,
  ThrottlingException: 429,
  InternalServerErrorException: 500,
  ServiceUnavailableError: 503,
  DatabaseUnavailableException: 504,
};

/**
 * Fault injection for tests: make the local Data API answer as a paused or failing cluster would.
 * Injected errors are answered before the request touches the database, so they never write.
 */
export class FaultInjector {
  private resumingUntil = 0;
  private readonly queued: DataApiError[] = [];
  private injectedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Every request fails with DatabaseResumingException for the next `ms` milliseconds. */
  resumingFor(ms: number): void {
    this.resumingUntil = this.now() + ms;
  }

  /**
   * The next `count` requests fail with the named error (a known Data API name, or any name with an
   * explicit status).
   */
  failNext(errorType: string, count = 1, options: { status?: number; message?: string } = {}): void {
    const status = options.status ?? STATUS_BY_NAME[errorType] ?? 400;
    for (let i = 0; i < count; i++) {
      this.queued.push(new DataApiError(errorType, status, options.message ?? `injected ${errorType}`));
    }
  }

  /** Stops every injected fault and zeroes {@link injected}. */
  clear(): void {
    this.resumingUntil = 0;
    this.queued.length = 0;
    this.injectedCount = 0;
  }

  /** How many requests were refused by an injected fault since start or the last {@link clear}. */
  get injected(): number {
    return this.injectedCount;
  }

  /** @internal The error to answer the current request with, if any. */
  next(): DataApiError | undefined {
    const error = this.now() < this.resumingUntil ? databaseResuming() : this.queued.shift();
    if (error) this.injectedCount++;
    return error;
  }
}
