import { currentValues } from './api/current-metrics';
import { isReported, userData } from './api/current-users';
import { v1Groups, v1Value } from './api/historical-v1';
import { v2Value } from './api/v2-metrics';
import type { SimulatedCentre } from './centre';
import type { ContactRecord } from './contact-records';
import { streamKey } from './history';
import { CHANNELS, type Channel } from './types';

/** Cumulative flow of one queue and channel since the model started, with what is in flight now. */
export interface QueueFlow {
  readonly queueId: string;
  readonly channel: Channel;
  readonly queued: number;
  readonly handled: number;
  readonly abandoned: number;
  readonly transferredOutFromQueue: number;
  readonly waiting: number;
  readonly withAgent: number;
}

/** Connect's definitions over a set of contact records (see {@link GroundTruth.fromContactRecords}). */
export interface RecordTotals {
  /** Contacts queued: every record that was in the queue. */
  readonly queued: number;
  /** Contacts handled: connected to an agent, outbound included. */
  readonly handled: number;
  /** Contacts answered from the queue. */
  readonly answered: number;
  readonly abandoned: number;
  /** Seconds in queue of the answered contacts (average queue answer time = this / answered). */
  readonly queueAnswerSeconds: number;
  /** Talk + hold + after-contact work of handled contacts ("contact handle time"). */
  readonly contactHandleSeconds: number;
  /** The same without custom-status time: average handle time = this / handled. */
  readonly averageHandleTimeSeconds: number;
  /** Per threshold X: contacts removed from the queue in under X seconds (service level numerator). */
  readonly removedWithin: Readonly<Record<number, number>>;
}

/** The model's own numbers, for tests to compare the API and the pipeline against. */
export class GroundTruth {
  constructor(private readonly centres: readonly SimulatedCentre[]) {}

  /** Model time (epoch ms). */
  now(instanceId?: string): number {
    return this.centre(instanceId).model.time;
  }

  /** Queues, routing profiles, statuses and agents as the list APIs report them. */
  resources(instanceId?: string): {
    queues: { id: string; name: string; type: string }[];
    routingProfiles: { id: string; name: string }[];
    statuses: { id: string; name: string; type: string }[];
    agents: { id: string; username: string; routingProfileId: string }[];
    /** Hours of operation, with their override counts, and each STANDARD queue's hours. */
    hours: { id: string; name: string; timeZone: string; overrides: number }[];
    queueHours: { queueId: string; hoursId: string }[];
  } {
    const { catalog } = this.centre(instanceId);
    return {
      queues: catalog.queues.filter((q) => !q.deleted).map((q) => ({ id: q.id, name: q.name, type: q.type })),
      routingProfiles: catalog.routingProfiles.map((p) => ({ id: p.id, name: p.name })),
      statuses: catalog.statuses.map((s) => ({ id: s.id, name: s.name, type: s.type })),
      agents: catalog.agents
        .filter((a) => !a.removed)
        .map((a) => ({
          id: a.id,
          username: a.username,
          routingProfileId: catalog.routingProfiles[a.routingProfileIndex]?.id ?? '',
        })),
      hours: catalog.hours.map((h) => ({
        id: h.id,
        name: h.name,
        timeZone: h.timeZone,
        overrides: h.overrides.length,
      })),
      queueHours: catalog.queues
        .filter((q) => !q.deleted && q.type === 'STANDARD')
        .map((q) => ({ queueId: q.id, hoursId: catalog.hours[q.hoursIndex]?.id ?? '' })),
    };
  }

  /** Whether a queue's hours of operation are open at `ms` (its time zone, overrides applied). */
  queueOpen(queueId: string, ms: number, instanceId?: string): boolean {
    const { catalog } = this.centre(instanceId);
    const q = catalog.queueIndex(queueId);
    if (q === undefined) throw new RangeError(`unknown queue ${queueId}`);
    return catalog.queueOpen(q, ms);
  }

  /** Current metrics of one queue and channel (OLDEST_CONTACT_AGE in seconds, as when grouped). */
  currentMetrics(queueId: string, channel: Channel, instanceId?: string): Record<string, number | null> {
    const centre = this.centre(instanceId);
    const q = centre.catalog.queueIndex(queueId);
    if (q === undefined) throw new RangeError(`unknown queue ${queueId}`);
    return currentValues(
      centre,
      { queues: [q], channels: [channel], profiles: null, dimensions: {} },
      true,
      true,
    );
  }

  /** Agents online by category over the whole instance. */
  agentStates(instanceId?: string): Record<string, number> {
    const centre = this.centre(instanceId);
    const counts: Record<string, number> = {};
    for (const agent of centre.catalog.agents) {
      const c = centre.model.category(agent);
      counts[c] = (counts[c] ?? 0) + 1;
    }
    return counts;
  }

  /** GetCurrentUserData entries of every logged-in agent. */
  currentUserData(instanceId?: string): Record<string, unknown>[] {
    const centre = this.centre(instanceId);
    return centre.catalog.agents.filter((a) => isReported(centre, a)).map((a) => userData(centre, a));
  }

  /** Cumulative flow per queue and channel. */
  flows(instanceId?: string): QueueFlow[] {
    const { catalog, model } = this.centre(instanceId);
    return catalog.queues.flatMap((q) =>
      CHANNELS.map((channel, c) => {
        const s = streamKey(q.index, c);
        const t = model.totals[s] ?? { queued: 0, handled: 0, abandoned: 0, transferredOutFromQueue: 0 };
        return {
          queueId: q.id,
          channel,
          ...t,
          waiting: model.waiting[s]?.length ?? 0,
          withAgent: model.withAgent[s] ?? 0,
        };
      }),
    );
  }

  /** A v1 metric for one queue and channel over [fromMs, toMs) (5-minute boundaries). */
  historicalV1(
    metric: string,
    queueId: string,
    channel: Channel,
    fromMs: number,
    toMs: number,
    threshold = 0,
    instanceId?: string,
  ): number | undefined {
    const centre = this.centre(instanceId);
    const group = v1Groups(centre, [queueId], [channel], ['QUEUE', 'CHANNEL'])[0];
    if (!group) return undefined;
    const r = centre.model.history.queue5.sum(fromMs, toMs, group.keys);
    const time = centre.model.history.profileTime5.sum(fromMs, toMs, group.profiles).values;
    return v1Value(metric, r, time, threshold);
  }

  /** A v2 metric for one queue and channel over [fromMs, toMs). */
  historicalV2(
    metric: string,
    queueId: string,
    channel: Channel,
    fromMs: number,
    toMs: number,
    threshold = 0,
    instanceId?: string,
  ): number | undefined {
    const centre = this.centre(instanceId);
    const q = centre.catalog.queueIndex(queueId);
    if (q === undefined) return undefined;
    const r = centre.model.history.queueSum(fromMs, toMs, new Set([streamKey(q, CHANNELS.indexOf(channel))]));
    return v2Value(metric, r, null, { seconds: threshold, inclusive: false });
  }

  /** A v2 metric for one agent (all channels) over [fromMs, toMs). */
  agentV2(
    metric: string,
    agentId: string,
    fromMs: number,
    toMs: number,
    threshold = 0,
    instanceId?: string,
  ): number | undefined {
    const centre = this.centre(instanceId);
    const a = centre.catalog.agentIndex(agentId);
    if (a === undefined) return undefined;
    const keys = new Set(CHANNELS.map((_, c) => a * CHANNELS.length + c));
    const r = centre.model.history.agentContacts.sum(fromMs, toMs, keys);
    const t = centre.model.history.agentTime.sum(fromMs, toMs, new Set([a])).values;
    return v2Value(metric, r, t, { seconds: threshold, inclusive: false });
  }

  /**
   * Connect's definitions over one queue and channel, computed from the completed contact records that
   * disconnected in [fromMs, toMs) (needs the simulator's `contactRecords` option): the independent
   * answer the stored numbers must equal. Thresholds compare LT, in seconds.
   */
  fromContactRecords(
    queueId: string,
    channel: Channel,
    fromMs: number,
    toMs: number,
    thresholds: readonly number[],
    instanceId?: string,
  ): RecordTotals {
    const centre = this.centre(instanceId);
    const records = centre.model.records;
    if (!records) throw new Error('start the simulator with contactRecords: true to keep contact records');
    const q = centre.catalog.queueIndex(queueId);
    if (q === undefined) throw new RangeError(`unknown queue ${queueId}`);
    const selected = records.select(q, channel, fromMs, toMs);
    const queued = selected.filter((r) => r.queueSeconds !== null);
    const handled = selected.filter((r) => r.outcome === 'HANDLED' || r.outcome === 'OUTBOUND');
    const answered = selected.filter((r) => r.outcome === 'HANDLED');
    const handleSeconds = (r: ContactRecord) =>
      r.interactionSeconds + r.holdSeconds + r.afterContactWorkSeconds;
    const sum = (list: ContactRecord[], f: (r: ContactRecord) => number) =>
      list.reduce((n, r) => n + f(r), 0);
    return {
      queued: queued.length,
      handled: handled.length,
      answered: answered.length,
      abandoned: selected.filter((r) => r.outcome === 'ABANDONED').length,
      queueAnswerSeconds: sum(answered, (r) => r.queueSeconds ?? 0),
      contactHandleSeconds: sum(handled, handleSeconds),
      averageHandleTimeSeconds: sum(handled, (r) => handleSeconds(r) - r.customStatusSeconds),
      removedWithin: Object.fromEntries(
        thresholds.map((t) => [t, queued.filter((r) => (r.queueSeconds ?? 0) < t).length]),
      ),
    };
  }

  private centre(instanceId?: string): SimulatedCentre {
    const centre = instanceId
      ? this.centres.find((c) => c.instance.instanceId === instanceId)
      : this.centres[0];
    if (!centre) throw new RangeError(`unknown instance ${instanceId ?? '(none)'}`);
    return centre;
  }
}
