import type { SimulatedCentre } from '../centre';
import { ConnectApiError, invalidParameter } from '../errors';
import { addDays, overrideOn, rangesOn, type SimulatedHours } from '../hours';
import { type ApiContext, type ApiRequest, centreFor, epochSeconds, maxResults } from './context';

/**
 * The hours-of-operation APIs and SearchQueues, with Connect's paths, page sizes and shapes (Connect API
 * Reference: ListHoursOfOperations maxResults 1-1000, default 100; ListHoursOfOperationOverrides
 * maxResults 1-100; SearchQueues MaxResults 1-500 and QueueTypeCondition STANDARD;
 * GetEffectiveHoursOfOperations fromDate and toDate required, ^\d{4}-\d{2}-\d{2}$).
 */

const TOKEN_TTL_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function page<T>(
  ctx: ApiContext,
  key: object,
  items: readonly T[],
  max: number,
  token: string | undefined,
): { items: T[]; next: string | undefined } {
  const offset = ctx.tokens.offset(token, key, ctx.now);
  const next =
    offset + max < items.length ? ctx.tokens.issue(key, offset + max, ctx.now, TOKEN_TTL_MS) : undefined;
  return { items: items.slice(offset, offset + max), next };
}

function hoursFor(centre: SimulatedCentre, id: string): SimulatedHours {
  const hours = centre.catalog.hoursById(id);
  if (!hours) throw new ConnectApiError('ResourceNotFoundException', `Hours of operation not found: ${id}`);
  return hours;
}

/** GET /hours-of-operations-summary/{InstanceId}. */
export function listHoursOfOperations(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const max = maxResults(req.query.get('maxResults') ?? undefined, 1000, 100, 'maxResults');
  const { items, next } = page(
    ctx,
    { i: centre.instance.instanceId, p: 'hours' },
    centre.catalog.hours,
    max,
    req.query.get('nextToken') ?? undefined,
  );
  return {
    HoursOfOperationSummaryList: items.map((h) => ({
      Id: h.id,
      Arn: h.arn,
      Name: h.name,
      LastModifiedTime: epochSeconds(h.lastModified),
      LastModifiedRegion: centre.instance.region,
    })),
    NextToken: next,
  };
}

/** GET /hours-of-operations/{InstanceId}/{HoursOfOperationId}. */
export function describeHoursOfOperation(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const h = hoursFor(centre, req.params.HoursOfOperationId ?? '');
  return {
    HoursOfOperation: {
      HoursOfOperationId: h.id,
      HoursOfOperationArn: h.arn,
      Name: h.name,
      Description: h.description,
      TimeZone: h.timeZone,
      Config: h.config,
      Tags: {},
      LastModifiedTime: epochSeconds(h.lastModified),
      LastModifiedRegion: centre.instance.region,
    },
  };
}

/** GET /hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides. */
export function listHoursOfOperationOverrides(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const h = hoursFor(centre, req.params.HoursOfOperationId ?? '');
  const max = maxResults(req.query.get('maxResults') ?? undefined, 100, 100, 'maxResults');
  const { items, next } = page(
    ctx,
    { i: centre.instance.instanceId, p: `overrides/${h.id}` },
    h.overrides,
    max,
    req.query.get('nextToken') ?? undefined,
  );
  return {
    HoursOfOperationOverrideList: items.map((o) => ({
      HoursOfOperationOverrideId: o.id,
      HoursOfOperationId: h.id,
      HoursOfOperationArn: h.arn,
      Name: o.name,
      Description: o.description,
      Config: o.config,
      EffectiveFrom: o.effectiveFrom,
      EffectiveTill: o.effectiveTill,
    })),
    NextToken: next,
    LastModifiedTime: epochSeconds(Math.max(h.lastModified, ...h.overrides.map((o) => o.lastModified))),
    LastModifiedRegion: centre.instance.region,
  };
}

/** GET /effective-hours-of-operations/{InstanceId}/{HoursOfOperationId}?fromDate&toDate. */
export function getEffectiveHoursOfOperations(ctx: ApiContext, req: ApiRequest): unknown {
  const centre = centreFor(ctx, req.params.InstanceId ?? '');
  const h = hoursFor(centre, req.params.HoursOfOperationId ?? '');
  const from = req.query.get('fromDate') ?? '';
  const to = req.query.get('toDate') ?? '';
  for (const [member, value] of [
    ['fromDate', from],
    ['toDate', to],
  ] as const) {
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw invalidParameter(
        `Value '${value}' at '${member}' failed to satisfy constraint: expected yyyy-MM-dd`,
      );
    }
  }
  if (to < from) throw invalidParameter('toDate must not be before fromDate');
  const effective: unknown[] = [];
  const overrides: unknown[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const ranges = rangesOn(h, date);
    const slices = ranges.map((r) => ({ Start: r.StartTime, End: r.EndTime }));
    effective.push({ Date: date, OperationalHours: slices });
    const override = overrideOn(h, date);
    if (override) {
      overrides.push({
        Date: date,
        OverrideHours: [
          {
            OverrideName: override.name,
            OperationalStatus: slices.length > 0 ? 'OPEN' : 'CLOSED',
            ...(slices[0] ? { Start: slices[0].Start, End: slices[0].End } : {}),
          },
        ],
      });
    }
  }
  return {
    EffectiveHoursOfOperationList: effective,
    EffectiveOverrideHoursList: overrides,
    TimeZone: h.timeZone,
  };
}

/** POST /search-queues: the instance's queues (STANDARD only with that QueueTypeCondition), 500 a page at most. */
export function searchQueues(ctx: ApiContext, req: ApiRequest): unknown {
  const body = (req.body ?? {}) as {
    InstanceId?: string;
    NextToken?: string;
    MaxResults?: unknown;
    SearchCriteria?: { QueueTypeCondition?: unknown };
  };
  const centre = centreFor(ctx, body.InstanceId ?? '');
  const max = maxResults(body.MaxResults, 500, 100);
  const condition = body.SearchCriteria?.QueueTypeCondition;
  if (condition !== undefined && condition !== 'STANDARD') {
    throw invalidParameter(`Unknown QueueTypeCondition ${String(condition)}: expected STANDARD`);
  }
  const queues = centre.catalog.queues.filter(
    (q) => !q.deleted && (condition === undefined || q.type === 'STANDARD'),
  );
  const { items, next } = page(
    ctx,
    { i: centre.instance.instanceId, p: 'search-queues', c: condition ?? '' },
    queues,
    max,
    body.NextToken,
  );
  return {
    Queues: items.map((q) => ({
      QueueId: q.id,
      QueueArn: q.arn,
      ...(q.type === 'STANDARD' ? { Name: q.name } : {}),
      HoursOfOperationId: centre.catalog.hours[q.hoursIndex]?.id,
      Status: 'ENABLED',
      Tags: {},
      LastModifiedTime: epochSeconds(q.lastModified),
      LastModifiedRegion: centre.instance.region,
    })),
    NextToken: next,
    ApproximateTotalCount: queues.length,
  };
}
