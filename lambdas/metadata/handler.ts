import { collectorHandler } from '../shared/lambda/runtime';
import { metadata } from './index';

/** The metadata Lambda: the collector, its lease and after-run steps as the feed table (lambdas/feeds.ts) says. */
export const handler = collectorHandler(metadata);
