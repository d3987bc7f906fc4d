import { cadenceSeconds, FEED_TABLE, type Feed } from '../../feeds';
import type { InstanceConfig, RuntimeConfig } from '../config/runtime-config';
import type { ConnectGateway } from '../connect/gateway';
import { type InstanceOpenPeriods, openDuring, readOpenPeriods } from '../connect/open-periods';
import type { Log } from '../runtime/logger';
import { describeError } from '../runtime/retry';

/**
 * Polling by the clock of the centre: before each run of an instance, whether to run it, decided from
 * Connect and the container's memory only, never the database (a decision that read the database would
 * wake it every tick and it would never pause).
 *
 * - Real-time feeds (the polling loop) run at full cadence while the instance is open, widened by
 *   `openingHours.marginMinutes` either side. Closed, one tick every `openingHours.probeMinutes` asks
 *   Connect whether anyone is there (contacts in queue, agents online: the `probe`); activity keeps the
 *   feed running every tick, and its end is written once more (the snapshot that shows it idle). A
 *   closed, idle tick writes nothing. Probe ticks are the first of each slot of the clock, the same in
 *   every container; activity is remembered by the container that found it.
 * - Scheduled feeds (historical, metadata) run on their cadence while the instance was open at any time
 *   since the previous run (with the margin); closed, only the first run of each
 *   `openingHours.closedBatchMinutes` block of the UTC day runs. A run that follows skipped ones is told
 *   since when (`catchUpFrom`), so the historical re-reads due in the skipped runs are made; the
 *   watermark makes the rest whole.
 * - Hours that cannot be read (a client role without the hours actions, an error) mean open: polling
 *   never stops on a guess (periods read before that still cover now are kept); the read is tried
 *   again 5 minutes later.
 *
 * Each instance's open periods are read from Connect (open-periods.ts) at most once per
 * `refreshMinutes` per container, and again when the time leaves what they cover.
 */

/** Whether a run goes ahead, and why. */
export type PollDecision =
  | {
      readonly run: true;
      readonly why: 'always' | 'open' | 'hours unknown' | 'activity' | 'closing snapshot' | 'batch';
      /** The skipped runs began here: the run catches up on what they would have read. */
      readonly catchUpFrom?: Date;
      /** Connect calls the decision took (open periods, probe). */
      readonly calls: number;
    }
  | { readonly run: false; readonly why: 'closed' | 'closed, idle'; readonly calls: number };

/** Asks Connect whether an instance has activity now: contacts in queue or agents online. */
export type ActivityProbe = (
  connect: ConnectGateway,
  instanceId: string,
  queueIds: readonly string[],
) => Promise<boolean>;

export interface PollGateOptions {
  readonly config: RuntimeConfig;
  readonly probe: ActivityProbe;
  readonly log: Log;
  /** How open periods are read (tests). @default readOpenPeriods */
  readonly read?: (
    connect: ConnectGateway,
    instanceId: string,
    nowMs: number,
  ) => Promise<InstanceOpenPeriods>;
  /** How long open periods are kept, in minutes. @default 60 */
  readonly refreshMinutes?: number;
}

const MINUTE = 60_000;
/** After a failed read of the open periods, the next read is tried this much later. */
const RETRY_AFTER_FAILURE_MS = 5 * MINUTE;

/** The poll gate of one container (a Lambda function's, or the local runner's for every feed). */
export class PollGate {
  private readonly hours = new Map<string, { value: InstanceOpenPeriods | null; readAt: number }>();
  private readonly active = new Set<string>();

  constructor(private readonly options: PollGateOptions) {}

  /** Whether `feed` runs for `instance` at `nowMs` (see the module comment). */
  async decide(
    feed: Feed,
    instance: InstanceConfig,
    connect: ConnectGateway,
    nowMs: number,
  ): Promise<PollDecision> {
    const { openingHours } = this.options.config;
    if (!openingHours.pollByHours) return { run: true, why: 'always', calls: 0 };
    const before = connect.stats.calls;
    const calls = () => connect.stats.calls - before;
    const hours = await this.periodsOf(instance.instanceId, connect, nowMs);
    if (!hours) return { run: true, why: 'hours unknown', calls: calls() };
    const margin = openingHours.marginMinutes * MINUTE;
    const key = `${feed}\u0000${instance.instanceId}`;

    if (FEED_TABLE[feed].schedule.kind === 'loop') {
      if (openDuring(hours.periods, nowMs - margin, nowMs + margin)) {
        this.active.delete(key);
        return { run: true, why: 'open', calls: calls() };
      }
      const wasActive = this.active.has(key);
      if (!wasActive && !this.isProbeTick(nowMs)) return { run: false, why: 'closed', calls: calls() };
      if (await this.options.probe(connect, instance.instanceId, hours.queueIds)) {
        this.active.add(key);
        return { run: true, why: 'activity', calls: calls() };
      }
      this.active.delete(key);
      return wasActive
        ? { run: true, why: 'closing snapshot', calls: calls() }
        : { run: false, why: 'closed, idle', calls: calls() };
    }

    const cadence = cadenceSeconds(feed, this.options.config.cadences) * 1000;
    const catchUp = this.skippedSince(hours, nowMs, cadence, margin);
    const withCatchUp = catchUp === undefined ? {} : { catchUpFrom: new Date(catchUp) };
    if (this.openSincePreviousRun(hours, nowMs, cadence, margin)) {
      return { run: true, why: 'open', calls: calls(), ...withCatchUp };
    }
    if (this.isBatchRun(nowMs, cadence)) return { run: true, why: 'batch', calls: calls(), ...withCatchUp };
    return { run: false, why: 'closed', calls: calls() };
  }

  /**
   * The first tick of each `probeMinutes` slot of the clock: the same ticks whichever container takes
   * them (the loop's ticks of a fleet land on any warm container), so an instance is probed once a slot.
   */
  private isProbeTick(nowMs: number): boolean {
    const slot = this.options.config.openingHours.probeMinutes * MINUTE;
    const tick = this.options.config.cadences.realtimeSeconds * 1000;
    return Math.floor(nowMs / slot) !== Math.floor((nowMs - tick) / slot);
  }

  private openSincePreviousRun(hours: InstanceOpenPeriods, nowMs: number, cadence: number, margin: number) {
    return openDuring(hours.periods, nowMs - cadence - margin, nowMs + margin);
  }

  /** The first run of each closed-batch block of the UTC day (a cadence longer than the block: every run). */
  private isBatchRun(nowMs: number, cadence: number): boolean {
    const block = this.options.config.openingHours.closedBatchMinutes * MINUTE;
    return Math.floor(nowMs / block) !== Math.floor((nowMs - cadence) / block);
  }

  /**
   * Where the runs skipped just before `nowMs` began (the earliest skipped run's time), undefined when the
   * previous run ran; looks back no further than the periods cover.
   */
  private skippedSince(hours: InstanceOpenPeriods, nowMs: number, cadence: number, margin: number) {
    let earliest: number | undefined;
    for (let t = nowMs - cadence; t >= hours.coversFrom; t -= cadence) {
      if (this.openSincePreviousRun(hours, t, cadence, margin) || this.isBatchRun(t, cadence)) break;
      earliest = t;
    }
    return earliest;
  }

  private async periodsOf(
    instanceId: string,
    connect: ConnectGateway,
    nowMs: number,
  ): Promise<InstanceOpenPeriods | null> {
    const cached = this.hours.get(instanceId);
    const refresh = (this.options.refreshMinutes ?? 60) * MINUTE;
    const margin = this.options.config.openingHours.marginMinutes * MINUTE;
    if (
      cached &&
      nowMs - cached.readAt < refresh &&
      nowMs >= cached.readAt &&
      (!cached.value || nowMs + margin < cached.value.coversUntil)
    ) {
      return cached.value;
    }
    try {
      const value = await (this.options.read ?? readOpenPeriods)(connect, instanceId, nowMs);
      this.hours.set(instanceId, { value, readAt: nowMs });
      return value;
    } catch (error) {
      // Periods read before that still cover now are kept; else the hours are unknown, which means open.
      // Either way the read is tried again in a few minutes, not an hour.
      const kept = cached?.value && nowMs + margin < cached.value.coversUntil ? cached.value : null;
      this.options.log.warn('could not read hours of operation', {
        instanceId,
        error: describeError(error),
        polling: kept ? 'by the periods read before' : 'as if open',
        fix:
          error instanceof Error && error.name === 'AccessDeniedException'
            ? "redeploy the client account's read-only role to grant SearchQueues and GetEffectiveHoursOfOperations"
            : undefined,
      });
      this.hours.set(instanceId, { value: kept, readAt: nowMs - refresh + RETRY_AFTER_FAILURE_MS });
      return kept;
    }
  }
}
