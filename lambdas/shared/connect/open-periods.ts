import { GetEffectiveHoursOfOperationsCommand, paginateSearchQueues } from '@aws-sdk/client-connect';
import * as z from 'zod';
import { type ConnectGateway, collectPages } from './gateway';

/**
 * When an instance is open, read from Connect itself (never the database, so deciding whether to poll
 * never wakes a paused database): its STANDARD queues and their hours of operation through SearchQueues
 * (500 a page; ListQueues does not return a queue's hours), and each of those hours' effective hours
 * (GetEffectiveHoursOfOperations: Connect's own hours of each date, overrides applied, with the hours'
 * time zone) from the day before today to the day after tomorrow. The instance is open when any of its
 * queues is (Connect API Reference: SearchQueues, GetEffectiveHoursOfOperations; fromDate and toDate
 * are yyyy-MM-dd dates in the hours' time zone).
 */

/** An instance's open periods, as epoch-ms `[start, end)` pairs, and the queues they came from. */
export interface InstanceOpenPeriods {
  /** The instance's STANDARD queue ids (what an activity probe asks about). */
  readonly queueIds: readonly string[];
  /** Open periods of any queue, merged, sorted. */
  readonly periods: readonly (readonly [number, number])[];
  /** The periods are known from `coversFrom` to `coversUntil` (epoch ms); outside them, unknown. */
  readonly coversFrom: number;
  readonly coversUntil: number;
  /** Connect calls the read took. */
  readonly calls: number;
}

/** A time of day as Connect's hours-of-operation APIs send it (`{Hours 0-23, Minutes 0-59}`). */
export const Slice = z.object({
  Hours: z.number().int().min(0).max(23),
  Minutes: z.number().int().min(0).max(59),
});
const Effective = z.object({
  EffectiveHoursOfOperationList: z
    .array(
      z.object({
        Date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        OperationalHours: z.array(z.object({ Start: Slice, End: Slice })).nullish(),
      }),
    )
    .nullish(),
  TimeZone: z.string().min(1),
});
const SearchedQueue = z.object({
  QueueId: z.string().min(1),
  HoursOfOperationId: z.string().min(1).nullish(),
});

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time (`minute` minutes after midnight of `date`, which may pass 1440)
 * in `timeZone`. A time a fall-back change repeats is its first occurrence (its last with `last`, for the
 * end of a range, so a range is never cut short); a time a spring-forward
 * change skips reads in the offset before the change (02:30 on a New York spring-forward day is 07:30Z).
 */
export function localInstant(
  date: string,
  minute: number,
  timeZone: string,
  occurrence: 'first' | 'last' = 'first',
): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS;
  // The offsets either side of the date (a zone changes its offset at most once a day).
  const offsets = [zoneOffsetMs(wall - DAY_MS, timeZone), zoneOffsetMs(wall + DAY_MS, timeZone)];
  const valid = offsets.map((o) => wall - o).filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  // Twice (a fall-back change): the first, or the last for the end of a range. Never (a spring-forward
  // gap): the offset before it.
  if (valid.length === 0) return wall - Math.min(...offsets);
  return occurrence === 'first' ? Math.min(...valid) : Math.max(...valid);
}

/** The yyyy-MM-dd date `days` after `date`. */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** A range's minutes: an end of 00:00, or not after the start, runs past midnight (Admin Guide: 12:00AM ends the day). */
export function rangeMinutes(start: z.infer<typeof Slice>, end: z.infer<typeof Slice>): [number, number] {
  const s = start.Hours * 60 + start.Minutes;
  const e = end.Hours * 60 + end.Minutes;
  return [s, e <= s ? e + 1440 : e];
}

/** Sorted, overlapping or touching periods merged. */
export function mergePeriods(periods: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...periods].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Reads an instance's open periods from Connect: one SearchQueues page per 500 STANDARD queues, one
 * GetEffectiveHoursOfOperations per hours of operation its queues use.
 * @throws what Connect throws (AccessDeniedException from a client role deployed before these actions)
 */
export async function readOpenPeriods(
  connect: ConnectGateway,
  instanceId: string,
  nowMs: number,
): Promise<InstanceOpenPeriods> {
  const before = connect.stats.calls;
  const queues = await searchStandardQueues(connect, instanceId);
  const queueIds: string[] = [];
  const hoursIds = new Set<string>();
  for (const record of queues) {
    const q = SearchedQueue.safeParse(record);
    if (!q.success) continue;
    queueIds.push(q.data.QueueId);
    if (q.data.HoursOfOperationId) hoursIds.add(q.data.HoursOfOperationId);
  }
  // Today's date in every zone lies within a day of the UTC date: read the UTC date -2 .. +2.
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const periods: [number, number][] = [];
  for (const hoursId of hoursIds) {
    const answer = Effective.parse(
      await connect.send(
        new GetEffectiveHoursOfOperationsCommand({
          InstanceId: instanceId,
          HoursOfOperationId: hoursId,
          FromDate: addDays(today, -2),
          ToDate: addDays(today, 2),
        }),
      ),
    );
    for (const day of answer.EffectiveHoursOfOperationList ?? []) {
      for (const slice of day.OperationalHours ?? []) {
        const [start, end] = rangeMinutes(slice.Start, slice.End);
        periods.push([
          localInstant(day.Date, start, answer.TimeZone),
          localInstant(day.Date, end, answer.TimeZone, 'last'),
        ]);
      }
    }
  }
  return {
    queueIds,
    periods: mergePeriods(periods),
    // Dates -2..+2 of UTC cover, in any zone (UTC-12 to UTC+14), the day before to the day after now.
    coversFrom: nowMs - DAY_MS,
    coversUntil: nowMs + DAY_MS,
    calls: connect.stats.calls - before,
  };
}

/**
 * Every STANDARD queue of the instance as SearchQueues answers it (500 a page, every page), with its
 * HoursOfOperationId: the only API that gives a queue's hours in bulk (ListQueues does not).
 */
export function searchStandardQueues(connect: ConnectGateway, instanceId: string): Promise<unknown[]> {
  return collectPages(
    connect.paginate(
      paginateSearchQueues,
      { InstanceId: instanceId, SearchCriteria: { QueueTypeCondition: 'STANDARD' } },
      500,
    ),
    (p) => p.Queues,
  );
}

/** Whether any period overlaps `[fromMs, toMs]`. */
export function openDuring(
  periods: readonly (readonly [number, number])[],
  fromMs: number,
  toMs: number,
): boolean {
  return periods.some(([start, end]) => start <= toMs && end > fromMs);
}
