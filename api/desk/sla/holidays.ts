/**
 * U.S. federal holidays (5 U.S.C. 6103) for any year, with the observed-day
 * rule that OPM applies to full-time federal staff: a holiday on a Saturday is
 * observed on the Friday before, and one on a Sunday on the Monday after.
 */

export interface FederalHoliday {
  name: string;
  /** The legal date, YYYY-MM-DD. */
  date: string;
  /** The weekday on which offices close, YYYY-MM-DD, which differs from `date` on weekends. */
  observed: string;
}

const cache = new Map<number, FederalHoliday[]>();

/** Lists the federal holidays of a year in calendar order: eleven from 2021, when Juneteenth was added, and ten before. */
export function federalHolidays(year: number): FederalHoliday[] {
  const cached = cache.get(year);
  if (cached) return cached;

  const fixed = (name: string, month: number, day: number) => holiday(name, year, month, day);
  const nth = (name: string, month: number, weekday: number, n: number) =>
    holiday(name, year, month, nthWeekdayOfMonth(year, month, weekday, n));

  const all = [
    fixed("New Year's Day", 1, 1),
    nth('Birthday of Martin Luther King, Jr.', 1, monday, 3),
    nth("Washington's Birthday", 2, monday, 3),
    holiday('Memorial Day', year, 5, lastWeekdayOfMonth(year, 5, monday)),
    fixed('Juneteenth National Independence Day', 6, 19),
    fixed('Independence Day', 7, 4),
    nth('Labor Day', 9, monday, 1),
    nth('Columbus Day', 10, monday, 2),
    fixed('Veterans Day', 11, 11),
    nth('Thanksgiving Day', 11, thursday, 4),
    fixed('Christmas Day', 12, 25),
  ];
  const holidays = year < 2021 ? all.filter((entry) => !entry.name.startsWith('Juneteenth')) : all;
  cache.set(year, holidays);
  return holidays;
}

const sunday = 0;
const monday = 1;
const thursday = 4;
const saturday = 6;

/**
 * Tells whether a calendar date is a day off for a federal holiday: the
 * observed day, and also the legal date when that falls on a weekend, so a
 * desk open on Saturdays closes on a Saturday holiday too.
 */
export function isFederalHoliday(year: number, month: number, day: number): boolean {
  const date = isoDate(year, month, day);
  // New Year's Day of the next year can be observed on December 31.
  for (const candidateYear of [year, year + 1]) {
    for (const entry of federalHolidays(candidateYear)) {
      if (entry.observed === date || entry.date === date) return true;
    }
  }
  return false;
}

function holiday(name: string, year: number, month: number, day: number): FederalHoliday {
  const weekday = weekdayOf(year, month, day);
  let shift = 0;
  if (weekday === saturday) shift = -1;
  if (weekday === sunday) shift = 1;
  const observed = new Date(Date.UTC(year, month - 1, day + shift));
  return { name, date: isoDate(year, month, day), observed: observed.toISOString().slice(0, 10) };
}

/** Day of the month of the nth given weekday (0 Sunday to 6 Saturday), counting n from 1. */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): number {
  const first = weekdayOf(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}

function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekdayOf(year, month, lastDay);
  return lastDay - ((last - weekday + 7) % 7);
}

/** Day of the week of a calendar date, 0 Sunday to 6 Saturday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
