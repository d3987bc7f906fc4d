import { countAll, countBelow, F, type IntervalRecord } from '../history';

/**
 * Connect's definitions of the metrics whose obvious reading is wrong, shared by GetMetricData (v1)
 * and GetMetricDataV2. Sources: the Admin Guide's metric definitions
 * (https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html) and the
 * GetMetricDataV2 reference (https://docs.aws.amazon.com/connect/latest/APIReference/API_GetMetricDataV2.html).
 */

/** A threshold of SERVICE_LEVEL and the *_IN_X metrics: LT, or LTE where the API allows it. */
export interface Threshold {
  readonly seconds: number;
  readonly inclusive: boolean;
}

/** The threshold of a metric that takes none. */
export const NO_THRESHOLD: Threshold = { seconds: 0, inclusive: false };

/** Rounds an average or percentage to 2 decimals, as Connect's answers are. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** num / den x scale, rounded; undefined (no value) when the denominator is 0. */
export const ratio = (num: number, den: number, scale = 1): number | undefined =>
  den > 0 ? round2((num / den) * scale) : undefined;

/** Contacts answered from the queue (an agent connected): not outbound, not the handled total. */
export const answeredCount = (r: IntervalRecord): number => countAll(r.answered);

/**
 * "Contacts removed from queue in X seconds": every contact whose time in the queue was under X,
 * however it left (answered, abandoned, or moved to another queue by the flow).
 */
export const removedWithin = (r: IntervalRecord, t: Threshold): number =>
  countBelow(r.answered, t.seconds, t.inclusive) +
  countBelow(r.abandoned, t.seconds, t.inclusive) +
  countBelow(r.moved, t.seconds, t.inclusive);

/** "Service level X" = contacts removed from the queue within X / contacts queued x 100. */
export const serviceLevel = (r: IntervalRecord, t: Threshold): number | undefined =>
  ratio(removedWithin(r, t), r.values[F.QUEUED] ?? 0, 100);

/** "Average queue answer time": time in queue averaged over the contacts answered from it. */
export const averageQueueAnswerTime = (r: IntervalRecord): number | undefined =>
  ratio(r.values[F.SUM_QUEUE_ANSWER_TIME] ?? 0, answeredCount(r));

/**
 * "Average handle time": talk, hold and after-contact work per handled contact, without the time the
 * agent spent in a custom status while on the contact, which "contact handle time" (SUM_HANDLE_TIME)
 * includes (Admin Guide, 2023 edition: awsdocs/amazon-connect-admin-guide,
 * doc_source/historical-metrics-definitions.md).
 */
export const averageHandleTime = (r: IntervalRecord): number | undefined =>
  ratio(
    (r.values[F.SUM_HANDLE_TIME] ?? 0) - (r.values[F.SUM_CUSTOM_STATUS_TIME] ?? 0),
    r.values[F.HANDLED] ?? 0,
  );
