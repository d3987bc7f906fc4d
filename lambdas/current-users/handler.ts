import { collectorHandler } from '../shared/lambda/runtime';
import { currentUsers } from './index';

/** The current-users Lambda: the collector, its lease and after-run steps as the feed table (lambdas/feeds.ts) says. */
export const handler = collectorHandler(currentUsers);
