import type { RunContext, RunResult } from '../shared/collector/contract';
import type { SqlExecutor } from '../shared/db/executor';
import type { DimensionKind, InstanceMetadata, MetadataPorts } from './ports';

const DIMENSIONS: readonly DimensionKind[] = ['queues', 'routingProfiles', 'agentStatuses', 'agents'];

/** Reads every queue (STANDARD and AGENT), routing profile, agent status, user and hours of operation. */
export function fetchMetadata(
  run: RunContext,
  _db: SqlExecutor,
  ports: MetadataPorts,
): Promise<InstanceMetadata> {
  return ports.connect.read(run.startedAt.getTime());
}

/**
 * Writes the instance row and one statement per dimension table: items upserted with first/last seen
 * times, items that disappeared marked deleted (and cleared if they come back).
 */
export async function writeMetadata(
  tx: SqlExecutor,
  metadata: InstanceMetadata,
  run: RunContext,
  ports: MetadataPorts,
): Promise<RunResult> {
  const seenAt = run.startedAt;
  const instanceId = run.instance.instanceId;
  let rowsWritten = await ports.store.writeInstance(tx, run.instance, seenAt);
  for (const kind of DIMENSIONS) {
    rowsWritten += await ports.store.writeDimension(tx, kind, instanceId, metadata[kind], seenAt);
  }
  if (metadata.hours) rowsWritten += await ports.store.writeHours(tx, instanceId, metadata.hours, seenAt);
  return {
    rowsWritten,
    dataTime: seenAt,
    skipped: metadata.skipped,
    details: {
      queues: metadata.queues.length,
      routingProfiles: metadata.routingProfiles.length,
      agentStatuses: metadata.agentStatuses.length,
      agents: metadata.agents.length,
      hoursOfOperation: metadata.hours?.length ?? null,
      hoursOverrides: metadata.hours?.reduce((n, h) => n + h.overrides.length, 0) ?? null,
    },
  };
}
