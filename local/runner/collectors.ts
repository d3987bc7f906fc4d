import { currentMetrics } from '../../lambdas/current-metrics';
import { currentUsers } from '../../lambdas/current-users';
import type { Feed } from '../../lambdas/feeds';
import { historicalMetrics } from '../../lambdas/historical-metrics';
import { metadata } from '../../lambdas/metadata';
import type { AnyCollector } from '../../lambdas/shared/collector/contract';

/** The same collectors the Lambda handlers run, by feed. */
export const COLLECTORS: Readonly<Record<Feed, AnyCollector>> = {
  metadata,
  current_metrics: currentMetrics,
  current_users: currentUsers,
  historical_metrics: historicalMetrics,
};
