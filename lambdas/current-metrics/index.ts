import type { Collector } from '../shared/collector/contract';
import { type FetchedCurrentMetrics, fetchCurrentMetrics, writeCurrentMetrics } from './collector';
import { connectCurrentMetricsSource } from './connect-source';
import type { CurrentMetricsPorts } from './ports';
import { sqlCurrentMetricsStore } from './store';

/** The current-metrics collector, wired to Connect through the run's gateway and to its SQL. */
export const currentMetrics: Collector<CurrentMetricsPorts, FetchedCurrentMetrics> = {
  feed: 'current_metrics',
  ports: ({ connect, run }) => ({
    connect: connectCurrentMetricsSource(connect, run.instance.instanceId),
    store: sqlCurrentMetricsStore,
  }),
  fetch: fetchCurrentMetrics,
  write: writeCurrentMetrics,
};
