/**
 * Applies a validated merge or split to the core tables, inside the caller's
 * transaction. Both return the students whose consolidated record changed,
 * so the caller can refresh the search index after the commit.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import {
  consolidatedRecords,
  recordLinkDecisions,
  recordNearMatches,
  retiredMsixIds,
  students,
} from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { linkThreshold, nearMatchThreshold, type StudentComparison } from '../linking/compare';
import { randomMsixId } from '../linking/msix-id';

export interface AppliedChange {
  movedStudentIds: number[];
  /** The record the students belong to afterwards. */
  consolidatedRecordId: number;
  msixId: string;
}

/**
 * Moves every student of `retiredRecordId` into `survivorRecordId`. The
 * emptied record stays as a row, and its MSIX ID is kept in retired_msix_ids
 * pointing at the survivor; IDs retired earlier into it are pointed there too,
 * so every old ID resolves in one step.
 */
export function applyMerge(
  tx: DatabaseOrTransaction,
  options: {
    survivorRecordId: number;
    retiredRecordId: number;
    now: Date;
    resolvedBy: number;
    changeRequestId?: number | undefined;
    nearMatchId?: number | undefined;
  },
): AppliedChange {
  const now = options.now.toISOString();
  const survivor = readRecord(tx, options.survivorRecordId);
  const retired = readRecord(tx, options.retiredRecordId);

  const movedStudentIds = tx
    .select({ id: students.id })
    .from(students)
    .where(eq(students.consolidatedRecordId, retired.id))
    .all()
    .map((row) => row.id);
  tx.update(students)
    .set({ consolidatedRecordId: survivor.id })
    .where(eq(students.consolidatedRecordId, retired.id))
    .run();
  tx.update(recordLinkDecisions)
    .set({ consolidatedRecordId: survivor.id })
    .where(eq(recordLinkDecisions.consolidatedRecordId, retired.id))
    .run();

  tx.update(retiredMsixIds)
    .set({ successorRecordId: survivor.id })
    .where(eq(retiredMsixIds.successorRecordId, retired.id))
    .run();
  tx.insert(retiredMsixIds)
    .values({
      msixId: retired.msixId,
      consolidatedRecordId: retired.id,
      successorRecordId: survivor.id,
      changeRequestId: options.changeRequestId ?? null,
      nearMatchId: options.nearMatchId ?? null,
      retiredAt: now,
    })
    .run();
  tx.update(consolidatedRecords)
    .set({ updatedAt: now })
    .where(inArray(consolidatedRecords.id, [survivor.id, retired.id]))
    .run();

  closeSettledNearMatches(tx, survivor.id, options.resolvedBy, now);
  return { movedStudentIds, consolidatedRecordId: survivor.id, msixId: survivor.msixId };
}

/**
 * Moves one student out of its consolidated record into a new record with a
 * new MSIX ID. The pairs of that student and the students left behind are
 * stored as rejected near matches, because linking never proposes a rejected
 * pair again, so a later upload does not join them back.
 */
export function applySplit(
  tx: DatabaseOrTransaction,
  options: {
    recordId: number;
    studentId: number;
    now: Date;
    resolvedBy: number;
  },
): AppliedChange {
  const now = options.now.toISOString();
  const created = insertConsolidatedRecord(tx, now);

  const remaining = tx
    .select({ id: students.id })
    .from(students)
    .where(and(eq(students.consolidatedRecordId, options.recordId), ne(students.id, options.studentId)))
    .all();
  tx.update(students).set({ consolidatedRecordId: created.id }).where(eq(students.id, options.studentId)).run();
  tx.update(recordLinkDecisions)
    .set({ consolidatedRecordId: created.id })
    .where(eq(recordLinkDecisions.studentId, options.studentId))
    .run();
  tx.update(consolidatedRecords).set({ updatedAt: now }).where(eq(consolidatedRecords.id, options.recordId)).run();

  for (const other of remaining) {
    const [studentAId, studentBId] =
      other.id < options.studentId ? [other.id, options.studentId] : [options.studentId, other.id];
    tx.insert(recordNearMatches)
      .values({
        studentAId,
        studentBId,
        score: 0,
        reasons: JSON.stringify(splitReasons),
        status: 'rejected',
        createdAt: now,
        resolvedBy: options.resolvedBy,
        resolvedAt: now,
      })
      .onConflictDoUpdate({
        target: [recordNearMatches.studentAId, recordNearMatches.studentBId],
        set: { status: 'rejected', resolvedBy: options.resolvedBy, resolvedAt: now },
      })
      .run();
  }

  return { movedStudentIds: [options.studentId], consolidatedRecordId: created.id, msixId: created.msixId };
}

/** Reasons stored on the rejected pairs a split leaves behind, in the shape linking writes for near matches. */
const splitReasons: StudentComparison = {
  score: 0,
  decision: 'separate',
  flags: ['separated_by_split'],
  fields: [],
  thresholds: { link: linkThreshold, nearMatch: nearMatchThreshold },
};

/** Marks open near matches confirmed when both students now share one consolidated record. */
function closeSettledNearMatches(tx: DatabaseOrTransaction, recordId: number, resolvedBy: number, now: string): void {
  const members = tx
    .select({ id: students.id })
    .from(students)
    .where(eq(students.consolidatedRecordId, recordId))
    .all()
    .map((row) => row.id);
  if (members.length < 2) return;
  tx.update(recordNearMatches)
    .set({ status: 'confirmed', resolvedBy, resolvedAt: now })
    .where(
      and(
        eq(recordNearMatches.status, 'open'),
        inArray(recordNearMatches.studentAId, members),
        inArray(recordNearMatches.studentBId, members),
      ),
    )
    .run();
}

/** Most random MSIX IDs tried before giving up; a collision among 9 * 10^11 IDs is rare. */
const maxMsixIdAttempts = 20;

/** Inserts a consolidated record under a new random MSIX ID, drawn as linking draws them. */
function insertConsolidatedRecord(tx: DatabaseOrTransaction, now: string): { id: number; msixId: string } {
  for (let attempt = 0; attempt < maxMsixIdAttempts; attempt++) {
    const msixId = randomMsixId();
    const retired = tx.select().from(retiredMsixIds).where(eq(retiredMsixIds.msixId, msixId)).get();
    if (retired) continue;
    const created = tx
      .insert(consolidatedRecords)
      .values({ msixId, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: consolidatedRecords.id })
      .get();
    if (created) return { id: created.id, msixId };
  }
  throw new Error(`no unused MSIX ID found after ${maxMsixIdAttempts} attempts`);
}

function readRecord(tx: DatabaseOrTransaction, id: number) {
  const record = tx.select().from(consolidatedRecords).where(eq(consolidatedRecords.id, id)).get();
  if (!record) throw new Error(`consolidated record ${id} does not exist`);
  return record;
}
