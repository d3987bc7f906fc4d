import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunMetrics, RunSummary } from './run';

/**
 * Publishes a collector's runs as CloudWatch metrics through Powertools (EMF), one data point per
 * instance run, under the dimension `Feed`: RunSucceeded, RunFailed, RowsWritten, ApiCalls, Throttles,
 * RunDurationMs and DataAgeSeconds. The alarms in lib/ read exactly these names.
 */
export function powertoolsRunMetrics(metrics: Metrics, now: () => Date = () => new Date()): RunMetrics {
  return {
    publish(runs: readonly RunSummary[]) {
      for (const run of runs) {
        metrics.addDimension('Feed', run.feed);
        metrics.addMetric('RunSucceeded', MetricUnit.Count, run.outcome === 'failed' ? 0 : 1);
        metrics.addMetric('RunFailed', MetricUnit.Count, run.outcome === 'failed' ? 1 : 0);
        metrics.addMetric('RowsWritten', MetricUnit.Count, run.rowsWritten);
        metrics.addMetric('ApiCalls', MetricUnit.Count, run.apiCalls);
        metrics.addMetric('Throttles', MetricUnit.Count, run.throttles);
        metrics.addMetric(
          'RunDurationMs',
          MetricUnit.Milliseconds,
          run.finishedAt.getTime() - run.startedAt.getTime(),
        );
        if (run.dataTime) {
          metrics.addMetric(
            'DataAgeSeconds',
            MetricUnit.Seconds,
            (now().getTime() - run.dataTime.getTime()) / 1000,
          );
        }
        metrics.publishStoredMetrics();
      }
    },
  };
}
