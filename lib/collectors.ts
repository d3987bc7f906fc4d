import * as path from 'node:path';
import type { Feed } from '../lambdas/shared/config/runtime-config';

/**
 * What each Lambda of the pipeline is: its entry, sizing and the Connect read actions it needs. The
 * IAM actions are exactly the APIs each collector calls (../shared/CONNECT_API.md), so no role holds
 * a Connect permission it does not use.
 */
export interface FunctionSpec {
  /** Construct id (a public contract: renaming replaces the function). */
  readonly id: string;
  /**
   * `POWERTOOLS_SERVICE_NAME`, and the `service` dimension Powertools adds to every custom metric (the
   * handlers name themselves the same way, so alarms can select their metrics).
   */
  readonly serviceName: string;
  /** TypeScript entry exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** Connect read actions the function calls. */
  readonly connectActions: readonly string[];
}

/** A collector: a function that writes one feed. */
export interface CollectorSpec extends FunctionSpec {
  readonly feed: Feed;
}

const LAMBDAS = path.join(__dirname, '..', 'lambdas');

/** The four collectors, by feed. */
export const COLLECTORS: Readonly<Record<Feed, CollectorSpec>> = {
  metadata: {
    id: 'Metadata',
    serviceName: 'metadata',
    feed: 'metadata',
    entry: path.join(LAMBDAS, 'metadata', 'handler.ts'),
    description: 'Connect metadata collector (queues, routing profiles, agent statuses, users)',
    memorySize: 512,
    timeoutSeconds: 300,
    connectActions: [
      'connect:ListQueues',
      'connect:ListRoutingProfiles',
      'connect:ListAgentStatuses',
      'connect:ListUsers',
    ],
  },
  current_metrics: {
    id: 'CurrentMetrics',
    serviceName: 'current-metrics',
    feed: 'current_metrics',
    entry: path.join(LAMBDAS, 'current-metrics', 'handler.ts'),
    description: 'Connect real-time queue metrics collector (GetCurrentMetricData)',
    memorySize: 256,
    timeoutSeconds: 30,
    // ListQueues: the queue ids when metadata has not run yet.
    connectActions: ['connect:GetCurrentMetricData', 'connect:ListQueues'],
  },
  current_users: {
    id: 'CurrentUsers',
    serviceName: 'current-users',
    feed: 'current_users',
    entry: path.join(LAMBDAS, 'current-users', 'handler.ts'),
    description: 'Connect real-time agent state collector (GetCurrentUserData)',
    memorySize: 256,
    timeoutSeconds: 30,
    // ListRoutingProfiles: the filter ids when metadata has not run yet.
    connectActions: ['connect:GetCurrentUserData', 'connect:ListRoutingProfiles'],
  },
  historical_metrics: {
    id: 'HistoricalMetrics',
    serviceName: 'historical-metrics',
    feed: 'historical_metrics',
    entry: path.join(LAMBDAS, 'historical-metrics', 'handler.ts'),
    description: 'Connect interval metrics collector with backfill (GetMetricData, GetMetricDataV2)',
    memorySize: 512,
    timeoutSeconds: 300,
    connectActions: ['connect:GetMetricData', 'connect:GetMetricDataV2'],
  },
};

/** The `/check` handler: reads the database only. */
export const CHECK_FUNCTION: FunctionSpec = {
  id: 'CheckDataLoad',
  serviceName: 'check-data-load',
  entry: path.join(LAMBDAS, 'check-data-load', 'handler.ts'),
  description: 'GET /check: freshness of every feed of every instance',
  memorySize: 256,
  timeoutSeconds: 15,
  connectActions: [],
};

/** Every Connect action any collector needs: what a client-account role grants. */
export const ALL_CONNECT_READ_ACTIONS: readonly string[] = [
  ...new Set(Object.values(COLLECTORS).flatMap((c) => c.connectActions)),
].sort();
