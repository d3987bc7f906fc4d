import type { CollectorContext, RunResult } from '../shared/collector/run';
import type { SqlExecutor } from '../shared/db/executor';
import { connectMetadataSource, type MetadataSource } from './metadata-source';
import { DIMENSION_TABLES, writeDimension, writeInstance } from './metadata-store';

/** What the metadata logic needs besides the run context. */
export interface MetadataDeps {
  readonly source: MetadataSource;
}

/**
 * Reads every queue (STANDARD and AGENT), routing profile, agent status and user of the instance to
 * the last page, then writes them in one transaction: one statement per table, items upserted with
 * first/last seen times, items that disappeared marked deleted (and cleared if they come back).
 */
export async function collectMetadata(context: CollectorContext, deps: MetadataDeps): Promise<RunResult> {
  const metadata = await deps.source.read();
  const seenAt = context.startedAt;
  const instanceId = context.instance.instanceId;
  return context.db.transaction(async (tx: SqlExecutor) => {
    let rowsWritten = await writeInstance(tx, context.instance, seenAt);
    for (const key of ['queues', 'routingProfiles', 'agentStatuses', 'agents'] as const) {
      rowsWritten += await writeDimension(tx, DIMENSION_TABLES[key], instanceId, metadata[key], seenAt);
    }
    const result: RunResult = {
      rowsWritten,
      dataTime: seenAt,
      skipped: metadata.skipped,
      details: {
        queues: metadata.queues.length,
        routingProfiles: metadata.routingProfiles.length,
        agentStatuses: metadata.agentStatuses.length,
        agents: metadata.agents.length,
      },
    };
    await context.recordRun(tx, result);
    return result;
  });
}

/** The metadata collector as the runner calls it: Connect through the run's gateway. */
export function metadataCollector(context: CollectorContext): Promise<RunResult> {
  return collectMetadata(context, {
    source: connectMetadataSource(context.connect, context.instance.instanceId, context.instance.instanceArn),
  });
}
