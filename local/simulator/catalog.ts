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

/** Which contact centre to build. */
export type SimulatorProfile = 'follow-the-sun' | 'single-site';

/** Inputs of {@link buildCatalog}. */
export interface CatalogOptions {
  readonly instance: SimulatedInstance;
  readonly seed: number;
  readonly queues: number;
  readonly agents: number;
  readonly profile: SimulatorProfile;
  readonly nowMs: number;
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
  const sites = options.profile === 'single-site' ? SITES_SINGLE : SITES_FOLLOW;
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
      options.profile === 'single-site'
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
