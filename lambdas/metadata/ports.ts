import type { SkippedRecord } from '../shared/collector/contract';
import type { InstanceConfig } from '../shared/config/runtime-config';
import type { SqlExecutor } from '../shared/db/executor';

/** The metadata collector's ports: what it reads Connect and writes the database through. */

/** One dimension item as the metadata collector stores it. */
export interface DimensionItem {
  readonly id: string;
  readonly arn: string;
  readonly name: string | null;
  /** Queue type (STANDARD, AGENT) or agent status type (ROUTABLE, CUSTOM, OFFLINE). */
  readonly type: string | null;
  readonly lastModifiedAt: Date | null;
}

/** Everything ListQueues, ListRoutingProfiles, ListAgentStatuses and ListUsers return, to the last page. */
export interface InstanceMetadata {
  readonly queues: DimensionItem[];
  readonly routingProfiles: DimensionItem[];
  readonly agentStatuses: DimensionItem[];
  readonly agents: DimensionItem[];
  readonly skipped: SkippedRecord[];
}

/** Connect, as the collector reads it. */
export interface MetadataConnect {
  /** Every queue, routing profile, agent status and user, to the last page. */
  read(): Promise<InstanceMetadata>;
}

/** The dimensions the collector writes, by the key of {@link InstanceMetadata} they come from. */
export type DimensionKind = 'queues' | 'routingProfiles' | 'agentStatuses' | 'agents';

/** The database, as the collector writes it. */
export interface MetadataStore {
  /** Upserts the instance row; returns the rows written. */
  writeInstance(tx: SqlExecutor, instance: InstanceConfig, seenAt: Date): Promise<number>;
  /**
   * Upserts one dimension's items (first/last seen) and marks deleted what the run no longer saw, in
   * one statement; returns the rows written.
   */
  writeDimension(
    tx: SqlExecutor,
    kind: DimensionKind,
    instanceId: string,
    items: readonly DimensionItem[],
    seenAt: Date,
  ): Promise<number>;
}

/** Both ports of a run. */
export interface MetadataPorts {
  readonly connect: MetadataConnect;
  readonly store: MetadataStore;
}
