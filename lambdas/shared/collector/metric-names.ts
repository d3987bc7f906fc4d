/**
 * The names of the custom metrics the functions publish and the alarms in `lib/` read: one set, so a
 * renamed metric cannot leave an alarm watching nothing. Pure constants (no SDK), for `lib/` too.
 */

/** The dimension every run metric carries, naming the feed. */
export const FEED_DIMENSION = 'Feed';

/** Metrics of each collector run, one data point per instance run. */
export const RUN_METRICS = {
  succeeded: 'RunSucceeded',
  /** A run the poll gate skipped while the instance was closed (and idle): a tick taken, nothing due. */
  closed: 'RunClosed',
  failed: 'RunFailed',
  rowsWritten: 'RowsWritten',
  apiCalls: 'ApiCalls',
  throttles: 'Throttles',
  durationMs: 'RunDurationMs',
  dataAgeSeconds: 'DataAgeSeconds',
} as const;

/**
 * A failed run of one client's instance, published only when a run fails (so a client costs a custom
 * metric only in the hours it fails), under {@link CLIENT_DIMENSIONS} as well as the feed: the
 * client-failures alarm, a Metrics Insights query grouped by them, names the client and instance.
 */
export const CLIENT_RUN_FAILED = 'ClientRunFailed';
export const CLIENT_DIMENSIONS = { client: 'Client', instance: 'InstanceId' } as const;

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
