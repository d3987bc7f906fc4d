import {
  addDays,
  allWeekRanges,
  DAYS,
  dailyRanges,
  dayOf,
  isOpenAt,
  localTime,
  type SimulatedHours,
} from './hours';
import { Rng } from './random';
import {
  type Agent,
  type AgentStatus,
  CHANNELS,
  type HierarchyGroup,
  type Queue,
  type RoutingProfile,
  type Shift,
  type ShiftActivity,
  type SimulatedInstance,
} from './types';

/**
 * Which contact centre to build: `follow-the-sun` (three sites, open 24x7), `single-site` (open every
 * day 08:00-20:00 UTC) or `office-hours` (a 12x5 centre: Monday to Friday 08:00-20:00 in its time zone,
 * closed at weekends, on New Year's Day, Christmas Day and a company holiday).
 */
export const SIMULATOR_PROFILES = ['follow-the-sun', 'single-site', 'office-hours'] as const;
export type SimulatorProfile = (typeof SIMULATOR_PROFILES)[number];

/** Inputs of {@link buildCatalog}. */
export interface CatalogOptions {
  readonly instance: SimulatedInstance;
  readonly seed: number;
  readonly queues: number;
  readonly agents: number;
  readonly profile: SimulatorProfile;
  readonly nowMs: number;
  /**
   * The office-hours centre's time zone (IANA).
   * @default 'America/New_York'
   */
  readonly timeZone?: string;
}

/** Status names created for every instance, in index order. */
const STATUS_NAMES = ['Available', 'Offline', 'Lunch', 'Break', 'Training', 'Meeting'] as const;
/** Index of the routable Available status. */
export const AVAILABLE = 0;
/** Index of the Offline status. */
export const OFFLINE = 1;
const LUNCH = 2;
const BREAK = 3;
const TRAINING = 4;
const MEETING = 5;

const DEPARTMENTS = [
  'Sales',
  'Support',
  'Billing',
  'Claims',
  'Retention',
  'Technical',
  'Bookings',
  'Returns',
];
const FIRST = ['ana', 'ben', 'chloe', 'dev', 'emi', 'farah', 'gus', 'hana', 'ivan', 'jun', 'kofi', 'lea'];
const LAST = ['smith', 'tanaka', 'garcia', 'okafor', 'muller', 'silva', 'kim', 'novak', 'haddad', 'ng'];
const SITES_FOLLOW = [
  { name: 'APAC', shiftStart: 22 * 60 },
  { name: 'EMEA', shiftStart: 6 * 60 },
  { name: 'AMER', shiftStart: 14 * 60 },
];
const SITES_SINGLE = [{ name: 'HQ', shiftStart: 7 * 60 + 30 }];
/** Opening hours of the single-site profile, in UTC minutes of the day. */
export const SINGLE_SITE_HOURS = { open: 8 * 60, close: 20 * 60 } as const;
const SHIFT_MINUTES = 510;

/**
 * The instance's resources (queues, routing profiles, statuses, hierarchy, agents) with the indexes
 * routing needs. Built deterministically from the seed; mutable through the methods below.
 */
export class Catalog {
  readonly queues: Queue[] = [];
  readonly routingProfiles: RoutingProfile[] = [];
  readonly statuses: AgentStatus[] = [];
  readonly groups: HierarchyGroup[] = [];
  readonly agents: Agent[] = [];
  /** Hours of operation; every STANDARD queue uses one (`Queue.hoursIndex`). */
  readonly hours: SimulatedHours[] = [];
  /** For each stream (queueIndex * 3 + channel index): the routing profiles that take it. */
  readonly profilesByStream: number[][] = [];
  /** Parallel to profilesByStream: seconds a contact must wait before that profile's agents get it. */
  readonly delaysByStream: number[][] = [];
  private readonly queueById = new Map<string, number>();
  private readonly profileById = new Map<string, number>();
  private readonly agentById = new Map<string, number>();
  private readonly groupById = new Map<string, HierarchyGroup>();
  private readonly rng: Rng;

  constructor(readonly options: CatalogOptions) {
    this.rng = new Rng(options.seed ^ 0x5eed);
    build(this, options, this.rng);
  }

  /** Whether a queue's hours of operation are open at `ms` (cached per hours and model second). */
  queueOpen(queueIndex: number, ms: number): boolean {
    const hours = this.hours[this.queues[queueIndex]?.hoursIndex ?? 0];
    if (!hours) return true;
    const second = Math.floor(ms / 1000);
    const cached = this.openCache.get(hours.id);
    if (cached?.second === second) return cached.open;
    const open = isOpenAt(hours, ms);
    this.openCache.set(hours.id, { second, open });
    return open;
  }

  /** Whether the centre is open at `ms`: its first queue's hours (every STANDARD queue shares them). */
  centreOpen(ms: number): boolean {
    const first = this.queues.find((q) => q.type === 'STANDARD');
    return first ? this.queueOpen(first.index, ms) : true;
  }

  /** Hours of operation by id or ARN. */
  hoursById(idOrArn: string): SimulatedHours | undefined {
    const id = lastSegment(idOrArn);
    return this.hours.find((h) => h.id === id);
  }

  private readonly openCache = new Map<string, { second: number; open: boolean }>();

  /** Queue index for an id or ARN, or undefined. */
  queueIndex(idOrArn: string): number | undefined {
    return this.queueById.get(lastSegment(idOrArn));
  }

  /** Routing profile index for an id or ARN, or undefined. */
  profileIndex(idOrArn: string): number | undefined {
    return this.profileById.get(lastSegment(idOrArn));
  }

  /** Agent index for an id or ARN, or undefined. */
  agentIndex(idOrArn: string): number | undefined {
    return this.agentById.get(lastSegment(idOrArn));
  }

  /** A hierarchy group by id. */
  group(id: string): HierarchyGroup | undefined {
    if (this.groupById.size !== this.groups.length) for (const g of this.groups) this.groupById.set(g.id, g);
    return this.groupById.get(id);
  }

  /** Registers a queue (used while building and by `mutate.addQueue`). */
  addQueue(
    name: string,
    type: 'STANDARD' | 'AGENT',
    weight: number,
    nowMs: number,
    agentIndex?: number,
  ): Queue {
    const id = this.rng.uuid();
    const index = this.queues.length;
    const arn = `${this.options.instance.arn}/queue/${type === 'AGENT' ? 'agent/' : ''}${id}`;
    const queue: Queue = {
      index,
      id,
      arn,
      name,
      type,
      weight,
      hoursIndex: 0,
      lastModified: nowMs,
      deleted: false,
      agentIndex,
    };
    this.queues.push(queue);
    this.queueById.set(id, index);
    for (let c = 0; c < CHANNELS.length; c += 1) {
      this.profilesByStream.push([]);
      this.delaysByStream.push([]);
    }
    return queue;
  }

  /** Adds a STANDARD queue to a routing profile's queue list, on every channel. */
  attachQueue(profileIndex: number, queueIndex: number, priority: number, delaySeconds: number): void {
    const profile = this.routingProfiles[profileIndex];
    if (!profile) throw new RangeError(`no routing profile ${profileIndex}`);
    CHANNELS.forEach((channel, c) => {
      profile.queues.push({ queueIndex, channel, priority, delaySeconds });
      this.profilesByStream[queueIndex * CHANNELS.length + c]?.push(profileIndex);
      this.delaysByStream[queueIndex * CHANNELS.length + c]?.push(delaySeconds);
    });
  }

  /** Takes a queue out of every routing profile: no agent is routed its contacts any more. */
  detachQueue(queueIndex: number): void {
    for (const profile of this.routingProfiles) {
      const kept = profile.queues.filter((q) => q.queueIndex !== queueIndex);
      profile.queues.splice(0, profile.queues.length, ...kept);
    }
    CHANNELS.forEach((_, c) => {
      this.profilesByStream[queueIndex * CHANNELS.length + c] = [];
      this.delaysByStream[queueIndex * CHANNELS.length + c] = [];
    });
  }

  /** Registers a routing profile. */
  registerProfile(profile: RoutingProfile): void {
    this.routingProfiles.push(profile);
    this.profileById.set(profile.id, profile.index);
  }

  /** Registers an agent. */
  registerAgent(agent: Agent): void {
    this.agents.push(agent);
    this.agentById.set(agent.id, agent.index);
  }

  /** A fresh id from the catalog's generator. */
  newId(): string {
    return this.rng.uuid();
  }
}

/** The part after the last '/' of an ARN (or the id itself). */
function lastSegment(idOrArn: string): string {
  const slash = idOrArn.lastIndexOf('/');
  return slash < 0 ? idOrArn : idOrArn.slice(slash + 1);
}

function build(catalog: Catalog, options: CatalogOptions, rng: Rng): void {
  const { instance, nowMs } = options;
  const created = nowMs - 30 * 86_400_000;
  buildHours(catalog, options, created);
  STATUS_NAMES.forEach((name, index) => {
    const id = rng.uuid();
    const type = index === AVAILABLE ? 'ROUTABLE' : index === OFFLINE ? 'OFFLINE' : 'CUSTOM';
    catalog.statuses.push({
      index,
      id,
      arn: `${instance.arn}/agent-state/${id}`,
      name,
      type,
      lastModified: created,
    });
  });
  for (let q = 0; q < options.queues; q += 1) {
    const dept = DEPARTMENTS[q % DEPARTMENTS.length] ?? 'Queue';
    const queue = catalog.addQueue(
      `${dept} ${Math.floor(q / DEPARTMENTS.length) + 1}`,
      'STANDARD',
      0.5 + rng.next() * 1.5,
      created,
    );
    queue.lastModified = created;
  }
  const profileCount = Math.max(
    1,
    Math.min(Math.ceil(options.queues / 4), Math.max(1, Math.floor(options.agents / 3))),
  );
  for (let p = 0; p < profileCount; p += 1) {
    const id = rng.uuid();
    catalog.registerProfile({
      index: p,
      id,
      arn: `${instance.arn}/routing-profile/${id}`,
      name: `Team ${p + 1} profile`,
      queues: [],
      concurrency: [1, 2 + rng.int(2), 1 + rng.int(2)],
      lastModified: created,
    });
  }
  // Every queue belongs to exactly one home profile (priority 1); overflow membership adds overlap.
  for (let q = 0; q < options.queues; q += 1) catalog.attachQueue(q % profileCount, q, 1, 0);
  if (options.queues > 1) {
    for (let p = 0; p < profileCount; p += 1) {
      const q = rng.int(options.queues);
      if (q % profileCount !== p) catalog.attachQueue(p, q, 2, 30);
    }
  }
  const sites = options.profile === 'follow-the-sun' ? SITES_FOLLOW : SITES_SINGLE;
  const siteGroups = sites.map((site) => {
    const id = rng.uuid();
    const group: HierarchyGroup = { id, arn: `${instance.arn}/agent-group/${id}`, name: site.name, level: 1 };
    catalog.groups.push(group);
    return group;
  });
  const teamsPerSite = Math.max(1, Math.ceil(options.agents / sites.length / 15));
  const teamGroups = siteGroups.map((site) =>
    Array.from({ length: teamsPerSite }, (_, t) => {
      const id = rng.uuid();
      const group: HierarchyGroup = {
        id,
        arn: `${instance.arn}/agent-group/${id}`,
        name: `${site.name} team ${t + 1}`,
        level: 2,
        parentId: site.id,
      };
      catalog.groups.push(group);
      return group;
    }),
  );
  for (let a = 0; a < options.agents; a += 1) {
    const site = a % sites.length;
    const siteInfo = sites[site] ?? { name: 'HQ', shiftStart: 0 };
    const start =
      options.profile === 'office-hours'
        ? officeShiftStart(catalog, nowMs, rng)
        : options.profile === 'single-site'
          ? siteInfo.shiftStart + rng.int(5) * 60
          : (siteInfo.shiftStart + rng.int(61) - 30 + 1440) % 1440;
    const team = teamGroups[site]?.[Math.floor(a / sites.length) % teamsPerSite];
    const siteGroup = siteGroups[site];
    if (!team || !siteGroup) throw new Error('hierarchy not built');
    const id = rng.uuid();
    const agentQueue = catalog.addQueue('', 'AGENT', 0, created, a);
    catalog.registerAgent({
      index: a,
      id,
      arn: `${instance.arn}/agent/${id}`,
      username: `${rng.pick(FIRST)}.${rng.pick(LAST)}${a + 1}`,
      routingProfileIndex: Math.floor((a * profileCount) / options.agents),
      siteGroupId: siteGroup.id,
      teamGroupId: team.id,
      shift: makeShift(start, rng),
      agentQueueIndex: agentQueue.index,
      statusIndex: OFFLINE,
      statusStart: nowMs,
      nextStatusIndex: -1,
      contacts: [],
      missedContactId: null,
      missedAt: 0,
      missedQueueIndex: -1,
      missedChannel: 'VOICE',
      idleSince: nowMs,
      accruedTo: nowMs,
      lastModified: created,
      removed: false,
    });
  }
}

function makeShift(startMinute: number, rng: Rng): Shift {
  const activities: ShiftActivity[] = [
    { offsetMinutes: 110 + rng.int(30), durationMinutes: 15, statusIndex: BREAK },
    { offsetMinutes: 225 + rng.int(60), durationMinutes: 30, statusIndex: LUNCH },
    { offsetMinutes: 380 + rng.int(30), durationMinutes: 15, statusIndex: BREAK },
  ];
  if (rng.chance(0.15)) activities.push({ offsetMinutes: 300, durationMinutes: 45, statusIndex: TRAINING });
  if (rng.chance(0.1)) activities.push({ offsetMinutes: 170, durationMinutes: 30, statusIndex: MEETING });
  activities.sort((a, b) => a.offsetMinutes - b.offsetMinutes);
  return { startMinute, lengthMinutes: SHIFT_MINUTES, activities };
}

/** The office-hours centre's time zone when none is given. */
export const OFFICE_HOURS_TIME_ZONE = 'America/New_York';

/**
 * The hours of operation of each profile, with ids from their own generator (the catalog's other ids
 * stay those of the seed): `24x7` for follow-the-sun, every day 08:00-20:00 UTC for single-site, and for
 * office-hours Monday to Friday 08:00-20:00 in its time zone with three closing overrides (New Year's
 * Day and Christmas Day of the start's year and the next, and a company holiday: the first Wednesday
 * after the start).
 */
function buildHours(catalog: Catalog, options: CatalogOptions, created: number): void {
  const rng = new Rng(options.seed ^ 0x40a5);
  const make = (name: string, description: string, timeZone: string, config: SimulatedHours['config']) => {
    const id = rng.uuid();
    const hours: SimulatedHours = {
      id,
      arn: `${options.instance.arn}/operating-hours/${id}`,
      name,
      description,
      timeZone,
      config,
      overrides: [],
      lastModified: created,
    };
    catalog.hours.push(hours);
    return hours;
  };
  const eight = { Hours: 8, Minutes: 0 };
  const twenty = { Hours: 20, Minutes: 0 };
  if (options.profile === 'follow-the-sun') {
    make('24x7', 'Open all day, every day', 'UTC', allWeekRanges());
    return;
  }
  if (options.profile === 'single-site') {
    make('Single site', 'Every day 08:00-20:00', 'UTC', dailyRanges(DAYS, eight, twenty));
    return;
  }
  const timeZone = options.timeZone ?? OFFICE_HOURS_TIME_ZONE;
  const office = make(
    'Office hours',
    'Monday to Friday 08:00-20:00',
    timeZone,
    dailyRanges(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], eight, twenty),
  );
  const today = localTime(options.nowMs, timeZone).date;
  const year = Number(today.slice(0, 4));
  const closed = (name: string, date: string) =>
    office.overrides.push({
      id: rng.uuid(),
      name,
      description: 'Closed',
      config: [],
      effectiveFrom: date,
      effectiveTill: date,
      lastModified: created,
    });
  for (const y of [year, year + 1]) {
    closed(`New Year's Day ${y}`, `${y}-01-01`);
    closed(`Christmas Day ${y}`, `${y}-12-25`);
  }
  let holiday = addDays(today, 1);
  while (dayOf(holiday) !== 'WEDNESDAY') holiday = addDays(holiday, 1);
  closed('Company holiday', holiday);
  make('24x7', 'Open all day, every day (no queue uses it)', 'UTC', allWeekRanges());
}

/**
 * An office-hours agent's shift start, UTC minute of the day: 08:00 to 11:30 local time (by the time
 * zone's offset at the start), so the 8.5-hour shifts cover 08:00-20:00.
 */
function officeShiftStart(catalog: Catalog, nowMs: number, rng: Rng): number {
  const timeZone = catalog.hours[0]?.timeZone ?? 'UTC';
  const local = localTime(nowMs, timeZone).minute;
  const utc = Math.floor(nowMs / 60_000) % 1440;
  const offset = (local - utc + 1440) % 1440;
  return (8 * 60 + rng.int(8) * 30 - offset + 1440) % 1440;
}
