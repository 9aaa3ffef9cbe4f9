import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importUpload, type ImportResult } from '../api/records/uploads/import';
import { readUploadQualityReport } from '../api/records/quality/report';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { applyMigrations } from '../db/migrate';
import {
  auditLog,
  courses,
  enrollments,
  recordImportStaging,
  recordUploads,
  students,
  uploadProblems,
} from '../db/schema';
import { createPerson, sendJson, signInAs, testOrigin } from './helpers/accounts';
import { createFakeClock } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';
import {
  assessmentRow,
  completeUpload,
  courseRow,
  enrollmentRow,
  moveRow,
  studentRow,
  toCsv,
  writeUploadFolder,
  type Row,
} from './fixtures/records/upload-files';

const clock = createFakeClock(new Date('2026-12-04T15:00:00.000Z'));
let database: DatabaseHandle;
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'msix-import-test-'));
  database = openDatabase(path.join(directory, 'test.sqlite'));
  applyMigrations(database.db);
});

afterAll(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

let nextId = 0;
/** Returns a state student ID not used by any other test in this file. */
function freshId(): string {
  nextId += 1;
  return `T${String(nextId).padStart(6, '0')}`;
}

async function importFiles(files: Record<string, string | Buffer>, state = 'TX'): Promise<ImportResult> {
  const folder = writeUploadFolder(files, directory);
  return importUpload(database.db, { state, directory: folder, source: 'command_line', ip: 'local' }, { clock });
}

function problemsOf(uploadId: number) {
  return database.db.select().from(uploadProblems).where(eq(uploadProblems.uploadId, uploadId)).all();
}

function studentOnFile(stateStudentId: string, state = 'TX') {
  return database.db
    .select()
    .from(students)
    .where(and(eq(students.state, state), eq(students.stateStudentId, stateStudentId)))
    .get();
}

type FileName = 'students.csv' | 'qualifying_moves.csv' | 'enrollments.csv' | 'courses.csv' | 'assessments.csv';

const rowBuilders: Record<Exclude<FileName, 'students.csv'>, (id: string, overrides?: Row) => Row> = {
  'qualifying_moves.csv': moveRow,
  'enrollments.csv': enrollmentRow,
  'courses.csv': courseRow,
  'assessments.csv': assessmentRow,
};

/** Builds an upload of one student whose row in `file` has the given overrides; every other row is valid. */
function uploadWithOneBadCell(file: FileName, overrides: Row): { id: string; files: Record<string, string> } {
  const id = freshId();
  const files = completeUpload([id]);
  if (file === 'students.csv') files[file] = toCsv([studentRow(id, overrides)]);
  else files[file] = toCsv([rowBuilders[file](id, overrides)]);
  return { id, files };
}

// Each case: the file, the cell values, the column expected in the problem, and the rule name.
const ruleCases: [FileName, Row, string, string][] = [
  ['students.csv', { first_name: '' }, 'first_name', 'required'],
  ['students.csv', { last_name_1: '' }, 'last_name_1', 'required'],
  ['students.csv', { first_name: 'A'.repeat(51) }, 'first_name', 'max_length'],
  ['students.csv', { suffix: 'Junior III' + 'x' }, 'suffix', 'max_length'],
  ['students.csv', { birth_city: 'C'.repeat(31) }, 'birth_city', 'max_length'],
  ['students.csv', { state_student_id_type: '03' }, 'state_student_id_type', 'code'],
  ['students.csv', { sex: 'X' }, 'sex', 'sex'],
  ['students.csv', { sex: '' }, 'sex', 'required'],
  ['students.csv', { birth_date: '2031-02-30' }, 'birth_date', 'date_format'],
  ['students.csv', { birth_date: '14/03/2012' }, 'birth_date', 'date_format'],
  ['students.csv', { birth_date: '2027-01-05' }, 'birth_date', 'future_date'],
  ['students.csv', { birth_date: '2003-05-01' }, 'birth_date', 'age'],
  ['students.csv', { birth_date_verification: '1002' }, 'birth_date_verification', 'code'],
  ['students.csv', { multiple_birth: 'Y' }, 'multiple_birth', 'yes_no'],
  ['students.csv', { multiple_birth: '' }, 'multiple_birth', 'required'],
  ['students.csv', { birth_state: 'XX' }, 'birth_state', 'usps_code'],
  ['students.csv', { birth_country: 'M3' }, 'birth_country', 'country_code'],
  ['students.csv', { parent1_email: 'rosa.lopez@' }, 'parent1_email', 'email'],
  ['students.csv', { parent2_email: 'rosa lopez@example.org' }, 'parent2_email', 'email'],
  ['students.csv', { parent1_phone: '520-555-0142' }, 'parent1_phone', 'digits'],
  ['students.csv', { parent2_phone: '5'.repeat(16) }, 'parent2_phone', 'max_length'],
  ['qualifying_moves.csv', { qad: '' }, 'qad', 'required'],
  ['qualifying_moves.csv', { qad: '2024-02-30' }, 'qad', 'date_format'],
  ['qualifying_moves.csv', { from_city: '' }, 'from_city', 'required'],
  ['qualifying_moves.csv', { to_city: 'P'.repeat(101) }, 'to_city', 'max_length'],
  ['qualifying_moves.csv', { to_state: '' }, 'to_state', 'required'],
  ['qualifying_moves.csv', { from_state: 'Tex' }, 'from_state', 'usps_code'],
  ['qualifying_moves.csv', { eligibility_expiration_date: '' }, 'eligibility_expiration_date', 'required'],
  ['qualifying_moves.csv', { eligibility_expiration_date: '2024-01-01' }, 'eligibility_expiration_date', 'date_order'],
  ['enrollments.csv', { enrollment_date: '' }, 'enrollment_date', 'required'],
  ['enrollments.csv', { enrollment_date: '2027-08-26' }, 'enrollment_date', 'future_date'],
  ['enrollments.csv', { enrollment_type: 'ABC' }, 'enrollment_type', 'code'],
  ['enrollments.csv', { school_or_project_name: '' }, 'school_or_project_name', 'required'],
  ['enrollments.csv', { school_id: '48351000384' }, 'school_id', 'digits'],
  ['enrollments.csv', { district_id: 'TX35100' }, 'district_id', 'digits'],
  ['enrollments.csv', { district_name: 'D'.repeat(61) }, 'district_name', 'max_length'],
  ['enrollments.csv', { facility_state: 'ZZ' }, 'facility_state', 'usps_code'],
  ['enrollments.csv', { grade_level: '13' }, 'grade_level', 'code'],
  ['enrollments.csv', { grade_level: '' }, 'grade_level', 'required'],
  ['enrollments.csv', { withdrawal_date: '2024-08-01' }, 'withdrawal_date', 'date_order'],
  ['enrollments.csv', { english_learner: 'Si' }, 'english_learner', 'yes_no'],
  ['enrollments.csv', { iep: 'N' }, 'iep', 'yes_no'],
  ['enrollments.csv', { priority_for_services: 'maybe' }, 'priority_for_services', 'yes_no'],
  ['enrollments.csv', { immunization_record: '1' }, 'immunization_record', 'yes_no'],
  ['enrollments.csv', { med_alert: 'Severe' }, 'med_alert', 'code'],
  ['enrollments.csv', { residency_date: '2024-13-01' }, 'residency_date', 'date_format'],
  ['enrollments.csv', { graduation_hse: 'Diploma', graduation_hse_date: '2025-06-01' }, 'graduation_hse', 'code'],
  ['enrollments.csv', { graduation_hse: 'Graduated' }, 'graduation_hse_date', 'graduation_date_required'],
  ['enrollments.csv', { comment: 'c'.repeat(1001) }, 'comment', 'max_length'],
  ['courses.csv', { course_title: '' }, 'course_title', 'required'],
  ['courses.csv', { subject_area: '' }, 'subject_area', 'required'],
  ['courses.csv', { course_type: 'Remedial' }, 'course_type', 'code'],
  ['courses.csv', { begin_year: '24' }, 'begin_year', 'year_format'],
  ['courses.csv', { end_year: '' }, 'end_year', 'required'],
  ['courses.csv', { begin_year: '2025', end_year: '2024' }, 'end_year', 'year_order'],
  ['courses.csv', { course_section: 'C' }, 'course_section', 'code'],
  ['courses.csv', { term_type: '0831' }, 'term_type', 'code'],
  ['courses.csv', { clock_hours: 'forty' }, 'clock_hours', 'number'],
  ['courses.csv', { clock_hours: '42', credits_granted: '1.00' }, 'clock_hours', 'course_status'],
  ['courses.csv', { grade_to_date: 'B', final_grade: 'B+' }, 'grade_to_date', 'course_status'],
  ['courses.csv', { grade_to_date: 'B+++' }, 'grade_to_date', 'max_length'],
  ['courses.csv', { credits_granted: '1.255' }, 'credits_granted', 'number'],
  ['courses.csv', { final_grade: 'Outstanding!' }, 'final_grade', 'max_length'],
  ['assessments.csv', { assessment_title: '' }, 'assessment_title', 'required'],
  ['assessments.csv', { assessment_content: 'R'.repeat(36) }, 'assessment_content', 'max_length'],
  ['assessments.csv', { assessment_type: '1' }, 'assessment_type', 'code'],
  ['assessments.csv', { administration_date: '2025-13' }, 'administration_date', 'month_format'],
  ['assessments.csv', { administration_date: '2025-04-01' }, 'administration_date', 'month_format'],
  ['assessments.csv', { administration_date: '2027-03' }, 'administration_date', 'future_date'],
  ['assessments.csv', { reporting_method: '1234' }, 'reporting_method', 'code'],
  ['assessments.csv', { score: '' }, 'score', 'required'],
  ['assessments.csv', { interpretation: 'I'.repeat(101) }, 'interpretation', 'max_length'],
];

describe('validation rules', () => {
  test.each(ruleCases)('%s %j is rejected', async (file, overrides, column, rule) => {
    const { id, files } = uploadWithOneBadCell(file, overrides);
    const result = await importFiles(files);
    const problems = problemsOf(result.uploadId).filter((problem) => problem.severity === 'error');

    expect(result.status).toBe('completed');
    expect(result.studentsRejected).toBe(1);
    expect(problems.map((problem) => `${problem.column}:${problem.rule}`)).toEqual([`${column}:${rule}`]);
    expect(problems[0]?.message).toMatch(new RegExp(`^${file.replace('.', '\\.')} line 2, column ${column}: `));
    expect(problems[0]?.stateStudentId).toBe(id);
    expect(studentOnFile(id)).toBeUndefined();
  });

  test('problem message names file, line, column, value and rule', async () => {
    const { files } = uploadWithOneBadCell('students.csv', { birth_date: '2031-02-30' });
    const result = await importFiles(files);

    expect(problemsOf(result.uploadId)[0]?.message).toBe(
      'students.csv line 2, column birth_date: "2031-02-30" is not a real date; use YYYY-MM-DD or YYYYMMDD.',
    );
  });

  test('accepts every allowed spelling', async () => {
    const id = freshId();
    const files = completeUpload([id], {
      students: (studentId) =>
        studentRow(studentId, {
          sex: 'Female',
          birth_date: '20120314',
          multiple_birth: 'yes',
          birth_state: 'az',
          birth_country: '',
        }),
    });
    files['enrollments.csv'] = toCsv([
      enrollmentRow(id, {
        graduation_hse: 'HSE',
        graduation_hse_date: '20250601',
        grade_level: 'OS',
        med_alert: 'chronic',
      }),
    ]);
    files['courses.csv'] = toCsv([
      courseRow(id, { credits_granted: '', final_grade: '', clock_hours: '42.5', grade_to_date: 'B' }),
    ]);
    const result = await importFiles(files);
    const stored = studentOnFile(id);

    expect(problemsOf(result.uploadId)).toEqual([]);
    expect(result.studentsAccepted).toBe(1);
    expect(stored?.birthDate).toBe('2012-03-14');
    expect(stored?.sex).toBe('Female');
    expect(stored?.multipleBirth).toBe(true);
    expect(stored?.birthState).toBe('AZ');
    const enrollment = database.db.select().from(enrollments).where(eq(enrollments.studentId, stored!.id)).get();
    expect(enrollment?.graduationHseDate).toBe('2025-06-01');
    expect(enrollment?.medAlert).toBe('Chronic');
  });

  test('state student ID must be letters and digits', async () => {
    const files = completeUpload(['A-12']);
    const result = await importFiles(files);
    const rules = problemsOf(result.uploadId).filter((problem) => problem.file === 'students.csv');

    expect(rules.map((problem) => problem.rule)).toEqual(['student_id_format']);
  });

  test('state student ID twice in students.csv rejects that student', async () => {
    const id = freshId();
    const other = freshId();
    const files = completeUpload([id, other]);
    files['students.csv'] = toCsv([studentRow(id), studentRow(other), studentRow(id, { first_name: 'Marisol' })]);
    const result = await importFiles(files);
    const problems = problemsOf(result.uploadId);

    expect(result.studentsAccepted).toBe(1);
    expect(result.studentsRejected).toBe(1);
    expect(problems.map((problem) => `${problem.line}:${problem.rule}`)).toEqual(['2:duplicate_id', '4:duplicate_id']);
    expect(studentOnFile(id)).toBeUndefined();
  });

  test('rows for a student neither in students.csv nor on file', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    files['enrollments.csv'] = toCsv([enrollmentRow(id), enrollmentRow('NOBODY1')]);
    const result = await importFiles(files);
    const problems = problemsOf(result.uploadId);

    expect(result.studentsAccepted).toBe(1);
    expect(problems.map((problem) => `${problem.file}:${problem.line}:${problem.rule}`)).toEqual([
      'enrollments.csv:3:unknown_student',
    ]);
  });

  test('row with an extra field is rejected', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    files['assessments.csv'] = files['assessments.csv']!.replace(/\r\n$/, ',extra\r\n');
    const result = await importFiles(files);

    expect(problemsOf(result.uploadId).map((problem) => problem.rule)).toEqual(['field_count']);
    expect(result.studentsRejected).toBe(1);
  });

  test('student with one bad enrollment leaves nothing behind', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    files['enrollments.csv'] = toCsv([enrollmentRow(id), enrollmentRow(id, { grade_level: '14', iep: 'Maybe' })]);
    files['students.csv'] = toCsv([studentRow(id, { sex: 'U' })]);
    const result = await importFiles(files);
    const problems = problemsOf(result.uploadId);

    expect(result.studentsRejected).toBe(1);
    expect(problems.map((problem) => `${problem.file}:${problem.column}`).sort()).toEqual([
      'enrollments.csv:grade_level',
      'enrollments.csv:iep',
      'students.csv:sex',
    ]);
    expect(studentOnFile(id)).toBeUndefined();
  });
});

describe('broken files', () => {
  const brokenCases: [string, (files: Record<string, string | Buffer>) => void, RegExp][] = [
    [
      'missing required column',
      (files) => {
        files['students.csv'] = (files['students.csv'] as string).replace('birth_date,', 'birthdate,');
      },
      /^students\.csv is missing the required column birth_date\.$/,
    ],
    [
      'not CSV',
      (files) => {
        files['enrollments.csv'] = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
      },
      /^enrollments\.csv is not a CSV text file/,
    ],
    [
      'invalid UTF-8',
      (files) => {
        files['students.csv'] = Buffer.concat([
          Buffer.from(files['students.csv'] as string),
          Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0d, 0x0a]),
        ]);
      },
      /^students\.csv is not valid UTF-8 text/,
    ],
    [
      'unclosed quote',
      (files) => {
        files['courses.csv'] = `${files['courses.csv'] as string}T9,"483510003845,Algebra II\r\n`;
      },
      /^courses\.csv: a quote opened on line 3 is never closed/,
    ],
    [
      'no students.csv',
      (files) => {
        delete files['students.csv'];
      },
      /students\.csv is required in every upload/,
    ],
    [
      'empty file',
      (files) => {
        files['assessments.csv'] = '';
      },
      /^assessments\.csv is empty\./,
    ],
  ];

  test.each(brokenCases)('%s rejects the whole upload', async (_name, breakFiles, message) => {
    const id = freshId();
    const files: Record<string, string | Buffer> = completeUpload([id]);
    breakFiles(files);
    const result = await importFiles(files);
    const upload = database.db.select().from(recordUploads).where(eq(recordUploads.id, result.uploadId)).get();

    expect(result.status).toBe('rejected');
    expect(upload?.status).toBe('rejected');
    expect(upload?.rejectionMessage).toMatch(message);
    expect(problemsOf(result.uploadId)).toEqual([]);
    expect(studentOnFile(id)).toBeUndefined();
    expect(
      database.db.select().from(recordImportStaging).where(eq(recordImportStaging.uploadId, result.uploadId)).all(),
    ).toEqual([]);
  });
});

describe('file format', () => {
  test('BOM, CRLF and columns in any order', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    const row = studentRow(id);
    const columns = Object.keys(row).reverse();
    files['students.csv'] = `\uFEFF${toCsv([row], columns)}`;
    const result = await importFiles(files);

    expect(problemsOf(result.uploadId)).toEqual([]);
    expect(studentOnFile(id)?.firstName).toBe('Maria');
  });

  test('quoted newline keeps line numbers right', async () => {
    const id = freshId();
    const bad = freshId();
    const files = completeUpload([id, bad]);
    files['enrollments.csv'] = toCsv([
      enrollmentRow(id, { comment: 'Arrived with "report card"\nfrom Yuma' }),
      enrollmentRow(bad, { grade_level: 'X1' }),
    ]);
    const result = await importFiles(files);
    const stored = studentOnFile(id);
    const enrollment = database.db.select().from(enrollments).where(eq(enrollments.studentId, stored!.id)).get();

    expect(enrollment?.comment).toBe('Arrived with "report card"\nfrom Yuma');
    expect(problemsOf(result.uploadId).map((problem) => `${problem.line}:${problem.column}`)).toEqual([
      '4:grade_level',
    ]);
  });

  test('doubled quote across a read boundary', async () => {
    // The reader takes the file in 256 KiB chunks; the doubled quote below starts on the chunk's last byte.
    const chunkBytes = 256 * 1024;
    const ids: string[] = [];
    const rows: Row[] = [];
    let length = 0;
    while (length + 700 < chunkBytes) {
      const id = freshId();
      ids.push(id);
      rows.push(enrollmentRow(id, { comment: 'x'.repeat(400) }));
      length = toCsv(rows).length;
    }
    const last = freshId();
    ids.push(last);
    const probe = toCsv([...rows, enrollmentRow(last, { comment: 'MARK' })]);
    const padding = chunkBytes - 1 - probe.indexOf('MARK') - 1;
    const comment = `${'y'.repeat(padding)}"quoted" end`;
    const files = completeUpload(ids);
    files['enrollments.csv'] = toCsv([...rows, enrollmentRow(last, { comment })]);
    expect(files['enrollments.csv'].indexOf('""quoted')).toBe(chunkBytes - 1);

    const result = await importFiles(files);
    const stored = studentOnFile(last)!;
    const enrollment = database.db.select().from(enrollments).where(eq(enrollments.studentId, stored.id)).get();

    expect(result.studentsRejected).toBe(0);
    expect(enrollment?.comment).toBe(comment);
  });

  test('unknown column is a warning', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    files['students.csv'] = toCsv([{ ...studentRow(id), nickname: 'Mari' }]);
    const result = await importFiles(files);
    const problems = problemsOf(result.uploadId);

    expect(result.studentsAccepted).toBe(1);
    expect(problems.map((problem) => `${problem.severity}:${problem.rule}:${problem.column}`)).toEqual([
      'warning:unknown_column:nickname',
    ]);
    expect(problems[0]?.message).toBe(
      'students.csv line 1: the column "nickname" is not an MDE column, so its values were ignored.',
    );
  });

  test('only students.csv is required', async () => {
    const id = freshId();
    const result = await importFiles({ 'students.csv': toCsv([studentRow(id)]) });

    expect(result.studentsAccepted).toBe(1);
    expect(problemsOf(result.uploadId)).toEqual([]);
  });
});

describe('same files twice and replacement', () => {
  test('same upload twice changes nothing', async () => {
    const ids = [freshId(), freshId(), freshId()];
    const files = completeUpload(ids);
    const first = await importFiles(files);
    const before = studentOnFile(ids[0]!);
    clock.advance(60_000);
    const second = await importFiles(files);
    const after = studentOnFile(ids[0]!);

    expect(first.studentsAccepted).toBe(3);
    expect(second.studentsAccepted).toBe(0);
    expect(second.studentsUnchanged).toBe(3);
    expect(after).toEqual(before);
  });

  test('new upload replaces the student data', async () => {
    const id = freshId();
    const files = completeUpload([id]);
    files['courses.csv'] = toCsv([courseRow(id), courseRow(id, { course_title: 'Biology' })]);
    await importFiles(files);
    const original = studentOnFile(id)!;

    files['students.csv'] = toCsv([studentRow(id, { middle_name: '', parent1_phone: '5205550199' })]);
    files['courses.csv'] = toCsv([courseRow(id, { course_title: 'Geometry' })]);
    const result = await importFiles(files);
    const updated = studentOnFile(id)!;
    const titles = database.db.select().from(courses).where(eq(courses.studentId, original.id)).all();

    expect(result.studentsAccepted).toBe(1);
    expect(updated.id).toBe(original.id);
    expect(updated.middleName).toBeNull();
    expect(updated.parent1Phone).toBe('5205550199');
    expect(updated.lastUploadId).toBe(result.uploadId);
    expect(titles.map((course) => course.courseTitle)).toEqual(['Geometry']);
  });

  test('rows for a student on file need no students.csv row', async () => {
    const id = freshId();
    await importFiles(completeUpload([id]));
    const other = freshId();
    const result = await importFiles({
      'students.csv': toCsv([studentRow(other)]),
      'enrollments.csv': toCsv([enrollmentRow(id, { school_or_project_name: 'Summer MEP Project' })]),
    });
    const stored = studentOnFile(id)!;
    const rows = database.db.select().from(enrollments).where(eq(enrollments.studentId, stored.id)).all();

    expect(problemsOf(result.uploadId)).toEqual([]);
    expect(rows.map((row) => row.schoolOrProjectName)).toEqual(['Summer MEP Project']);
  });

  test('changed identity leaves the shared record', async () => {
    const id = freshId();
    const child = uniqueChild(id, { first_name: 'Xiomara', last_name_1: 'Quintanilla', birth_date: '2013-11-23' });
    await importFiles(child, 'TX');
    await importFiles(child, 'CA');
    const linked = studentOnFile(id, 'TX')!.consolidatedRecordId;
    expect(studentOnFile(id, 'CA')!.consolidatedRecordId).toBe(linked);

    const files = uniqueChild(id, {});
    files['students.csv'] = toCsv([
      studentRow(id, {
        first_name: 'Sione',
        middle_name: '',
        last_name_1: 'Lewis',
        last_name_2: '',
        sex: 'M',
        birth_date: '2015-09-02',
        birth_city: 'Salem',
        birth_state: 'OR',
        parent1_first_name: 'Arturo',
        parent1_last_name: 'Molina',
      }),
    ]);
    clock.advance(60_000);
    await importFiles(files, 'TX');

    expect(studentOnFile(id, 'TX')!.consolidatedRecordId).not.toBe(linked);
    expect(studentOnFile(id, 'CA')!.consolidatedRecordId).toBe(linked);
  });

  test('corrected typo keeps the shared record', async () => {
    const id = freshId();
    const identity = { first_name: 'Evangelina', last_name_1: 'Zamudio', birth_date: '2014-02-17' };
    await importFiles(uniqueChild(id, identity), 'TX');
    await importFiles(uniqueChild(id, identity), 'CA');
    const linked = studentOnFile(id, 'TX')!.consolidatedRecordId;
    expect(studentOnFile(id, 'CA')!.consolidatedRecordId).toBe(linked);

    const files = uniqueChild(id, { ...identity, middle_name: 'Luiza' });
    clock.advance(60_000);
    await importFiles(files, 'TX');

    expect(studentOnFile(id, 'TX')!.consolidatedRecordId).toBe(linked);
  });

  test('same state student ID in another state is another student', async () => {
    const id = freshId();
    await importFiles(completeUpload([id]), 'TX');
    const result = await importFiles(completeUpload([id]), 'CA');

    expect(result.studentsAccepted).toBe(1);
    expect(studentOnFile(id, 'CA')?.id).not.toBe(studentOnFile(id, 'TX')?.id);
  });
});

describe('report and audit', () => {
  test('audit row has counts and no names', async () => {
    const ids = [freshId(), freshId()];
    const files = completeUpload(ids);
    files['students.csv'] = toCsv([studentRow(ids[0]!), studentRow(ids[1]!, { sex: 'Q' })]);
    const result = await importFiles(files);
    const rows = database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'records.upload'), eq(auditLog.objectId, String(result.uploadId))))
      .all();

    expect(rows).toHaveLength(1);
    expect(rows[0]?.detail).toBe('state=TX received=2 accepted=1 rejected=1 unchanged=0');
    expect(JSON.stringify(rows[0])).not.toMatch(/Maria|Hernandez|2012-03-14|Rosa/);
  });

  test('quality report measures completeness and score', async () => {
    const ids = [freshId(), freshId(), freshId(), freshId()];
    const files = completeUpload(ids, {
      students: (id) => studentRow(id, id === ids[0] ? { birth_date_verification: '' } : {}),
    });
    files['students.csv'] = files['students.csv']!.replace(new RegExp(`^${ids[3]},01,Maria`, 'm'), `${ids[3]},01,`);
    const result = await importFiles(files);
    const admin = {
      id: 0,
      email: 'admin@example.gov',
      displayName: 'Admin',
      role: 'admin',
      state: null,
      recordsAccess: 'none',
      status: 'active',
    } as const;
    const report = readUploadQualityReport(database.db, admin, result.uploadId);
    const verification = report.completeness.find((row) => row.element === 'birth_date_verification');
    const courseHistory = report.completeness.find((row) => row.element === 'courses');

    expect(result.studentsAccepted).toBe(3);
    expect(verification).toMatchObject({ applicable: 3, supplied: 2 });
    // Grade 07 is not secondary, so course history does not apply.
    expect(courseHistory).toBeUndefined();
    expect(report.rejectionsByRule).toEqual([
      { rule: 'required', description: 'Required value missing', students: 1, problems: 1 },
    ]);
    expect(report.topProblems[0]?.exampleLocation).toBe('students.csv, line 5, column first_name');
    const expectedScore = Math.round((60 * (3 / 4) + 40 * (report.completenessPercent! / 100)) * 10) / 10;
    expect(result.qualityScore).toBeCloseTo(expectedScore, 0);
  });
});

describe('browser upload API', () => {
  let testApp: TestApp;
  let texasAdministrator: string;
  let texasViewer: string;
  let californiaAdministrator: string;
  let admin: string;

  beforeAll(async () => {
    testApp = createTestApp({ clock });
    const db = testApp.database.db;
    texasAdministrator = await signInAs(
      testApp.app,
      await createPerson(db, { role: 'state_coordinator', state: 'TX', recordsAccess: 'data_administrator' }),
    );
    texasViewer = await signInAs(
      testApp.app,
      await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' }),
    );
    californiaAdministrator = await signInAs(
      testApp.app,
      await createPerson(db, { role: 'state_user', state: 'CA', recordsAccess: 'data_administrator' }),
    );
    admin = await signInAs(testApp.app, await createPerson(db, { role: 'admin', recordsAccess: 'data_administrator' }));
  });

  afterAll(() => testApp.cleanup());

  async function sendFile(cookie: string, name: string, content: string, batchId?: string) {
    const query = new URLSearchParams({ name, ...(batchId ? { batch: batchId } : {}) });
    return testApp.app.request(`/api/record-uploads/files?${query}`, {
      method: 'POST',
      headers: { Origin: testOrigin, Cookie: cookie, 'Content-Type': 'text/csv' },
      body: content,
    });
  }

  async function waitForUpload(cookie: string, uploadId: number) {
    for (;;) {
      const response = await sendJson(testApp.app, 'GET', `/api/record-uploads/${uploadId}`, { cookie });
      const body = (await response.json()) as { upload: { status: string } };
      if (body.upload.status !== 'processing') return body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('files, import, progress and report', async () => {
    const ids = ['B1', 'B2'];
    const files = completeUpload(ids);
    files['students.csv'] = toCsv([studentRow('B1'), studentRow('B2', { birth_date: '2031-02-30' })]);
    const first = await sendFile(texasAdministrator, 'students.csv', files['students.csv']);
    const { file } = (await first.json()) as { file: { batchId: string } };
    const second = await sendFile(texasAdministrator, 'enrollments.csv', files['enrollments.csv']!, file.batchId);

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);

    const started = await sendJson(testApp.app, 'POST', '/api/record-uploads', {
      cookie: texasAdministrator,
      body: { batchId: file.batchId },
    });
    const startBody = (await started.json()) as { upload: { id: number; state: string } };
    expect(started.status).toBe(202);
    expect(startBody.upload.state).toBe('TX');

    const finished = await waitForUpload(texasAdministrator, startBody.upload.id);
    expect(finished).toMatchObject({
      upload: {
        status: 'completed',
        studentsAccepted: 1,
        studentsRejected: 1,
        fileNames: ['students.csv', 'enrollments.csv'],
      },
      progress: { phase: 'finished', studentsTotal: 2, studentsChecked: 2 },
      problemCount: 1,
    });
    expect(existsSync(path.join(testApp.config.uploadsDirectory, 'batches', file.batchId))).toBe(false);

    const problems = await sendJson(testApp.app, 'GET', `/api/record-uploads/${startBody.upload.id}/problems`, {
      cookie: texasAdministrator,
    });
    expect(
      ((await problems.json()) as { problems: { rule: string }[] }).problems.map((problem) => problem.rule),
    ).toEqual(['date_format']);

    const csv = await sendJson(testApp.app, 'GET', `/api/record-uploads/${startBody.upload.id}/problems/export`, {
      cookie: texasAdministrator,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(
      /^state_student_id,severity,file,line,column,value,rule,message\r\n"B2","error","students.csv",3,"birth_date","2031-02-30"/,
    );

    const quality = await sendJson(testApp.app, 'GET', `/api/records-quality/uploads/${startBody.upload.id}`, {
      cookie: texasViewer,
    });
    expect(quality.status).toBe(200);
    const history = await sendJson(testApp.app, 'GET', '/api/records-quality/states/TX', { cookie: texasViewer });
    expect(((await history.json()) as { uploads: unknown[] }).uploads).toHaveLength(1);
    const historyCsv = await sendJson(testApp.app, 'GET', '/api/records-quality/states/TX/export', {
      cookie: texasViewer,
    });
    expect((await historyCsv.text()).split('\r\n')[0]).toBe(
      'upload,state,started_at,finished_at,source,status,students_received,students_accepted,students_unchanged,students_rejected,quality_score',
    );
  });

  test('viewer cannot upload', async () => {
    const response = await sendFile(texasViewer, 'students.csv', toCsv([studentRow('V1')]));

    expect(response.status).toBe(403);
  });

  test('data administrator of another state cannot import for Texas', async () => {
    const sent = await sendFile(californiaAdministrator, 'students.csv', toCsv([studentRow('C1')]));
    const { file } = (await sent.json()) as { file: { batchId: string } };
    const response = await sendJson(testApp.app, 'POST', '/api/record-uploads', {
      cookie: californiaAdministrator,
      body: { batchId: file.batchId, state: 'TX' },
    });

    expect(response.status).toBe(403);
  });

  test('other state cannot read the upload or its quality', async () => {
    const sent = await sendFile(texasAdministrator, 'students.csv', toCsv([studentRow('D1')]));
    const { file } = (await sent.json()) as { file: { batchId: string } };
    const started = await sendJson(testApp.app, 'POST', '/api/record-uploads', {
      cookie: texasAdministrator,
      body: { batchId: file.batchId },
    });
    const { upload } = (await started.json()) as { upload: { id: number } };
    await waitForUpload(texasAdministrator, upload.id);

    const status = await sendJson(testApp.app, 'GET', `/api/record-uploads/${upload.id}`, {
      cookie: californiaAdministrator,
    });
    const quality = await sendJson(testApp.app, 'GET', `/api/records-quality/uploads/${upload.id}`, {
      cookie: californiaAdministrator,
    });
    const viewerStatus = await sendJson(testApp.app, 'GET', `/api/record-uploads/${upload.id}`, {
      cookie: texasViewer,
    });

    expect(status.status).toBe(403);
    expect(quality.status).toBe(403);
    expect(viewerStatus.status).toBe(403);
  });

  test('admin must name the state', async () => {
    const sent = await sendFile(admin, 'students.csv', toCsv([studentRow('E1')]));
    const { file } = (await sent.json()) as { file: { batchId: string } };
    const missing = await sendJson(testApp.app, 'POST', '/api/record-uploads', {
      cookie: admin,
      body: { batchId: file.batchId },
    });
    const named = await sendJson(testApp.app, 'POST', '/api/record-uploads', {
      cookie: admin,
      body: { batchId: file.batchId, state: 'NM' },
    });

    expect(missing.status).toBe(400);
    expect(named.status).toBe(202);
    const { upload } = (await named.json()) as { upload: { id: number } };
    expect((await waitForUpload(admin, upload.id)).upload).toMatchObject({ state: 'NM', studentsAccepted: 1 });
  });

  test('unknown file name is refused', async () => {
    const response = await sendFile(texasAdministrator, 'students.xlsx', 'x');
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(400);
    expect(body.error.message).toMatch(/^name: "students\.xlsx" is not an upload file name; use one of students\.csv/);
  });

  test('abandoned batch is deleted a day later', async () => {
    const sent = await sendFile(texasAdministrator, 'students.csv', toCsv([studentRow('F1')]));
    const { file } = (await sent.json()) as { file: { batchId: string } };
    const folder = path.join(testApp.config.uploadsDirectory, 'batches', file.batchId);
    expect(existsSync(folder)).toBe(true);

    // A day later the session has expired too, so another administrator sends the next batch.
    clock.advance(25 * 60 * 60 * 1000);
    const later = await createPerson(testApp.database.db, {
      role: 'state_user',
      state: 'TX',
      recordsAccess: 'data_administrator',
      now: clock(),
    });
    const response = await sendFile(await signInAs(testApp.app, later), 'students.csv', toCsv([studentRow('F2')]));

    expect(response.status).toBe(201);
    expect(existsSync(folder)).toBe(false);
  });
});

describe('command line', () => {
  test('imports a folder into DATABASE_PATH', () => {
    const folder = writeUploadFolder(completeUpload(['K1', 'K2']), directory);
    const databasePath = path.join(directory, 'cli', 'records.sqlite');
    const result = spawnSync('npx', ['tsx', 'api/cli/records.ts', 'import', '--state', 'tx', folder], {
      env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

    expect(result.stderr).toMatch(/Checking students: 2 of 2 \(100%\)/);
    expect(result.stdout).toMatch(/^Upload 1 for TX is complete\.\n {2}Students received: {2}2\n {2}Accepted: {11}2\n/);
    expect(result.stdout).toMatch(/Report: http:\/\/localhost:4321\/records\/quality\/\?upload=1\n$/);
    expect(result.status).toBe(0);

    const cliDatabase = openDatabase(databasePath);
    const count = cliDatabase.db.select().from(students).all().length;
    cliDatabase.close();
    expect(count).toBe(2);
  });

  test('usage error without --state', () => {
    const result = spawnSync('npx', ['tsx', 'api/cli/records.ts', 'import', directory], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: path.join(directory, 'unused.sqlite') },
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^The --state option is missing\.\n\nUsage: npm run records -- import --state XX DIR/,
    );
  });
});

/** A complete upload for one child whose identity no other test uses, so linking pairs only its own reports. */
function uniqueChild(id: string, identity: Record<string, string>): Record<string, string> {
  const files = completeUpload([id]);
  files['students.csv'] = toCsv([studentRow(id, { last_name_2: 'Oyelaran', ...identity })]);
  return files;
}
