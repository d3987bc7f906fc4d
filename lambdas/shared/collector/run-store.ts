import { type SqlExecutor, sqlJson } from '../db/executor';
import type { RunSummary } from './contract';

const MAX_SKIPPED_DETAILS = 50;

/** Upserts a run's `collector_run` row: a retried transaction writes the same key again, harmlessly. */
export async function writeRun(db: SqlExecutor, run: RunSummary): Promise<void> {
  const skipped = run.skipped ?? [];
  const details = {
    ...(run.details ?? {}),
    ...(skipped.length > 0
      ? { skipped: skipped.slice(0, MAX_SKIPPED_DETAILS), skippedTotal: skipped.length }
      : {}),
  };
  await db.query(
    `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome, rows_written, api_calls,
       throttles, skipped_records, data_time, error_text, details)
     VALUES (:instanceId, :feed, :startedAt, :finishedAt, :outcome, :rowsWritten, :apiCalls, :throttles,
       :skipped, :dataTime, :error, :details::jsonb)
     ON CONFLICT (instance_id, feed, started_at) DO UPDATE SET
       finished_at = EXCLUDED.finished_at, outcome = EXCLUDED.outcome, rows_written = EXCLUDED.rows_written,
       api_calls = EXCLUDED.api_calls, throttles = EXCLUDED.throttles, skipped_records = EXCLUDED.skipped_records,
       data_time = EXCLUDED.data_time, error_text = EXCLUDED.error_text, details = EXCLUDED.details`,
    {
      instanceId: run.instanceId,
      feed: run.feed,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      outcome: run.outcome,
      rowsWritten: run.rowsWritten,
      apiCalls: run.apiCalls,
      throttles: run.throttles,
      skipped: skipped.length,
      dataTime: run.dataTime,
      error: run.error ? run.error.slice(0, 4000) : null,
      details: Object.keys(details).length > 0 ? sqlJson(details) : null,
    },
  );
}
