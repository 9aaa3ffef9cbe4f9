/**
 * Links students into consolidated records: within a state by the state
 * student ID (one students row per state and ID), across states by comparing
 * identity (compare.ts). Each decision keeps its reasons; pairs that may be
 * the same child but do not link automatically become near matches for the
 * data administrators' worklist.
 */
import type Database from 'better-sqlite3';
import type { AppDatabase } from '../../../db/client';
import { blockingKeys, frequencyKeyPrefix, frequencyKeys } from './blocking';
import {
  comparePrepared,
  prepareStudent,
  type PreparedStudent,
  type StudentComparison,
  type StudentIdentity,
  type ValueFrequencies,
} from './compare';
import { createConsolidatedRecord } from './msix-id';
import type { NicknameIndex } from './nickname-index';
import { loadNicknameIndex } from './nicknames';

export interface LinkSummary {
  studentsLinked: number;
  newRecords: number;
  nearMatches: number;
}

/** The reasons stored with each student's link decision (record_link_decisions.reasons). */
export interface LinkDecisionReasons {
  outcome: 'new_record' | 'linked';
  /** Plain sentence for the record page. */
  summary: string;
  /** Students from other states that shared a blocking key and were compared. */
  candidatesCompared: number;
  /** The student linked to, or the closest one when nothing linked; null when nothing was compared. */
  comparedWith: { studentId: number; state: string } | null;
  comparison: StudentComparison | null;
}

/** Students linked per transaction; each chunk commits on its own, so a long import does not hold one huge transaction. */
const chunkSize = 500;

/** Candidates kept prepared in memory during one linking run (about 1 KB each). */
const maxPreparedCandidates = 200_000;

/**
 * Below this many students on file, agreements keep their fixed points,
 * because the counts of a small database (tests, a first upload of a few
 * hundred students) are a poor estimate of how common a name is. 2,000
 * students give about 20 students per first name of reference frequency
 * (1 in 100). The demo seed (about 3,300 students) is above it.
 */
export const minStudentsForFrequencies = 2000;

/** Most near matches proposed for one student, the highest scores first. */
const maxNearMatchesPerStudent = 5;

interface StudentRow extends StudentIdentity {
  id: number;
  state: string;
  consolidatedRecordId: number | null;
}

const studentColumns = `id, state, consolidated_record_id AS consolidatedRecordId, first_name AS firstName,
  middle_name AS middleName, last_name_1 AS lastName1, last_name_2 AS lastName2, sex, birth_date AS birthDate,
  multiple_birth AS multipleBirth, birth_city AS birthCity, birth_state AS birthState, birth_country AS birthCountry,
  parent1_first_name AS parent1FirstName, parent1_last_name AS parent1LastName,
  parent2_first_name AS parent2FirstName, parent2_last_name AS parent2LastName`;

/**
 * Links the given students (new or changed) against everyone on file and
 * returns what happened. A student without a consolidated record joins the
 * record of the best-scoring student of another state when the score
 * reaches the link threshold, or gets a new record with a new MSIX ID. A
 * student that already has a record keeps it: moving it is a merge or a
 * split, which a person starts and a second person validates.
 *
 * A student is never linked automatically into a record that already contains
 * another student of its own state, because the state student ID identifies
 * the child within a state. When a student matches two different records,
 * it joins the best one and the other becomes a near match, because joining
 * two records is a merge. Pairs rejected on the worklist are never proposed
 * or linked again.
 */
export function linkStudents(db: AppDatabase, studentIds: readonly number[], now: Date): LinkSummary {
  const linker = new Linker(sqliteOf(db), loadNicknameIndex(db), now);
  const summary: LinkSummary = { studentsLinked: 0, newRecords: 0, nearMatches: 0 };
  // Keys first, for the whole batch: the value counts then include the students of this upload.
  for (let start = 0; start < studentIds.length; start += chunkSize) {
    const chunk = studentIds.slice(start, start + chunkSize);
    linker.sqlite.transaction(() => {
      for (const id of chunk) linker.storeKeys(id);
    })();
  }
  linker.startCounting();
  for (let start = 0; start < studentIds.length; start += chunkSize) {
    const chunk = studentIds.slice(start, start + chunkSize);
    linker.sqlite.transaction(() => {
      for (const id of chunk) linker.link(id, summary);
    })();
  }
  return summary;
}

class Linker {
  private readonly readStudent: Database.Statement;
  private readonly readCandidates: Database.Statement;
  private readonly readRejected: Database.Statement;
  private readonly hasStateInRecord: Database.Statement;
  private readonly deleteKeys: Database.Statement;
  private readonly insertKey: Database.Statement;
  private readonly setRecord: Database.Statement;
  private readonly touchRecord: Database.Statement;
  private readonly saveDecision: Database.Statement;
  private readonly insertNearMatch: Database.Statement;
  private readonly readDecision: Database.Statement;
  private readonly at: string;
  private readonly preparedById = new Map<number, PreparedStudent>();
  private readonly countKey: Database.Statement;
  private readonly countStudentsWithKeys: Database.Statement;
  private readonly shareByKey = new Map<string, number>();
  private frequencies: ValueFrequencies | undefined;

  constructor(
    readonly sqlite: Database.Database,
    private readonly nicknames: NicknameIndex,
    private readonly now: Date,
  ) {
    this.at = now.toISOString();
    this.readStudent = sqlite.prepare(`SELECT ${studentColumns} FROM students WHERE id = ?`);
    this.readCandidates = sqlite.prepare(
      `SELECT ${studentColumns} FROM students
       WHERE id IN (SELECT student_id FROM record_blocking_keys WHERE key IN (SELECT value FROM json_each(?)))
         AND state <> ? AND consolidated_record_id IS NOT NULL`,
    );
    // Two indexed lookups (the student on either side of the pair) instead of one OR that scans every rejection.
    this.readRejected = sqlite.prepare(
      `SELECT s.id AS other, s.consolidated_record_id AS otherRecordId
       FROM record_near_matches m JOIN students s ON s.id = m.student_b_id
       WHERE m.student_a_id = @id AND m.status = 'rejected'
       UNION ALL
       SELECT s.id AS other, s.consolidated_record_id AS otherRecordId
       FROM record_near_matches m JOIN students s ON s.id = m.student_a_id
       WHERE m.student_b_id = @id AND m.status = 'rejected'`,
    );
    this.hasStateInRecord = sqlite.prepare(
      'SELECT 1 FROM students WHERE consolidated_record_id = ? AND state = ? AND id <> ? LIMIT 1',
    );
    this.countKey = sqlite.prepare('SELECT count(*) AS n FROM record_blocking_keys WHERE key = ?');
    // Students with frequency keys (one first-name key each), not all students: a database linked before frequency
    // keys existed has students without them, who would otherwise make every value look rare.
    this.countStudentsWithKeys = sqlite.prepare(
      `SELECT count(*) AS n FROM record_blocking_keys WHERE key >= '${frequencyKeyPrefix.firstName}' AND key < '${frequencyKeyPrefix.firstName.slice(0, -1)};'`,
    );
    this.deleteKeys = sqlite.prepare('DELETE FROM record_blocking_keys WHERE student_id = ?');
    this.insertKey = sqlite.prepare('INSERT OR IGNORE INTO record_blocking_keys (key, student_id) VALUES (?, ?)');
    this.setRecord = sqlite.prepare('UPDATE students SET consolidated_record_id = ? WHERE id = ?');
    this.touchRecord = sqlite.prepare('UPDATE consolidated_records SET updated_at = ? WHERE id = ?');
    this.saveDecision = sqlite.prepare(
      `INSERT INTO record_link_decisions (student_id, consolidated_record_id, outcome, matched_student_id, score, reasons, decided_at)
       VALUES (@studentId, @recordId, @outcome, @matchedStudentId, @score, @reasons, @at)
       ON CONFLICT (student_id) DO UPDATE SET consolidated_record_id = excluded.consolidated_record_id,
         outcome = excluded.outcome, matched_student_id = excluded.matched_student_id, score = excluded.score,
         reasons = excluded.reasons, decided_at = excluded.decided_at`,
    );
    this.readDecision = sqlite.prepare(
      'SELECT reasons FROM record_link_decisions WHERE student_id = ? AND consolidated_record_id = ?',
    );
    this.insertNearMatch = sqlite.prepare(
      `INSERT INTO record_near_matches (student_a_id, student_b_id, score, reasons, status, created_at)
       VALUES (?, ?, ?, ?, 'open', ?) ON CONFLICT (student_a_id, student_b_id) DO NOTHING`,
    );
  }

  /** Replaces the blocking and frequency keys of a student. */
  storeKeys(studentId: number): void {
    const row = this.readStudent.get(studentId) as StudentRow | undefined;
    if (!row) return;
    const student = prepareStudent(toIdentity(row));
    this.deleteKeys.run(studentId);
    for (const key of [...blockingKeys(student, this.nicknames), ...frequencyKeys(student)]) {
      this.insertKey.run(key, studentId);
    }
  }

  /**
   * Makes value counts available to the comparison once the database has
   * enough students. Counts are read once per value and kept for the run:
   * one upload changes them little.
   */
  startCounting(): void {
    const population = (this.countStudentsWithKeys.get() as { n: number }).n;
    if (population < minStudentsForFrequencies) return;
    const share = (key: string) => {
      let value = this.shareByKey.get(key);
      if (value === undefined) {
        // The students other than the one compared that have the value: the chance that another child shares it.
        value = Math.max(1, (this.countKey.get(key) as { n: number }).n - 1) / population;
        this.shareByKey.set(key, value);
      }
      return value;
    };
    this.frequencies = {
      firstName: (key) => share(frequencyKeyPrefix.firstName + key),
      surname: (key) => share(frequencyKeyPrefix.surname + key),
      birthDate: (date) => share(frequencyKeyPrefix.birthDate + date),
    };
  }

  link(studentId: number, summary: LinkSummary): void {
    const row = this.readStudent.get(studentId) as StudentRow | undefined;
    if (!row) return;
    const student = prepareStudent(toIdentity(row));
    const keys = blockingKeys(student, this.nicknames);

    const candidates = this.readCandidates.all(JSON.stringify(keys), row.state) as StudentRow[];
    // A pair rejected on the worklist keeps the student out of the other student's whole record.
    const rejectedRows = this.readRejected.all({ id: studentId }) as { other: number; otherRecordId: number | null }[];
    const rejected = new Set(rejectedRows.map((rejection) => rejection.otherRecordId ?? -rejection.other));
    const bestByRecord = this.bestMatchPerRecord(student, row, candidates, rejected);
    const ranked = [...bestByRecord.values()].sort((left, right) => right.comparison.score - left.comparison.score);

    let recordId = row.consolidatedRecordId;
    let decision: LinkDecisionReasons;
    let matchedStudentId: number | null = null;
    const sameStateRecords = new Set(
      ranked
        .filter((match) => match.comparison.decision === 'link')
        .map((match) => match.candidate.consolidatedRecordId as number)
        .filter((id) => this.hasStateInRecord.get(id, row.state, studentId)),
    );
    const linkable = ranked.filter(
      (match) =>
        match.comparison.decision === 'link' && !sameStateRecords.has(match.candidate.consolidatedRecordId as number),
    );

    const best = linkable[0];
    if (recordId === null && best) {
      recordId = best.candidate.consolidatedRecordId as number;
      matchedStudentId = best.candidate.id;
      this.touchRecord.run(this.at, recordId);
      decision = {
        outcome: 'linked',
        summary: `Linked to the record of a student reported by ${best.candidate.state}: the score ${best.comparison.score} reached the link threshold ${best.comparison.thresholds.link}.`,
        candidatesCompared: candidates.length,
        comparedWith: { studentId: best.candidate.id, state: best.candidate.state },
        comparison: best.comparison,
      };
    } else if (recordId === null) {
      recordId = createConsolidatedRecord(this.sqlite, this.now).id;
      summary.newRecords++;
      const closest = ranked[0];
      decision = {
        outcome: 'new_record',
        summary: closest
          ? `New record: the closest student, reported by ${closest.candidate.state}, scored ${closest.comparison.score}, ${describeWhyNotLinked(closest.comparison, sameStateRecords.size > 0)}.`
          : 'New record: no student of another state had a similar name and birth date.',
        candidatesCompared: candidates.length,
        comparedWith: closest ? { studentId: closest.candidate.id, state: closest.candidate.state } : null,
        comparison: closest?.comparison ?? null,
      };
    } else {
      decision = this.keepDecision(studentId, recordId, candidates.length);
    }

    this.setRecord.run(recordId, studentId);
    summary.studentsLinked++;
    this.saveDecision.run({
      studentId,
      recordId,
      outcome: decision.outcome,
      matchedStudentId,
      score: decision.comparison?.score ?? null,
      reasons: JSON.stringify(decision),
      at: this.at,
    });

    const proposals = ranked.filter(
      (match) => match.candidate.consolidatedRecordId !== recordId && match.comparison.decision !== 'separate',
    );
    for (const match of proposals.slice(0, maxNearMatchesPerStudent)) {
      const [a, b] = studentId < match.candidate.id ? [studentId, match.candidate.id] : [match.candidate.id, studentId];
      // A pair that scored as a link but was not linked, because its record contains the same state or linking would join two records.
      const extraFlag = sameStateRecords.has(match.candidate.consolidatedRecordId as number)
        ? 'record_has_same_state'
        : 'would_join_two_records';
      const flags =
        match.comparison.decision === 'link' ? [...match.comparison.flags, extraFlag] : match.comparison.flags;
      const result = this.insertNearMatch.run(
        a,
        b,
        match.comparison.score,
        JSON.stringify({ ...match.comparison, flags }),
        this.at,
      );
      summary.nearMatches += result.changes;
    }
  }

  /** Compares the student with each candidate and keeps the best-scoring candidate of each consolidated record. */
  private bestMatchPerRecord(
    student: PreparedStudent,
    row: StudentRow,
    candidates: StudentRow[],
    rejected: Set<number>,
  ): Map<number, { candidate: StudentRow; comparison: StudentComparison }> {
    const best = new Map<number, { candidate: StudentRow; comparison: StudentComparison }>();
    for (const candidate of candidates) {
      const recordId = candidate.consolidatedRecordId as number;
      if (candidate.id === row.id || rejected.has(recordId) || recordId === row.consolidatedRecordId) continue;
      const comparison = comparePrepared(student, this.prepared(candidate), {
        nicknames: this.nicknames,
        frequencies: this.frequencies,
      });
      const current = best.get(recordId);
      if (!current || comparison.score > current.comparison.score) best.set(recordId, { candidate, comparison });
    }
    return best;
  }

  /** Prepares a candidate once per linking run: the same students come up as candidates of many new students. */
  private prepared(candidate: StudentRow): PreparedStudent {
    let prepared = this.preparedById.get(candidate.id);
    if (!prepared) {
      if (this.preparedById.size >= maxPreparedCandidates) this.preparedById.clear();
      prepared = prepareStudent(toIdentity(candidate));
      this.preparedById.set(candidate.id, prepared);
    }
    return prepared;
  }

  /** Returns the decision of a student that keeps its record: the earlier reasons when there are some. */
  private keepDecision(studentId: number, recordId: number, candidatesCompared: number): LinkDecisionReasons {
    const earlier = this.readDecision.get(studentId, recordId) as { reasons: string } | undefined;
    if (earlier) return JSON.parse(earlier.reasons) as LinkDecisionReasons;
    return {
      outcome: 'linked',
      summary: 'The student kept the record it was already in (placed there by a merge or an earlier link).',
      candidatesCompared,
      comparedWith: null,
      comparison: null,
    };
  }
}

function describeWhyNotLinked(comparison: StudentComparison, blockedBySameState: boolean): string {
  if (blockedBySameState)
    return 'but that record already contains another student of the same state, so it is a near match';
  if (comparison.flags.includes('possible_twin'))
    return 'but the two may be twins (multiple birth, different first names), so it is a near match';
  if (comparison.flags.includes('first_name_differs') && comparison.decision === 'near_match') {
    return 'but the first names differ, so it is a near match';
  }
  if (comparison.decision === 'near_match')
    return `below the link threshold ${comparison.thresholds.link}, so it is a near match`;
  return `below the near-match threshold ${comparison.thresholds.nearMatch}`;
}

/** Returns the better-sqlite3 connection under a drizzle database, for prepared statements in the hot loop. */
export function sqliteOf(db: AppDatabase): Database.Database {
  return (db as AppDatabase & { $client: Database.Database }).$client;
}

function toIdentity(row: StudentRow): StudentIdentity {
  return { ...row, multipleBirth: row.multipleBirth === null ? null : Boolean(row.multipleBirth) };
}
