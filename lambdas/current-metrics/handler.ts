import type { Context } from 'aws-lambda';
import { createLambdaRuntime, invokeCollector } from '../shared/lambda-runtime';
import { currentMetricsCollector } from './collect-current-metrics';

const runtime = createLambdaRuntime('current-metrics');

/** Polling-loop tick (every cadences.realtimeSeconds): one GetCurrentMetricData snapshot of every queue. */
export const handler = (_event: unknown, context: Context) =>
  invokeCollector(runtime, 'current_metrics', currentMetricsCollector, context);
