/**
 * Reads the dashboard routes' query parameters: periods, baselines, metric,
 * scope and year. Every problem is a 400 that names the parameter, the value
 * received and what is allowed.
 */
import { AppError } from '../../errors';
import { stateCodes, type StateCode } from '../../shared/states';
import type { DashboardPeriods, DashboardScope } from '../contract';
import { isMetricId, metricIds, nationalScope, type MetricId } from '../metrics';
import { addQuarters, describeQuarter, parseQuarter, quartersBetween, type Quarter } from '../quarters';

/** The raw query parameters of a dashboard route, as `c.req.query()` returns them. */
export type DashboardQuery = Record<string, string | undefined>;

/** Maximum number of quarters in a period or a baseline: five years. */
export const maxPeriodQuarters = 20;

export interface Period {
  from: Quarter;
  to: Quarter;
  quarters: Quarter[];
}

/**
 * Builds the period choices from the earliest quarter on file and the current
 * time. The default period is the last four whole quarters: the current
 * quarter is still running, so counts in it would read as a fall.
 */
export function describePeriods(firstQuarterOnFile: Quarter | null, currentQuarter: Quarter): DashboardPeriods {
  const lastWholeQuarter = addQuarters(currentQuarter, -1);
  return {
    firstQuarter: firstQuarterOnFile ?? currentQuarter,
    currentQuarter,
    defaultFrom: addQuarters(lastWholeQuarter, -3),
    defaultTo: lastWholeQuarter,
  };
}

/** Reads `from` and `to`; the default is the last four whole quarters, before the current one. */
export function parsePeriod(query: DashboardQuery, periods: DashboardPeriods): Period {
  const from = parseQuarter('from', query.from, periods.defaultFrom);
  // A lone `from` in the current quarter gets that quarter as its end, not an end before it.
  const to = parseQuarter('to', query.to, from > periods.defaultTo ? from : periods.defaultTo);
  return checkPeriod('from', 'to', from, to, periods.currentQuarter);
}

/**
 * Reads `baselineFrom` and `baselineTo`. The baseline has as many quarters as
 * the period unless both ends are given; with neither, it is the quarters
 * just before the period.
 */
export function parseBaseline(query: DashboardQuery, period: Period, currentQuarter: Quarter): Period {
  const length = period.quarters.length;
  const fromGiven = Boolean(query.baselineFrom);
  const toGiven = Boolean(query.baselineTo);

  let from: Quarter;
  let to: Quarter;
  if (fromGiven && toGiven) {
    from = parseQuarter('baselineFrom', query.baselineFrom, period.from);
    to = parseQuarter('baselineTo', query.baselineTo, period.from);
  } else if (fromGiven) {
    from = parseQuarter('baselineFrom', query.baselineFrom, period.from);
    to = addQuarters(from, length - 1);
  } else if (toGiven) {
    to = parseQuarter('baselineTo', query.baselineTo, period.from);
    from = addQuarters(to, -(length - 1));
  } else {
    to = addQuarters(period.from, -1);
    from = addQuarters(to, -(length - 1));
  }
  return checkPeriod('baselineFrom', 'baselineTo', from, to, currentQuarter);
}

function checkPeriod(fromField: string, toField: string, from: Quarter, to: Quarter, current: Quarter): Period {
  if (to < from) {
    throw new AppError(
      400,
      'invalid_period',
      `${toField}: ${to} is before ${fromField} ${from}. Choose a ${toField} quarter the same as or after ${fromField}.`,
    );
  }
  if (to > current) {
    throw new AppError(
      400,
      'invalid_period',
      `${toField}: ${to} has not started yet. Choose ${current} (${describeQuarter(current)}) or an earlier quarter.`,
    );
  }
  const quarters = quartersBetween(from, to);
  if (quarters.length > maxPeriodQuarters) {
    throw new AppError(
      400,
      'invalid_period',
      `${fromField} to ${toField}: ${from} to ${to} is ${quarters.length} quarters. Choose at most ${maxPeriodQuarters} quarters (five years).`,
    );
  }
  return { from, to, quarters };
}

/** Reads `metric`; the default is searches, the program's headline figure. */
export function parseMetric(query: DashboardQuery): MetricId {
  const value = query.metric;
  if (value === undefined || value === '') return 'searches';
  if (!isMetricId(value)) {
    throw new AppError(
      400,
      'invalid_metric',
      `metric: "${value.slice(0, 40)}" is not a dashboard metric. Use one of ${metricIds.join(', ')}.`,
    );
  }
  return value;
}

/** Reads `scope`: "US" for the nation (the default) or a USPS state code, in either case. */
export function parseScope(query: DashboardQuery): DashboardScope {
  const value = query.scope;
  if (value === undefined || value === '') return nationalScope;
  const upper = value.toUpperCase();
  if (upper === nationalScope) return nationalScope;
  if (isStateCode(upper)) return upper;
  throw new AppError(
    400,
    'invalid_scope',
    `scope: "${value.slice(0, 20)}" is not a state. Use US for the national figures or a USPS state code such as TX.`,
  );
}

/** Reads `year`: four digits, no later than the current year. */
export function parseYear(query: DashboardQuery, fallback: number, currentYear: number): number {
  const value = query.year;
  if (value === undefined || value === '') return fallback;
  if (!/^\d{4}$/.test(value)) {
    throw new AppError(
      400,
      'invalid_year',
      `year: "${value.slice(0, 20)}" is not a year. Use four digits, such as ${currentYear}.`,
    );
  }
  const year = Number(value);
  if (year > currentYear) {
    throw new AppError(
      400,
      'invalid_year',
      `year: ${year} has not started yet. Choose ${currentYear} or an earlier year.`,
    );
  }
  return year;
}

export function isStateCode(value: string): value is StateCode {
  return (stateCodes as readonly string[]).includes(value);
}

/** The calendar year the public summary shows, and the years a visitor may choose. */
export interface PublicYear {
  year: number;
  /** Choosable years, newest first. */
  years: number[];
  /** False only when no calendar year on file has ended, so the running year is shown so far. */
  yearEnded: boolean;
  period: Period;
}

/**
 * Reads `year` for the public summary. Visitors get whole calendar years that
 * have ended, from the year of the first quarter on file: fixed periods that
 * never overlap, so a hidden small count cannot be worked out by comparing two
 * periods. `from` and `to` are rejected for the same reason. When no year on
 * file has ended, the only choice is the running year, up to the current quarter.
 */
export function parsePublicYear(query: DashboardQuery, periods: DashboardPeriods): PublicYear {
  const currentYear = yearOf(periods.currentQuarter);
  const firstYear = Math.min(yearOf(periods.firstQuarter), currentYear);
  const yearEnded = firstYear < currentYear;
  const newestYear = yearEnded ? currentYear - 1 : currentYear;
  const years: number[] = [];
  for (let year = newestYear; year >= firstYear; year -= 1) years.push(year);

  rejectQuarterParameters(query, newestYear);

  const year = readPublicYearValue(query.year, newestYear, firstYear, yearEnded);
  const from: Quarter = `${year}-Q1`;
  const to: Quarter = year === currentYear ? periods.currentQuarter : `${year}-Q4`;
  return { year, years, yearEnded, period: { from, to, quarters: quartersBetween(from, to) } };
}

function rejectQuarterParameters(query: DashboardQuery, exampleYear: number): void {
  const given = ['from', 'to'].filter((field) => Boolean(query[field]));
  if (given.length === 0) return;
  throw new AppError(
    400,
    'whole_years_only',
    `${given.join(' and ')}: the public summary shows whole calendar years, not periods of quarters. Use year instead, such as year=${exampleYear}.`,
  );
}

function readPublicYearValue(
  value: string | undefined,
  newestYear: number,
  firstYear: number,
  yearEnded: boolean,
): number {
  if (value === undefined || value === '') return newestYear;
  if (!/^\d{4}$/.test(value)) {
    throw new AppError(
      400,
      'invalid_year',
      `year: "${value.slice(0, 20)}" is not a year. Use four digits, such as ${newestYear}.`,
    );
  }
  const year = Number(value);
  if (year >= firstYear && year <= newestYear) return year;

  const choice = firstYear === newestYear ? `${newestYear}` : `a year from ${firstYear} to ${newestYear}`;
  const reason = yearEnded
    ? `The public summary shows whole calendar years that have ended, so choose ${choice}.`
    : `No calendar year on file has ended yet, so the public summary shows only ${newestYear} so far.`;
  throw new AppError(400, 'invalid_year', `year: ${year} is not available. ${reason}`);
}

function yearOf(quarter: Quarter): number {
  return Number(quarter.slice(0, 4));
}
