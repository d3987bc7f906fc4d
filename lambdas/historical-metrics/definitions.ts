import type { HistoricalMetricName } from '@aws-sdk/client-connect';

/**
 * Which historical metrics the collector asks for and the column each one lands in. Column names are
 * constants of this module (never input), so the store can build its SQL from them.
 */

/** The historical feeds, each with its own watermark in `collection_watermark`. */
export const HISTORICAL_FEEDS = ['queue_v1', 'queue_v2', 'agent_v2'] as const;
/** One historical feed. */
export type HistoricalFeed = (typeof HISTORICAL_FEEDS)[number];

/** Integer columns of `queue_interval_metrics` (counts). */
export const QUEUE_COUNT_COLUMNS = [
  'contacts_abandoned_count',
  'contacts_agent_hung_up_first_count',
  'contacts_consulted_count',
  'contacts_handled_count',
  'contacts_handled_incoming_count',
  'contacts_handled_outbound_count',
  'contacts_hold_abandons_count',
  'contacts_missed_count',
  'contacts_queued_count',
  'contacts_transferred_in_count',
  'contacts_transferred_in_from_queue_count',
  'contacts_transferred_out_count',
  'contacts_transferred_out_from_queue_count',
  'api_contacts_handled_count',
  'callback_contacts_handled_count',
  'contacts_put_on_hold_count',
  'contacts_answered_count',
] as const;

/** Double precision columns of `queue_interval_metrics` (seconds and percentages). */
export const QUEUE_MEASURE_COLUMNS = [
  'abandon_time_avg_seconds',
  'after_contact_work_time_avg_seconds',
  'handle_time_avg_seconds',
  'hold_time_avg_seconds',
  'interaction_and_hold_time_avg_seconds',
  'interaction_time_avg_seconds',
  'queue_answer_time_avg_seconds',
  'queued_time_max_seconds',
  'occupancy_avg_pct',
  'handle_time_sum_seconds',
  'hold_time_sum_seconds',
  'after_contact_work_time_sum_seconds',
  'interaction_time_sum_seconds',
  'queue_answer_time_sum_seconds',
  'abandon_time_sum_seconds',
  'aht_weighted_sum_seconds',
] as const;

/** A metric column of `queue_interval_metrics`. */
export type QueueMetricColumn = (typeof QUEUE_COUNT_COLUMNS)[number] | (typeof QUEUE_MEASURE_COLUMNS)[number];

/** Integer columns of `agent_interval_metrics`. */
export const AGENT_COUNT_COLUMNS = ['contacts_handled_count', 'contacts_put_on_hold_count'] as const;

/** Double precision columns of `agent_interval_metrics`. */
export const AGENT_MEASURE_COLUMNS = [
  'handle_time_sum_seconds',
  'hold_time_sum_seconds',
  'after_contact_work_time_sum_seconds',
  'interaction_time_sum_seconds',
  'online_time_sum_seconds',
  'idle_time_sum_seconds',
  'non_productive_time_sum_seconds',
  'contact_time_sum_seconds',
  'occupancy_pct',
  'aht_weighted_sum_seconds',
] as const;

/** A metric column of `agent_interval_metrics`. */
export type AgentMetricColumn = (typeof AGENT_COUNT_COLUMNS)[number] | (typeof AGENT_MEASURE_COLUMNS)[number];

/** A v1 HistoricalMetricName with the unit and statistic GetMetricData requires for it. */
export interface V1Metric {
  readonly name: HistoricalMetricName;
  readonly unit: 'COUNT' | 'SECONDS' | 'PERCENT';
  readonly statistic: 'SUM' | 'AVG' | 'MAX';
  /** Where the value goes; SERVICE_LEVEL has none (it has a row per threshold). */
  readonly column?: QueueMetricColumn;
}

const count = (name: HistoricalMetricName, column: QueueMetricColumn): V1Metric => ({
  name,
  unit: 'COUNT',
  statistic: 'SUM',
  column,
});
const avgSeconds = (name: HistoricalMetricName, column: QueueMetricColumn): V1Metric => ({
  name,
  unit: 'SECONDS',
  statistic: 'AVG',
  column,
});

/** All 25 GetMetricData (v1) metrics; SERVICE_LEVEL is asked once per configured threshold. */
export const V1_METRICS: readonly V1Metric[] = [
  count('CONTACTS_ABANDONED', 'contacts_abandoned_count'),
  count('CONTACTS_AGENT_HUNG_UP_FIRST', 'contacts_agent_hung_up_first_count'),
  count('CONTACTS_CONSULTED', 'contacts_consulted_count'),
  count('CONTACTS_HANDLED', 'contacts_handled_count'),
  count('CONTACTS_HANDLED_INCOMING', 'contacts_handled_incoming_count'),
  count('CONTACTS_HANDLED_OUTBOUND', 'contacts_handled_outbound_count'),
  count('CONTACTS_HOLD_ABANDONS', 'contacts_hold_abandons_count'),
  count('CONTACTS_MISSED', 'contacts_missed_count'),
  count('CONTACTS_QUEUED', 'contacts_queued_count'),
  count('CONTACTS_TRANSFERRED_IN', 'contacts_transferred_in_count'),
  count('CONTACTS_TRANSFERRED_IN_FROM_QUEUE', 'contacts_transferred_in_from_queue_count'),
  count('CONTACTS_TRANSFERRED_OUT', 'contacts_transferred_out_count'),
  count('CONTACTS_TRANSFERRED_OUT_FROM_QUEUE', 'contacts_transferred_out_from_queue_count'),
  count('API_CONTACTS_HANDLED', 'api_contacts_handled_count'),
  count('CALLBACK_CONTACTS_HANDLED', 'callback_contacts_handled_count'),
  avgSeconds('ABANDON_TIME', 'abandon_time_avg_seconds'),
  avgSeconds('AFTER_CONTACT_WORK_TIME', 'after_contact_work_time_avg_seconds'),
  avgSeconds('HANDLE_TIME', 'handle_time_avg_seconds'),
  avgSeconds('HOLD_TIME', 'hold_time_avg_seconds'),
  avgSeconds('INTERACTION_AND_HOLD_TIME', 'interaction_and_hold_time_avg_seconds'),
  avgSeconds('INTERACTION_TIME', 'interaction_time_avg_seconds'),
  avgSeconds('QUEUE_ANSWER_TIME', 'queue_answer_time_avg_seconds'),
  { name: 'QUEUED_TIME', unit: 'SECONDS', statistic: 'MAX', column: 'queued_time_max_seconds' },
  { name: 'OCCUPANCY', unit: 'PERCENT', statistic: 'AVG', column: 'occupancy_avg_pct' },
  { name: 'SERVICE_LEVEL', unit: 'PERCENT', statistic: 'AVG' },
];

/** GetMetricDataV2 queue metrics stored as they come, and their columns. */
export const V2_QUEUE_METRICS: Readonly<Record<string, QueueMetricColumn>> = {
  CONTACTS_QUEUED: 'contacts_queued_count',
  CONTACTS_HANDLED: 'contacts_handled_count',
  CONTACTS_ABANDONED: 'contacts_abandoned_count',
  CONTACTS_HOLD_ABANDONS: 'contacts_hold_abandons_count',
  CONTACTS_PUT_ON_HOLD: 'contacts_put_on_hold_count',
  CONTACTS_TRANSFERRED_OUT: 'contacts_transferred_out_count',
  CONTACTS_TRANSFERRED_OUT_FROM_QUEUE: 'contacts_transferred_out_from_queue_count',
  // v2's name for what v1 calls CONTACTS_MISSED.
  AGENT_NON_RESPONSE: 'contacts_missed_count',
  SUM_HANDLE_TIME: 'handle_time_sum_seconds',
  SUM_HOLD_TIME: 'hold_time_sum_seconds',
  SUM_AFTER_CONTACT_WORK_TIME: 'after_contact_work_time_sum_seconds',
  SUM_INTERACTION_TIME: 'interaction_time_sum_seconds',
  MAX_QUEUED_TIME: 'queued_time_max_seconds',
  // v2 has no SUM_ metric for these three averages: the collector also stores sum = avg x its weight
  // (answered from the queue, abandoned, handled), which re-aggregates exactly.
  AVG_QUEUE_ANSWER_TIME: 'queue_answer_time_avg_seconds',
  AVG_ABANDON_TIME: 'abandon_time_avg_seconds',
  // Connect's average handle time, without custom-status time (SUM_HANDLE_TIME keeps it).
  AVG_HANDLE_TIME: 'handle_time_avg_seconds',
};

/**
 * Contacts answered from the queue: SUM_CONTACTS_ANSWERED_IN_X with the largest threshold the API
 * takes (1-604800 s), so it counts every answered contact. LT, which every edition of the reference
 * accepts (LTE came later); a wait of exactly 7 days cannot happen in a queue.
 */
export const ANSWERED_ALL_THRESHOLD = { Comparison: 'LT', ThresholdValue: 604800 } as const;

/**
 * GetMetricDataV2 queue metrics asked once per configured SERVICE_LEVEL threshold (LT). Connect's
 * service level is CONTACTS_REMOVED_FROM_QUEUE_IN_X / CONTACTS_QUEUED; the answered and abandoned
 * counts are kept beside it.
 */
export const V2_THRESHOLD_METRICS = [
  'SERVICE_LEVEL',
  'CONTACTS_REMOVED_FROM_QUEUE_IN_X',
  'SUM_CONTACTS_ANSWERED_IN_X',
  'SUM_CONTACTS_ABANDONED_IN_X',
] as const;

/** GetMetricDataV2 agent metrics and their `agent_interval_metrics` columns. */
export const V2_AGENT_METRICS: Readonly<Record<string, AgentMetricColumn>> = {
  CONTACTS_HANDLED: 'contacts_handled_count',
  SUM_HANDLE_TIME: 'handle_time_sum_seconds',
  SUM_HOLD_TIME: 'hold_time_sum_seconds',
  CONTACTS_PUT_ON_HOLD: 'contacts_put_on_hold_count',
  SUM_AFTER_CONTACT_WORK_TIME: 'after_contact_work_time_sum_seconds',
  SUM_INTERACTION_TIME: 'interaction_time_sum_seconds',
  SUM_ONLINE_TIME_AGENT: 'online_time_sum_seconds',
  SUM_IDLE_TIME_AGENT: 'idle_time_sum_seconds',
  SUM_NON_PRODUCTIVE_TIME_AGENT: 'non_productive_time_sum_seconds',
  SUM_CONTACT_TIME_AGENT: 'contact_time_sum_seconds',
  AGENT_OCCUPANCY: 'occupancy_pct',
};

/** Asked with the agent metrics: Connect's average handle time, stored as AVG x CONTACTS_HANDLED. */
export const V2_AGENT_AVERAGE_HANDLE_TIME = 'AVG_HANDLE_TIME';

/** Most filter values a request takes (v1 Queues; v2 across all filter keys). */
export const FILTER_BATCH = 100;
