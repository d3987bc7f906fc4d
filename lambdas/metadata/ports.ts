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
  /** A STANDARD queue's hours of operation (from SearchQueues), written with the queue. */
  readonly hoursId?: string | null;
}

/**
 * A range of hours of operation in minutes from the local midnight of its day (`end` above 1440 runs
 * past midnight: Connect's end of 00:00, or any end not after the start).
 */
export interface HoursRangeMinutes {
  readonly day: string;
  readonly start: number;
  readonly end: number;
}

/** An override of hours of operation (a holiday, an exception), local dates inclusive. */
export interface HoursOverrideItem {
  readonly id: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly effectiveFrom: string;
  readonly effectiveTill: string;
  readonly config: HoursRangeMinutes[];
}

/** Connect's effective hours of one local date, overrides applied: open periods in minutes ([] closed). */
export interface EffectiveHoursDay {
  readonly date: string;
  readonly periods: [number, number][];
  readonly overrideName: string | null;
}

/** Hours of operation with their overrides and the effective hours of the dates around the run. */
export interface HoursItem {
  readonly id: string;
  readonly arn: string;
  readonly name: string | null;
  readonly timeZone: string;
  readonly config: HoursRangeMinutes[];
  readonly lastModifiedAt: Date | null;
  readonly overrides: HoursOverrideItem[];
  readonly days: EffectiveHoursDay[];
}

/** Everything ListQueues, ListRoutingProfiles, ListAgentStatuses and ListUsers return, to the last page. */
export interface InstanceMetadata {
  readonly queues: DimensionItem[];
  readonly routingProfiles: DimensionItem[];
  readonly agentStatuses: DimensionItem[];
  readonly agents: DimensionItem[];
  /**
   * Hours of operation (ListHoursOfOperations, DescribeHoursOfOperation and its overrides and effective
   * hours); null when the role may not read them (what is stored is kept).
   */
  readonly hours: HoursItem[] | null;
  readonly skipped: SkippedRecord[];
}

/** Connect, as the collector reads it. */
export interface MetadataConnect {
  /**
   * Every queue, routing profile, agent status, user and hours of operation, to the last page; the
   * effective hours of the dates around `nowMs` (the run's start).
   */
  read(nowMs: number): Promise<InstanceMetadata>;
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
  /**
   * Upserts hours of operation, their overrides and effective days (one statement per table); returns
   * the rows written. Each queue's hours travel with the queue (`DimensionItem.hoursId`).
   */
  writeHours(tx: SqlExecutor, instanceId: string, hours: readonly HoursItem[], seenAt: Date): Promise<number>;
}

/** Both ports of a run. */
export interface MetadataPorts {
  readonly connect: MetadataConnect;
  readonly store: MetadataStore;
}
