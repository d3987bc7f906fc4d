import type { SkippedRecord } from '../shared/collector/contract';
import type { ConnectApi } from '../shared/config/runtime-config';
import type { SqlExecutor } from '../shared/db/executor';
import type { AgentMetricColumn, HistoricalFeed, QueueMetricColumn } from './definitions';
import type { TimeRange, Watermark } from './interval-plan';
import type { DayFigures, ReconciliationRow } from './reconciliation';

/** The rows of `collection_watermark` the collector keeps: one per historical feed, and reconciliation's. */
export type WatermarkFeed = HistoricalFeed | 'reconciliation';

/** The historical collector's ports: what it reads Connect and the database through. */

/** SERVICE_LEVEL and its v2 companions at one threshold. Null means Connect gave no value. */
export interface ServiceLevelValue {
  readonly thresholdSeconds: number;
  readonly serviceLevelPct: number | null;
  readonly answeredInThreshold: number | null;
  readonly abandonedInThreshold: number | null;
  /** CONTACTS_REMOVED_FROM_QUEUE_IN_X: Connect's service level numerator (v2 only). */
  readonly removedInThreshold: number | null;
}

/** One queue, channel and interval of historical metrics. */
export interface QueueInterval {
  readonly queueId: string;
  readonly channel: string;
  readonly intervalStart: Date;
  readonly intervalEnd: Date;
  /** 5 (GetMetricData) or 15 (GetMetricDataV2). */
  readonly intervalMinutes: 5 | 15;
  /** Values by column; a column not present was not asked for, null means no value. */
  readonly metrics: Partial<Record<QueueMetricColumn, number | null>>;
  readonly serviceLevels: readonly ServiceLevelValue[];
}

/** One agent and 15-minute interval of GetMetricDataV2 metrics. */
export interface AgentInterval {
  readonly agentId: string;
  readonly intervalStart: Date;
  readonly intervalEnd: Date;
  readonly metrics: Partial<Record<AgentMetricColumn, number | null>>;
}

/** What one fetch returns: the records that parsed, and the ones skipped with why. */
export interface Fetched<T> {
  readonly records: T[];
  readonly skipped: SkippedRecord[];
  /** Ids asked about that Connect refused in this run (left out of its later requests). */
  readonly refused?: readonly string[];
}

/**
 * Connect refused a range itself (an id it accepted earlier in the run is refused there too, or every
 * id is): the range is recorded as skipped and the feed moves on, since asking again cannot help.
 */
export class RangeRefusedError extends Error {
  override readonly name = 'RangeRefusedError';
}

/** Connect, as the collector reads it. */
export interface HistoricalConnect {
  /** GetMetricData for one 5-minute range, every queue x channel. */
  queueV1(range: TimeRange, queueIds: readonly string[]): Promise<Fetched<QueueInterval>>;
  /** GetMetricDataV2 FIFTEEN_MIN intervals over the range, grouped by queue and channel. */
  queueV2(range: TimeRange, queueIds: readonly string[]): Promise<Fetched<QueueInterval>>;
  /** GetMetricDataV2 FIFTEEN_MIN intervals over the range, grouped by agent. */
  agentV2(range: TimeRange, agentIds: readonly string[]): Promise<Fetched<AgentInterval>>;
  /** Connect's own figures for each whole UTC day of the range (GetMetricDataV2 DAY), per queue and channel. */
  queueDays(range: TimeRange, queueIds: readonly string[]): Promise<Fetched<DayFigures>>;
}

/** Ids the historical feeds ask about: STANDARD queues and agents that existed at or after `since`. */
export interface HistoricalDimensions {
  readonly queueIds: string[];
  readonly agentIds: string[];
}

/** Everything one historical run writes. */
export interface HistoricalWrite {
  readonly instanceId: string;
  readonly collectedAt: Date;
  readonly queueIntervals: readonly QueueInterval[];
  readonly agentIntervals: readonly AgentInterval[];
  /**
   * Per feed that fetched something: its new watermark (`to`) and the start of the first interval this
   * run read (`from`, which bounds later restatements on a feed's first run).
   */
  readonly watermarks: Partial<Record<WatermarkFeed, { readonly from: Date; readonly to: Date }>>;
  /** The days reconciled with Connect in this run, every figure compared. */
  readonly reconciliation?: readonly ReconciliationRow[];
}

/** Rows one historical write put in each table. */
export interface HistoricalWritten {
  readonly queueIntervals: number;
  readonly serviceLevels: number;
  readonly agentIntervals: number;
  readonly watermarks: number;
  readonly reconciliation: number;
}

/** The database, as the collector reads and writes it. */
export interface HistoricalStore {
  /** The watermark of every historical feed of an instance, and how far it has been reconciled. */
  readWatermarks(db: SqlExecutor, instanceId: string): Promise<Partial<Record<WatermarkFeed, Watermark>>>;
  /** Per queue of `queueIds`, channel and UTC day of the range: the totals re-aggregated from the 15-minute rows. */
  readDayFigures(
    db: SqlExecutor,
    instanceId: string,
    range: TimeRange,
    thresholds: readonly number[],
    queueIds: readonly string[],
  ): Promise<DayFigures[]>;
  /** STANDARD queues and agents seen by metadata, including those deleted after `since`. */
  readDimensions(db: SqlExecutor, instanceId: string, since: Date): Promise<HistoricalDimensions>;
  /** Writes one run's rows and watermarks, one statement per table. */
  writeHistorical(tx: SqlExecutor, write: HistoricalWrite): Promise<HistoricalWritten>;
}

/** The ports of a run, and its API budget. */
export interface HistoricalPorts {
  readonly connect: HistoricalConnect;
  readonly store: HistoricalStore;
  /** Sustained calls a second the run may make of one API (the instance's share of the account quota). */
  readonly callsPerSecond: (api: ConnectApi) => number;
  /**
   * Share of the time to the deadline spent fetching; the rest is kept for the write.
   * @default 0.7
   */
  readonly fetchShare?: number;
}
