import type { Context } from 'aws-lambda';
import { createLambdaRuntime, exclusively, invokeCollector } from '../shared/lambda/runtime';
import { historicalMetricsCollector } from './collect-historical';

const runtime = createLambdaRuntime('historical-metrics');

/**
 * EventBridge schedule (every cadences.historicalMinutes): GetMetricData and GetMetricDataV2 intervals
 * since each watermark, one run at a time (a run that finds another in flight skips).
 */
export const handler = (_event: unknown, context: Context) =>
  exclusively(runtime, 'historical_metrics', context, () =>
    invokeCollector(runtime, 'historical_metrics', historicalMetricsCollector, context),
  );
