/**
 * Calendar quarters in UTC, written "2026-Q4". The dashboard counts every
 * figure by quarter; a period is a run of quarters from one to another.
 */
import { AppError } from '../errors';

export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

const quarterPattern = /^(\d{4})-Q([1-4])$/;
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Tells whether a string is a quarter such as "2026-Q4". */
export function isQuarter(value: string): value is Quarter {
  return quarterPattern.test(value);
}

/** Returns the quarter of a UTC ISO time or a YYYY-MM-DD date. */
export function quarterOf(isoTime: string): Quarter {
  const year = Number(isoTime.slice(0, 4));
  const month = Number(isoTime.slice(5, 7));
  return `${year}-Q${Math.floor((month + 2) / 3) as 1 | 2 | 3 | 4}`;
}

/** Returns the first instant of a quarter, as a UTC ISO time. */
export function quarterStart(quarter: Quarter): string {
  const { year, number } = splitQuarter(quarter);
  return new Date(Date.UTC(year, (number - 1) * 3, 1)).toISOString();
}

/** Returns the first instant after a quarter, as a UTC ISO time. Ranges run from the start up to this, not included. */
export function quarterEnd(quarter: Quarter): string {
  return quarterStart(addQuarters(quarter, 1));
}

/** Returns the quarter `count` quarters after another, or before it when `count` is negative. */
export function addQuarters(quarter: Quarter, count: number): Quarter {
  const { year, number } = splitQuarter(quarter);
  const index = year * 4 + (number - 1) + count;
  return `${Math.floor(index / 4)}-Q${((index % 4) + 1) as 1 | 2 | 3 | 4}`;
}

/** Lists every quarter from `from` to `to`, both included, oldest first. The list is empty when `to` is before `from`. */
export function quartersBetween(from: Quarter, to: Quarter): Quarter[] {
  const quarters: Quarter[] = [];
  for (let quarter = from; quarter <= to; quarter = addQuarters(quarter, 1)) quarters.push(quarter);
  return quarters;
}

/**
 * Names a quarter for readers: "Oct–Dec 2026". Given the current quarter, it
 * marks that one "Oct–Dec 2026 (so far)", because its counts are still growing.
 */
export function describeQuarter(quarter: Quarter, currentQuarter?: Quarter): string {
  const { year, number } = splitQuarter(quarter);
  const first = (number - 1) * 3;
  const name = `${monthNames[first]}–${monthNames[first + 2]} ${year}`;
  return quarter === currentQuarter ? `${name} (so far)` : name;
}

/**
 * Reads a quarter from a query parameter, or throws a 400 that names the
 * field, what was received and what is allowed.
 */
export function parseQuarter(field: string, value: string | undefined, fallback: Quarter): Quarter {
  if (value === undefined || value === '') return fallback;
  if (!isQuarter(value)) {
    throw new AppError(
      400,
      'invalid_quarter',
      `${field}: "${value.slice(0, 20)}" is not a quarter. Use the year, "-Q" and the quarter number, such as 2026-Q4.`,
    );
  }
  return value;
}

function splitQuarter(quarter: Quarter): { year: number; number: number } {
  const match = quarterPattern.exec(quarter);
  if (!match) throw new Error(`Not a quarter: ${quarter}`);
  return { year: Number(match[1]), number: Number(match[2]) };
}
