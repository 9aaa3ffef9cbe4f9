/**
 * Reads one consolidated record for viewing or printing: the identity as each
 * state reported it and merged, qualifying moves, enrollments, course history
 * and assessments from every state, and the reasons the states' records were
 * linked. Each read writes a `records.view` or `records.print` audit row whose
 * object id is the MSIX ID and whose detail is the purpose.
 */
import type { Database } from 'better-sqlite3';
import { connectionOf } from './connection';
import type { AppDatabase } from '../../../db/client';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { recordUsage } from '../../dashboard/usage';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { requireRecordsAccess } from '../access';
import { readLinkReasons, type RecordLinkReasons } from '../linking/reasons';
import { describePurpose, purposeSchema } from './purpose';

export interface ReportedIdentity {
  studentId: number;
  state: string;
  stateStudentId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  suffix: string | null;
  sex: string;
  birthDate: string;
  birthDateVerification: string | null;
  multipleBirth: boolean;
  birthCity: string | null;
  birthState: string | null;
  birthCountry: string | null;
  parent1FirstName: string | null;
  parent1LastName: string | null;
  parent2FirstName: string | null;
  parent2LastName: string | null;
  /** When the state's data was last accepted. */
  updatedAt: string;
}

/** Identity fields merged across states: for each field, the value most states reported. */
export type MergedIdentity = Omit<ReportedIdentity, 'studentId' | 'state' | 'stateStudentId' | 'updatedAt'>;

export interface ConsolidatedRecordView {
  msixId: string;
  /** The MSIX ID that was asked for, when it was retired by a merge and this is the record that took its students. */
  requestedMsixId: string | null;
  states: string[];
  identity: { merged: MergedIdentity; reported: ReportedIdentity[] };
  qualifyingMoves: Record<string, unknown>[];
  enrollments: Record<string, unknown>[];
  courses: Record<string, unknown>[];
  assessments: Record<string, unknown>[];
  /** Linking decisions behind each state's report in this record, and the near matches that involve them. */
  linkReasons: RecordLinkReasons;
}

export type RecordUse = 'view' | 'print';

/** Reads the record for a person with records access, after checking the purpose, and audits the read. */
export function openConsolidatedRecord(
  db: AppDatabase,
  actor: Actor,
  msixId: string,
  input: unknown,
  use: RecordUse,
  context: ActionContext,
): ConsolidatedRecordView {
  // The format and the purpose are checked first: neither reveals anything about the records.
  requireMsixIdFormat(msixId);
  const purpose = parseInput(purposeSchema, input);
  requireRecordsAccess(actor, 'viewer');
  const view = readConsolidatedRecord(db, msixId);

  db.transaction((tx) => {
    recordAudit(tx, {
      actor,
      ip: context.ip,
      requestId: context.requestId,
      at: context.now,
      action: use === 'print' ? 'records.print' : 'records.view',
      objectType: 'consolidated_record',
      objectId: view.msixId,
      outcome: 'success',
      detail: describePurpose(purpose),
    });
    recordUsage(tx, use === 'print' ? 'records.print' : 'records.view', actor, context.now);
  });
  return view;
}

/** Finds the record's internal id by MSIX ID, following a retired MSIX ID to the record that took its students. */
export function findRecord(sqlite: Database, msixId: string): { id: number; msixId: string; retired: boolean } {
  requireMsixIdFormat(msixId);
  // A merge keeps the emptied record's row, so the retired list is read first.
  const successor = sqlite
    .prepare(
      `SELECT c.id, c.msix_id AS msixId FROM retired_msix_ids r
         JOIN consolidated_records c ON c.id = r.successor_record_id WHERE r.msix_id = ?`,
    )
    .get(msixId) as { id: number; msixId: string } | undefined;
  if (successor) return { ...successor, retired: true };
  const current = sqlite
    .prepare('SELECT id, msix_id AS msixId FROM consolidated_records WHERE msix_id = ?')
    .get(msixId) as { id: number; msixId: string } | undefined;
  if (current) return { ...current, retired: false };
  throw new AppError(
    404,
    'record_not_found',
    `No consolidated record has MSIX ID ${msixId}. Check the number, or search by name and birth date.`,
  );
}

/** Throws 404 unless the MSIX ID is 12 digits; needs no database, so it can run before the access check. */
export function requireMsixIdFormat(msixId: string): void {
  if (/^\d{12}$/.test(msixId)) return;
  throw new AppError(
    404,
    'record_not_found',
    'No consolidated record has that MSIX ID. An MSIX ID has 12 digits; check it, or search by name and birth date.',
  );
}

/** Reads the whole record; writes nothing. */
export function readConsolidatedRecord(db: AppDatabase, msixId: string): ConsolidatedRecordView {
  const sqlite = connectionOf(db);
  const record = findRecord(sqlite, msixId);
  const reported = sqlite
    .prepare(
      `SELECT id AS studentId, state, state_student_id AS stateStudentId, first_name AS firstName,
              middle_name AS middleName, last_name_1 AS lastName1, last_name_2 AS lastName2, suffix, sex,
              birth_date AS birthDate, birth_date_verification AS birthDateVerification,
              multiple_birth AS multipleBirth, birth_city AS birthCity, birth_state AS birthState,
              birth_country AS birthCountry, parent1_first_name AS parent1FirstName,
              parent1_last_name AS parent1LastName, parent2_first_name AS parent2FirstName,
              parent2_last_name AS parent2LastName, updated_at AS updatedAt
         FROM students WHERE consolidated_record_id = ? ORDER BY state, state_student_id`,
    )
    .all(record.id) as (Omit<ReportedIdentity, 'multipleBirth'> & { multipleBirth: number })[];
  const identities: ReportedIdentity[] = reported.map((row) => ({ ...row, multipleBirth: row.multipleBirth === 1 }));
  const studentIds = JSON.stringify(identities.map((identity) => identity.studentId));

  return {
    msixId: record.msixId,
    requestedMsixId: record.retired ? msixId : null,
    states: [...new Set(identities.map((identity) => identity.state))].sort(),
    identity: { merged: mergeIdentities(identities), reported: identities },
    qualifyingMoves: sqlite
      .prepare(
        `SELECT s.state AS reportedBy, m.qad, m.from_city AS fromCity, m.from_state AS fromState,
                m.from_country AS fromCountry, m.to_city AS toCity, m.to_state AS toState,
                m.eligibility_expiration_date AS eligibilityExpirationDate
           FROM qualifying_moves m JOIN students s ON s.id = m.student_id
          WHERE m.student_id IN (SELECT value FROM json_each(?)) ORDER BY m.qad DESC, s.state`,
      )
      .all(studentIds) as Record<string, unknown>[],
    enrollments: readEnrollments(sqlite, studentIds),
    courses: readCourses(sqlite, studentIds),
    assessments: sqlite
      .prepare(
        `SELECT s.state AS reportedBy, a.assessment_title AS assessmentTitle, a.assessment_content AS assessmentContent,
                a.assessment_type AS assessmentType, a.administration_date AS administrationDate,
                a.reporting_method AS reportingMethod, a.score, a.interpretation
           FROM assessments a JOIN students s ON s.id = a.student_id
          WHERE a.student_id IN (SELECT value FROM json_each(?))
          ORDER BY a.administration_date DESC, a.assessment_title`,
      )
      .all(studentIds) as Record<string, unknown>[],
    linkReasons: readLinkReasons(db, record.id),
  };
}

function readEnrollments(sqlite: Database, studentIds: string): Record<string, unknown>[] {
  const rows = sqlite
    .prepare(
      `SELECT s.state AS reportedBy, e.enrollment_date AS enrollmentDate, e.enrollment_type AS enrollmentType,
              e.school_or_project_name AS schoolOrProjectName, e.school_id AS schoolId, e.district_id AS districtId,
              e.district_name AS districtName, e.facility_city AS facilityCity, e.facility_state AS facilityState,
              e.grade_level AS gradeLevel, e.withdrawal_date AS withdrawalDate, e.english_learner AS englishLearner,
              e.iep, e.priority_for_services AS priorityForServices, e.immunization_record AS immunizationRecord,
              e.med_alert AS medAlert, e.residency_date AS residencyDate, e.graduation_hse AS graduationHse,
              e.graduation_hse_date AS graduationHseDate, e.comment
         FROM enrollments e JOIN students s ON s.id = e.student_id
        WHERE e.student_id IN (SELECT value FROM json_each(?)) ORDER BY e.enrollment_date DESC, s.state`,
    )
    .all(studentIds) as Record<string, unknown>[];
  const flags = ['englishLearner', 'iep', 'priorityForServices', 'immunizationRecord'];
  return rows.map((row) => {
    const converted = { ...row };
    for (const flag of flags) converted[flag] = row[flag] === null ? null : row[flag] === 1;
    return converted;
  });
}

/**
 * Reads the course history. A course with credits granted is finished; one
 * without is in progress and shows its clock hours and grade to date.
 */
function readCourses(sqlite: Database, studentIds: string): Record<string, unknown>[] {
  const rows = sqlite
    .prepare(
      `SELECT s.state AS reportedBy, c.school_id AS schoolId, c.course_title AS courseTitle,
              c.subject_area AS subjectArea, c.course_type AS courseType, c.begin_year AS beginYear,
              c.end_year AS endYear, c.course_section AS courseSection, c.term_type AS termType,
              c.clock_hours AS clockHours, c.grade_to_date AS gradeToDate, c.credits_granted AS creditsGranted,
              c.final_grade AS finalGrade
         FROM courses c JOIN students s ON s.id = c.student_id
        WHERE c.student_id IN (SELECT value FROM json_each(?))
        ORDER BY c.end_year DESC, c.begin_year DESC, c.course_title`,
    )
    .all(studentIds) as Record<string, unknown>[];
  return rows.map((row) => ({
    ...row,
    inProgress: row.creditsGranted === null && row.finalGrade === null,
  }));
}

/**
 * Fields merged as one unit, so the merged identity never mixes one state's
 * first surname with another state's second surname.
 */
const mergedGroups = [
  ['firstName', 'middleName', 'lastName1', 'lastName2', 'suffix'],
  ['sex'],
  ['birthDate'],
  ['birthDateVerification'],
  ['multipleBirth'],
  ['birthCity', 'birthState', 'birthCountry'],
  ['parent1FirstName', 'parent1LastName'],
  ['parent2FirstName', 'parent2LastName'],
] as const satisfies readonly (readonly (keyof MergedIdentity)[])[];

/**
 * Merges the identity the states reported, one group of fields at a time (the
 * name, the birth place, each parent, each other field). Each group takes the
 * values most states gave. On a tie it takes the more complete values, then
 * those of the state that reported last. A state that left the whole group
 * empty is not counted.
 */
export function mergeIdentities(identities: readonly ReportedIdentity[]): MergedIdentity {
  const newestFirst = [...identities].sort((left, right) => right.updatedAt.localeCompare(left.updatedAt));
  const merged: Record<string, unknown> = {};
  for (const group of mergedGroups) {
    const counts = new Map<string, { values: unknown[]; count: number; filled: number }>();
    for (const identity of newestFirst) {
      const values = group.map((field) => (identity[field] === '' ? null : identity[field]));
      const filled = values.filter((value) => value !== null).length;
      if (filled === 0) continue;
      const key = JSON.stringify(values);
      const entry = counts.get(key) ?? { values, count: 0, filled };
      entry.count += 1;
      counts.set(key, entry);
    }
    let best: { values: unknown[]; count: number; filled: number } | undefined;
    for (const entry of counts.values()) {
      if (!best || entry.count > best.count || (entry.count === best.count && entry.filled > best.filled)) best = entry;
    }
    group.forEach((field, index) => {
      merged[field] = best?.values[index] ?? null;
    });
  }
  return merged as MergedIdentity;
}
