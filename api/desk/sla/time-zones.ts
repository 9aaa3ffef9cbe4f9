/**
 * The IANA time zone whose business hours apply to a ticket, chosen by the
 * requester's USPS state code. Conversions between UTC instants and local
 * wall-clock time go through Intl.DateTimeFormat, so daylight saving time
 * follows the time zone data that ships with Node.js.
 */
import type { StateCode } from '../../shared/states';

/** Tickets without a state (visitors, national staff) run on Eastern time. */
export const defaultTimeZone = 'America/New_York';

/**
 * One zone per state. Where a state spans two zones, the comment names the
 * zone of most of its people and the part left out.
 */
export const stateTimeZones: Record<StateCode, string> = {
  AL: 'America/Chicago',
  AK: 'America/Anchorage', // The Aleutians west of 169°30′W use America/Adak.
  AZ: 'America/Phoenix', // No daylight saving time. The Navajo Nation, which observes it, is left out.
  AR: 'America/Chicago',
  CA: 'America/Los_Angeles',
  CO: 'America/Denver',
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York', // The western Panhandle (Pensacola) is on Central time.
  GA: 'America/New_York',
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise', // Mountain time (Boise). The northern panhandle is on Pacific time.
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis', // Eastern. The northwest and southwest corners are on Central time.
  IA: 'America/Chicago',
  KS: 'America/Chicago', // Four western counties are on Mountain time.
  KY: 'America/New_York', // Eastern (Louisville, Lexington). The western half is on Central time.
  LA: 'America/Chicago',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit', // Four Upper Peninsula counties are on Central time.
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  MT: 'America/Denver',
  NE: 'America/Chicago', // The western Panhandle is on Mountain time.
  NV: 'America/Los_Angeles',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NM: 'America/Denver',
  NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago', // The southwest corner is on Mountain time.
  OH: 'America/New_York',
  OK: 'America/Chicago',
  OR: 'America/Los_Angeles', // Most of Malheur County is on Mountain time.
  PA: 'America/New_York',
  PR: 'America/Puerto_Rico', // Atlantic time all year, no daylight saving time.
  RI: 'America/New_York',
  SC: 'America/New_York',
  SD: 'America/Chicago', // Central (Sioux Falls). The western half is on Mountain time.
  TN: 'America/Chicago', // Central (Nashville, Memphis). East Tennessee is on Eastern time.
  TX: 'America/Chicago', // El Paso and Hudspeth counties are on Mountain time.
  UT: 'America/Denver',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WA: 'America/Los_Angeles',
  WV: 'America/New_York',
  WI: 'America/Chicago',
  WY: 'America/Denver',
};

export function timeZoneOfState(state: string | null | undefined): string {
  if (!state) return defaultTimeZone;
  return stateTimeZones[state.toUpperCase() as StateCode] ?? defaultTimeZone;
}

/** Wall-clock reading of an instant in a zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight, 0 to 1439. */
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function readParts(epochMs: number, timeZone: string) {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year!,
    month: values.month!,
    day: values.day!,
    hour: values.hour!,
    minute: values.minute!,
    second: values.second!,
  };
}

export function toLocalTime(epochMs: number, timeZone: string): LocalTime {
  const parts = readParts(epochMs, timeZone);
  return { year: parts.year, month: parts.month, day: parts.day, minuteOfDay: parts.hour * 60 + parts.minute };
}

/** Milliseconds to add to UTC to get the zone's wall-clock time at that instant. */
function offsetAt(epochMs: number, timeZone: string): number {
  const parts = readParts(epochMs, timeZone);
  const wallClock = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallClock - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Returns the instant at which a zone's clocks show a wall-clock time. A time
 * skipped by a spring-forward change is read with the offset before the
 * change (02:30 becomes 03:30 daylight time), and a time repeated by a
 * fall-back change maps to its first occurrence.
 */
export function fromLocalTime(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const key = `${timeZone} ${year}-${month}-${day} ${minuteOfDay}`;
  let instant = instantCache.get(key);
  if (instant === undefined) {
    // The SLA clocks ask for the same openings and closings again and again, and Intl formatting is the slow part.
    if (instantCache.size >= maximumCachedInstants) instantCache.clear();
    instant = computeInstant(year, month, day, minuteOfDay, timeZone);
    instantCache.set(key, instant);
  }
  return instant;
}

const instantCache = new Map<string, number>();
const maximumCachedInstants = 100_000;

function computeInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wallClock = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // Two offsets around the target cover a change of offset within the day.
  const offsetBefore = offsetAt(wallClock - 86_400_000, timeZone);
  const offsetAfter = offsetAt(wallClock + 86_400_000, timeZone);
  const candidates = [wallClock - offsetBefore, wallClock - offsetAfter].sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (candidate + offsetAt(candidate, timeZone) === wallClock) return candidate;
  }
  // The wall-clock time falls in a spring-forward gap.
  return wallClock - offsetBefore;
}
