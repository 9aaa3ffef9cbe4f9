/** The reasons behind a consolidated record, for the record page. */
import type { AppDatabase } from '../../../db/client';
import type { StudentComparison } from './compare';
import type { LinkDecisionReasons } from './link';
import { sqliteOf } from './link';

/** The reasons one student belongs to the record. */
export interface StudentLinkReasons {
  studentId: number;
  state: string;
  stateStudentId: string;
  outcome: LinkDecisionReasons['outcome'];
  /** The student it was linked to, when it joined an existing record. */
  matchedStudentId: number | null;
  score: number | null;
  decidedAt: string;
  reasons: LinkDecisionReasons;
}

/** An open or resolved near match between a student of the record and a student outside it or inside it. */
export interface NearMatchReasons {
  id: number;
  studentAId: number;
  studentBId: number;
  status: 'open' | 'confirmed' | 'rejected';
  score: number;
  createdAt: string;
  reasons: StudentComparison;
}

export interface RecordLinkReasons {
  students: StudentLinkReasons[];
  nearMatches: NearMatchReasons[];
}

/**
 * Reads why each student of a consolidated record is in it (the last linking
 * decision with its field-by-field comparison) and the near matches that
 * involve the record's students. Students without a stored decision (none
 * yet, or placed by a merge before linking ran) are left out.
 */
export function readLinkReasons(db: AppDatabase, consolidatedRecordId: number): RecordLinkReasons {
  const sqlite = sqliteOf(db);
  const students = sqlite
    .prepare(
      `SELECT s.id AS studentId, s.state, s.state_student_id AS stateStudentId, d.outcome,
         d.matched_student_id AS matchedStudentId, d.score, d.decided_at AS decidedAt, d.reasons
       FROM students s JOIN record_link_decisions d ON d.student_id = s.id
       WHERE s.consolidated_record_id = ? ORDER BY d.decided_at, s.id`,
    )
    .all(consolidatedRecordId) as (Omit<StudentLinkReasons, 'reasons'> & { reasons: string })[];
  const nearMatches = sqlite
    .prepare(
      `SELECT id, student_a_id AS studentAId, student_b_id AS studentBId, status, score, created_at AS createdAt, reasons
       FROM record_near_matches
       WHERE student_a_id IN (SELECT id FROM students WHERE consolidated_record_id = @record)
          OR student_b_id IN (SELECT id FROM students WHERE consolidated_record_id = @record)
       ORDER BY created_at, id`,
    )
    .all({ record: consolidatedRecordId }) as (Omit<NearMatchReasons, 'reasons'> & { reasons: string })[];
  return {
    students: students.map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as LinkDecisionReasons })),
    nearMatches: nearMatches.map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as StudentComparison })),
  };
}
