import type { Context } from 'aws-lambda';
import { createLambdaRuntime, invokeCollector, invokeRetention } from '../shared/lambda-runtime';
import { metadataCollector } from './collect-metadata';

const runtime = createLambdaRuntime('metadata');

/**
 * EventBridge schedule (every cadences.metadataMinutes): refresh queues, routing profiles, statuses and
 * users of every instance, then run one bounded pass of the retention job.
 */
export const handler = async (_event: unknown, context: Context) => {
  const collected = await invokeCollector(runtime, 'metadata', metadataCollector, context);
  const retention = await invokeRetention(runtime, context);
  return { ...collected, retention: { batches: retention.batches, done: retention.done } };
};
