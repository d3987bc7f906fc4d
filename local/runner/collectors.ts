import { currentMetricsCollector } from '../../lambdas/current-metrics/collect-current-metrics';
import { currentUsersCollector } from '../../lambdas/current-users/collect-current-users';
import type { Feed } from '../../lambdas/feeds';
import { historicalMetricsCollector } from '../../lambdas/historical-metrics/collect-historical';
import { metadataCollector } from '../../lambdas/metadata/collect-metadata';
import type { Collector } from '../../lambdas/shared/collector/run';

/** The same collector functions the Lambda handlers run, by feed. */
export const COLLECTORS: Readonly<Record<Feed, Collector>> = {
  metadata: metadataCollector,
  current_metrics: currentMetricsCollector,
  current_users: currentUsersCollector,
  historical_metrics: historicalMetricsCollector,
};
