/**
 * Checks every row of one student across the upload's files. A student with
 * any error is rejected whole; an accepted student comes back with its rows
 * normalized for storage and a digest of them.
 */
import { createHash } from 'node:crypto';
import { columnsByFile, type UploadFileName } from './columns';
import { ageInYears, cellProblem, checkCell, maxAgeYears, quoteValue, type UploadProblem } from './rules';

/** One staged row of the upload. */
export interface StagedRow {
  file: UploadFileName;
  line: number;
  cells: Record<string, string>;
  cellCount: number;
}

/** Normalized rows of one student, keyed by column name; null for an empty cell. */
export type NormalizedRow = Record<string, string | null>;

export interface CheckedStudent {
  stateStudentId: string;
  /** The students.csv row, or null when the upload has rows for a student already on file but no students.csv row. */
  student: NormalizedRow | null;
  /** Rows of each other file sent in this upload (an empty list replaces what is on file). */
  rows: Partial<Record<UploadFileName, NormalizedRow[]>>;
  contentSha256: string;
}

export interface StudentCheckContext {
  /** Today as YYYY-MM-DD: dates after it are in the future. */
  today: string;
  /** Files sent in this upload. */
  filesSent: readonly UploadFileName[];
  /** Number of cells in each file's header row. */
  headerWidths: Partial<Record<UploadFileName, number>>;
  /** Whether the state already has this student on file. */
  onFile: boolean;
}

export type StudentCheckResult =
  { accepted: true; student: CheckedStudent } | { accepted: false; errors: UploadProblem[] };

export function checkStudent(
  stateStudentId: string,
  rows: readonly StagedRow[],
  context: StudentCheckContext,
): StudentCheckResult {
  const errors: UploadProblem[] = [];
  const normalized: Partial<Record<UploadFileName, NormalizedRow[]>> = {};
  const studentRows = rows.filter((row) => row.file === 'students.csv');

  for (const row of rows) {
    const width = context.headerWidths[row.file];
    if (width !== undefined && row.cellCount !== width) {
      errors.push({
        file: row.file,
        line: row.line,
        column: null,
        value: null,
        rule: 'field_count',
        message: `${row.file} line ${row.line}: the row has ${row.cellCount} fields but the header has ${width}; check for a missing or extra comma.`,
        stateStudentId,
        severity: 'error',
      });
    }
    const values: NormalizedRow = {};
    for (const column of columnsByFile[row.file]) {
      const raw = row.cells[column.name] ?? '';
      const result = checkCell(column, raw, context.today);
      if (result.ok) values[column.name] = result.value;
      else
        errors.push(cellProblem(row.file, row.line, column.name, raw, result.rule, result.explanation, stateStudentId));
    }
    errors.push(...checkRowRules(row, values, context.today, stateStudentId));
    (normalized[row.file] ??= []).push(values);
  }

  if (studentRows.length > 1) {
    const lines = studentRows.map((row) => row.line).join(', ');
    for (const row of studentRows) {
      errors.push({
        file: 'students.csv',
        line: row.line,
        column: 'state_student_id',
        value: stateStudentId,
        rule: 'duplicate_id',
        message: `students.csv line ${row.line}, column state_student_id: ${quoteValue(stateStudentId)} appears on more than one line (lines ${lines}); each student must appear once.`,
        stateStudentId,
        severity: 'error',
      });
    }
  }
  if (studentRows.length === 0 && !context.onFile) {
    for (const row of rows) {
      errors.push({
        file: row.file,
        line: row.line,
        column: 'state_student_id',
        value: stateStudentId,
        rule: 'unknown_student',
        message: `${row.file} line ${row.line}, column state_student_id: ${quoteValue(stateStudentId)} is neither in students.csv nor already on file; send the student's students.csv row too.`,
        stateStudentId,
        severity: 'error',
      });
    }
  }

  if (errors.length > 0) return { accepted: false, errors };

  const student = normalized['students.csv']?.[0] ?? null;
  const childRows: Partial<Record<UploadFileName, NormalizedRow[]>> = {};
  for (const file of context.filesSent) {
    if (file !== 'students.csv') childRows[file] = normalized[file] ?? [];
  }
  return {
    accepted: true,
    student: { stateStudentId, student, rows: childRows, contentSha256: digestStudent(student, childRows) },
  };
}

/** Rules that compare columns of one row. */
function checkRowRules(row: StagedRow, values: NormalizedRow, today: string, stateStudentId: string): UploadProblem[] {
  const problems: UploadProblem[] = [];
  const problem = (column: string, rule: string, explanation: string) =>
    problems.push(cellProblem(row.file, row.line, column, row.cells[column] ?? '', rule, explanation, stateStudentId));

  switch (row.file) {
    case 'students.csv': {
      const birthDate = values['birth_date'];
      if (birthDate && ageInYears(birthDate, today) > maxAgeYears) {
        problem(
          'birth_date',
          'age',
          `makes the child ${ageInYears(birthDate, today)} years old; records are kept only for children younger than ${maxAgeYears + 1}.`,
        );
      }
      break;
    }
    case 'qualifying_moves.csv': {
      const qad = values['qad'];
      const expiration = values['eligibility_expiration_date'];
      if (qad && expiration && expiration < qad) {
        problem(
          'eligibility_expiration_date',
          'date_order',
          `is before the qad (${qad}); eligibility cannot end before it starts.`,
        );
      }
      break;
    }
    case 'enrollments.csv': {
      const enrolled = values['enrollment_date'];
      const withdrawn = values['withdrawal_date'];
      if (enrolled && withdrawn && withdrawn < enrolled) {
        problem(
          'withdrawal_date',
          'date_order',
          `is before the enrollment_date (${enrolled}); use a date on or after it.`,
        );
      }
      if (
        values['graduation_hse'] &&
        !values['graduation_hse_date'] &&
        (row.cells['graduation_hse_date'] ?? '').trim() === ''
      ) {
        problem(
          'graduation_hse_date',
          'graduation_date_required',
          'is empty, but it is required when graduation_hse is given.',
        );
      }
      break;
    }
    case 'courses.csv': {
      const begin = values['begin_year'];
      const end = values['end_year'];
      if (begin && end && Number(end) < Number(begin)) {
        problem('end_year', 'year_order', `is before the begin_year (${begin}); use the same year or a later one.`);
      }
      const finished = values['credits_granted'] !== null && values['credits_granted'] !== undefined;
      const finishedGrade = values['final_grade'] !== null && values['final_grade'] !== undefined;
      for (const column of ['clock_hours', 'grade_to_date']) {
        if (values[column] && (finished || finishedGrade)) {
          problem(
            column,
            'course_status',
            'is only for a course not finished, but this row also has credits_granted or final_grade; leave one of them empty.',
          );
        }
      }
      break;
    }
    case 'assessments.csv':
      break;
  }
  return problems;
}

/**
 * Digest of a student's normalized rows in the files sent. Row order does not
 * matter, so the same files sent again, even sorted differently, give the same digest.
 */
function digestStudent(student: NormalizedRow | null, rows: Partial<Record<UploadFileName, NormalizedRow[]>>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(student === null ? null : Object.entries(student)));
  for (const file of Object.keys(rows).sort() as UploadFileName[]) {
    const serialized = (rows[file] ?? []).map((row) => JSON.stringify(Object.entries(row))).sort();
    hash.update(`\n${file}\n${serialized.join('\n')}`);
  }
  return hash.digest('hex');
}
