import type { Context } from 'aws-lambda';
import { createLambdaRuntime, invokeCollector } from '../shared/lambda-runtime';
import { historicalMetricsCollector } from './collect-historical';

const runtime = createLambdaRuntime('historical-metrics');

/** EventBridge schedule (every cadences.historicalMinutes): GetMetricData and GetMetricDataV2 intervals since each watermark. */
export const handler = (_event: unknown, context: Context) =>
  invokeCollector(runtime, 'historical_metrics', historicalMetricsCollector, context);
