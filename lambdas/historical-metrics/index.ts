import type { Collector } from '../shared/collector/contract';
import { apiBudget } from '../shared/connect/rate-limiter';
import { type FetchedHistorical, fetchHistorical, writeHistoricalRun } from './collector';
import { connectHistoricalSource } from './connect-source';
import type { HistoricalPorts } from './ports';
import { sqlHistoricalStore } from './store';

/**
 * The historical-metrics collector, wired to Connect through the run's gateway, to its SQL, and to the
 * instance's share of the account quota (which sizes its ranges).
 */
export const historicalMetrics: Collector<HistoricalPorts, FetchedHistorical> = {
  feed: 'historical_metrics',
  ports: ({ connect, run }) => ({
    connect: connectHistoricalSource(connect, run.instance, run.config.serviceLevelThresholdsSeconds),
    store: sqlHistoricalStore,
    callsPerSecond: (api) => apiBudget(run.config, run.instance, api).rate,
  }),
  fetch: fetchHistorical,
  write: writeHistoricalRun,
};
