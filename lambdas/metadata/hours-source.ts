import {
  DescribeHoursOfOperationCommand,
  GetEffectiveHoursOfOperationsCommand,
  paginateListHoursOfOperationOverrides,
  paginateListHoursOfOperations,
} from '@aws-sdk/client-connect';
import * as z from 'zod';
import type { SkippedRecord } from '../shared/collector/contract';
import { type ConnectGateway, collectPages } from '../shared/connect/gateway';
import { addDays, rangeMinutes, Slice, searchStandardQueues } from '../shared/connect/open-periods';
import type { EffectiveHoursDay, HoursItem, HoursRangeMinutes } from './ports';

/**
 * Hours of operation, read within the API budget: ListHoursOfOperations (1,000 a page), each one's
 * DescribeHoursOfOperation, ListHoursOfOperationOverrides (100 a page) and GetEffectiveHoursOfOperations
 * for the dates around the run, and each STANDARD queue's hours through SearchQueues (500 a page; ListQueues
 * does not return them). Calls per run: 1 + 3 x hours + ceil(queues / 500), more pages aside.
 * Connect API Reference: ListHoursOfOperations MaxResults 1-1000; ListHoursOfOperationOverrides 1-100;
 * SearchQueues 1-500, QueueTypeCondition STANDARD; GetEffectiveHoursOfOperations fromDate/toDate yyyy-MM-dd.
 */

/** A STANDARD queue's hours of operation (SearchQueues), attached to its queue row by the source. */
export interface QueueHours {
  readonly queueId: string;
  readonly hoursId: string;
}

/** Effective hours are read from the day before the run's local date to this many days after it. */
export const EFFECTIVE_DAYS_AHEAD = 7;

const Range = z.object({ Day: z.string().min(1), StartTime: Slice, EndTime: Slice });
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Described = z.object({
  HoursOfOperation: z.object({
    HoursOfOperationId: z.string().min(1),
    HoursOfOperationArn: z.string().min(1).nullish(),
    Name: z.string().nullish(),
    TimeZone: z.string().min(1),
    Config: z.array(Range).nullish(),
    LastModifiedTime: z.date().nullish(),
  }),
});
const Override = z.object({
  HoursOfOperationOverrideId: z.string().min(1),
  Name: z.string().nullish(),
  Description: z.string().nullish(),
  Config: z.array(Range).nullish(),
  EffectiveFrom: DATE,
  EffectiveTill: DATE,
});
const Effective = z.object({
  EffectiveHoursOfOperationList: z
    .array(
      z.object({
        Date: DATE,
        OperationalHours: z.array(z.object({ Start: Slice, End: Slice })).nullish(),
      }),
    )
    .nullish(),
  EffectiveOverrideHoursList: z
    .array(
      z.object({
        Date: DATE,
        OverrideHours: z.array(z.object({ OverrideName: z.string().nullish() })).nullish(),
      }),
    )
    .nullish(),
});
const SearchedQueue = z.object({
  QueueId: z.string().min(1),
  HoursOfOperationId: z.string().min(1).nullish(),
});
const Summary = z.object({ Id: z.string().min(1) });

const toRanges = (config: readonly z.infer<typeof Range>[] | null | undefined): HoursRangeMinutes[] =>
  (config ?? []).map((r) => {
    const [start, end] = rangeMinutes(r.StartTime, r.EndTime);
    return { day: r.Day, start, end };
  });

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/** yyyy-MM-dd of `ms` in `timeZone`, or undefined when the runtime does not know the zone. */
export function localDate(ms: number, timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(ms));
  } catch {
    return undefined;
  }
}

/**
 * Reads an instance's hours of operation and its queues' hours; a record that cannot be used is skipped.
 * A role that may not read them (a client role deployed before these actions were added) is one
 * skipped record naming the fix, and `hours: null`, so the run still writes every other dimension and
 * keeps the hours already stored.
 */
export async function readHours(
  connect: ConnectGateway,
  instanceId: string,
  instanceArn: string,
  nowMs: number,
  skipped: SkippedRecord[],
): Promise<{ hours: HoursItem[] | null; queueHours: QueueHours[] }> {
  try {
    return await readAllHours(connect, instanceId, instanceArn, nowMs, skipped);
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'AccessDeniedException') throw error;
    skipped.push({
      record: 'hoursOfOperation',
      reason: `AccessDeniedException: the role may not read hours of operation; redeploy the client account's read-only role (ConnectMetrics-ClientAccess-<account>, or the StackSet) to grant ListHoursOfOperations, DescribeHoursOfOperation, ListHoursOfOperationOverrides, GetEffectiveHoursOfOperations and SearchQueues`,
    });
    return { hours: null, queueHours: [] };
  }
}

async function readAllHours(
  connect: ConnectGateway,
  instanceId: string,
  instanceArn: string,
  nowMs: number,
  skipped: SkippedRecord[],
): Promise<{ hours: HoursItem[]; queueHours: QueueHours[] }> {
  const [summaries, queues] = await Promise.all([
    collectPages(
      connect.paginate(paginateListHoursOfOperations, { InstanceId: instanceId }, 1000),
      (p) => p.HoursOfOperationSummaryList,
    ),
    searchStandardQueues(connect, instanceId),
  ]);
  const queueHours: QueueHours[] = [];
  queues.forEach((record, index) => {
    const q = SearchedQueue.safeParse(record);
    if (!q.success) skipped.push({ record: `searchQueues[${index}]`, reason: issues(q.error) });
    else if (q.data.HoursOfOperationId)
      queueHours.push({ queueId: q.data.QueueId, hoursId: q.data.HoursOfOperationId });
  });

  const hours: HoursItem[] = [];
  const ids = new Set<string>();
  for (const [index, record] of summaries.entries()) {
    const summary = Summary.safeParse(record);
    if (!summary.success) {
      skipped.push({ record: `hoursOfOperation[${index}]`, reason: issues(summary.error) });
      continue;
    }
    if (ids.has(summary.data.Id)) continue;
    ids.add(summary.data.Id);
    try {
      const item = await readOne(connect, instanceId, instanceArn, summary.data.Id, nowMs, skipped);
      if (item) hours.push(item);
    } catch (error) {
      // Deleted between the list and the describe: that record only, not the instance's whole run.
      if (!(error instanceof Error) || error.name !== 'ResourceNotFoundException') throw error;
      skipped.push({
        record: `hoursOfOperation ${summary.data.Id}`,
        reason: 'ResourceNotFoundException: deleted while read',
      });
    }
  }
  return { hours, queueHours };
}

async function readOne(
  connect: ConnectGateway,
  instanceId: string,
  instanceArn: string,
  hoursId: string,
  nowMs: number,
  skipped: SkippedRecord[],
): Promise<HoursItem | undefined> {
  const input = { InstanceId: instanceId, HoursOfOperationId: hoursId };
  const described = Described.safeParse(await connect.send(new DescribeHoursOfOperationCommand(input)));
  if (!described.success) {
    skipped.push({ record: `hoursOfOperation ${hoursId}`, reason: issues(described.error) });
    return undefined;
  }
  const h = described.data.HoursOfOperation;
  const overrides = (
    await collectPages(
      connect.paginate(paginateListHoursOfOperationOverrides, input, 100),
      (p) => p.HoursOfOperationOverrideList,
    )
  ).flatMap((record, index) => {
    const o = Override.safeParse(record);
    if (!o.success) {
      skipped.push({ record: `hoursOfOperationOverride ${hoursId}[${index}]`, reason: issues(o.error) });
      return [];
    }
    return [
      {
        id: o.data.HoursOfOperationOverrideId,
        name: o.data.Name ?? null,
        description: o.data.Description ?? null,
        effectiveFrom: o.data.EffectiveFrom,
        effectiveTill: o.data.EffectiveTill,
        config: toRanges(o.data.Config),
      },
    ];
  });
  const today = localDate(nowMs, h.TimeZone);
  let days: EffectiveHoursDay[] = [];
  if (!today) {
    skipped.push({
      record: `hoursOfOperation ${hoursId}`,
      reason: `time zone ${h.TimeZone} unknown here: no effective hours`,
    });
  } else {
    const answer = Effective.safeParse(
      await connect.send(
        new GetEffectiveHoursOfOperationsCommand({
          ...input,
          FromDate: addDays(today, -1),
          ToDate: addDays(today, EFFECTIVE_DAYS_AHEAD),
        }),
      ),
    );
    if (!answer.success) {
      skipped.push({ record: `effectiveHours ${hoursId}`, reason: issues(answer.error) });
    } else {
      const overrideOf = new Map(
        (answer.data.EffectiveOverrideHoursList ?? []).map((d) => [
          d.Date,
          d.OverrideHours?.[0]?.OverrideName ?? null,
        ]),
      );
      days = (answer.data.EffectiveHoursOfOperationList ?? []).map((d) => ({
        date: d.Date,
        periods: (d.OperationalHours ?? []).map((p) => rangeMinutes(p.Start, p.End)),
        overrideName: overrideOf.get(d.Date) ?? null,
      }));
    }
  }
  return {
    id: h.HoursOfOperationId,
    // Arn is optional in the API model; Connect's are the instance ARN plus /operating-hours/<id>.
    arn: h.HoursOfOperationArn ?? `${instanceArn}/operating-hours/${h.HoursOfOperationId}`,
    name: h.Name ?? null,
    timeZone: h.TimeZone,
    config: toRanges(h.Config),
    lastModifiedAt: h.LastModifiedTime ?? null,
    overrides,
    days,
  };
}
