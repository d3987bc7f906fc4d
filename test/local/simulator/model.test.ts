import { Catalog } from '../../../local/simulator/catalog';
import { ContactCentre } from '../../../local/simulator/engine';
import { GroundTruth } from '../../../local/simulator/ground-truth';
import { LiveView } from '../../../local/simulator/live';
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

  test('counts every online agent in exactly one of available, on contact, ACW, non-productive or error', () => {
    for (const q of queues) {
      const m = truth.currentMetrics(q.id, 'VOICE');
      expect(m.AGENTS_ONLINE).toBe(
        (m.AGENTS_AVAILABLE ?? 0) +
          (m.AGENTS_ON_CONTACT ?? 0) +
          (m.AGENTS_AFTER_CONTACT_WORK ?? 0) +
          (m.AGENTS_NON_PRODUCTIVE ?? 0) +
          (m.AGENTS_ERROR ?? 0),
      );
    }
    for (const s of samples) expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(20);
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
      ['HANDLE_TIME', 'CONTACTS_HANDLED', 'SUM_HANDLE_TIME'],
      ['AFTER_CONTACT_WORK_TIME', 'CONTACTS_HANDLED', 'SUM_AFTER_CONTACT_WORK_TIME'],
      ['HOLD_TIME', 'CONTACTS_PUT_ON_HOLD', 'SUM_HOLD_TIME'],
      ['INTERACTION_TIME', 'CONTACTS_HANDLED', 'SUM_INTERACTION_TIME'],
    ] as const;
    let checked = 0;
    const end = DAY_START + 24 * 3_600_000;
    for (let from = end - 6 * 3_600_000; from < end; from += 900_000) {
      for (const q of queues) {
        for (const channel of CHANNELS) {
          for (const [avg, count, sum] of pairs) {
            const a = truth.historicalV1(avg, q.id, channel, from, from + 900_000);
            const n = truth.historicalV2(count, q.id, channel, from, from + 900_000) ?? 0;
            const s = truth.historicalV2(sum, q.id, channel, from, from + 900_000) ?? 0;
            if (a === undefined) {
              expect(n).toBe(0);
              continue;
            }
            expect(Math.abs(a * n - s)).toBeLessThanOrEqual(0.005 * n + 1e-9);
            checked += 1;
          }
          expect(truth.historicalV1('CONTACTS_QUEUED', q.id, channel, from, from + 900_000)).toBe(
            truth.historicalV2('CONTACTS_QUEUED', q.id, channel, from, from + 900_000),
          );
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
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
