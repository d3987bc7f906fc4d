/**
 * The flat row shape a push target (a Power BI streaming dataset, or `npm run export`) receives for one
 * queue and channel of a real-time snapshot: `Date`, `Client`, `QueueName`, `Channel`, then one key per
 * current metric. Values stay null when Connect gave none.
 */

/** One queue and channel of the latest real-time snapshot, as read from `queue_realtime_snapshot`. */
export interface QueueSnapshotRow {
  readonly instanceId: string;
  readonly queueId: string;
  /** Null when the metadata collector has not named the queue yet. */
  readonly queueName: string | null;
  readonly channel: string;
  readonly snapshotTime: Date;
  /** Values by `queue_realtime_snapshot` column. */
  readonly metrics: Readonly<Record<SnapshotMetricColumn, number | null>>;
}

/** The 14 current-metric columns of `queue_realtime_snapshot` and their keys in a flat row. */
export const METRIC_KEYS = {
  agents_after_contact_work_count: 'AgentsAfterContactWork',
  agents_available_count: 'AgentsAvailable',
  agents_error_count: 'AgentsError',
  agents_non_productive_count: 'AgentsNonProductive',
  agents_online_count: 'AgentsOnline',
  agents_on_call_count: 'AgentsOnCall',
  agents_on_contact_count: 'AgentsOnContact',
  agents_staffed_count: 'AgentsStaffed',
  contacts_in_queue_count: 'ContactsInQueue',
  contacts_scheduled_count: 'ContactsScheduled',
  estimated_wait_time_seconds: 'EstimatedWaitTimeSeconds',
  oldest_contact_age_seconds: 'OldestContactAgeSeconds',
  slots_active_count: 'SlotsActive',
  slots_available_count: 'SlotsAvailable',
} as const;

/** A current-metric column of `queue_realtime_snapshot`. */
export type SnapshotMetricColumn = keyof typeof METRIC_KEYS;

/** A flat row: Date (ISO 8601), Client, QueueName, Channel, then the metrics. */
export type FlatQueueRow = { Date: string; Client: string; QueueName: string; Channel: string } & {
  [K in (typeof METRIC_KEYS)[SnapshotMetricColumn]]: number | null;
};

/**
 * Flattens one snapshot row for a push target. `QueueName` falls back to the queue id while the queue
 * has no name yet. Channel is its own key because per-queue agent counts cannot be summed across
 * channels (an agent on VOICE and CHAT is counted in both).
 */
export function flattenQueueRow(row: QueueSnapshotRow, clientName: string): FlatQueueRow {
  const flat: Record<string, string | number | null> = {
    Date: row.snapshotTime.toISOString(),
    Client: clientName,
    QueueName: row.queueName ?? row.queueId,
    Channel: row.channel,
  };
  for (const [column, key] of Object.entries(METRIC_KEYS)) {
    flat[key] = row.metrics[column as SnapshotMetricColumn] ?? null;
  }
  return flat as FlatQueueRow;
}
