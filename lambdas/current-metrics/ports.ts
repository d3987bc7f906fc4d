import type { SkippedRecord } from '../shared/collector/contract';
import type { SqlExecutor } from '../shared/db/executor';
import type { CurrentMetricValues, RealtimeChannel } from './definitions';

/** The current-metrics collector's ports: what it reads Connect and the database through. */

/** The metrics of one queue on one channel, in stored units. */
export interface QueueChannelMetrics {
  readonly queueId: string;
  readonly channel: RealtimeChannel;
  readonly values: CurrentMetricValues;
}

/** What one read of current metrics returned. */
export interface QueueMetricsSnapshot {
  /** DataSnapshotTime of the first response (null only if no response carried one). */
  readonly snapshotTime: Date | null;
  readonly rows: QueueChannelMetrics[];
  /** Records (or parts of records) that could not be used, with why. */
  readonly skipped: SkippedRecord[];
  /** Filter batches sent (one per 100 queues). */
  readonly batches: number;
}

/** Connect, as the collector reads it. */
export interface CurrentMetricsConnect {
  /** Ids of every STANDARD queue, from ListQueues (used when metadata has not run yet). */
  listStandardQueueIds(): Promise<string[]>;
  /** Current metrics of these queues on every channel, grouped by queue and channel. */
  read(queueIds: readonly string[]): Promise<QueueMetricsSnapshot>;
}

/** The database, as the collector reads and writes it. */
export interface CurrentMetricsStore {
  /** Ids of the instance's STANDARD queues that metadata last saw (not deleted), in id order. */
  activeStandardQueueIds(db: SqlExecutor, instanceId: string): Promise<string[]>;
  /** Writes one snapshot of every queue and channel (one statement); returns the rows inserted or changed. */
  writeSnapshot(
    tx: SqlExecutor,
    instanceId: string,
    snapshotTime: Date,
    rows: readonly QueueChannelMetrics[],
    collectedAt: Date,
  ): Promise<number>;
}

/** Both ports of a run. */
export interface CurrentMetricsPorts {
  readonly connect: CurrentMetricsConnect;
  readonly store: CurrentMetricsStore;
}
