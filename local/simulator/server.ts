import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiContext, ApiRequest } from './api/context';
import { getCurrentMetricData } from './api/current-metrics';
import { getCurrentUserData } from './api/current-users';
import { getMetricData } from './api/historical-v1';
import { getMetricDataV2 } from './api/historical-v2';
import {
  describeHoursOfOperation,
  getEffectiveHoursOfOperations,
  listHoursOfOperationOverrides,
  listHoursOfOperations,
  searchQueues,
} from './api/hours';
import { describeUser, listAgentStatuses, listQueues, listRoutingProfiles, listUsers } from './api/lists';
import { searchUsers } from './api/search-users';
import { ConnectApiError } from './errors';
import type { Faults } from './faults';
import { malform } from './malformed';
import type { SimulatedApi, TokenBuckets } from './quotas';
import { Rng } from './random';

type Handler = (ctx: ApiContext, req: ApiRequest) => unknown;
interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly api: SimulatedApi;
  readonly handler: Handler;
}

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/queues-summary\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'ListQueues',
    handler: listQueues,
  },
  {
    method: 'GET',
    pattern: /^\/routing-profiles-summary\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'ListRoutingProfiles',
    handler: listRoutingProfiles,
  },
  {
    method: 'GET',
    pattern: /^\/agent-status\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'ListAgentStatuses',
    handler: listAgentStatuses,
  },
  {
    method: 'GET',
    pattern: /^\/users-summary\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'ListUsers',
    handler: listUsers,
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)\/([^/]+)$/,
    params: ['InstanceId', 'UserId'],
    api: 'DescribeUser',
    handler: describeUser,
  },
  {
    method: 'POST',
    pattern: /^\/metrics\/current\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'GetCurrentMetricData',
    handler: getCurrentMetricData,
  },
  {
    method: 'POST',
    pattern: /^\/metrics\/userdata\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'GetCurrentUserData',
    handler: getCurrentUserData,
  },
  {
    method: 'POST',
    pattern: /^\/metrics\/historical\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'GetMetricData',
    handler: getMetricData,
  },
  {
    method: 'POST',
    pattern: /^\/metrics\/data$/,
    params: [],
    api: 'GetMetricDataV2',
    handler: getMetricDataV2,
  },
  { method: 'POST', pattern: /^\/search-users$/, params: [], api: 'SearchUsers', handler: searchUsers },
  {
    method: 'GET',
    pattern: /^\/hours-of-operations-summary\/([^/]+)$/,
    params: ['InstanceId'],
    api: 'ListHoursOfOperations',
    handler: listHoursOfOperations,
  },
  {
    method: 'GET',
    pattern: /^\/hours-of-operations\/([^/]+)\/([^/]+)$/,
    params: ['InstanceId', 'HoursOfOperationId'],
    api: 'DescribeHoursOfOperation',
    handler: describeHoursOfOperation,
  },
  {
    method: 'GET',
    pattern: /^\/hours-of-operations\/([^/]+)\/([^/]+)\/overrides$/,
    params: ['InstanceId', 'HoursOfOperationId'],
    api: 'ListHoursOfOperationOverrides',
    handler: listHoursOfOperationOverrides,
  },
  {
    method: 'GET',
    pattern: /^\/effective-hours-of-operations\/([^/]+)\/([^/]+)$/,
    params: ['InstanceId', 'HoursOfOperationId'],
    api: 'GetEffectiveHoursOfOperations',
    handler: getEffectiveHoursOfOperations,
  },
  { method: 'POST', pattern: /^\/search-queues$/, params: [], api: 'SearchQueues', handler: searchQueues },
];

/** Connect's request size limit is far above any valid metrics request; this bounds memory per call. */
const MAX_BODY_BYTES = 1_048_576;

/** Per-API call counters. */
export interface CallCounters {
  calls: number;
  throttled: number;
  errors: number;
}

/** What the HTTP layer needs from the simulator. */
export interface ServerDeps {
  readonly context: () => ApiContext;
  readonly buckets: TokenBuckets;
  /** `account:region` of a simulated instance (by id): the scope its calls' quotas are counted in. */
  readonly quotaScope: (instanceId: string) => string | undefined;
  readonly faults: Faults;
  readonly calls: Map<SimulatedApi, CallCounters>;
  readonly seed: number;
}

/**
 * The restJson1 HTTP front of the simulator: routes Connect's paths, requires a SigV4-shaped
 * Authorization header (signatures are not verified), applies quotas and faults, and answers errors with
 * the status code, `x-amzn-ErrorType` and `{"Message"}` the SDK expects.
 */
export function createConnectServer(deps: ServerDeps): Server {
  const rng = new Rng(deps.seed ^ 0xfa17);
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        send(res, 413, { Message: `Request body over ${MAX_BODY_BYTES} bytes` }, 'InvalidRequestException');
        return;
      }
      void handle(req, res, Buffer.concat(chunks).toString('utf8'), deps, rng);
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  deps: ServerDeps,
  rng: Rng,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  let counters: CallCounters | undefined;
  try {
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route)
      throw new ConnectApiError('UnknownOperationException', `No operation at ${req.method} ${path}`);
    counters = deps.calls.get(route.api) ?? { calls: 0, throttled: 0, errors: 0 };
    deps.calls.set(route.api, counters);
    counters.calls += 1;
    const auth = req.headers.authorization;
    if (!auth)
      throw new ConnectApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (
      !auth.startsWith('AWS4-HMAC-SHA256 ') ||
      !auth.includes('Credential=') ||
      !auth.includes('Signature=')
    ) {
      throw new ConnectApiError(
        'IncompleteSignatureException',
        'Authorization header requires Credential, SignedHeaders and Signature',
      );
    }
    if (deps.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.faults.latencyMs));
    if (deps.faults.inOutage())
      throw new ConnectApiError('ServiceUnavailableException', 'Service is unavailable (simulated outage)');
    if (
      !deps.buckets.take(route.api, callScope(route, path, raw, deps)) ||
      (deps.faults.throttleRate > 0 && rng.chance(deps.faults.throttleRate))
    ) {
      counters.throttled += 1;
      throw new ConnectApiError('ThrottlingException', `Rate exceeded for ${route.api}`);
    }
    if (deps.faults.errorRate > 0 && rng.chance(deps.faults.errorRate)) {
      throw new ConnectApiError('InternalServiceException', 'Request processing failed (simulated)');
    }
    const match = route.pattern.exec(path) ?? [];
    const params = Object.fromEntries(route.params.map((name, i) => [name, match[i + 1] ?? '']));
    let body: unknown = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        throw new ConnectApiError('InvalidRequestException', 'The request body is not valid JSON', {
          cause: error,
        });
      }
    }
    let answer = route.handler(deps.context(), { params, query: url.searchParams, body });
    const malformed = deps.faults.malformed;
    if (Object.values(malformed).some(Boolean)) answer = malform(answer, malformed, rng);
    send(res, 200, answer);
  } catch (error) {
    const apiError =
      error instanceof ConnectApiError
        ? error
        : new ConnectApiError('InternalServiceException', 'Internal error in the simulator', {
            cause: error,
          });
    if (counters && apiError.errorType !== 'ThrottlingException') counters.errors += 1;
    send(res, apiError.status, { Message: apiError.message }, apiError.errorType);
  }
}

/**
 * The account and Region a call's quota is counted in: Connect's API quotas are per account per
 * Region, shared by every instance there ("Amazon Connect service quotas", Admin Guide:
 * https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html). The
 * instance is in the path, or in the body (`InstanceId` of SearchUsers, the instance `ResourceArn` of
 * GetMetricDataV2); a call naming none, or an unknown one, counts in a scope of its own.
 */
function callScope(route: Route, path: string, raw: string, deps: ServerDeps): string {
  const match = route.pattern.exec(path) ?? [];
  const fromPath = match[route.params.indexOf('InstanceId') + 1];
  let instanceId = route.params.includes('InstanceId') ? fromPath : undefined;
  if (!instanceId && raw.length > 0) {
    try {
      const body = JSON.parse(raw) as { InstanceId?: unknown; ResourceArn?: unknown };
      if (typeof body.InstanceId === 'string') instanceId = body.InstanceId;
      const arn =
        typeof body.ResourceArn === 'string'
          ? /^arn:[^:]+:connect:([^:]+):(\d{12}):instance\//.exec(body.ResourceArn)
          : null;
      if (arn) return `${arn[2]}:${arn[1]}`;
    } catch {
      // Not JSON: the handler answers InvalidRequestException; the quota still counts the call.
    }
  }
  return (instanceId && deps.quotaScope(instanceId)) ?? 'unknown';
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': `sim-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`,
  };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

/** Starts listening; resolves with the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
