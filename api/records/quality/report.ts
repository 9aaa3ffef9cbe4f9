/**
 * Data-quality reports: one upload's report (counts, completeness of each
 * MDE that applies, rejections by rule, most common problems, score) and a
 * state's uploads over time. Neither contains a student's personal details:
 * problems are shown by location (file, line, column) without the value.
 */
import { and, asc, count, countDistinct, desc, eq, min } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  people,
  recordUploadCompleteness,
  recordUploadProgress,
  recordUploads,
  uploadProblems,
} from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { renderCsv } from '../../shared/csv';
import { stateCodes } from '../../shared/states';
import { requireQualityAccess } from './access';
import { completenessElements } from './completeness';

/** How many of the most common problems a report lists. */
export const topProblemCount = 10;

/** Plain descriptions of the rule names stored in upload_problems. */
export const ruleDescriptions: Record<string, string> = {
  required: 'Required value missing',
  max_length: 'Value longer than allowed',
  student_id_format: 'State student ID with characters other than letters and digits',
  date_format: 'Not a real date, or not YYYY-MM-DD or YYYYMMDD',
  month_format: 'Not a month in YYYY-MM form',
  future_date: 'Date in the future',
  year_format: 'Not a four-digit year',
  code: 'Code not in the allowed list',
  yes_no: 'Not Yes or No',
  sex: 'Sex not Female or Male',
  usps_code: 'Not a USPS state code',
  country_code: 'Not a country code',
  digits: 'Not digits only, or the wrong number of digits',
  email: 'Not a valid email address',
  number: 'Not a number in the allowed form',
  age: 'Child 22 or older',
  date_order: 'Dates in the wrong order',
  year_order: 'End year before begin year',
  graduation_date_required: 'Graduation or HSE without its date',
  course_status: 'Clock hours or grade to date on a finished course',
  duplicate_id: 'State student ID on more than one line of students.csv',
  unknown_student: 'Row for a student neither in students.csv nor on file',
  field_count: 'Row with more or fewer fields than the header',
  unknown_column: 'Column that is not an MDE (ignored)',
};

export function describeRule(rule: string): string {
  return ruleDescriptions[rule] ?? rule;
}

export interface UploadSummary {
  id: number;
  state: string;
  source: 'browser' | 'command_line';
  uploadedBy: string | null;
  fileNames: string[];
  status: 'processing' | 'completed' | 'rejected';
  rejectionMessage: string | null;
  studentsReceived: number;
  studentsAccepted: number;
  studentsRejected: number;
  studentsUnchanged: number;
  qualityScore: number | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Reads an upload row with the name of the person who sent it, or throws 404. */
export function readUploadSummary(db: AppDatabase, uploadId: number): UploadSummary {
  const row = db
    .select({ upload: recordUploads, uploadedBy: people.displayName })
    .from(recordUploads)
    .leftJoin(people, eq(people.id, recordUploads.uploadedBy))
    .where(eq(recordUploads.id, uploadId))
    .get();
  if (!row) throw new AppError(404, 'not_found', `No upload with id ${uploadId} was found.`);
  const { upload } = row;
  return {
    id: upload.id,
    state: upload.state,
    source: upload.source,
    uploadedBy: row.uploadedBy ?? (upload.source === 'command_line' ? 'Command line' : null),
    fileNames: JSON.parse(upload.fileNames) as string[],
    status: upload.status,
    rejectionMessage: upload.rejectionMessage,
    studentsReceived: upload.studentsReceived,
    studentsAccepted: upload.studentsAccepted,
    studentsRejected: upload.studentsRejected,
    studentsUnchanged: upload.studentsUnchanged,
    qualityScore: upload.qualityScore,
    startedAt: upload.startedAt,
    finishedAt: upload.finishedAt,
  };
}

/** Reads the progress of an upload, or null for uploads that have none. */
export function readUploadProgress(db: AppDatabase, uploadId: number) {
  return (
    db
      .select({
        phase: recordUploadProgress.phase,
        bytesRead: recordUploadProgress.bytesRead,
        bytesTotal: recordUploadProgress.bytesTotal,
        studentsTotal: recordUploadProgress.studentsTotal,
        studentsChecked: recordUploadProgress.studentsChecked,
        updatedAt: recordUploadProgress.updatedAt,
      })
      .from(recordUploadProgress)
      .where(eq(recordUploadProgress.uploadId, uploadId))
      .get() ?? null
  );
}

export interface UploadQualityReport {
  upload: UploadSummary;
  /** Overall completeness in percent, or null when nothing was measured. */
  completenessPercent: number | null;
  completeness: {
    element: string;
    label: string;
    appliesTo: string;
    applicable: number;
    supplied: number;
    percent: number;
  }[];
  rejectionsByRule: { rule: string; description: string; students: number; problems: number }[];
  topProblems: {
    file: string;
    column: string | null;
    rule: string;
    description: string;
    severity: 'error' | 'warning';
    count: number;
    exampleLocation: string;
  }[];
}

export function readUploadQualityReport(db: AppDatabase, actor: Actor, uploadId: number): UploadQualityReport {
  const upload = readUploadSummary(db, uploadId);
  requireQualityAccess(actor, upload.state);

  const measured = new Map(
    db
      .select()
      .from(recordUploadCompleteness)
      .where(eq(recordUploadCompleteness.uploadId, uploadId))
      .all()
      .map((row) => [row.element, row]),
  );
  const completeness = completenessElements.flatMap((element) => {
    const row = measured.get(element.key);
    if (!row || row.applicable === 0) return [];
    return [
      {
        element: element.key,
        label: element.label,
        appliesTo: element.appliesTo,
        applicable: row.applicable,
        supplied: row.supplied,
        percent: percent(row.supplied, row.applicable),
      },
    ];
  });
  const applicable = completeness.reduce((sum, row) => sum + row.applicable, 0);
  const supplied = completeness.reduce((sum, row) => sum + row.supplied, 0);

  const rejectionsByRule = db
    .select({ rule: uploadProblems.rule, students: countDistinct(uploadProblems.stateStudentId), problems: count() })
    .from(uploadProblems)
    .where(and(eq(uploadProblems.uploadId, uploadId), eq(uploadProblems.severity, 'error')))
    .groupBy(uploadProblems.rule)
    .orderBy(desc(countDistinct(uploadProblems.stateStudentId)), desc(count()), asc(uploadProblems.rule))
    .all()
    .map((row) => ({ ...row, description: describeRule(row.rule) }));

  const grouped = db
    .select({
      file: uploadProblems.file,
      column: uploadProblems.column,
      rule: uploadProblems.rule,
      severity: uploadProblems.severity,
      count: count(),
      firstId: min(uploadProblems.id),
    })
    .from(uploadProblems)
    .where(eq(uploadProblems.uploadId, uploadId))
    .groupBy(uploadProblems.file, uploadProblems.column, uploadProblems.rule, uploadProblems.severity)
    .orderBy(desc(count()), asc(min(uploadProblems.id)))
    .limit(topProblemCount)
    .all();
  const topProblems = grouped.map((group) => {
    const example = db
      .select({ line: uploadProblems.line })
      .from(uploadProblems)
      .where(eq(uploadProblems.id, group.firstId ?? 0))
      .get();
    const location = [
      group.file,
      example?.line ? `line ${example.line}` : null,
      group.column ? `column ${group.column}` : null,
    ]
      .filter((part) => part !== null)
      .join(', ');
    return {
      file: group.file,
      column: group.column,
      rule: group.rule,
      description: describeRule(group.rule),
      severity: group.severity,
      count: group.count,
      exampleLocation: location,
    };
  });

  return {
    upload,
    completenessPercent: applicable === 0 ? null : percent(supplied, applicable),
    completeness,
    rejectionsByRule,
    topProblems,
  };
}

/** Renders the upload's report as CSV: one section per table, each row starting with its section name. */
export function renderUploadQualityCsv(report: UploadQualityReport): string {
  const { upload } = report;
  const rows: (string | number | null)[][] = [
    ['summary', 'upload', String(upload.id), null, null],
    ['summary', 'state', upload.state, null, null],
    ['summary', 'started_at', upload.startedAt, null, null],
    ['summary', 'status', upload.status, null, null],
    ['summary', 'students_received', upload.studentsReceived, null, null],
    ['summary', 'students_accepted', upload.studentsAccepted, null, null],
    ['summary', 'students_unchanged', upload.studentsUnchanged, null, null],
    ['summary', 'students_rejected', upload.studentsRejected, null, null],
    ['summary', 'completeness_percent', report.completenessPercent, null, null],
    ['summary', 'quality_score', upload.qualityScore, null, null],
    ...report.completeness.map((row) => ['completeness', row.label, row.percent, row.supplied, row.applicable]),
    ...report.rejectionsByRule.map((row) => [
      'rejections_by_rule',
      row.description,
      row.students,
      row.problems,
      row.rule,
    ]),
    ...report.topProblems.map((row) => [
      'top_problem',
      `${row.description} (${row.exampleLocation})`,
      row.count,
      row.severity,
      row.rule,
    ]),
  ];
  return renderCsv(['section', 'item', 'value', 'detail_1', 'detail_2'], rows);
}

export interface StateQualityHistory {
  state: string;
  uploads: UploadSummary[];
}

/** Reads a state's uploads, newest first, with their counts and scores. */
export function readStateQualityHistory(db: AppDatabase, actor: Actor, state: string): StateQualityHistory {
  if (!(stateCodes as readonly string[]).includes(state)) {
    throw new AppError(400, 'invalid_input', `state: "${state}" is not a state code; use a USPS code such as TX.`);
  }
  requireQualityAccess(actor, state);
  const ids = db
    .select({ id: recordUploads.id })
    .from(recordUploads)
    .where(eq(recordUploads.state, state))
    .orderBy(desc(recordUploads.startedAt), desc(recordUploads.id))
    .limit(500)
    .all();
  return { state, uploads: ids.map((row) => readUploadSummary(db, row.id)) };
}

export function renderStateQualityCsv(history: StateQualityHistory): string {
  return renderCsv(
    [
      'upload',
      'state',
      'started_at',
      'finished_at',
      'source',
      'status',
      'students_received',
      'students_accepted',
      'students_unchanged',
      'students_rejected',
      'quality_score',
    ],
    history.uploads.map((upload) => [
      upload.id,
      upload.state,
      upload.startedAt,
      upload.finishedAt,
      upload.source === 'browser' ? 'browser' : 'command line',
      upload.status,
      upload.studentsReceived,
      upload.studentsAccepted,
      upload.studentsUnchanged,
      upload.studentsRejected,
      upload.qualityScore,
    ]),
  );
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;
}
