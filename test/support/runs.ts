import type { Feed } from '../../lambdas/feeds';
import { writeRun } from '../../lambdas/shared/collector/run-store';
import type { SqlExecutor } from '../../lambdas/shared/db/executor';

/**
 * Records a run of `feed` whose data time (its snapshot time) is `dataTime`, as runFeed does after a
 * collector's write: readers take "latest" to mean the latest successful run's snapshot.
 */
export async function recordRun(
  db: SqlExecutor,
  instanceId: string,
  feed: Feed,
  dataTime: Date,
  outcome: 'succeeded' | 'partial' | 'failed' = 'succeeded',
): Promise<void> {
  await writeRun(db, {
    instanceId,
    feed,
    startedAt: dataTime,
    finishedAt: new Date(dataTime.getTime() + 1000),
    outcome,
    rowsWritten: 0,
    apiCalls: 0,
    throttles: 0,
    dataTime: outcome === 'failed' ? null : dataTime,
    error: outcome === 'failed' ? 'failed' : null,
  });
}
