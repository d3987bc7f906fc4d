import { countBelow, F, type IntervalRecord, T } from '../history';
import {
  averageHandleTime,
  averageQueueAnswerTime,
  ratio,
  removedWithin,
  serviceLevel,
  type Threshold,
} from './metric-definitions';

/** GetMetricDataV2 metrics the simulator serves (any other name is refused as unsupported). */
export const V2_METRICS = [
  'CONTACTS_QUEUED',
  'CONTACTS_HANDLED',
  'CONTACTS_ABANDONED',
  'CONTACTS_HOLD_ABANDONS',
  'CONTACTS_PUT_ON_HOLD',
  'CONTACTS_TRANSFERRED_OUT',
  'CONTACTS_TRANSFERRED_OUT_FROM_QUEUE',
  'AGENT_NON_RESPONSE',
  'SUM_HANDLE_TIME',
  'SUM_HOLD_TIME',
  'SUM_AFTER_CONTACT_WORK_TIME',
  'SUM_INTERACTION_TIME',
  'SUM_INTERACTION_AND_HOLD_TIME',
  'SUM_CONNECTING_TIME_AGENT',
  'SUM_CONTACTS_ANSWERED_IN_X',
  'SUM_CONTACTS_ABANDONED_IN_X',
  'CONTACTS_REMOVED_FROM_QUEUE_IN_X',
  'SUM_ONLINE_TIME_AGENT',
  'SUM_IDLE_TIME_AGENT',
  'SUM_NON_PRODUCTIVE_TIME_AGENT',
  'SUM_CONTACT_TIME_AGENT',
  'SUM_ERROR_STATUS_TIME_AGENT',
  'AVG_HANDLE_TIME',
  'AVG_HOLD_TIME',
  'AVG_AFTER_CONTACT_WORK_TIME',
  'AVG_QUEUE_ANSWER_TIME',
  'AVG_ABANDON_TIME',
  'AVG_INTERACTION_TIME',
  'AVG_INTERACTION_AND_HOLD_TIME',
  'MAX_QUEUED_TIME',
  'ABANDONMENT_RATE',
  'SERVICE_LEVEL',
  'AGENT_OCCUPANCY',
] as const;

/**
 * Metrics that need a Threshold {Comparison, ThresholdValue 1-604800}: each accepts LT or LTE in the
 * GetMetricDataV2 reference (MetricV2 Threshold: "you can use LT ... or LTE").
 */
export const THRESHOLD_METRICS = new Set([
  'SERVICE_LEVEL',
  'SUM_CONTACTS_ANSWERED_IN_X',
  'SUM_CONTACTS_ABANDONED_IN_X',
  'CONTACTS_REMOVED_FROM_QUEUE_IN_X',
]);
/** Agent time metrics: only answered for agent-based requests (AGENT / ROUTING_PROFILE / hierarchy). */
export const AGENT_TIME_METRICS = new Set([
  'SUM_ONLINE_TIME_AGENT',
  'SUM_IDLE_TIME_AGENT',
  'SUM_NON_PRODUCTIVE_TIME_AGENT',
  'SUM_CONTACT_TIME_AGENT',
  'SUM_ERROR_STATUS_TIME_AGENT',
  'AGENT_OCCUPANCY',
]);

const avg = ratio;

/**
 * A v2 metric from a contact aggregate `r` and (agent-based requests) an agent time aggregate `t`.
 * Averages use the same sums and counts as the SUM_ and count metrics, so AVG x count = SUM.
 */
export function v2Value(
  name: string,
  r: IntervalRecord,
  t: Float64Array | null,
  threshold: Threshold,
): number | undefined {
  const v = (f: number): number => r.values[f] ?? 0;
  const time = (f: number): number | undefined => (t ? (t[f] ?? 0) : undefined);
  switch (name) {
    case 'CONTACTS_QUEUED':
      return v(F.QUEUED);
    case 'CONTACTS_HANDLED':
      return v(F.HANDLED);
    case 'CONTACTS_ABANDONED':
      return v(F.ABANDONED);
    case 'CONTACTS_HOLD_ABANDONS':
      return v(F.HOLD_ABANDONS);
    case 'CONTACTS_PUT_ON_HOLD':
      return v(F.PUT_ON_HOLD);
    case 'CONTACTS_TRANSFERRED_OUT':
      return v(F.TRANSFERRED_OUT);
    case 'CONTACTS_TRANSFERRED_OUT_FROM_QUEUE':
      return v(F.TRANSFERRED_OUT_FROM_QUEUE);
    case 'AGENT_NON_RESPONSE':
      return v(F.MISSED);
    case 'SUM_HANDLE_TIME':
      return v(F.SUM_HANDLE_TIME);
    case 'SUM_HOLD_TIME':
      return v(F.SUM_HOLD_TIME);
    case 'SUM_AFTER_CONTACT_WORK_TIME':
      return v(F.SUM_ACW_TIME);
    case 'SUM_INTERACTION_TIME':
      return v(F.SUM_INTERACTION_TIME);
    case 'SUM_INTERACTION_AND_HOLD_TIME':
      return v(F.SUM_INTERACTION_AND_HOLD_TIME);
    case 'SUM_CONNECTING_TIME_AGENT':
      return v(F.SUM_CONNECTING_TIME);
    case 'SUM_CONTACTS_ANSWERED_IN_X':
      return countBelow(r.answered, threshold.seconds, threshold.inclusive);
    case 'SUM_CONTACTS_ABANDONED_IN_X':
      return countBelow(r.abandoned, threshold.seconds, threshold.inclusive);
    case 'CONTACTS_REMOVED_FROM_QUEUE_IN_X':
      return removedWithin(r, threshold);
    case 'SUM_ONLINE_TIME_AGENT':
      return time(T.ONLINE);
    case 'SUM_IDLE_TIME_AGENT':
      return time(T.IDLE);
    case 'SUM_NON_PRODUCTIVE_TIME_AGENT':
      return time(T.NON_PRODUCTIVE);
    case 'SUM_CONTACT_TIME_AGENT':
      return time(T.CONTACT);
    case 'SUM_ERROR_STATUS_TIME_AGENT':
      return time(T.ERROR);
    case 'AGENT_OCCUPANCY':
      return t ? avg(t[T.CONTACT] ?? 0, (t[T.CONTACT] ?? 0) + (t[T.IDLE] ?? 0), 100) : undefined;
    case 'AVG_HANDLE_TIME':
      return averageHandleTime(r);
    case 'AVG_HOLD_TIME':
      return avg(v(F.SUM_HOLD_TIME), v(F.PUT_ON_HOLD));
    case 'AVG_AFTER_CONTACT_WORK_TIME':
      return avg(v(F.SUM_ACW_TIME), v(F.HANDLED));
    case 'AVG_QUEUE_ANSWER_TIME':
      return averageQueueAnswerTime(r);
    case 'AVG_ABANDON_TIME':
      return avg(v(F.SUM_ABANDON_TIME), v(F.ABANDONED));
    case 'AVG_INTERACTION_TIME':
      return avg(v(F.SUM_INTERACTION_TIME), v(F.HANDLED));
    case 'AVG_INTERACTION_AND_HOLD_TIME':
      return avg(v(F.SUM_INTERACTION_AND_HOLD_TIME), v(F.HANDLED));
    case 'MAX_QUEUED_TIME':
      return v(F.MAX_QUEUED_TIME);
    case 'ABANDONMENT_RATE':
      return avg(v(F.ABANDONED), v(F.QUEUED), 100);
    case 'SERVICE_LEVEL':
      return serviceLevel(r, threshold);
    default:
      return undefined;
  }
}
