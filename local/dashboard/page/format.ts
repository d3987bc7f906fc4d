import type { Threshold, Unit } from '../../../lib/dashboard/definition';

/**
 * How the page shows a number, and the colour a threshold gives it: pure functions, shared by the page
 * and the browser test that checks every tile against the database.
 */

/** A value in its unit: 1,234 contacts; 45 s, 3m 05s, 1h 02m; 83.4 %; an en dash for no value. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'count') return Math.round(value).toLocaleString('en-US');
  const seconds = Math.max(0, Math.round(value));
  if (seconds < 60) return `${seconds} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** Where a value stands against its threshold: good at or beyond `good`, bad beyond `bad`. */
export function thresholdState(value: number | null, threshold: Threshold): 'good' | 'warn' | 'bad' | 'none' {
  if (value === null || !Number.isFinite(value)) return 'none';
  if (threshold.higherIsBetter) {
    if (value >= threshold.good) return 'good';
    return value < threshold.bad ? 'bad' : 'warn';
  }
  if (value <= threshold.good) return 'good';
  return value > threshold.bad ? 'bad' : 'warn';
}

/** A column heading from a column name: client_name -> Client, day_utc -> Day (UTC). */
export function columnHeading(column: string): string {
  const words = column
    .replace(/_name$/, '')
    .replace(/_utc$/, ' (UTC)')
    .replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
