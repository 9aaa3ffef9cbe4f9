/**
 * Writes accepted students: a new students row, or the existing one updated,
 * and the rows of each file sent replacing what the state had on file for
 * that student. A student whose digest matches what is on file is left as is.
 *
 * The statements are prepared once per import with placeholders, because
 * building and preparing a statement per row cost more than running it.
 *
 * A state may re-send a student whose identity changed (names, birth date,
 * sex, multiple birth, birth place or parents). If that student shares a
 * consolidated record with other states' students, it leaves the record, so
 * linking compares the new identity afresh. A corrected typo links
 * back to the same record and keeps its MSIX ID; a different child does not.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { AppDatabase } from '../../../db/client';
import { assessments, courses, enrollments, qualifyingMoves, students } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { columnsByFile, type UploadFileName } from './columns';
import type { CheckedStudent, NormalizedRow } from './student-check';

export type WriteOutcome = { kind: 'written'; studentId: number } | { kind: 'unchanged'; studentId: number };

type ChildFile = Exclude<UploadFileName, 'students.csv'>;

const childTables = {
  'qualifying_moves.csv': qualifyingMoves,
  'enrollments.csv': enrollments,
  'courses.csv': courses,
  'assessments.csv': assessments,
} as const;

/** Columns stored as booleans, and as numbers; every other column is stored as text. */
const booleanColumns = new Set([
  'multiple_birth',
  'english_learner',
  'iep',
  'priority_for_services',
  'immunization_record',
]);
const numberColumns = new Set(['begin_year', 'end_year', 'clock_hours', 'credits_granted']);

/** The students.csv columns that identify the child; a change to any of them makes linking look again. */
const identityProperties = [
  'firstName',
  'middleName',
  'lastName1',
  'lastName2',
  'suffix',
  'sex',
  'birthDate',
  'multipleBirth',
  'birthCity',
  'birthState',
  'birthCountry',
  'parent1FirstName',
  'parent1LastName',
  'parent2FirstName',
  'parent2LastName',
] as const;

/** Turns a column name such as last_name_1 into the schema's property name (lastName1). */
function propertyName(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
}

/** Data columns of each file (every column but state_student_id) with their property names. */
const dataColumnsByFile = Object.fromEntries(
  Object.entries(columnsByFile).map(([file, columns]) => [
    file,
    columns
      .filter((column) => column.name !== 'state_student_id')
      .map((column) => ({ column: column.name, property: propertyName(column.name) })),
  ]),
) as Record<UploadFileName, { column: string; property: string }[]>;

function dataColumns(file: UploadFileName): { column: string; property: string }[] {
  return dataColumnsByFile[file];
}

/** Values of a row for a prepared statement: every data column present, null when empty. */
function toParameters(file: UploadFileName, row: NormalizedRow | null): Record<string, string | number | null> {
  const parameters: Record<string, string | number | null> = {};
  for (const { column, property } of dataColumns(file)) {
    const value = row?.[column] ?? null;
    let stored: string | number | null = value;
    // SQLite stores booleans as 0 and 1; the prepared statement skips drizzle's mapping.
    if (value !== null && booleanColumns.has(column)) stored = value === 'Yes' ? 1 : 0;
    else if (value !== null && numberColumns.has(column)) stored = Number(value);
    parameters[property] = stored;
  }
  return parameters;
}

function placeholders(file: UploadFileName) {
  return Object.fromEntries(dataColumns(file).map(({ property }) => [property, sql.placeholder(property)]));
}

/** Reads the ids and digests of the state's students on file among `stateStudentIds`. */
export function readStudentsOnFile(
  db: DatabaseOrTransaction,
  state: string,
  stateStudentIds: readonly string[],
): Map<string, { id: number; contentSha256: string }> {
  const found = new Map<string, { id: number; contentSha256: string }>();
  for (let start = 0; start < stateStudentIds.length; start += 500) {
    const slice = stateStudentIds.slice(start, start + 500);
    const rows = db
      .select({ id: students.id, stateStudentId: students.stateStudentId, contentSha256: students.contentSha256 })
      .from(students)
      .where(and(eq(students.state, state), inArray(students.stateStudentId, slice)))
      .all();
    for (const row of rows) found.set(row.stateStudentId, { id: row.id, contentSha256: row.contentSha256 });
  }
  return found;
}

/** Prepares the statements of one import; call `write` inside the chunk's transaction. */
export function createStudentWriter(db: AppDatabase, context: { state: string; uploadId: number }) {
  const metadata = {
    contentSha256: sql.placeholder('contentSha256'),
    lastUploadId: sql.placeholder('lastUploadId'),
    updatedAt: sql.placeholder('updatedAt'),
  };
  const insertStudent = db
    .insert(students)
    .values({
      ...placeholders('students.csv'),
      ...metadata,
      state: sql.placeholder('state'),
      stateStudentId: sql.placeholder('stateStudentId'),
      createdAt: sql.placeholder('createdAt'),
    } as unknown as typeof students.$inferInsert)
    .returning({ id: students.id })
    .prepare();
  const updateStudent = db
    .update(students)
    .set({ ...placeholders('students.csv'), ...metadata } as unknown as Partial<typeof students.$inferInsert>)
    .where(eq(students.id, sql.placeholder('id')))
    .prepare();
  const updateMetadata = db
    .update(students)
    .set(metadata as unknown as Partial<typeof students.$inferInsert>)
    .where(eq(students.id, sql.placeholder('id')))
    .prepare();

  const readIdentity = db
    .select({
      ...Object.fromEntries(identityProperties.map((property) => [property, students[property]])),
      consolidatedRecordId: students.consolidatedRecordId,
    } as { consolidatedRecordId: typeof students.consolidatedRecordId })
    .from(students)
    .where(eq(students.id, sql.placeholder('id')))
    .prepare();
  const countRecordPartners = db
    .select({ count: sql<number>`count(*)` })
    .from(students)
    .where(
      and(
        eq(students.consolidatedRecordId, sql.placeholder('recordId')),
        sql`${students.id} <> ${sql.placeholder('id')}`,
      ),
    )
    .prepare();
  const leaveRecord = db
    .update(students)
    .set({ consolidatedRecordId: null })
    .where(eq(students.id, sql.placeholder('id')))
    .prepare();

  /** Takes the student out of its consolidated record when its identity changed and the record has other students. */
  const releaseChangedIdentity = (studentId: number, incoming: Record<string, string | number | null>): void => {
    const stored = readIdentity.get({ id: studentId }) as Record<string, unknown> | undefined;
    const recordId = stored?.consolidatedRecordId as number | null | undefined;
    if (!stored || recordId === null || recordId === undefined) return;
    const changed = identityProperties.some(
      (property) => normalizeIdentityValue(stored[property]) !== normalizeIdentityValue(incoming[property]),
    );
    if (!changed) return;
    const partners = countRecordPartners.get({ recordId, id: studentId })?.count ?? 0;
    if (partners > 0) leaveRecord.run({ id: studentId });
  };

  const childFiles = Object.keys(childTables) as ChildFile[];
  const deleteChildren = new Map(
    childFiles.map((file) => {
      const table = childTables[file];
      return [
        file,
        db
          .delete(table)
          .where(eq(table.studentId, sql.placeholder('studentId')))
          .prepare(),
      ] as const;
    }),
  );
  const insertChild = new Map(
    childFiles.map((file) => {
      const table: SQLiteTable = childTables[file];
      const values = { ...placeholders(file), studentId: sql.placeholder('studentId') };
      return [
        file,
        db
          .insert(table)
          .values(values as never)
          .prepare(),
      ] as const;
    }),
  );

  return {
    write(
      checked: CheckedStudent,
      existing: { id: number; contentSha256: string } | undefined,
      now: string,
    ): WriteOutcome {
      if (existing && existing.contentSha256 === checked.contentSha256)
        return { kind: 'unchanged', studentId: existing.id };

      const meta = { contentSha256: checked.contentSha256, lastUploadId: context.uploadId, updatedAt: now };
      let studentId: number;
      if (!existing) {
        // checkStudent accepts a student without a students.csv row only when it is already on file.
        const inserted = insertStudent.get({
          ...toParameters('students.csv', checked.student),
          ...meta,
          state: context.state,
          stateStudentId: checked.stateStudentId,
          createdAt: now,
        });
        studentId = inserted.id;
      } else if (checked.student) {
        studentId = existing.id;
        const incoming = toParameters('students.csv', checked.student);
        releaseChangedIdentity(studentId, incoming);
        updateStudent.run({ ...incoming, ...meta, id: studentId });
      } else {
        studentId = existing.id;
        updateMetadata.run({ ...meta, id: studentId });
      }

      for (const [file, rows] of Object.entries(checked.rows) as [ChildFile, NormalizedRow[]][]) {
        if (existing) deleteChildren.get(file)!.run({ studentId });
        const insert = insertChild.get(file)!;
        for (const row of rows) insert.run({ ...toParameters(file, row), studentId });
      }
      return { kind: 'written', studentId };
    },
  };
}

/** Compares stored and incoming values alike: booleans as 1 or 0, empty text as null. */
function normalizeIdentityValue(value: unknown): string | number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number;
}
