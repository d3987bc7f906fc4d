import type { SimulatedCentre } from '../centre';
import { ConnectApiError } from '../errors';
import type { Faults } from '../faults';
import type { PageTokens, SnapshotCache } from '../pagination';

/** What every API handler can use. */
export interface ApiContext {
  readonly centres: readonly SimulatedCentre[];
  readonly tokens: PageTokens;
  /** GetCurrentMetricData answers kept for their later pages. */
  readonly snapshots: SnapshotCache<CachedCurrentMetrics>;
  readonly faults: Faults;
  /** Leave queues and channels with no activity out of GetCurrentMetricData answers. */
  readonly omitInactiveQueues: boolean;
  /** Days GetMetricDataV2 serves FIFTEEN_MIN, THIRTY_MIN and HOUR intervals for. */
  readonly intervalDataDays: number;
  /** Model time of the request (epoch ms). */
  readonly now: number;
}

/** One GetCurrentMetricData answer, every page of it, at its snapshot time. */
export interface CachedCurrentMetrics {
  readonly results: readonly unknown[];
  readonly snapshotMs: number;
}

/** A parsed request: path parameters, query parameters (multi-valued) and JSON body. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** The centre for an instance id or instance ARN, or ResourceNotFoundException. */
export function centreFor(ctx: ApiContext, idOrArn: string): SimulatedCentre {
  const found = ctx.centres.find((c) => c.instance.instanceId === idOrArn || c.instance.arn === idOrArn);
  if (!found) throw new ConnectApiError('ResourceNotFoundException', `Instance not found: ${idOrArn}`);
  return found;
}

/** Epoch seconds (the wire format of timestamps). */
export const epochSeconds = (ms: number): number => ms / 1000;

/** Reads MaxResults within [1, max], with Connect's message on a value out of range. */
export function maxResults(value: unknown, max: number, fallback: number, member = 'MaxResults'): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ConnectApiError(
      'InvalidParameterException',
      `Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return n;
}
