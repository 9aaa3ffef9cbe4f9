/**
 * Business-hours arithmetic for SLA clocks: the desk's weekly hours
 * (BUSINESS_HOURS), closed on U.S. federal holidays, read in one IANA time
 * zone. Pure functions of their arguments.
 */
import { isFederalHoliday, weekdayOf } from './holidays';
import { fromLocalTime, toLocalTime } from './time-zones';

/** Open periods of one day as [start, end) in minutes since local midnight; end may be 1440. */
export type DayHours = ReadonlyArray<readonly [number, number]>;

export interface BusinessHours {
  /** The text it was parsed from, such as "Mon-Fri 08:00-17:00". */
  text: string;
  /** Open periods per weekday, index 0 Sunday to 6 Saturday, sorted by start. */
  days: readonly DayHours[];
}

const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const allowedForm =
  'days and 24-hour times such as "Mon-Fri 08:00-17:00" or "Mon-Thu 07:30-18:00, Fri 08:00-12:00": ' +
  'groups separated by commas, each a day (Mon to Sun) or a day range followed by one or more ' +
  'HH:MM-HH:MM periods that end after they start and do not overlap';

const groupPattern =
  /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{2}:\d{2}\s*-\s*\d{2}:\d{2}(?:\s+\d{2}:\d{2}\s*-\s*\d{2}:\d{2})*)$/i;
const periodPattern = /(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})/g;

const parsed = new Map<string, BusinessHours>();

/**
 * Parses BUSINESS_HOURS. Throws an Error naming the variable, the value and
 * the allowed form, so the server can reject a bad setting at start.
 */
export function parseBusinessHours(text: string): BusinessHours {
  const cached = parsed.get(text);
  if (cached) return cached;

  const fail = (problem: string): never => {
    throw new Error(`BUSINESS_HOURS is ${JSON.stringify(text)}, which is not valid: ${problem}. Use ${allowedForm}.`);
  };

  const days: Array<Array<[number, number]>> = dayNames.map(() => []);
  const groups = text.split(',').map((group) => group.trim());
  if (groups.every((group) => group === '')) fail('it is empty');

  for (const group of groups) {
    const match = groupPattern.exec(group);
    if (!match) fail(`"${group}" is not a day or day range followed by HH:MM-HH:MM`);
    const [, firstName, lastName, periodText] = match!;
    const first = readDay(firstName!, fail);
    const last = lastName === undefined ? first : readDay(lastName, fail);

    const periods: Array<[number, number]> = [];
    for (const period of periodText!.matchAll(periodPattern)) {
      const start = readTime(period[1]!, period[2]!, fail);
      const end = readTime(period[3]!, period[4]!, fail);
      if (end <= start) fail(`in "${group}", the period ${period[0]} does not end after it starts`);
      periods.push([start, end]);
    }

    // A range such as Sun-Thu runs Sunday to Thursday; Fri-Mon wraps over the weekend.
    for (let offset = 0; offset <= (last - first + 7) % 7; offset += 1) {
      days[(first + offset) % 7]!.push(...periods);
    }
  }

  for (const [index, periods] of days.entries()) {
    periods.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < periods.length; i += 1) {
      if (periods[i]![0] < periods[i - 1]![1]) fail(`two periods on ${capitalize(dayNames[index]!)} overlap`);
    }
  }

  const hours: BusinessHours = { text, days };
  parsed.set(text, hours);
  return hours;
}

function readDay(name: string, fail: (problem: string) => never): number {
  const index = dayNames.indexOf(name.toLowerCase());
  if (index < 0) fail(`"${name}" is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun`);
  return index;
}

function readTime(hour: string, minute: string, fail: (problem: string) => never): number {
  const value = Number(hour) * 60 + Number(minute);
  if (Number(minute) > 59 || value > 24 * 60) fail(`${hour}:${minute} is not a time from 00:00 to 24:00`);
  return value;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Maximum days searched for open hours. A schedule with no open hours in that span is a configuration error. */
const maximumSearchDays = 3700;

/** One open period of a calendar day, as UTC epoch milliseconds. */
interface OpenPeriod {
  startMs: number;
  endMs: number;
}

/**
 * Lists the open periods of each local day from the day containing `fromMs`,
 * skipping weekdays without hours and federal holidays. Periods are exact
 * instants, so a day with a daylight-saving change has its real length.
 */
function* openPeriodsFrom(fromMs: number, hours: BusinessHours, timeZone: string): Generator<OpenPeriod> {
  const local = toLocalTime(fromMs, timeZone);
  let date = new Date(Date.UTC(local.year, local.month - 1, local.day));

  for (let dayCount = 0; dayCount < maximumSearchDays; dayCount += 1) {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const periods = hours.days[weekdayOf(year, month, day)]!;

    if (periods.length > 0 && !isFederalHoliday(year, month, day)) {
      for (const [start, end] of periods) {
        yield {
          startMs: fromLocalTime(year, month, day, start, timeZone),
          endMs: fromLocalTime(year, month, day, end, timeZone),
        };
      }
    }
    date = new Date(Date.UTC(year, month - 1, day + 1));
  }
  throw new Error(`No business hours in ${maximumSearchDays} days for BUSINESS_HOURS "${hours.text}".`);
}

/** Returns the instant `minutes` business minutes after `start`. A start outside hours counts from the next opening. */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours, timeZone: string): Date {
  if (minutes <= 0) return start;
  let remainingMs = minutes * 60_000;
  const startMs = start.getTime();

  for (const period of openPeriodsFrom(startMs, hours, timeZone)) {
    const from = Math.max(period.startMs, startMs);
    if (period.endMs <= from) continue;
    const available = period.endMs - from;
    if (remainingMs <= available) return new Date(from + remainingMs);
    remainingMs -= available;
  }
  throw new Error('unreachable: openPeriodsFrom throws before running out of days');
}

/** Counts the business minutes between two instants, with fractions; 0 when `to` is not after `from`. */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours, timeZone: string): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (toMs <= fromMs) return 0;

  let totalMs = 0;
  for (const period of openPeriodsFrom(fromMs, hours, timeZone)) {
    if (period.startMs >= toMs) break;
    const overlap = Math.min(period.endMs, toMs) - Math.max(period.startMs, fromMs);
    if (overlap > 0) totalMs += overlap;
  }
  return totalMs / 60_000;
}
