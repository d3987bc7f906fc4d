import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunSummary } from './contract';
import { CLIENT_DIMENSIONS, CLIENT_RUN_FAILED, FEED_DIMENSION, RUN_METRICS } from './metric-names';
import type { RunMetrics } from './run-feed';

/**
 * Publishes a collector's runs as CloudWatch metrics through Powertools (EMF), one data point per
 * instance run, under the dimension `Feed`, with the names of {@link RUN_METRICS} (the alarms' names);
 * a failed run also as {@link CLIENT_RUN_FAILED} under its client and instance (`clientOf` names the
 * client of an instance id). A run the poll gate kept closed is `RunClosed` and its probe's `ApiCalls`.
 */
export function powertoolsRunMetrics(
  metrics: Metrics,
  now: () => Date = () => new Date(),
  clientOf: (instanceId: string) => string | undefined = () => undefined,
): RunMetrics {
  return {
    publish(runs: readonly RunSummary[]) {
      for (const run of runs) {
        if (run.outcome === 'failed') {
          const single = metrics.singleMetric();
          single.addDimensions({
            [FEED_DIMENSION]: run.feed,
            [CLIENT_DIMENSIONS.client]: clientOf(run.instanceId) ?? 'unknown',
            [CLIENT_DIMENSIONS.instance]: run.instanceId,
          });
          single.addMetric(CLIENT_RUN_FAILED, MetricUnit.Count, 1);
        }
        metrics.addDimension(FEED_DIMENSION, run.feed);
        if (run.outcome === 'closed') {
          metrics.addMetric(RUN_METRICS.closed, MetricUnit.Count, 1);
          metrics.addMetric(RUN_METRICS.apiCalls, MetricUnit.Count, run.apiCalls);
          metrics.publishStoredMetrics();
          continue;
        }
        metrics.addMetric(RUN_METRICS.succeeded, MetricUnit.Count, run.outcome === 'failed' ? 0 : 1);
        metrics.addMetric(RUN_METRICS.failed, MetricUnit.Count, run.outcome === 'failed' ? 1 : 0);
        metrics.addMetric(RUN_METRICS.rowsWritten, MetricUnit.Count, run.rowsWritten);
        metrics.addMetric(RUN_METRICS.apiCalls, MetricUnit.Count, run.apiCalls);
        metrics.addMetric(RUN_METRICS.throttles, MetricUnit.Count, run.throttles);
        metrics.addMetric(
          RUN_METRICS.durationMs,
          MetricUnit.Milliseconds,
          run.finishedAt.getTime() - run.startedAt.getTime(),
        );
        if (run.dataTime) {
          metrics.addMetric(
            RUN_METRICS.dataAgeSeconds,
            MetricUnit.Seconds,
            (now().getTime() - run.dataTime.getTime()) / 1000,
          );
        }
        for (const [name, value] of Object.entries(run.metrics ?? {})) {
          metrics.addMetric(name, MetricUnit.Count, value);
        }
        metrics.publishStoredMetrics();
      }
    },
  };
}
