import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';

/** POST /search-users: every user of the instance, 500 a page at most (search criteria are ignored). */
export function searchUsers(ctx: ApiContext, req: ApiRequest): unknown {
  const body = (req.body ?? {}) as { InstanceId?: string; NextToken?: string; MaxResults?: unknown };
  const centre = centreFor(ctx, body.InstanceId ?? '');
  const max = maxResults(body.MaxResults, 500, 100);
  const users = centre.catalog.agents.filter((a) => !a.removed);
  const key = { i: centre.instance.instanceId, p: 'search-users' };
  const offset = ctx.tokens.offset(body.NextToken, key, ctx.now);
  const next =
    offset + max < users.length ? ctx.tokens.issue(key, offset + max, ctx.now, 86_400_000) : undefined;
  return {
    Users: users.slice(offset, offset + max).map((a) => ({
      Id: a.id,
      Arn: a.arn,
      Username: a.username,
      RoutingProfileId: centre.catalog.routingProfiles[a.routingProfileIndex]?.id,
      HierarchyGroupId: a.teamGroupId,
      InstanceId: centre.instance.instanceId,
      LastModifiedTime: epochSeconds(a.lastModified),
      LastModifiedRegion: centre.instance.region,
    })),
    NextToken: next,
    ApproximateTotalCount: users.length,
  };
}
