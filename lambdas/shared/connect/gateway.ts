import type { ConnectClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-connect';
import type {
  Command,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
} from '@smithy/types';
import type { ConnectApi } from '../config/runtime-config';
import { retry } from '../runtime/retry';
import type { RateLimiter } from './rate-limiter';

/** Connect calls made by one run, for `collector_run` and the metrics. */
export interface ConnectCallStats {
  /** Requests sent, retries included. */
  calls: number;
  /** ThrottlingException answers (each was retried while the deadline allowed). */
  throttles: number;
  /** The same, per API. */
  readonly byApi: Partial<Record<ConnectApi, { calls: number; throttles: number }>>;
}

/** What a gateway needs besides the client. */
export interface ConnectGatewayOptions {
  readonly limiter: RateLimiter;
  /** Epoch ms after which no retry starts (the run's deadline). */
  readonly deadlineAt: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Aborts the run: no further request is sent (a stopping local runner, a Lambda near its timeout). */
  readonly signal?: AbortSignal;
}

/** The run was stopped before this request was sent; nothing after it was written. */
export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';
}

/** True for Connect's throttling answer. */
export function isThrottle(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'ThrottlingException' || error.name === 'TooManyRequestsException' || status === 429;
}

/**
 * True for the answers Connect gives a filter naming a resource it does not know (deleted since
 * metadata last ran): worth one retry with a fresh list, never more.
 */
export function isUnknownResourceError(error: unknown): boolean {
  return (
    error instanceof Error &&
    ['ResourceNotFoundException', 'InvalidParameterException', 'InvalidRequestException'].includes(error.name)
  );
}

const NETWORK_ERRORS = /ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|EAI_AGAIN|socket hang up/;

/**
 * True for errors worth another try: throttles, 5xx answers, Connect's InternalServiceException, and
 * network failures that never got an HTTP answer (a reset or timed-out connection).
 */
export function isTransientConnectError(error: unknown): boolean {
  if (isThrottle(error)) return true;
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === 'InternalServiceException' || (status !== undefined && status >= 500)) return true;
  if (status !== undefined) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'TimeoutError' || NETWORK_ERRORS.test(`${String(code ?? '')} ${error.message}`);
}

/** A Connect command as the client's `send` takes it. */
export type ConnectCommand<I extends ServiceInputTypes, O extends ServiceOutputTypes> = Command<
  ServiceInputTypes,
  I,
  ServiceOutputTypes,
  O,
  // biome-ignore lint/suspicious/noExplicitAny: the client's resolved config type is internal to the SDK
  any
>;

type Paginator<I, O> = (
  config: {
    client: ConnectClient;
    pageSize?: number;
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's paginator hook is typed `any`
    withCommand?: (command: any) => undefined;
  },
  input: I,
) => AsyncGenerator<O, undefined, unknown>;

/**
 * The collectors' way to call Connect during one run: every request (each page of a paginator, each
 * retry) first takes a token from the account's rate limiter, is counted, and a throttled or 5xx answer
 * is retried with exponential backoff and full jitter until the run's deadline. Implemented as a
 * per-command middleware, so the SDK's own paginators get the same treatment.
 */
export class ConnectGateway {
  /** Calls and throttles of this run so far. */
  readonly stats: ConnectCallStats = { calls: 0, throttles: 0, byApi: {} };

  constructor(
    private readonly client: ConnectClient,
    private readonly options: ConnectGatewayOptions,
  ) {}

  /** Sends one command under the budget. */
  send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(command: ConnectCommand<I, O>): Promise<O> {
    this.attach(command);
    return this.client.send(command);
  }

  /** Iterates an SDK paginator (`paginateListQueues`...) to its last page, under the budget. */
  paginate<I, O>(
    paginator: Paginator<I, O>,
    input: I,
    pageSize?: number,
  ): AsyncGenerator<O, undefined, unknown> {
    return paginator(
      {
        client: this.client,
        pageSize,
        withCommand: (command) => {
          this.attach(command);
          return undefined;
        },
      },
      input,
    );
  }

  // biome-ignore lint/suspicious/noExplicitAny: every Connect command's stack takes this middleware
  private attach(command: { middlewareStack: { add(m: any, o: object): void } }) {
    // A new middleware per command: commands are not reused across runs, so stats stay per run.
    command.middlewareStack.add(this.middleware(), {
      step: 'initialize',
      name: 'connectBudget',
      override: true,
    });
  }

  private middleware(): InitializeMiddleware<object, MetadataBearer> {
    return (next: InitializeHandler<object, MetadataBearer>, context) =>
      (args: InitializeHandlerArguments<object>) => {
        const api = String(context.commandName ?? 'Unknown').replace(/Command$/, '') as ConnectApi;
        const now = this.options.now ?? Date.now;
        const perApi = this.stats.byApi[api] ?? { calls: 0, throttles: 0 };
        this.stats.byApi[api] = perApi;
        return retry(
          async () => {
            if (this.options.signal?.aborted) throw new RunStoppedError(`stopped before calling ${api}`);
            await this.options.limiter.acquire(api);
            this.stats.calls += 1;
            perApi.calls += 1;
            return next(args);
          },
          {
            isRetryable: isTransientConnectError,
            deadlineMs: Math.max(0, this.options.deadlineAt - now()),
            now,
            sleep: this.options.sleep,
            random: this.options.random,
            onRetry: ({ error }) => {
              if (isThrottle(error)) {
                this.stats.throttles += 1;
                perApi.throttles += 1;
              }
            },
          },
        );
      };
  }
}

/** Every item of every page of a paginator (`gateway.paginate(...)`), read to the last page. */
export async function collectPages<O>(
  pages: AsyncIterable<O>,
  list: (page: O) => readonly unknown[] | undefined,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const page of pages) out.push(...(list(page) ?? []));
  return out;
}
