import type { CollectorContext, RunResult } from '../shared/collector/run';
import type { SqlExecutor } from '../shared/db/executor';
import {
  type CurrentMetricsSource,
  connectCurrentMetricsSource,
  type QueueMetricsSnapshot,
  REALTIME_CHANNELS,
} from './current-metrics-source';
import { activeStandardQueueIds, writeQueueSnapshot } from './current-metrics-store';

/** What the current-metrics logic needs besides the run context. */
export interface CurrentMetricsDeps {
  readonly source: CurrentMetricsSource;
}

const NO_METRICS: QueueMetricsSnapshot = { snapshotTime: null, rows: [], skipped: [], batches: 0 };

/**
 * True for the answers Connect gives a filter naming a resource it does not know (deleted since
 * metadata last ran): worth one retry with a fresh list, never more.
 */
export function isUnknownResourceError(error: unknown): boolean {
  return (
    error instanceof Error &&
    ['ResourceNotFoundException', 'InvalidParameterException', 'InvalidRequestException'].includes(error.name)
  );
}

/** The run's start truncated to the second: the snapshot time when Connect gives none. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Reads the 14 current metrics of every STANDARD queue on every channel and writes them as one
 * snapshot in one transaction (one `queue_realtime_snapshot` statement, then the run row).
 *
 * Queues come from the `queue` table (STANDARD, not deleted); when it has none for the instance
 * (metadata has not run yet) they are listed with ListQueues. Every row of the run carries the first
 * response's DataSnapshotTime. A queue and channel Connect returned no result for gets no row: a row
 * means Connect answered, and its nulls mean Connect had no value.
 */
export async function collectCurrentMetrics(
  context: CollectorContext,
  deps: CurrentMetricsDeps,
): Promise<RunResult> {
  const instanceId = context.instance.instanceId;
  let queueIds = await activeStandardQueueIds(context.db, instanceId);
  let queueSource = queueIds.length > 0 ? 'queue table' : 'ListQueues';
  if (queueIds.length === 0) queueIds = await deps.source.listStandardQueueIds();

  const read = (ids: readonly string[]) =>
    ids.length > 0 ? deps.source.read(ids) : Promise.resolve(NO_METRICS);
  let snapshot: QueueMetricsSnapshot;
  try {
    snapshot = await read(queueIds);
  } catch (error) {
    if (queueSource !== 'queue table' || !isUnknownResourceError(error)) throw error;
    // A queue deleted since metadata last ran: list the queues as they are now and try once more.
    context.log.warn('Connect refused a queue from the queue table: listing queues again', {
      instanceId,
      error: error instanceof Error ? error.name : String(error),
    });
    queueIds = await deps.source.listStandardQueueIds();
    queueSource = 'ListQueues after an unknown queue';
    snapshot = await read(queueIds);
  }
  const snapshotTime = snapshot.snapshotTime ?? truncateToSecond(context.startedAt);
  if (!snapshot.snapshotTime && snapshot.rows.length > 0) {
    context.log.warn('no DataSnapshotTime in any response: using the run start', { instanceId });
  }
  const expected = queueIds.length * REALTIME_CHANNELS.length;

  return context.db.transaction(async (tx: SqlExecutor) => {
    const rowsWritten = await writeQueueSnapshot(tx, instanceId, snapshotTime, snapshot.rows, context.now());
    const result: RunResult = {
      rowsWritten,
      // A quiet centre (Connect answered, no results) is still an observation at snapshotTime.
      dataTime: queueIds.length > 0 ? snapshotTime : null,
      skipped: snapshot.skipped,
      details: {
        queues: queueIds.length,
        queueSource,
        batches: snapshot.batches,
        queueChannels: snapshot.rows.length,
        queueChannelsWithoutResult: Math.max(0, expected - snapshot.rows.length),
        snapshotTimeFrom: snapshot.snapshotTime ? 'DataSnapshotTime' : 'run start',
      },
    };
    await context.recordRun(tx, result);
    return result;
  });
}

/** The current-metrics collector as the runner calls it: Connect through the run's gateway. */
export function currentMetricsCollector(context: CollectorContext): Promise<RunResult> {
  return collectCurrentMetrics(context, {
    source: connectCurrentMetricsSource(context.connect, context.instance.instanceId),
  });
}
