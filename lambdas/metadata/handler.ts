import type { Context } from 'aws-lambda';
import { createLambdaRuntime, exclusively, invokeCollector, invokeRetention } from '../shared/lambda/runtime';
import { metadataCollector } from './collect-metadata';

const runtime = createLambdaRuntime('metadata');

/**
 * EventBridge schedule (every cadences.metadataMinutes): refresh queues, routing profiles, statuses and
 * users of every instance, then run one bounded pass of the retention job; one run at a time (a run
 * that finds another in flight skips).
 */
export const handler = (_event: unknown, context: Context) =>
  exclusively(runtime, 'metadata', context, async () => {
    const collected = await invokeCollector(runtime, 'metadata', metadataCollector, context);
    const retention = await invokeRetention(runtime, context);
    return { ...collected, retention: { batches: retention.batches, done: retention.done } };
  });
