import { collectorHandler } from '../shared/lambda/runtime';
import { historicalMetrics } from './index';

/** The historical-metrics Lambda: the collector, its lease and after-run steps as the feed table (lambdas/feeds.ts) says. */
export const handler = collectorHandler(historicalMetrics);
