import type { Feed } from '../../../../lambdas/feeds';
import { type ActivityProbe, PollGate } from '../../../../lambdas/shared/collector/poll-gate';
import {
  parseRuntimeConfig,
  type RuntimeConfigInput,
} from '../../../../lambdas/shared/config/runtime-config';
import type { ConnectGateway } from '../../../../lambdas/shared/connect/gateway';
import type { InstanceOpenPeriods } from '../../../../lambdas/shared/connect/open-periods';
import { silentLog } from '../../../../lambdas/shared/runtime/logger';

const instance = {
  instanceId: '00000000-0000-4000-8000-000000000001',
  instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000001',
  region: 'us-east-1',
  clientName: 'c1',
  environment: 'test',
};
const MIN = 60_000;
// A day in UTC: open 08:00-20:00 on 2026-11-23 and 2026-11-24.
const DAY = Date.parse('2026-11-23T00:00:00Z');
const at = (hhmm: string, day = 0) => DAY + day * 1440 * MIN + Date.parse(`1970-01-01T${hhmm}:00Z`);
const PERIODS: InstanceOpenPeriods = {
  queueIds: ['q1'],
  periods: [
    [at('08:00'), at('20:00')],
    [at('08:00', 1), at('20:00', 1)],
  ],
  coversFrom: at('00:00', -1),
  coversUntil: at('00:00', 3),
  calls: 2,
};

/** A gate over fixed open periods, a scripted probe, and a gateway that only counts calls. */
function harness(
  input: Partial<RuntimeConfigInput> = {},
  read: () => Promise<InstanceOpenPeriods> = async () => PERIODS,
) {
  const connect = { stats: { calls: 0, throttles: 0, byApi: {} } } as unknown as ConnectGateway;
  const probes: number[] = [];
  let activity = false;
  const probe: ActivityProbe = async () => {
    probes.push(1);
    connect.stats.calls += 1;
    return activity;
  };
  const reads = { count: 0 };
  const warnings: unknown[] = [];
  const config = parseRuntimeConfig({ instances: [instance], ...input });
  const gate = new PollGate({
    config,
    probe,
    log: { ...silentLog, warn: (...args: unknown[]) => warnings.push(args) },
    read: async () => {
      reads.count += 1;
      return read();
    },
  });
  return {
    gate,
    probes,
    reads,
    warnings,
    setActivity: (a: boolean) => {
      activity = a;
    },
    decide: (feed: Feed, ms: number) => gate.decide(feed, config.instances[0]!, connect, ms),
  };
}

describe('the poll gate of a real-time feed', () => {
  it('runs every tick while open, from the margin before opening to the margin after closing', async () => {
    const h = harness();
    expect(await h.decide('current_metrics', at('07:45'))).toMatchObject({ run: true, why: 'open' });
    expect(await h.decide('current_metrics', at('12:00'))).toMatchObject({ run: true, why: 'open' });
    expect(await h.decide('current_metrics', at('20:14'))).toMatchObject({ run: true });
    expect(h.probes).toHaveLength(0);
    // 07:44:50 is outside 15 minutes before 08:00: closed; 07:40:00, the first tick of a 5-minute slot
    // of the clock, probes; 07:44:50 does not.
    expect((await h.decide('current_metrics', at('07:40'))).run).toBe(false);
    expect((await h.decide('current_metrics', at('07:44') + 50_000)).run).toBe(false);
    expect(h.probes).toHaveLength(1);
  });

  it('closed and idle, asks Connect once every probeMinutes and writes nothing', async () => {
    const h = harness();
    const ticks = Array.from({ length: 61 }, (_, i) => at('22:00') + i * 10_000); // 10 minutes of ticks
    const decisions = [];
    for (const t of ticks) decisions.push(await h.decide('current_metrics', t));
    expect(decisions.every((d) => !d.run)).toBe(true);
    // 22:00, 22:05 and 22:10: one probe each five minutes.
    expect(h.probes).toHaveLength(3);
    expect(decisions.filter((d) => d.why === 'closed, idle')).toHaveLength(3);
    expect(decisions.filter((d) => d.calls > 0)).toHaveLength(3);
  });

  it('a closed centre with activity polls every tick, then writes the idle snapshot once', async () => {
    const h = harness();
    expect((await h.decide('current_metrics', at('22:00'))).run).toBe(false);
    h.setActivity(true);
    // Not due for a probe yet: the activity is noticed at the next probe.
    expect((await h.decide('current_metrics', at('22:01'))).run).toBe(false);
    expect(await h.decide('current_metrics', at('22:05'))).toMatchObject({ run: true, why: 'activity' });
    expect(await h.decide('current_metrics', at('22:05') + 10_000)).toMatchObject({
      run: true,
      why: 'activity',
    });
    h.setActivity(false);
    expect(await h.decide('current_metrics', at('22:05') + 20_000)).toMatchObject({
      run: true,
      why: 'closing snapshot',
    });
    expect(await h.decide('current_metrics', at('22:05') + 30_000)).toMatchObject({
      run: false,
      why: 'closed',
    });
    expect(h.probes).toHaveLength(4);
  });

  it('probes on the first tick of each slot of the clock, for each feed, in any container', async () => {
    const h = harness();
    const other = harness();
    await h.decide('current_metrics', at('22:00'));
    expect(await h.decide('current_users', at('22:00'))).toMatchObject({ run: false, why: 'closed, idle' });
    // Another container (a gate of its own) taking the next ticks does not probe again in the slot.
    expect(await other.decide('current_metrics', at('22:00') + 10_000)).toMatchObject({
      run: false,
      why: 'closed',
    });
    expect(h.probes).toHaveLength(2);
    expect(other.probes).toHaveLength(0);
  });

  it('polls as if open when the hours cannot be read, and asks again 5 minutes later', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const h = harness({}, async () => {
      throw denied;
    });
    expect(await h.decide('current_metrics', at('22:00'))).toMatchObject({ run: true, why: 'hours unknown' });
    expect(await h.decide('current_metrics', at('22:04'))).toMatchObject({ run: true, why: 'hours unknown' });
    expect(h.reads.count).toBe(1);
    expect(JSON.stringify(h.warnings)).toContain('GetEffectiveHoursOfOperations');
    await h.decide('current_metrics', at('22:05'));
    expect(h.reads.count).toBe(2);
  });

  it('keeps the periods read before when a later read fails, while they still cover now', async () => {
    let fail = false;
    const h = harness({}, async () => {
      if (fail) throw new Error('ThrottlingException');
      return PERIODS;
    });
    expect((await h.decide('current_metrics', at('21:00'))).run).toBe(false);
    fail = true;
    // An hour on, the read fails: still closed by the periods read at 21:00.
    expect(await h.decide('current_metrics', at('22:00'))).toMatchObject({ run: false });
    expect(h.reads.count).toBe(2);
    fail = false;
    await h.decide('current_metrics', at('22:05'));
    expect(h.reads.count).toBe(3);
  });

  it('reads the open periods again each hour and when the time leaves what they cover', async () => {
    const h = harness();
    await h.decide('current_metrics', at('10:00'));
    await h.decide('current_metrics', at('10:59'));
    expect(h.reads.count).toBe(1);
    await h.decide('current_metrics', at('11:00'));
    expect(h.reads.count).toBe(2);
  });

  it('runs always when pollByHours is false', async () => {
    const h = harness({ openingHours: { pollByHours: false } });
    expect(await h.decide('current_metrics', at('03:00'))).toEqual({ run: true, why: 'always', calls: 0 });
    expect(h.reads.count).toBe(0);
  });
});

describe('the poll gate of a scheduled feed', () => {
  it('runs while open since the previous run, then once per closed batch, and tells each run what it skipped', async () => {
    const h = harness();
    const runs: { at: string; why: string; catchUpFrom?: string }[] = [];
    // Historical every 5 minutes, 1 minute past: from 19:56 on day 0 to 08:06 on day 1.
    for (let t = at('19:56'); t <= at('08:06', 1); t += 5 * MIN) {
      const d = await h.decide('historical_metrics', t);
      if (d.run) {
        runs.push({
          at: new Date(t).toISOString().slice(0, 16),
          why: d.why,
          ...(d.catchUpFrom ? { catchUpFrom: d.catchUpFrom.toISOString().slice(0, 16) } : {}),
        });
      }
    }
    expect(runs).toEqual([
      // 20:16 still reads the intervals up to closing (open in its window less the margin).
      { at: '2026-11-23T19:56', why: 'open' },
      { at: '2026-11-23T20:01', why: 'open' },
      { at: '2026-11-23T20:06', why: 'open' },
      { at: '2026-11-23T20:11', why: 'open' },
      { at: '2026-11-23T20:16', why: 'open' },
      // The first run of each 4-hour block of the UTC day.
      { at: '2026-11-24T00:01', why: 'batch', catchUpFrom: '2026-11-23T20:21' },
      { at: '2026-11-24T04:01', why: 'batch', catchUpFrom: '2026-11-24T00:06' },
      // 15 minutes before opening.
      { at: '2026-11-24T07:46', why: 'open', catchUpFrom: '2026-11-24T04:06' },
      { at: '2026-11-24T07:51', why: 'open' },
      { at: '2026-11-24T07:56', why: 'open' },
      { at: '2026-11-24T08:01', why: 'open' },
      { at: '2026-11-24T08:06', why: 'open' },
    ]);
    expect(h.probes).toHaveLength(0);
  });

  it('with a closed batch of 12 hours, runs once in a closed night', async () => {
    const h = harness({ openingHours: { closedBatchMinutes: 720 } });
    let count = 0;
    for (let t = at('21:00'); t < at('07:00', 1); t += 15 * MIN)
      if ((await h.decide('metadata', t)).run) count += 1;
    expect(count).toBe(1); // 00:00 only: 12:00 is open
  });
});
