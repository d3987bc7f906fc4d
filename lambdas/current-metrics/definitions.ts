/**
 * The 14 GetCurrentMetricData metrics: one list from which every consumer derives its names (the
 * request, the `queue_realtime_snapshot` column, the 15-minute rollup's columns, the flat key a push
 * target and `npm run export` use), and the unit rules that make every stored value mean the same
 * thing whatever request produced it.
 */

/** How a metric is stored: a whole count, or a duration in seconds. */
export type MetricKind = 'count' | 'seconds';

/** One current metric: its Connect name, the unit to request, its kind, and its names downstream. */
export interface CurrentMetricDefinition {
  readonly name: CurrentMetricName;
  readonly unit: 'COUNT' | 'SECONDS';
  readonly kind: MetricKind;
  /** Column of `queue_realtime_snapshot`: `<name>_count` or `<name>_seconds`, lower case. */
  readonly column: string;
  /** Columns of `queue_realtime_15min`: the average and maximum over a bucket. */
  readonly rollup: { readonly avg: string; readonly max: string };
  /** Key in a flat row (push target, export): the name in PascalCase, `Seconds` appended for durations. */
  readonly exportKey: string;
}

/** Connect's CurrentMetricName values this collector requests, in column order. */
export const CURRENT_METRIC_NAMES = [
  'AGENTS_AFTER_CONTACT_WORK',
  'AGENTS_AVAILABLE',
  'AGENTS_ERROR',
  'AGENTS_NON_PRODUCTIVE',
  'AGENTS_ONLINE',
  'AGENTS_ON_CALL',
  'AGENTS_ON_CONTACT',
  'AGENTS_STAFFED',
  'CONTACTS_IN_QUEUE',
  'CONTACTS_SCHEDULED',
  'ESTIMATED_WAIT_TIME',
  'OLDEST_CONTACT_AGE',
  'SLOTS_ACTIVE',
  'SLOTS_AVAILABLE',
] as const;
export type CurrentMetricName = (typeof CURRENT_METRIC_NAMES)[number];

const SECONDS_METRICS: ReadonlySet<CurrentMetricName> = new Set([
  'ESTIMATED_WAIT_TIME',
  'OLDEST_CONTACT_AGE',
]);

/** Every current metric, in column order. */
export const CURRENT_METRICS: readonly CurrentMetricDefinition[] = CURRENT_METRIC_NAMES.map((name) => {
  const seconds = SECONDS_METRICS.has(name);
  const base = name.toLowerCase();
  const pascal = name
    .split('_')
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join('');
  return {
    name,
    unit: seconds ? 'SECONDS' : 'COUNT',
    kind: seconds ? 'seconds' : 'count',
    column: `${base}_${seconds ? 'seconds' : 'count'}`,
    rollup: seconds
      ? { avg: `${base}_avg_seconds`, max: `${base}_max_seconds` }
      : { avg: `${base}_avg`, max: `${base}_max` },
    exportKey: `${pascal}${seconds ? 'Seconds' : ''}`,
  };
});

const BY_NAME: ReadonlyMap<string, CurrentMetricDefinition> = new Map(
  CURRENT_METRICS.map((m) => [m.name, m]),
);

/** The definition of a metric name, or undefined for a name this collector does not know. */
export function currentMetric(name: string): CurrentMetricDefinition | undefined {
  return BY_NAME.get(name);
}

/** Values of one queue and channel, keyed by metric name; null means Connect reported no value. */
export type CurrentMetricValues = Readonly<Record<CurrentMetricName, number | null>>;

/** A values record with every metric null (nothing reported yet). */
export function emptyMetricValues(): Record<CurrentMetricName, number | null> {
  return Object.fromEntries(CURRENT_METRIC_NAMES.map((n) => [n, null])) as Record<
    CurrentMetricName,
    number | null
  >;
}

/**
 * Converts a value as the API returned it into the stored unit.
 *
 * - null or undefined stays null: Connect had no value, which is not zero.
 * - OLDEST_CONTACT_AGE is in seconds when the request had groupings, but in **milliseconds** when it
 *   had none (the unit still says SECONDS); it is always stored in seconds.
 * - ESTIMATED_WAIT_TIME is in seconds (Connect only serves it grouped by QUEUE and CHANNEL).
 * - Counts are rounded to whole numbers (the API sends them as doubles).
 */
export function normalizeMetricValue(
  metric: CurrentMetricDefinition,
  value: number | null | undefined,
  grouped: boolean,
): number | null {
  if (value === null || value === undefined) return null;
  if (metric.kind === 'count') return Math.round(value);
  if (metric.name === 'OLDEST_CONTACT_AGE' && !grouped) return value / 1000;
  return value;
}

/** The channels GetCurrentMetricData reports on (EMAIL is not supported by this API). */
export const REALTIME_CHANNELS = ['VOICE', 'CHAT', 'TASK'] as const;
export type RealtimeChannel = (typeof REALTIME_CHANNELS)[number];
