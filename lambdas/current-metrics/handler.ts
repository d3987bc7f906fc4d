import type { Context } from 'aws-lambda';
import { createPushTarget } from '../push/push-target';
import { createLambdaRuntime, invokeCollector } from '../shared/lambda/runtime';
import { currentMetricsCollector } from './collect-current-metrics';

const runtime = createLambdaRuntime('current-metrics');
const push = createPushTarget(runtime);

/**
 * Polling-loop tick (every cadences.realtimeSeconds): one GetCurrentMetricData snapshot of every queue
 * per instance, then, after the runs have committed (even when one instance failed), the optional push of the newest rows (a no-op without
 * PUSH_TARGET_SECRET_ARN; it never throws, so a failing target never fails the run).
 */
export const handler = (_event: unknown, context: Context) =>
  invokeCollector(runtime, 'current_metrics', currentMetricsCollector, context, {
    afterRuns: (runs) => push.afterRun(runs),
  });
