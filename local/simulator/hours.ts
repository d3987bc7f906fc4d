/**
 * Hours of operation as Connect models them: a time zone, per-day time ranges (`Config`, several a day
 * allowed, a day without one is closed) and overrides (date ranges whose own `Config` replaces the
 * standard hours; a day of the range without a range of its own is closed), and the effective hours of
 * a date that GetEffectiveHoursOfOperations returns. Sources: Connect API Reference, HoursOfOperation,
 * HoursOfOperationConfig (Day SUNDAY..SATURDAY, StartTime/EndTime {Hours 0-23, Minutes 0-59}),
 * HoursOfOperationOverride (EffectiveFrom/EffectiveTill yyyy-MM-dd); Admin Guide, "Set the hours of
 * operation": "To specify midnight, enter 12:00AM" as the end time (so an end of 00:00 is the end of the
 * day), and a day's hours can leave a gap (a lunch closure) by two ranges.
 */

export const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Day = (typeof DAYS)[number];

/** Hours and minutes of a range's start or end. */
export interface TimeSlice {
  readonly Hours: number;
  readonly Minutes: number;
}

/** One range of a day: `HoursOfOperationConfig` (and an override's `Config`). */
export interface HoursRange {
  readonly Day: Day;
  readonly StartTime: TimeSlice;
  readonly EndTime: TimeSlice;
}

/** An override: a date range whose ranges replace the standard hours. */
export interface SimulatedOverride {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly config: readonly HoursRange[];
  /** yyyy-MM-dd, inclusive. */
  readonly effectiveFrom: string;
  /** yyyy-MM-dd, inclusive. */
  readonly effectiveTill: string;
  readonly lastModified: number;
}

/** An hours of operation resource. */
export interface SimulatedHours {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly description: string;
  /** IANA time zone name (Connect also takes names such as EST5EDT, which the tz database has). */
  readonly timeZone: string;
  readonly config: readonly HoursRange[];
  readonly overrides: SimulatedOverride[];
  readonly lastModified: number;
}

/** An open period of a local date, in minutes after its midnight; `end` may pass 1440 (overnight). */
export interface OpenPeriod {
  readonly start: number;
  readonly end: number;
}

const minutesOf = (t: TimeSlice): number => t.Hours * 60 + t.Minutes;

/** A range's minutes on its own day: an end of 00:00, or not after the start, runs past midnight. */
export function rangeMinutes(range: HoursRange): OpenPeriod {
  const start = minutesOf(range.StartTime);
  const end = minutesOf(range.EndTime);
  return { start, end: end <= start ? end + 1440 : end };
}

/** The weekday of a yyyy-MM-dd date. */
export function dayOf(date: string): Day {
  return DAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'SUNDAY';
}

/** yyyy-MM-dd `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether the runtime's time zone database knows `name`. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The local date and minute of the day of `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): { date: string; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The override in force on `date`, if any. */
export function overrideOn(hours: SimulatedHours, date: string): SimulatedOverride | undefined {
  return hours.overrides.find((o) => o.effectiveFrom <= date && date <= o.effectiveTill);
}

/** The ranges that start on `date`: an override's for that weekday when one covers the date, else the standard ones. */
export function rangesOn(hours: SimulatedHours, date: string): HoursRange[] {
  const day = dayOf(date);
  const source = overrideOn(hours, date)?.config ?? hours.config;
  return source.filter((r) => r.Day === day);
}

/** Whether the hours are open at `ms`: in a range of the local date, or in an overnight range of the day before. */
export function isOpenAt(hours: SimulatedHours, ms: number): boolean {
  const { date, minute } = localTime(ms, hours.timeZone);
  const today = rangesOn(hours, date).some((r) => {
    const p = rangeMinutes(r);
    return minute >= p.start && minute < p.end;
  });
  if (today) return true;
  return rangesOn(hours, addDays(date, -1)).some((r) => minute + 1440 < rangeMinutes(r).end);
}

/** Hours open every day, all day: 00:00 to 00:00 (midnight) on each of the seven days. */
export function allWeekRanges(): HoursRange[] {
  return DAYS.map((Day) => ({ Day, StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } }));
}

/** The same range on each of `days`. */
export function dailyRanges(days: readonly Day[], from: TimeSlice, to: TimeSlice): HoursRange[] {
  return days.map((Day) => ({ Day, StartTime: from, EndTime: to }));
}
