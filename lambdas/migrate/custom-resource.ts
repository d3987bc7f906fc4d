import * as z from 'zod';
import type { Log } from '../shared/runtime/logger';

/**
 * The CloudFormation custom resource protocol, for a function used directly as a `ServiceToken`:
 * parse the event, run the work, and always PUT a response to the pre-signed URL, even when the work
 * throws or is about to run out of time (otherwise the stack waits an hour for a reply).
 */

/** The fields of a CloudFormation custom resource request this function relies on. */
const CustomResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.url(),
  StackId: z.string().min(1),
  RequestId: z.string().min(1),
  LogicalResourceId: z.string().min(1),
  PhysicalResourceId: z.string().optional(),
  ResourceProperties: z.record(z.string(), z.unknown()).default({}),
});
export type CustomResourceEvent = z.infer<typeof CustomResourceEventSchema>;

/**
 * The properties `Custom::SchemaMigration` passes besides the hashes that trigger it. CloudFormation
 * sends every scalar property as a string.
 */
const MigrationPropertiesSchema = z.object({
  DeletionProtection: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional(),
});

/**
 * What a request asks of the migration besides the migrations themselves.
 * @throws ZodError when DeletionProtection is not true or false
 */
export function migrationOptions(properties: Record<string, unknown>): { deletionProtection?: boolean } {
  const { DeletionProtection } = MigrationPropertiesSchema.parse(properties);
  return { deletionProtection: DeletionProtection };
}

/** The response body CloudFormation expects. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/** Dependencies of {@link handleCustomResource}. */
export interface CustomResourceDeps {
  /** Delivers the response (HTTP PUT to the pre-signed URL). */
  readonly send: (url: string, response: CustomResourceResponse) => Promise<void>;
  /** Milliseconds left before the function times out. */
  readonly remainingMs: () => number;
  readonly logger: Pick<Log, 'info' | 'error'>;
  /**
   * How long before the timeout to give up and answer FAILED.
   * @default 15000
   */
  readonly safetyMarginMs?: number;
  /**
   * True while the stack rolls back a failed update. CloudFormation then sends an Update with the old
   * properties and nothing in the request says it is a rollback; the stack status does.
   * @default - never rolling back
   */
  readonly isRollingBack?: (stackId: string) => Promise<boolean>;
}

/** The event is not a custom resource request. */
export class CustomResourceEventError extends Error {
  override readonly name = 'CustomResourceEventError';
}

/** The work ran out of time; CloudFormation was told so. */
export class CustomResourceTimeoutError extends Error {
  override readonly name = 'CustomResourceTimeoutError';
}

/** Longest Reason CloudFormation shows usefully (the whole body must stay under 4 KB). */
const MAX_REASON = 1000;

/**
 * Runs `work` for Create and Update and reports the outcome to CloudFormation. A Delete, and an Update
 * sent while the stack rolls back a failed update, succeed without work: the schema outlives the
 * stack, and migrations are forward-only (what failed was rolled back by its own transaction, what
 * succeeded stays). Returns the response sent.
 * @throws CustomResourceEventError when the event cannot be parsed (there is no URL to answer)
 */
export async function handleCustomResource(
  rawEvent: unknown,
  physicalResourceId: string,
  work: (event: CustomResourceEvent) => Promise<Record<string, string>>,
  deps: CustomResourceDeps,
): Promise<CustomResourceResponse> {
  const parsed = CustomResourceEventSchema.safeParse(rawEvent);
  if (!parsed.success) {
    throw new CustomResourceEventError(
      `not a CloudFormation custom resource event: ${parsed.error.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  const event = parsed.data;
  const base = {
    PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let response: CustomResourceResponse;
  try {
    if (event.RequestType === 'Delete') {
      response = { ...base, Status: 'SUCCESS', Reason: 'Delete succeeded', Data: {} };
    } else if (event.RequestType === 'Update' && (await deps.isRollingBack?.(event.StackId))) {
      response = {
        ...base,
        Status: 'SUCCESS',
        Reason: 'Update during a stack rollback: nothing to undo (migrations are forward-only)',
        Data: {},
      };
    } else {
      const data = await withDeadline(work(event), deps);
      response = { ...base, Status: 'SUCCESS', Reason: `${event.RequestType} succeeded`, Data: data };
    }
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.logger.error('custom resource failed', { requestType: event.RequestType, error });
    response = { ...base, Status: 'FAILED', Reason: reason.slice(0, MAX_REASON) };
  }
  await deps.send(event.ResponseURL, response);
  deps.logger.info('custom resource response sent', {
    requestType: event.RequestType,
    status: response.Status,
  });
  return response;
}

async function withDeadline<T>(work: Promise<T>, deps: CustomResourceDeps): Promise<T> {
  const budget = deps.remainingMs() - (deps.safetyMarginMs ?? 15_000);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CustomResourceTimeoutError(`no result within ${Math.round(Math.max(budget, 0) / 1000)} s`),
        ),
      Math.max(budget, 0),
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends a response with `fetch`: an HTTP PUT with an empty content type, as the pre-signed URL requires. */
export async function putResponse(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  const result = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!result.ok) throw new Error(`CloudFormation response PUT failed: HTTP ${result.status}`);
}
