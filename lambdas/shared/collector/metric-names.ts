/**
 * The names of the custom metrics the functions publish and the alarms in `lib/` read: one set, so a
 * renamed metric cannot leave an alarm watching nothing. Pure constants (no SDK), for `lib/` too.
 */

/** The dimension every run metric carries, naming the feed. */
export const FEED_DIMENSION = 'Feed';

/** Metrics of each collector run, one data point per instance run. */
export const RUN_METRICS = {
  succeeded: 'RunSucceeded',
  failed: 'RunFailed',
  rowsWritten: 'RowsWritten',
  apiCalls: 'ApiCalls',
  throttles: 'Throttles',
  durationMs: 'RunDurationMs',
  dataAgeSeconds: 'DataAgeSeconds',
} as const;

/** Metrics of the historical collector's daily reconciliation with Connect, one point per run that reconciled. */
export const RECONCILIATION_METRICS = {
  /** Figures (queue x channel x day x metric) farther from Connect's than the tolerance. */
  outOfTolerance: 'ReconciliationDifferences',
} as const;

/** Metrics of each push to the push target. */
export const PUSH_METRICS = {
  succeeded: 'PushSucceeded',
  failed: 'PushFailed',
  rows: 'PushRows',
} as const;
