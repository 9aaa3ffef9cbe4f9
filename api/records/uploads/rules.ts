/**
 * Checks one cell against its column's rule and returns the value as stored
 * (trimmed, dates as YYYY-MM-DD, codes in their canonical spelling), or a
 * problem worded for a data administrator.
 */
import { stateCodes } from '../../shared/states';
import type { ColumnSpec } from './columns';

/** One problem found in an upload; stored in upload_problems. */
export interface UploadProblem {
  file: string;
  line: number | null;
  column: string | null;
  value: string | null;
  /** Short rule name, such as "required" or "date_format". */
  rule: string;
  message: string;
  stateStudentId: string | null;
  severity: 'error' | 'warning';
}

export type CellResult = { ok: true; value: string | null } | { ok: false; rule: string; explanation: string };

/** Oldest age, in whole years on the upload date, of a child whose records are kept. */
export const maxAgeYears = 21;

const uspsCodes = new Set<string>([...stateCodes, 'AS', 'GU', 'MP', 'VI', 'FM', 'MH', 'PW', 'AA', 'AE', 'AP']);

/** A practical address check: one @, no spaces, and a dot in the domain. */
const emailPattern =
  /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Parses YYYY-MM-DD or YYYYMMDD into YYYY-MM-DD, or returns null when it is not a real calendar date. */
export function parseDate(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const parsed = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (parsed.getUTCFullYear() !== Number(year) || parsed.getUTCMonth() !== Number(month) - 1) return null;
  if (parsed.getUTCDate() !== Number(day) || Number(year) < 1900) return null;
  return `${year}-${month}-${day}`;
}

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
export function ageInYears(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function checkCell(column: ColumnSpec, raw: string, today: string): CellResult {
  const value = raw.trim();
  if (value === '') {
    return column.required
      ? { ok: false, rule: 'required', explanation: 'is empty, but this column is required.' }
      : { ok: true, value: null };
  }
  if (column.maxLength !== undefined && value.length > column.maxLength) {
    return {
      ok: false,
      rule: 'max_length',
      explanation: `is ${value.length} characters long; the maximum is ${column.maxLength}.`,
    };
  }

  const kind = column.kind;
  switch (kind.type) {
    case 'text':
      return { ok: true, value };
    case 'student_id':
      return /^[A-Za-z0-9]+$/.test(value)
        ? { ok: true, value }
        : { ok: false, rule: 'student_id_format', explanation: 'may contain only letters and digits.' };
    case 'date':
      return checkDate(value, kind.pastOnly, today);
    case 'month': {
      const match = /^(\d{4})-(\d{2})$/.exec(value);
      if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
        return { ok: false, rule: 'month_format', explanation: 'is not a valid month; use YYYY-MM, such as 2025-04.' };
      }
      if (value > today.slice(0, 7)) {
        return {
          ok: false,
          rule: 'future_date',
          explanation: `is in the future; the latest allowed is ${today.slice(0, 7)}.`,
        };
      }
      return { ok: true, value };
    }
    case 'year':
      return /^\d{4}$/.test(value) && Number(value) >= 1900
        ? { ok: true, value }
        : { ok: false, rule: 'year_format', explanation: 'is not a year; use four digits, such as 2025.' };
    case 'codes': {
      const code = kind.codes.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
      if (code) return { ok: true, value: code };
      return {
        ok: false,
        rule: 'code',
        explanation: `is not an allowed code; use ${kind.labels ?? listCodes(kind.codes)}.`,
      };
    }
    case 'two_character_code':
      return /^[A-Za-z0-9]{2}$/.test(value)
        ? { ok: true, value: value.toUpperCase() }
        : { ok: false, rule: 'code', explanation: 'is not a two-character code, such as 01.' };
    case 'yes_no': {
      const lower = value.toLowerCase();
      if (lower === 'yes' || lower === 'no') return { ok: true, value: lower === 'yes' ? 'Yes' : 'No' };
      return { ok: false, rule: 'yes_no', explanation: 'is not allowed; use Yes or No.' };
    }
    case 'sex': {
      const lower = value.toLowerCase();
      if (lower === 'f' || lower === 'female') return { ok: true, value: 'Female' };
      if (lower === 'm' || lower === 'male') return { ok: true, value: 'Male' };
      return { ok: false, rule: 'sex', explanation: 'is not allowed; use Female or Male (F and M are accepted).' };
    }
    case 'usps':
      return uspsCodes.has(value.toUpperCase())
        ? { ok: true, value: value.toUpperCase() }
        : { ok: false, rule: 'usps_code', explanation: 'is not a USPS state code; use two letters, such as TX or PR.' };
    case 'country':
      return /^[A-Za-z]{2,4}$/.test(value)
        ? { ok: true, value: value.toUpperCase() }
        : { ok: false, rule: 'country_code', explanation: 'is not a country code; use 2 to 4 letters, such as MX.' };
    case 'digits':
      if (!/^\d+$/.test(value)) {
        return {
          ok: false,
          rule: 'digits',
          explanation: `is not ${kind.what}; use digits only, with no spaces or dashes.`,
        };
      }
      if (kind.exactLength !== undefined && value.length !== kind.exactLength) {
        return {
          ok: false,
          rule: 'digits',
          explanation: `is not ${kind.what}; it must have exactly ${kind.exactLength} digits.`,
        };
      }
      return { ok: true, value };
    case 'email':
      return emailPattern.test(value)
        ? { ok: true, value }
        : { ok: false, rule: 'email', explanation: 'is not a valid email address, such as name@example.org.' };
    case 'number': {
      const decimals = kind.maxDecimals;
      const pattern = decimals === undefined ? /^\d+(\.\d+)?$/ : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
      if (pattern.test(value)) return { ok: true, value };
      const rule =
        decimals === undefined
          ? 'a number of zero or more, such as 42.5'
          : `a number of zero or more with at most ${decimals} decimals, such as 0.5`;
      return { ok: false, rule: 'number', explanation: `is not ${rule}.` };
    }
  }
}

function checkDate(value: string, pastOnly: boolean, today: string): CellResult {
  const parsed = parseDate(value);
  if (!parsed) {
    return { ok: false, rule: 'date_format', explanation: 'is not a real date; use YYYY-MM-DD or YYYYMMDD.' };
  }
  if (pastOnly && parsed > today) {
    return { ok: false, rule: 'future_date', explanation: `is in the future; the latest allowed date is ${today}.` };
  }
  return { ok: true, value: parsed };
}

function listCodes(codes: readonly string[]): string {
  return codes.length <= 2 ? codes.join(' or ') : `one of ${codes.join(', ')}`;
}

/** Quotes a value for a message, shortened so a very long cell does not flood the report. */
export function quoteValue(value: string): string {
  const shortened = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `"${shortened}"`;
}

/** Builds a problem whose message names the file, line, column, value and rule. */
export function cellProblem(
  file: string,
  line: number,
  column: string,
  value: string,
  rule: string,
  explanation: string,
  stateStudentId: string | null,
): UploadProblem {
  const quotedValue = value.trim() === '' ? '' : `${quoteValue(value)} `;
  return {
    file,
    line,
    column,
    value: value === '' ? null : value,
    rule,
    message: `${file} line ${line}, column ${column}: ${quotedValue}${explanation}`,
    stateStudentId,
    severity: 'error',
  };
}
