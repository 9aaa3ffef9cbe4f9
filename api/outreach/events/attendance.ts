/**
 * Attendance import from a webinar platform's CSV export. Rows are matched to
 * the event's registrations by email address, whatever the registration's
 * status. Valid rows are applied and the rest are reported, so an admin can
 * fix the file and import it again: importing the same file twice changes
 * nothing more.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { eventRegistrations } from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { recordAudit } from '../../audit/record';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseCsv } from '../../shared/csv';
import { parseInput } from '../../shared/validation';
import { requireEvent } from './event-content';

/** Largest CSV text accepted, in UTF-8 bytes. */
export const maxAttendanceCsvBytes = 1024 * 1024;

/** Header names of the email column, compared case-insensitively after trimming. */
const emailColumnNames = ['email', 'e-mail', 'email address', 'attendee email'];
const attendedColumnName = 'attended';

/** Rows searched for the header, because some platforms put a report title and date above it. */
const maxHeaderSearchRows = 20;

const yesValues = new Set(['yes', 'y', 'true', '1']);
const noValues = new Set(['no', 'n', 'false', '0']);

/** A loose check for a reported row; a row only ever updates a registration whose stored address it equals. */
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const attendanceInput = z.object({
  csv: z
    .string()
    .refine((value) => value.trim() !== '', 'is empty; paste or upload the CSV export of the webinar platform'),
});

export interface AttendanceProblem {
  line: number;
  column: string;
  value: string;
  problem: string;
}

export interface AttendanceReport {
  /** Registrations whose attendance was set from the file. */
  matched: number;
  /** Rows with a valid address that has no registration for this event, one per address. */
  unmatched: { line: number; email: string }[];
  errors: AttendanceProblem[];
}

/**
 * Sets `attended` on the event's registrations from the CSV. A row without an
 * "attended" column counts as attended. Platforms list a row each time a
 * person joined, so when an address appears on several rows, one "yes" is enough.
 *
 * NOTE: `line` is the row's position among the file's non-blank rows, header
 * row first; it differs from the file's line number when a blank line or a
 * quoted line break comes before the row.
 */
export function importAttendance(
  db: AppDatabase,
  actor: Actor,
  slug: string,
  input: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
): AttendanceReport {
  const { csv } = parseInput(attendanceInput, input);
  if (Buffer.byteLength(csv, 'utf8') > maxAttendanceCsvBytes) {
    throw new AppError(
      413,
      'payload_too_large',
      `The CSV is larger than ${maxAttendanceCsvBytes / (1024 * 1024)} MB. Remove columns other than the email and attended columns, or split the file.`,
    );
  }
  const event = requireEvent(slug);

  const rows = parseCsv(csv);
  const header = findHeader(rows);
  const report: AttendanceReport = { matched: 0, unmatched: [], errors: [] };

  /** Attendance by address, with the first line where each address appears. */
  const attendance = new Map<string, { attended: boolean; line: number }>();
  for (let index = header.index + 1; index < rows.length; index += 1) {
    const cells = rows[index] ?? [];
    const line = index + 1;
    const row = readRow(cells, header, line, report.errors);
    if (!row) continue;

    const earlier = attendance.get(row.email);
    attendance.set(row.email, {
      attended: (earlier?.attended ?? false) || row.attended,
      line: earlier?.line ?? line,
    });
  }

  db.transaction((tx) => {
    const addresses = [...attendance.keys()];
    const registered = new Map<string, number>();
    for (let start = 0; start < addresses.length; start += 500) {
      const found = tx
        .select({ id: eventRegistrations.id, email: eventRegistrations.email })
        .from(eventRegistrations)
        .where(
          and(
            eq(eventRegistrations.eventSlug, event.slug),
            inArray(eventRegistrations.email, addresses.slice(start, start + 500)),
          ),
        )
        .all();
      for (const registration of found) registered.set(registration.email, registration.id);
    }

    for (const [email, { attended, line }] of attendance) {
      const id = registered.get(email);
      if (id === undefined) {
        report.unmatched.push({ line, email });
        continue;
      }
      tx.update(eventRegistrations).set({ attended }).where(eq(eventRegistrations.id, id)).run();
      report.matched += 1;
    }

    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'event_attendance.imported',
      objectType: 'event',
      objectId: event.slug,
      outcome: 'success',
      detail: `matched:${report.matched};unmatched:${report.unmatched.length};errors:${report.errors.length}`,
      requestId: context.requestId,
      at: context.now,
    });
  });

  report.unmatched.sort((a, b) => a.line - b.line);
  return report;
}

interface CsvHeader {
  /** Position of the header row among the parsed rows. */
  index: number;
  emailColumn: number;
  emailName: string;
  /** Position of the "attended" column, or undefined when the file has none. */
  attendedColumn: number | undefined;
  attendedName: string;
}

function findHeader(rows: string[][]): CsvHeader {
  for (let index = 0; index < Math.min(rows.length, maxHeaderSearchRows); index += 1) {
    const names = (rows[index] ?? []).map((name) => name.trim().toLowerCase());
    const emailColumn = names.findIndex((name) => emailColumnNames.includes(name));
    if (emailColumn < 0) continue;

    const attendedColumn = names.indexOf(attendedColumnName);
    return {
      index,
      emailColumn,
      emailName: rows[index]?.[emailColumn]?.trim() ?? 'email',
      attendedColumn: attendedColumn < 0 ? undefined : attendedColumn,
      attendedName: attendedColumn < 0 ? attendedColumnName : (rows[index]?.[attendedColumn]?.trim() ?? ''),
    };
  }

  const found = (rows[0] ?? []).map((name) => `"${name.trim()}"`).join(', ');
  throw new AppError(
    400,
    'missing_email_column',
    `The CSV has no email column. Name one column ${emailColumnNames.map((name) => `"${name}"`).join(', ')} (in any letter case); the first row has ${found || 'no columns'}.`,
  );
}

function readRow(
  cells: string[],
  header: CsvHeader,
  line: number,
  errors: AttendanceProblem[],
): { email: string; attended: boolean } | undefined {
  const rawEmail = cells[header.emailColumn] ?? '';
  const email = rawEmail.trim().toLowerCase();
  let valid = true;

  if (email === '') {
    errors.push({ line, column: header.emailName, value: rawEmail, problem: 'is empty; every row needs an address' });
    valid = false;
  } else if (!emailPattern.test(email)) {
    errors.push({
      line,
      column: header.emailName,
      value: rawEmail,
      problem: 'is not an email address such as registrar@district.example.gov',
    });
    valid = false;
  }

  let attended = true;
  if (header.attendedColumn !== undefined) {
    const rawAttended = cells[header.attendedColumn] ?? '';
    const value = rawAttended.trim().toLowerCase();
    if (yesValues.has(value)) attended = true;
    else if (noValues.has(value)) attended = false;
    else {
      errors.push({
        line,
        column: header.attendedName,
        value: rawAttended,
        problem: value === '' ? 'is empty; write yes or no' : 'must be yes or no',
      });
      valid = false;
    }
  }

  return valid ? { email, attended } : undefined;
}
