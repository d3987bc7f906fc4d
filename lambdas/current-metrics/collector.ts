import type { RunContext, RunResult } from '../shared/collector/contract';
import { isUnknownResourceError } from '../shared/connect/gateway';
import type { SqlExecutor } from '../shared/db/executor';
import { REALTIME_CHANNELS } from './definitions';
import type { CurrentMetricsPorts, QueueMetricsSnapshot } from './ports';

/** What a run fetched: the queues it asked about, where their ids came from, and Connect's answer. */
export interface FetchedCurrentMetrics {
  readonly queueIds: readonly string[];
  readonly queueSource: string;
  readonly snapshot: QueueMetricsSnapshot;
  /** DataSnapshotTime, or the run's start to the second when Connect gave none. */
  readonly snapshotTime: Date;
}

const NO_METRICS: QueueMetricsSnapshot = { snapshotTime: null, rows: [], skipped: [], batches: 0 };

/** The run's start truncated to the second: the snapshot time when Connect gives none. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Reads the 14 current metrics of every STANDARD queue on every channel. Queues come from the `queue`
 * table (STANDARD, not deleted); when it has none for the instance (metadata has not run yet) they are
 * listed with ListQueues, and when Connect refuses a queue the table still holds (deleted since
 * metadata ran) they are listed again, once. Every row of the run carries the first response's
 * DataSnapshotTime.
 */
export async function fetchCurrentMetrics(
  run: RunContext,
  db: SqlExecutor,
  ports: CurrentMetricsPorts,
): Promise<FetchedCurrentMetrics> {
  const instanceId = run.instance.instanceId;
  let queueIds = await ports.store.activeStandardQueueIds(db, instanceId);
  let queueSource = queueIds.length > 0 ? 'queue table' : 'ListQueues';
  if (queueIds.length === 0) queueIds = await ports.connect.listStandardQueueIds();

  const read = (ids: readonly string[]) =>
    ids.length > 0 ? ports.connect.read(ids) : Promise.resolve(NO_METRICS);
  let snapshot: QueueMetricsSnapshot;
  try {
    snapshot = await read(queueIds);
  } catch (error) {
    if (queueSource !== 'queue table' || !isUnknownResourceError(error)) throw error;
    run.log.warn('Connect refused a queue from the queue table: listing queues again', {
      instanceId,
      error: error instanceof Error ? error.name : String(error),
    });
    queueIds = await ports.connect.listStandardQueueIds();
    queueSource = 'ListQueues after an unknown queue';
    snapshot = await read(queueIds);
  }
  if (!snapshot.snapshotTime && snapshot.rows.length > 0) {
    run.log.warn('no DataSnapshotTime in any response: using the run start', { instanceId });
  }
  return {
    queueIds,
    queueSource,
    snapshot,
    snapshotTime: snapshot.snapshotTime ?? truncateToSecond(run.startedAt),
  };
}

/**
 * Writes the snapshot (one `queue_realtime_snapshot` statement). A queue and channel Connect returned
 * no result for gets no row: a row means Connect answered, and its nulls mean Connect had no value.
 */
export async function writeCurrentMetrics(
  tx: SqlExecutor,
  fetched: FetchedCurrentMetrics,
  run: RunContext,
  ports: CurrentMetricsPorts,
): Promise<RunResult> {
  const { queueIds, snapshot, snapshotTime } = fetched;
  const rowsWritten = await ports.store.writeSnapshot(
    tx,
    run.instance.instanceId,
    snapshotTime,
    snapshot.rows,
    run.now(),
  );
  const expected = queueIds.length * REALTIME_CHANNELS.length;
  return {
    rowsWritten,
    // A quiet centre (Connect answered, no results) is still an observation at snapshotTime.
    dataTime: queueIds.length > 0 ? snapshotTime : null,
    skipped: snapshot.skipped,
    details: {
      queues: queueIds.length,
      queueSource: fetched.queueSource,
      batches: snapshot.batches,
      queueChannels: snapshot.rows.length,
      queueChannelsWithoutResult: Math.max(0, expected - snapshot.rows.length),
      snapshotTimeFrom: snapshot.snapshotTime ? 'DataSnapshotTime' : 'run start',
    },
  };
}
