import type { Context } from 'aws-lambda';
import { createLambdaRuntime, invokeCollector } from '../shared/lambda-runtime';
import { metadataCollector } from './collect-metadata';

const runtime = createLambdaRuntime('metadata');

/** EventBridge schedule (every cadences.metadataMinutes): refresh queues, routing profiles, statuses, users. */
export const handler = (_event: unknown, context: Context) =>
  invokeCollector(runtime, 'metadata', metadataCollector, context);
