import { AVAILABLE, OFFLINE, SINGLE_SITE_HOURS, type SimulatorProfile } from './catalog';
import { localTime } from './hours';
import type { Agent, Channel, Shift } from './types';

/** Share of arrivals per channel. */
export const CHANNEL_SHARE: Record<Channel, number> = { VOICE: 0.6, CHAT: 0.3, TASK: 0.1 };
/**
 * Mean seconds one agent needs per contact across the channel mix, counting chat and task concurrency
 * (voice 300 s, chat 500 s at ~2.5 at once, task 315 s at ~1.5 at once).
 */
const SECONDS_PER_CONTACT = 261;
/** Share of scheduled agents' capacity the offered load targets (the rest absorbs breaks and peaks). */
const TARGET_LOAD = 0.65;

const minuteOfDay = (ms: number): number => Math.floor(ms / 60_000) % 1440;

/** The status an agent's shift asks for at time `ms`: Offline, a planned activity, or Available. */
export function desiredStatus(shift: Shift, ms: number): number {
  const offset = (minuteOfDay(ms) - shift.startMinute + 1440) % 1440;
  if (offset >= shift.lengthMinutes) return OFFLINE;
  let status = AVAILABLE;
  for (const activity of shift.activities) {
    if (offset >= activity.offsetMinutes && offset < activity.offsetMinutes + activity.durationMinutes) {
      status = activity.statusIndex;
    }
  }
  return status;
}

/**
 * Channel-specific variation within the day (mean about 1): chat peaks two hours later than voice in
 * each shift, tasks arrive evenly.
 */
export function channelShape(channel: Channel, ms: number): number {
  if (channel === 'TASK') return 1;
  const minute = minuteOfDay(ms);
  const shift = channel === 'CHAT' ? 120 : 0;
  return 0.85 + 0.3 * Math.sin((2 * Math.PI * ((minute - shift + 1440) % 480)) / 480 - Math.PI / 2) ** 2;
}

/** Agents scheduled on shift for each minute of the UTC day. */
export function staffingByMinute(agents: readonly Agent[]): Float64Array {
  const staffed = new Float64Array(1440);
  for (const agent of agents) {
    for (let m = 0; m < agent.shift.lengthMinutes; m += 1) {
      const minute = (agent.shift.startMinute + m) % 1440;
      staffed[minute] = (staffed[minute] ?? 0) + 1;
    }
  }
  return staffed;
}

/**
 * Expected arrivals a second at `ms`: scheduled staff times a time-of-day shape. Follow-the-sun peaks
 * mid-shift and never closes; single-site is closed outside its opening hours, with a late-morning
 * and a mid-afternoon peak.
 */
export function arrivalRatePerSecond(
  profile: SimulatorProfile,
  staffing: Float64Array,
  ms: number,
  timeZone = 'UTC',
): number {
  const minute = minuteOfDay(ms);
  const staffed = staffing[minute] ?? 0;
  let shape: number;
  if (profile === 'office-hours') {
    // Its hours of operation close it (the engine checks them); within them, the single site's curve
    // by local time.
    const hour = localTime(ms, timeZone).minute / 60;
    shape = 0.6 + 0.5 * Math.exp(-((hour - 11) ** 2) / 3) + 0.4 * Math.exp(-((hour - 15) ** 2) / 3);
  } else if (profile === 'single-site') {
    if (minute < SINGLE_SITE_HOURS.open || minute >= SINGLE_SITE_HOURS.close) return 0;
    const hour = minute / 60;
    shape = 0.6 + 0.5 * Math.exp(-((hour - 11) ** 2) / 3) + 0.4 * Math.exp(-((hour - 15) ** 2) / 3);
  } else {
    const phase = ((minute + 120) % 480) / 480;
    shape = 0.8 + 0.35 * Math.sin(Math.PI * phase) ** 2;
  }
  return (staffed * TARGET_LOAD * Math.min(shape, 1.15)) / SECONDS_PER_CONTACT;
}

/** Index of the first cumulative weight above x (picks a stream in proportion to its weight). */
export function bisect(cumulative: readonly number[], x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
