/** The period and filters of a desk report, read from the query string. */
import { z } from 'zod';
import { ticketCategories, ticketChannels } from '../../../db/schema';
import { stateCodes } from '../../shared/states';
import { parseInput, ValidationError } from '../../shared/validation';
import { defaultTimeZone, fromLocalTime, toLocalTime } from '../sla/time-zones';

/** Dates and weeks of the reports are read in the desk's home zone, Eastern time. */
export const reportTimeZone = defaultTimeZone;

/** Maximum days in one report's period, which bounds the weekly table. */
export const maximumPeriodDays = 732;
/** Days covered when the query gives no dates: the last 30 days, today included. */
export const defaultPeriodDays = 30;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const dateField = z
  .string()
  .regex(datePattern, 'must be a date such as 2026-12-04')
  .refine((value) => isCalendarDate(value), 'is not a calendar date');

const reportQuery = z
  .object({
    from: dateField.optional(),
    to: dateField.optional(),
    state: z
      .string()
      .transform((value) => value.toUpperCase())
      .refine((value) => (stateCodes as readonly string[]).includes(value), 'must be a USPS state code such as TX')
      .optional(),
    category: z.enum(ticketCategories).optional(),
    channel: z.enum(ticketChannels).optional(),
  })
  .strip();

export interface ReportFilters {
  /** First and last day of the period, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** The period as UTC instants: [fromInstant, toInstant). */
  fromInstant: string;
  toInstant: string;
  state: string | null;
  category: string | null;
  channel: string | null;
}

export function readReportFilters(query: Record<string, string | undefined>, now: Date): ReportFilters {
  // Empty fields of the filter form mean "no filter".
  const cleaned = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
  const input = parseInput(reportQuery, cleaned);

  const today = toLocalTime(now.getTime(), reportTimeZone);
  const todayText = new Date(Date.UTC(today.year, today.month - 1, today.day)).toISOString().slice(0, 10);
  const to = input.to ?? todayText;
  const from = input.from ?? shiftDate(to, -(defaultPeriodDays - 1));

  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) {
    throw parseFailure('to', `must be on or after from (${from})`);
  }
  if (days > maximumPeriodDays) {
    throw parseFailure('to', `gives a period of ${days} days; choose at most ${maximumPeriodDays} days`);
  }

  return {
    from,
    to,
    fromInstant: startOfDay(from),
    toInstant: startOfDay(shiftDate(to, 1)),
    state: input.state ?? null,
    category: input.category ?? null,
    channel: input.channel ?? null,
  };
}

function parseFailure(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message: `${message}.` }]);
}

/** Tells whether YYYY-MM-DD names a real day; Date.parse accepts 2026-02-30 as 2 March. */
function isCalendarDate(value: string): boolean {
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}

export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function startOfDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(fromLocalTime(year, month, day, 0, reportTimeZone)).toISOString();
}
