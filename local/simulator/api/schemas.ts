import * as z from 'zod';
import { ConnectApiError } from '../errors';

/** Zod schemas of the request bodies the simulator accepts (unknown members are ignored, as AWS does). */
const ids = z.array(z.string().min(1)).optional();

/** GetCurrentMetricData / GetMetricData Filters. */
const FiltersSchema = z.object({
  Queues: ids,
  Channels: z.array(z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL'])).optional(),
  RoutingProfiles: ids,
  RoutingStepExpressions: ids,
  AgentStatuses: ids,
  Subtypes: ids,
  ValidationTestTypes: ids,
});

/** GetCurrentMetricData request body. */
export const CurrentMetricRequestSchema = z.object({
  Filters: FiltersSchema,
  Groupings: z.array(z.string()).optional(),
  CurrentMetrics: z.array(z.object({ Name: z.string(), Unit: z.string().optional() })).min(1),
  NextToken: z.string().optional(),
  MaxResults: z.unknown().optional(),
  SortCriteria: z
    .array(z.object({ SortByMetric: z.string().optional(), SortOrder: z.string().optional() }))
    .optional(),
});

/** GetCurrentUserData request body. */
export const CurrentUserRequestSchema = z.object({
  Filters: z.object({
    Queues: ids,
    RoutingProfiles: ids,
    Agents: ids,
    UserHierarchyGroups: ids,
    ContactFilter: z
      .object({
        ContactStates: z
          .array(
            z.enum([
              'INCOMING',
              'PENDING',
              'CONNECTING',
              'CONNECTED',
              'CONNECTED_ONHOLD',
              'MISSED',
              'ERROR',
              'ENDED',
              'REJECTED',
            ]),
          )
          .optional(),
      })
      .optional(),
  }),
  NextToken: z.string().optional(),
  MaxResults: z.unknown().optional(),
});

/** GetMetricData (v1) request body. */
export const MetricDataRequestSchema = z.object({
  StartTime: z.number(),
  EndTime: z.number(),
  Filters: FiltersSchema,
  Groupings: z.array(z.string()).optional(),
  HistoricalMetrics: z
    .array(
      z.object({
        Name: z.string(),
        Threshold: z
          .object({ Comparison: z.string().optional(), ThresholdValue: z.number().optional() })
          .optional(),
        Statistic: z.string().optional(),
        Unit: z.string().optional(),
      }),
    )
    .min(1),
  NextToken: z.string().optional(),
  MaxResults: z.unknown().optional(),
});

/** GetMetricDataV2 request body. */
export const MetricDataV2RequestSchema = z.object({
  ResourceArn: z.string(),
  StartTime: z.number(),
  EndTime: z.number(),
  Interval: z.object({ TimeZone: z.string().optional(), IntervalPeriod: z.string().optional() }).optional(),
  Filters: z.array(z.object({ FilterKey: z.string(), FilterValues: z.array(z.string()).optional() })).min(1),
  Groupings: z.array(z.string()).optional(),
  Metrics: z
    .array(
      z.object({
        Name: z.string(),
        Threshold: z
          .array(z.object({ Comparison: z.string().optional(), ThresholdValue: z.number().optional() }))
          .optional(),
        MetricFilters: z.array(z.unknown()).optional(),
      }),
    )
    .min(1),
  NextToken: z.string().optional(),
  MaxResults: z.unknown().optional(),
});

/** Parses a body or answers InvalidRequestException naming the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'body';
  throw new ConnectApiError(
    'InvalidRequestException',
    `Invalid request at '${where}': ${issue?.message ?? 'malformed'}`,
  );
}

/** Rejects a filter list with more than `max` values. */
export function limitValues(name: string, values: readonly string[] | undefined, max = 100): void {
  if (values && (values.length < 1 || values.length > max)) {
    throw new ConnectApiError(
      'InvalidParameterException',
      `${name} must contain between 1 and ${max} values; got ${values.length}`,
    );
  }
}
