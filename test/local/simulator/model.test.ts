import { Catalog } from '../../../local/simulator/catalog';
import { ContactCentre } from '../../../local/simulator/engine';
import { GroundTruth } from '../../../local/simulator/ground-truth';
import { addCounts, LiveView, zeroCounts } from '../../../local/simulator/live';
import { CHANNELS } from '../../../local/simulator/types';
import { DAY_START } from '../../support/simulator';

const instance = {
  instanceId: '9f0b5c1e-7a53-4a2d-9d0e-3b1c2a4e5f60',
  region: 'us-east-1',
  accountId: '123456789012',
  arn: 'arn:aws:connect:us-east-1:123456789012:instance/9f0b5c1e-7a53-4a2d-9d0e-3b1c2a4e5f60',
};

function runDay(seed: number, profile: 'follow-the-sun' | 'single-site' = 'follow-the-sun') {
  const catalog = new Catalog({ instance, seed, queues: 5, agents: 20, profile, nowMs: DAY_START });
  const model = new ContactCentre(catalog, seed, DAY_START, 93 * 86_400_000);
  const centre = { instance, catalog, model, live: new LiveView(model) };
  return { centre, truth: new GroundTruth([centre]) };
}

describe('contact-centre model over a simulated day', () => {
  const { centre, truth } = runDay(7);
  const samples: Record<string, number>[] = [];
  for (let h = 1; h <= 24; h += 1) {
    centre.model.advanceTo(DAY_START + h * 3_600_000);
    samples.push(truth.agentStates());
  }
  const queues = truth.resources().queues.filter((q) => q.type === 'STANDARD');

  test("counts real-time agents by Connect's definitions: on contact includes ACW, staffed leaves out custom statuses, ACW counts contacts", () => {
    const { catalog, model, live } = runDay(11).centre;
    let acwOnlyAgents = 0;
    let acwContacts = 0;
    for (let h = 1; h <= 12; h += 1) {
      model.advanceTo(DAY_START + 8 * 3_600_000 + h * 600_000);
      const total = zeroCounts();
      for (const p of catalog.routingProfiles) addCounts(total, live.profile(p.index));
      const agents = catalog.agents.filter((a) => model.category(a) !== 'OFFLINE');
      const acwOnly = agents.filter(
        (a) => a.contacts.length > 0 && a.contacts.every((c) => c.phase === 'ACW'),
      );
      const inAcw = agents.flatMap((a) => a.contacts.filter((c) => c.phase === 'ACW'));
      const custom = agents.filter((a) => catalog.statuses[a.statusIndex]?.type === 'CUSTOM');

      expect(total.onCall).toBe(total.onContact);
      expect(total.onContact).toBeGreaterThanOrEqual(acwOnly.length);
      expect(total.afterContactWork).toBe(inAcw.length);
      expect(total.staffed).toBe(total.online - custom.length);
      expect(total.available).toBe(agents.filter((a) => model.category(a) === 'AVAILABLE').length);
      for (const a of agents.filter((x) => model.category(x) === 'AVAILABLE')) expect(a.contacts).toEqual([]);
      acwOnlyAgents += acwOnly.length;
      acwContacts += inAcw.length;
    }
    expect(acwOnlyAgents).toBeGreaterThan(0); // the comparison covers agents only in ACW
    expect(acwContacts).toBeGreaterThan(0);
  });

  test('keeps agents online at every hour of a follow-the-sun day', () => {
    for (const s of samples) expect(20 - (s.OFFLINE ?? 0)).toBeGreaterThan(0);
  });

  test('accounts for every queued contact as handled, abandoned, transferred out, waiting or with an agent', () => {
    let queued = 0;
    for (const f of truth.flows()) {
      expect(f.queued).toBe(f.handled + f.abandoned + f.transferredOutFromQueue + f.waiting + f.withAgent);
      queued += f.queued;
    }
    expect(queued).toBeGreaterThan(500);
  });

  test('makes v1 averages times v2 counts equal the v2 sums for every 15-minute interval', () => {
    const pairs = [
      ['AFTER_CONTACT_WORK_TIME', 'CONTACTS_HANDLED', 'SUM_AFTER_CONTACT_WORK_TIME'],
      ['HOLD_TIME', 'CONTACTS_PUT_ON_HOLD', 'SUM_HOLD_TIME'],
      ['INTERACTION_TIME', 'CONTACTS_HANDLED', 'SUM_INTERACTION_TIME'],
    ] as const;
    let checked = 0;
    let customStatusIntervals = 0;
    const end = DAY_START + 24 * 3_600_000;
    for (let from = end - 6 * 3_600_000; from < end; from += 900_000) {
      for (const q of queues) {
        for (const channel of CHANNELS) {
          const v1 = (metric: string) => truth.historicalV1(metric, q.id, channel, from, from + 900_000);
          const v2 = (metric: string) => truth.historicalV2(metric, q.id, channel, from, from + 900_000);
          for (const [avg, count, sum] of pairs) {
            const a = v1(avg);
            const n = v2(count) ?? 0;
            const s = v2(sum) ?? 0;
            if (a === undefined) {
              expect(n).toBe(0);
              continue;
            }
            expect(Math.abs(a * n - s)).toBeLessThanOrEqual(0.005 * n + 1e-9);
            checked += 1;
          }
          // Average handle time leaves out custom-status time, which contact handle time keeps.
          expect(v1('HANDLE_TIME')).toBe(v2('AVG_HANDLE_TIME'));
          const aht = v2('AVG_HANDLE_TIME');
          const handled = v2('CONTACTS_HANDLED') ?? 0;
          if (aht !== undefined) {
            expect(v2('SUM_HANDLE_TIME') ?? 0).toBeGreaterThanOrEqual(aht * handled - 0.005 * handled);
            if ((v2('SUM_HANDLE_TIME') ?? 0) > aht * handled + 0.005 * handled) customStatusIntervals += 1;
          }
          expect(v1('CONTACTS_QUEUED')).toBe(v2('CONTACTS_QUEUED'));
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(customStatusIntervals).toBeGreaterThan(0);
  });

  test("answers Connect's definitions: outbound contacts are handled but never queued or answered, service level counts every contact removed within X", () => {
    let outbound = 0;
    let movedWithin = 0;
    const end = DAY_START + 24 * 3_600_000;
    for (let from = end - 6 * 3_600_000; from < end; from += 900_000) {
      for (const q of queues) {
        for (const channel of CHANNELS) {
          const v2 = (metric: string, t = 0) =>
            truth.historicalV2(metric, q.id, channel, from, from + 900_000, t);
          const handled = v2('CONTACTS_HANDLED') ?? 0;
          const answered = v2('SUM_CONTACTS_ANSWERED_IN_X', 604800) ?? 0;
          outbound += handled - answered;
          expect(handled).toBeGreaterThanOrEqual(answered);
          const queued = v2('CONTACTS_QUEUED') ?? 0;
          const removed = v2('CONTACTS_REMOVED_FROM_QUEUE_IN_X', 60) ?? 0;
          const a = v2('SUM_CONTACTS_ANSWERED_IN_X', 60) ?? 0;
          const b = v2('SUM_CONTACTS_ABANDONED_IN_X', 60) ?? 0;
          expect(removed).toBeGreaterThanOrEqual(a + b);
          movedWithin += removed - a - b;
          const sl = v2('SERVICE_LEVEL', 60);
          if (queued === 0) expect(sl).toBeUndefined();
          else expect(sl).toBeCloseTo((100 * removed) / queued, 2);
          const qat = v2('AVG_QUEUE_ANSWER_TIME');
          if (answered === 0) expect(qat).toBeUndefined();
          else expect(qat).toBeDefined();
        }
      }
    }
    expect(outbound).toBeGreaterThan(0);
    expect(movedWithin).toBeGreaterThan(0);
  });

  test('splits online agent time into idle, contact, non-productive and error time', () => {
    const agent = truth.resources().agents[0]?.id ?? '';
    const from = DAY_START;
    const to = DAY_START + 24 * 3_600_000;
    const online = truth.agentV2('SUM_ONLINE_TIME_AGENT', agent, from, to) ?? 0;
    const parts = [
      'SUM_IDLE_TIME_AGENT',
      'SUM_CONTACT_TIME_AGENT',
      'SUM_NON_PRODUCTIVE_TIME_AGENT',
      'SUM_ERROR_STATUS_TIME_AGENT',
    ]
      .map((m) => truth.agentV2(m, agent, from, to) ?? 0)
      .reduce((a, b) => a + b, 0);
    expect(online).toBeGreaterThan(6 * 3600);
    expect(parts).toBe(online);
  });

  test('gives the same numbers for the same seed and different numbers for another seed', () => {
    const again = runDay(7);
    again.centre.model.advanceTo(DAY_START + 24 * 3_600_000);
    expect(again.truth.flows()).toEqual(truth.flows());
    const seven = runDay(7);
    const eight = runDay(8);
    seven.centre.model.advanceTo(DAY_START + 3 * 3_600_000);
    eight.centre.model.advanceTo(DAY_START + 3 * 3_600_000);
    expect(eight.truth.flows().map((f) => f.queued)).not.toEqual(seven.truth.flows().map((f) => f.queued));
  });

  test('closes the single-site centre at night', () => {
    const site = runDay(7, 'single-site');
    site.centre.model.advanceTo(DAY_START + 3 * 3_600_000);
    expect(site.truth.flows().reduce((n, f) => n + f.queued, 0)).toBe(0);
    site.centre.model.advanceTo(DAY_START + 12 * 3_600_000);
    expect(site.truth.flows().reduce((n, f) => n + f.queued, 0)).toBeGreaterThan(0);
  });
});
