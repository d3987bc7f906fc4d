import { CURRENT_METRICS } from '../current-metrics/definitions';
import type { QueueSnapshotRow } from '../current-metrics/store';

/**
 * The flat row shape a push target (a Power BI streaming dataset, or `npm run export`) receives for one
 * queue and channel of a real-time snapshot: `Date`, `Client`, `QueueName`, `Channel`, then one key per
 * current metric (its `exportKey` in the metric list). Values stay null when Connect gave none.
 */

/** A flat row: Date (ISO 8601), Client, QueueName, Channel, then the metrics by export key. */
export type FlatQueueRow = { Date: string; Client: string; QueueName: string; Channel: string } & Record<
  string,
  string | number | null
>;

/**
 * Flattens one snapshot row for a push target. `QueueName` falls back to the queue id while the queue
 * has no name yet. Channel is its own key because per-queue agent counts cannot be summed across
 * channels (an agent on VOICE and CHAT is counted in both).
 */
export function flattenQueueRow(row: QueueSnapshotRow, clientName: string): FlatQueueRow {
  const flat: FlatQueueRow = {
    Date: row.snapshotTime.toISOString(),
    Client: clientName,
    QueueName: row.queueName ?? row.queueId,
    Channel: row.channel,
  };
  for (const metric of CURRENT_METRICS) flat[metric.exportKey] = row.values[metric.name] ?? null;
  return flat;
}
