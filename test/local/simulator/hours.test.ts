import {
  DescribeHoursOfOperationCommand,
  GetEffectiveHoursOfOperationsCommand,
  ListHoursOfOperationOverridesCommand,
  ListHoursOfOperationsCommand,
  SearchQueuesCommand,
} from '@aws-sdk/client-connect';
import { Catalog } from '../../../local/simulator/catalog';
import { ContactCentre } from '../../../local/simulator/engine';
import { GroundTruth } from '../../../local/simulator/ground-truth';
import { isOpenAt, type SimulatedHours } from '../../../local/simulator/hours';
import { LiveView } from '../../../local/simulator/live';
import { DAY_START, startTestSimulator } from '../../support/simulator';

/**
 * The simulator's hours of operation: Connect's model (ranges per day in a time zone, midnight as the
 * end of a day, overrides), the office-hours centre closing its queues and logging its agents off when
 * closed, and the hours APIs with Connect's shapes and validation.
 */

const instance = {
  instanceId: '9f0b5c1e-7a53-4a2d-9d0e-3b1c2a4e5f60',
  region: 'us-east-1',
  accountId: '123456789012',
  arn: 'arn:aws:connect:us-east-1:123456789012:instance/9f0b5c1e-7a53-4a2d-9d0e-3b1c2a4e5f60',
};
const HOUR = 3_600_000;

function hours(
  config: SimulatedHours['config'],
  overrides: SimulatedHours['overrides'] = [],
): SimulatedHours {
  return {
    id: 'h',
    arn: 'h',
    name: 'h',
    description: '',
    timeZone: 'America/New_York',
    config,
    overrides,
    lastModified: 0,
  };
}
const at = (iso: string) => Date.parse(iso);

describe('isOpenAt', () => {
  const office = hours(
    ['MONDAY', 'FRIDAY'].map((Day) => ({
      Day: Day as 'MONDAY',
      StartTime: { Hours: 8, Minutes: 0 },
      EndTime: { Hours: 20, Minutes: 0 },
    })),
  );

  test('ranges are local times of the zone, with the offset of the date (EST then EDT)', () => {
    expect(isOpenAt(office, at('2026-03-06T13:00:00Z'))).toBe(true); // Friday 08:00 EST
    expect(isOpenAt(office, at('2026-03-06T12:59:00Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-03-09T12:00:00Z'))).toBe(true); // Monday 08:00 EDT
    expect(isOpenAt(office, at('2026-03-10T00:00:00Z'))).toBe(false); // Monday 20:00 EDT
    expect(isOpenAt(office, at('2026-03-07T15:00:00Z'))).toBe(false); // Saturday
  });

  test('an end of 00:00 is midnight at the end of the day, and an end before the start runs past midnight', () => {
    const late = hours([
      { Day: 'FRIDAY', StartTime: { Hours: 18, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } },
      { Day: 'SATURDAY', StartTime: { Hours: 22, Minutes: 0 }, EndTime: { Hours: 2, Minutes: 30 } },
    ]);
    expect(isOpenAt(late, at('2026-11-28T04:59:00Z'))).toBe(true); // Friday 23:59 EST
    expect(isOpenAt(late, at('2026-11-28T05:00:00Z'))).toBe(false); // Saturday 00:00
    expect(isOpenAt(late, at('2026-11-29T07:00:00Z'))).toBe(true); // Sunday 02:00, Saturday's range
    expect(isOpenAt(late, at('2026-11-29T07:30:00Z'))).toBe(false); // Sunday 02:30
  });

  test("an override's own ranges replace the day's; none closes it", () => {
    const holiday = hours(office.config, [
      {
        id: 'o',
        name: 'Holiday',
        description: '',
        config: [],
        effectiveFrom: '2026-03-09',
        effectiveTill: '2026-03-09',
        lastModified: 0,
      },
    ]);
    expect(isOpenAt(holiday, at('2026-03-09T15:00:00Z'))).toBe(false);
    expect(isOpenAt(holiday, at('2026-03-06T15:00:00Z'))).toBe(true);
  });
});

describe('an office-hours centre over a week (New York, Monday to Friday 08:00-20:00)', () => {
  // DAY_START is 2026-11-20 00:00 UTC: Thursday 19:00 in New York.
  const catalog = new Catalog({
    instance,
    seed: 7,
    queues: 5,
    agents: 40,
    profile: 'office-hours',
    nowMs: DAY_START,
  });
  const model = new ContactCentre(catalog, 7, DAY_START, 93 * 86_400_000);
  const truth = new GroundTruth([{ instance, catalog, model, live: new LiveView(model) }]);
  const office = catalog.hours[0]!;
  const queued = () => truth.flows().reduce((n, f) => n + f.queued, 0);
  const samples: { at: number; open: boolean; online: number; arrived: number }[] = [];
  let before = queued();
  for (let h = 1; h <= 7 * 24; h += 1) {
    // Mid-hour: the shifts of the hour have been applied.
    model.advanceTo(DAY_START + h * HOUR + HOUR / 2);
    const states = truth.agentStates();
    const online = catalog.agents.length - (states.OFFLINE ?? 0);
    const now = queued();
    samples.push({
      at: DAY_START + h * HOUR + HOUR / 2,
      open: isOpenAt(office, DAY_START + h * HOUR + HOUR / 2),
      online,
      arrived: now - before,
    });
    before = now;
  }

  test('its hours: weekdays 08:00-20:00 New York time, closed at weekends and on its holidays', () => {
    expect(office.timeZone).toBe('America/New_York');
    expect(office.overrides.map((o) => o.name)).toEqual(
      expect.arrayContaining(["New Year's Day 2026", 'Christmas Day 2026', 'Company holiday']),
    );
    // The first Wednesday after the start (local date 2026-11-19): 2026-11-25.
    expect(office.overrides.find((o) => o.name === 'Company holiday')?.effectiveFrom).toBe('2026-11-25');
    expect(isOpenAt(office, at('2026-11-25T17:00:00Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-11-24T17:00:00Z'))).toBe(true);
  });

  test('no agent is online and no contact arrives while it is closed; agents work when it is open', () => {
    // A sample whose whole past hour was closed.
    const closed = samples.filter((s, i) => i > 0 && !s.open && !samples[i - 1]!.open);
    expect(closed.length).toBeGreaterThan(24 * 3);
    for (const s of closed)
      expect([new Date(s.at).toISOString(), s.online]).toEqual([new Date(s.at).toISOString(), 0]);
    expect(closed.reduce((n, s) => n + s.arrived, 0)).toBe(0);
    const open = samples.filter((s) => s.open);
    expect(open.every((s) => s.online > 0)).toBe(true);
    expect(open.reduce((n, s) => n + s.arrived, 0)).toBeGreaterThan(100);
  });
});

describe('the hours APIs through the SDK', () => {
  let env: Awaited<ReturnType<typeof startTestSimulator>>;
  beforeAll(async () => {
    env = await startTestSimulator({ profile: 'office-hours', timeZone: 'Europe/London' });
  });
  afterAll(() => env.sim.close());

  test('lists, describes and reads the overrides and effective hours with Connect shapes', async () => {
    const list = await env.client.send(new ListHoursOfOperationsCommand({ InstanceId: env.instanceId }));
    expect(list.HoursOfOperationSummaryList?.map((h) => h.Name)).toEqual(['Office hours', '24x7']);
    const id = list.HoursOfOperationSummaryList![0]!.Id!;
    const { HoursOfOperation: h } = await env.client.send(
      new DescribeHoursOfOperationCommand({ InstanceId: env.instanceId, HoursOfOperationId: id }),
    );
    expect(h).toMatchObject({ HoursOfOperationId: id, TimeZone: 'Europe/London' });
    expect(h?.Config).toHaveLength(5);
    expect(h?.Config?.[0]).toEqual({
      Day: 'MONDAY',
      StartTime: { Hours: 8, Minutes: 0 },
      EndTime: { Hours: 20, Minutes: 0 },
    });
    const overrides = await env.client.send(
      new ListHoursOfOperationOverridesCommand({ InstanceId: env.instanceId, HoursOfOperationId: id }),
    );
    const holiday = overrides.HoursOfOperationOverrideList?.find((o) => o.Name === 'Company holiday');
    expect(holiday).toMatchObject({ Config: [], EffectiveFrom: '2026-11-25', EffectiveTill: '2026-11-25' });
    const effective = await env.client.send(
      new GetEffectiveHoursOfOperationsCommand({
        InstanceId: env.instanceId,
        HoursOfOperationId: id,
        FromDate: '2026-11-24',
        ToDate: '2026-11-28',
      }),
    );
    expect(effective.TimeZone).toBe('Europe/London');
    expect(effective.EffectiveHoursOfOperationList?.map((d) => [d.Date, d.OperationalHours?.length])).toEqual(
      [
        ['2026-11-24', 1],
        ['2026-11-25', 0],
        ['2026-11-26', 1],
        ['2026-11-27', 1],
        ['2026-11-28', 0],
      ],
    );
    expect(effective.EffectiveOverrideHoursList).toEqual([
      {
        Date: '2026-11-25',
        OverrideHours: [{ OverrideName: 'Company holiday', OperationalStatus: 'CLOSED' }],
      },
    ]);
  });

  test('refuses what Connect refuses: a date not yyyy-MM-dd, MaxResults past 500, an unknown hours id', async () => {
    const id = (await env.client.send(new ListHoursOfOperationsCommand({ InstanceId: env.instanceId })))
      .HoursOfOperationSummaryList![0]!.Id!;
    await expect(
      env.client.send(
        new GetEffectiveHoursOfOperationsCommand({
          InstanceId: env.instanceId,
          HoursOfOperationId: id,
          FromDate: '24/11/2026',
          ToDate: '2026-11-28',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      env.client.send(new SearchQueuesCommand({ InstanceId: env.instanceId, MaxResults: 501 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      env.client.send(
        new DescribeHoursOfOperationCommand({ InstanceId: env.instanceId, HoursOfOperationId: 'nope' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test("SearchQueues gives each STANDARD queue's hours", async () => {
    const answer = await env.client.send(
      new SearchQueuesCommand({
        InstanceId: env.instanceId,
        SearchCriteria: { QueueTypeCondition: 'STANDARD' },
      }),
    );
    const office = (await env.client.send(new ListHoursOfOperationsCommand({ InstanceId: env.instanceId })))
      .HoursOfOperationSummaryList![0]!.Id;
    expect(answer.Queues).toHaveLength(5);
    expect(answer.ApproximateTotalCount).toBe(5);
    expect(new Set(answer.Queues?.map((q) => q.HoursOfOperationId))).toEqual(new Set([office]));
  });
});
