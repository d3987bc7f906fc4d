import { ConnectClient } from '@aws-sdk/client-connect';
import type { AgentState } from '../../lambdas/current-users/ports';
import { ConnectGateway } from '../../lambdas/shared/connect/gateway';
import { RateLimiter } from '../../lambdas/shared/connect/rate-limiter';

/** A Connect client that never reaches the network (tests replace `send` with aws-sdk-client-mock). */
export function offlineConnectClient(): ConnectClient {
  return new ConnectClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** A gateway over `client` with a budget the tests never wait on. */
export function unlimitedGateway(client: ConnectClient): ConnectGateway {
  return new ConnectGateway(client, {
    limiter: new RateLimiter(() => ({ rate: 1_000_000, burst: 1_000_000 })),
    deadlineAt: Date.now() + 60_000,
  });
}

/** Serves `items` a page at a time as Connect does: NextToken is the next offset, absent on the last page. */
export function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const offset = token ? Number(token) : 0;
  const next = offset + size < items.length ? String(offset + size) : undefined;
  return { items: items.slice(offset, offset + size), next };
}

/** Test ids that look like Connect's. */
export const id = (kind: string, n: number) => `${kind}-${String(n).padStart(5, '0')}`;

/**
 * An agent as the current-users Connect source reports it: in routing profile `rp-1`, in `status`
 * (none when null) since `startedAt`, with no contacts or slots unless `extra` says otherwise.
 */
export function agentState(
  agentId: string,
  status: string | null,
  startedAt: Date | null,
  extra: Partial<AgentState> = {},
): AgentState {
  return {
    agentId,
    routingProfileId: 'rp-1',
    statusArn: status ? `arn:status/${status}` : null,
    statusName: status,
    statusStartedAt: startedAt,
    nextStatusName: null,
    slotsByChannel: null,
    availableSlots: null,
    activeSlots: null,
    maxSlots: null,
    contacts: [],
    hierarchyPath: null,
    ...extra,
  };
}
