import type { SimulatedCentre } from '../centre';
import { invalidParameter } from '../errors';
import { type Agent, type AgentContactState, CHANNELS, type Contact } from '../types';
import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';
import { CurrentUserRequestSchema, limitValues, parseBody } from './schemas';

const PHASE_STATE: Record<Contact['phase'], AgentContactState> = {
  QUEUED: 'CONNECTING',
  RINGING: 'CONNECTING',
  TALK: 'CONNECTED',
  HOLD: 'CONNECTED_ONHOLD',
  ACW: 'ENDED',
};

/** The GetCurrentUserData entry for one agent (also what the ground truth reports). */
export function userData(centre: SimulatedCentre, agent: Agent): Record<string, unknown> {
  const { catalog } = centre;
  const profile = catalog.routingProfiles[agent.routingProfileIndex];
  const status = catalog.statuses[agent.statusIndex];
  const site = catalog.group(agent.siteGroupId);
  const team = catalog.group(agent.teamGroupId);
  const slots = (fn: (c: number) => number): Record<string, number> =>
    Object.fromEntries(CHANNELS.map((ch, c) => [ch, fn(c)]));
  const active = (c: number): number => agent.contacts.filter((x) => x.channel === CHANNELS[c]).length;
  const live = centre.live.agent(agent);
  const contacts = agent.contacts.map((contact) => {
    const queue = catalog.queues[contact.queueIndex];
    return {
      ContactId: contact.id,
      Channel: contact.channel,
      InitiationMethod: contact.initiation,
      AgentContactState: PHASE_STATE[contact.phase],
      StateStartTimestamp: epochSeconds(contact.stateStart),
      ConnectedToAgentTimestamp: contact.connectedAt > 0 ? epochSeconds(contact.connectedAt) : undefined,
      Queue: queue ? { Id: queue.id, Arn: queue.arn } : undefined,
    };
  });
  if (agent.missedContactId !== null) {
    const queue = catalog.queues[agent.missedQueueIndex];
    contacts.push({
      ContactId: agent.missedContactId,
      Channel: agent.missedChannel,
      InitiationMethod: 'INBOUND',
      AgentContactState: 'MISSED',
      StateStartTimestamp: epochSeconds(agent.missedAt),
      ConnectedToAgentTimestamp: undefined,
      Queue: queue ? { Id: queue.id, Arn: queue.arn } : undefined,
    });
  }
  return {
    User: { Id: agent.id, Arn: agent.arn },
    RoutingProfile: profile ? { Id: profile.id, Arn: profile.arn } : undefined,
    HierarchyPath: {
      LevelOne: site ? { Id: site.id, Arn: site.arn } : undefined,
      LevelTwo: team ? { Id: team.id, Arn: team.arn } : undefined,
    },
    Status: status
      ? {
          StatusStartTimestamp: epochSeconds(agent.statusStart),
          StatusArn: status.arn,
          StatusName: status.name,
        }
      : undefined,
    AvailableSlotsByChannel: slots((c) => live.slotsAvailable[c] ?? 0),
    MaxSlotsByChannel: slots((c) => profile?.concurrency[c] ?? 0),
    ActiveSlotsByChannel: slots(active),
    Contacts: contacts,
    NextStatus: agent.nextStatusIndex >= 0 ? catalog.statuses[agent.nextStatusIndex]?.name : undefined,
  };
}

/** Agents GetCurrentUserData reports: logged in (not Offline) or still holding contacts. */
export function isReported(centre: SimulatedCentre, agent: Agent): boolean {
  return !agent.removed && (centre.model.category(agent) !== 'OFFLINE' || agent.contacts.length > 0);
}

/** POST /metrics/userdata/{InstanceId}. */
export function getCurrentUserData(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const body = parseBody(CurrentUserRequestSchema, req.body);
  const f = body.Filters;
  const primaries = (['Queues', 'RoutingProfiles', 'Agents', 'UserHierarchyGroups'] as const).filter(
    (k) => f[k],
  );
  if (primaries.length !== 1) {
    throw invalidParameter(
      `Filters must include exactly one of Queues, RoutingProfiles, Agents or UserHierarchyGroups; got ${primaries.length === 0 ? 'none' : primaries.join(', ')}`,
    );
  }
  limitValues('Filters.Queues', f.Queues);
  limitValues('Filters.RoutingProfiles', f.RoutingProfiles);
  limitValues('Filters.Agents', f.Agents);
  limitValues('Filters.UserHierarchyGroups', f.UserHierarchyGroups, 1);
  const max = maxResults(body.MaxResults, 100, 100);
  const { catalog } = centre;
  let selected: Agent[];
  if (f.Queues) {
    const queues = new Set(f.Queues.map((q) => catalog.queueIndex(q)).filter((q) => q !== undefined));
    selected = catalog.agents.filter(
      (a) =>
        queues.has(a.agentQueueIndex) ||
        (catalog.routingProfiles[a.routingProfileIndex]?.queues.some((q) => queues.has(q.queueIndex)) ??
          false),
    );
  } else if (f.RoutingProfiles) {
    const profiles = new Set(f.RoutingProfiles.map((p) => catalog.profileIndex(p)));
    selected = catalog.agents.filter((a) => profiles.has(a.routingProfileIndex));
  } else if (f.Agents) {
    const agents = new Set(f.Agents.map((a) => catalog.agentIndex(a)));
    selected = catalog.agents.filter((a) => agents.has(a.index));
  } else {
    const group = (f.UserHierarchyGroups ?? [])[0] ?? '';
    const id = group.slice(group.lastIndexOf('/') + 1);
    selected = catalog.agents.filter((a) => a.siteGroupId === id || a.teamGroupId === id);
  }
  let data = selected.filter((a) => isReported(centre, a)).map((a) => userData(centre, a));
  const states = f.ContactFilter?.ContactStates;
  if (states && states.length > 0) {
    data = data.filter((d) =>
      (d.Contacts as { AgentContactState: string }[]).some((c) =>
        states.includes(c.AgentContactState as never),
      ),
    );
  }
  const { NextToken: token, ...request } = body;
  const key = { i: centre.instance.instanceId, ...request };
  const offset = ctx.tokens.offset(token, key, ctx.now);
  const next = offset + max < data.length ? ctx.tokens.issue(key, offset + max, ctx.now, 300_000) : undefined;
  return {
    UserDataList: data.slice(offset, offset + max),
    NextToken: next,
    ApproximateTotalCount: data.length,
  };
}
