import type { SimulatedCentre } from '../centre';
import { ConnectApiError, invalidParameter } from '../errors';
import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';

const LIST_TOKEN_TTL_MS = 86_400_000;

interface Summary {
  readonly [key: string]: unknown;
}

function listPage(
  ctx: ApiContext,
  req: ApiRequest,
  centre: SimulatedCentre,
  member: string,
  items: Summary[],
): unknown {
  const max = maxResults(req.query.get('maxResults') ?? undefined, 1000, 100, 'maxResults');
  const key = {
    i: centre.instance.instanceId,
    p: member,
    q: [...req.query.entries()].filter(([k]) => k !== 'nextToken'),
  };
  const offset = ctx.tokens.offset(req.query.get('nextToken') ?? undefined, key, ctx.now);
  const next =
    offset + max < items.length ? ctx.tokens.issue(key, offset + max, ctx.now, LIST_TOKEN_TTL_MS) : undefined;
  return { [member]: items.slice(offset, offset + max), NextToken: next };
}

/** GET /queues-summary/{InstanceId}: STANDARD and AGENT queues (agent queues have no name). */
export function listQueues(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const types = req.query.getAll('queueTypes');
  for (const t of types)
    if (t !== 'STANDARD' && t !== 'AGENT') throw invalidParameter(`Unknown queue type ${t}`);
  const items = centre.catalog.queues
    .filter((q) => !q.deleted && (types.length === 0 || types.includes(q.type)))
    .map((q) => ({
      Id: q.id,
      Arn: q.arn,
      Name: q.type === 'AGENT' ? undefined : q.name,
      QueueType: q.type,
      LastModifiedTime: epochSeconds(q.lastModified),
      LastModifiedRegion: centre.instance.region,
    }));
  return listPage(ctx, req, centre, 'QueueSummaryList', items);
}

/** GET /routing-profiles-summary/{InstanceId}. */
export function listRoutingProfiles(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const items = centre.catalog.routingProfiles.map((p) => ({
    Id: p.id,
    Arn: p.arn,
    Name: p.name,
    LastModifiedTime: epochSeconds(p.lastModified),
    LastModifiedRegion: centre.instance.region,
  }));
  return listPage(ctx, req, centre, 'RoutingProfileSummaryList', items);
}

/** GET /agent-status/{InstanceId} (query key AgentStatusTypes). */
export function listAgentStatuses(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const types = req.query.getAll('AgentStatusTypes');
  for (const t of types) {
    if (!['ROUTABLE', 'CUSTOM', 'OFFLINE'].includes(t))
      throw invalidParameter(`Unknown agent status type ${t}`);
  }
  const items = centre.catalog.statuses
    .filter((s) => types.length === 0 || types.includes(s.type))
    .map((s) => ({
      Id: s.id,
      Arn: s.arn,
      Name: s.name,
      Type: s.type,
      LastModifiedTime: epochSeconds(s.lastModified),
      LastModifiedRegion: centre.instance.region,
    }));
  return listPage(ctx, req, centre, 'AgentStatusSummaryList', items);
}

/** GET /users-summary/{InstanceId}. */
export function listUsers(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const items = centre.catalog.agents
    .filter((a) => !a.removed)
    .map((a) => ({
      Id: a.id,
      Arn: a.arn,
      Username: a.username,
      LastModifiedTime: epochSeconds(a.lastModified),
      LastModifiedRegion: centre.instance.region,
    }));
  return listPage(ctx, req, centre, 'UserSummaryList', items);
}

/** GET /users/{InstanceId}/{UserId}. */
export function describeUser(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const index = centre.catalog.agentIndex(req.params.UserId ?? '');
  const agent = index === undefined ? undefined : centre.catalog.agents[index];
  if (!agent || agent.removed) {
    throw new ConnectApiError('ResourceNotFoundException', `User not found: ${req.params.UserId ?? ''}`);
  }
  const profile = centre.catalog.routingProfiles[agent.routingProfileIndex];
  const [first, last] = agent.username.replace(/\d+$/, '').split('.');
  return {
    User: {
      Id: agent.id,
      Arn: agent.arn,
      Username: agent.username,
      IdentityInfo: { FirstName: first, LastName: last },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
      SecurityProfileIds: [],
      RoutingProfileId: profile?.id,
      HierarchyGroupId: agent.teamGroupId,
      Tags: {},
      LastModifiedTime: epochSeconds(agent.lastModified),
      LastModifiedRegion: centre.instance.region,
    },
  };
}
