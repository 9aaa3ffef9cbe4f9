/**
 * The near-match worklist. Linking stores pairs of students from different
 * states that may be the same child. The data administrators of both states
 * see each pair side by side with linking's reasons, and confirm or reject it.
 *
 * Confirming does not join the records at once. It opens a merge request,
 * with the confirming person as requester, which takes effect only when a
 * second data administrator validates it. Joining two children's records by
 * mistake shows one child's data to the other child's schools, so every merge
 * a person starts needs a second person (MSIX itself has a "Validate Merge
 * (Near Match)" worklist item for this). When the two students already share
 * a record, confirming just closes the pair. Rejecting closes the pair at
 * once, because keeping records apart cannot harm a record, and linking never
 * proposes a rejected pair again.
 */
import { and, asc, eq, inArray, notExists, or } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import {
  consolidatedRecords,
  nearMatchDecisions,
  recordChangeRequests,
  recordNearMatches,
  students,
} from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { findPendingRequestFor, requestNearMatchMerge, requireInvolvedDataAdministrator } from './change-requests';
import { statesOfRecord, type ResolvedRecord } from './msix-ids';

/** Most near matches one worklist page returns, oldest first. */
export const maxListedNearMatches = 200;

const decisionInput = z.object({
  comment: z
    .string()
    .trim()
    .min(3, 'is required: say what you compared and why you decided so')
    .max(2000, 'must have at most 2000 characters'),
});

const identityColumns = {
  studentId: students.id,
  state: students.state,
  stateStudentId: students.stateStudentId,
  consolidatedRecordId: students.consolidatedRecordId,
  firstName: students.firstName,
  middleName: students.middleName,
  lastName1: students.lastName1,
  lastName2: students.lastName2,
  suffix: students.suffix,
  sex: students.sex,
  birthDate: students.birthDate,
  multipleBirth: students.multipleBirth,
  birthCity: students.birthCity,
  birthState: students.birthState,
  birthCountry: students.birthCountry,
  parent1FirstName: students.parent1FirstName,
  parent1LastName: students.parent1LastName,
  parent2FirstName: students.parent2FirstName,
  parent2LastName: students.parent2LastName,
};

/**
 * Open near matches with a student of the state (every state for `all`),
 * oldest first; the caller checks the person's scope. Pairs whose
 * confirmation waits for validation are listed with the pending requests.
 */
export function listNearMatches(db: AppDatabase, scope: string, now: Date) {
  const stateStudents = db.select({ id: students.id }).from(students).where(eq(students.state, scope));
  const visible =
    scope === 'all'
      ? undefined
      : or(inArray(recordNearMatches.studentAId, stateStudents), inArray(recordNearMatches.studentBId, stateStudents));
  const waitingForValidation = db
    .select({ id: recordChangeRequests.id })
    .from(recordChangeRequests)
    .where(and(eq(recordChangeRequests.nearMatchId, recordNearMatches.id), eq(recordChangeRequests.status, 'pending')));

  const pairs = db
    .select()
    .from(recordNearMatches)
    .where(and(eq(recordNearMatches.status, 'open'), visible, notExists(waitingForValidation)))
    .orderBy(asc(recordNearMatches.createdAt), asc(recordNearMatches.id))
    .limit(maxListedNearMatches)
    .all();
  const identities = readIdentities(
    db,
    pairs.flatMap((pair) => [pair.studentAId, pair.studentBId]),
  );

  return pairs.map((pair) => ({
    id: pair.id,
    score: pair.score,
    reasons: parseReasons(pair.reasons),
    createdAt: pair.createdAt,
    ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(pair.createdAt)) / 86_400_000)),
    escalatedAt: pair.escalatedAt,
    studentA: identities.get(pair.studentAId) ?? null,
    studentB: identities.get(pair.studentBId) ?? null,
  }));
}

/** Reads the identity MDEs of each student with the MSIX ID of its record, for comparing a pair side by side. */
function readIdentities(db: AppDatabase, studentIds: number[]) {
  const rows =
    studentIds.length === 0
      ? []
      : db
          .select({ ...identityColumns, msixId: consolidatedRecords.msixId })
          .from(students)
          .leftJoin(consolidatedRecords, eq(consolidatedRecords.id, students.consolidatedRecordId))
          .where(inArray(students.id, studentIds))
          .all();
  return new Map(rows.map((row) => [row.studentId, row]));
}

/** Confirms a near match: opens a merge request for a second data administrator, or closes the pair if already joined. */
export function confirmNearMatch(
  db: AppDatabase,
  actor: Actor,
  nearMatchId: number,
  input: unknown,
  context: ActionContext,
) {
  const data = parseInput(decisionInput, input);
  const pair = requireOpenNearMatch(db, actor, nearMatchId);
  const now = context.now.toISOString();

  if (pair.recordA.id === pair.recordB.id) {
    db.transaction((tx) => {
      tx.update(recordNearMatches)
        .set({ status: 'confirmed', resolvedBy: actor.id, resolvedAt: now })
        .where(eq(recordNearMatches.id, nearMatchId))
        .run();
      tx.insert(nearMatchDecisions)
        .values({
          nearMatchId,
          decision: 'confirmed',
          comment: data.comment,
          decidedBy: actor.id,
          decidedAt: now,
          consolidatedRecordId: pair.recordA.id,
        })
        .run();
      auditDecision(tx, actor, nearMatchId, 'records.near_match_confirmed', 'already one record', context);
    });
    return { status: 'confirmed' as const, msixId: pair.recordA.msixId, changeRequestId: null };
  }

  const pending = findPendingRequestFor(db, [pair.recordA.id, pair.recordB.id]);
  if (pending) {
    throw new AppError(
      409,
      'change_pending',
      `A ${pending.kind} request (number ${pending.id}) for MSIX ID ${pending.msixId} is waiting for validation. Validate or decline it first.`,
    );
  }
  const [survivor, retired] = orderByAge(db, pair.recordA, pair.recordB);
  const states = [...new Set([...statesOfRecord(db, survivor.id), ...statesOfRecord(db, retired.id)])].sort();

  const request = db.transaction((tx) => {
    tx.insert(nearMatchDecisions)
      .values({ nearMatchId, decision: 'confirmed', comment: data.comment, decidedBy: actor.id, decidedAt: now })
      .run();
    auditDecision(tx, actor, nearMatchId, 'records.near_match_confirmed', 'merge requested', context);
    return requestNearMatchMerge(tx, actor, { nearMatchId, survivor, retired, states, reason: data.comment }, context);
  });
  return { status: 'validation_pending' as const, msixId: survivor.msixId, changeRequestId: request.id };
}

/** Rejects a near match: the two records stay apart, and linking never proposes the pair again. */
export function rejectNearMatch(
  db: AppDatabase,
  actor: Actor,
  nearMatchId: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(decisionInput, input);
  requireOpenNearMatch(db, actor, nearMatchId);
  const now = context.now.toISOString();
  db.transaction((tx) => {
    tx.update(recordNearMatches)
      .set({ status: 'rejected', resolvedBy: actor.id, resolvedAt: now })
      .where(eq(recordNearMatches.id, nearMatchId))
      .run();
    tx.insert(nearMatchDecisions)
      .values({ nearMatchId, decision: 'rejected', comment: data.comment, decidedBy: actor.id, decidedAt: now })
      .onConflictDoUpdate({
        target: nearMatchDecisions.nearMatchId,
        set: { decision: 'rejected', comment: data.comment, decidedBy: actor.id, decidedAt: now },
      })
      .run();
    auditDecision(tx, actor, nearMatchId, 'records.near_match_rejected', undefined, context);
  });
  return { status: 'rejected' as const };
}

function requireOpenNearMatch(db: AppDatabase, actor: Actor, nearMatchId: number) {
  const nearMatch = db.select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
  const pairStudents = nearMatch
    ? db
        .select({ id: students.id, state: students.state, recordId: students.consolidatedRecordId })
        .from(students)
        .where(inArray(students.id, [nearMatch.studentAId, nearMatch.studentBId]))
        .all()
    : [];
  if (!nearMatch || pairStudents.length !== 2) {
    throw new AppError(404, 'not_found', `No near match with id ${nearMatchId} was found.`);
  }
  requireInvolvedDataAdministrator(
    actor,
    pairStudents.map((student) => student.state),
  );
  const waiting = db
    .select({ id: recordChangeRequests.id })
    .from(recordChangeRequests)
    .where(and(eq(recordChangeRequests.nearMatchId, nearMatchId), eq(recordChangeRequests.status, 'pending')))
    .get();
  if (nearMatch.status !== 'open' || waiting) {
    const state = waiting ? 'confirmed and waiting for a second data administrator' : nearMatch.status;
    throw new AppError(409, 'already_decided', `This near match is already ${state}.`);
  }

  const byId = new Map(pairStudents.map((student) => [student.id, student]));
  const recordA = readRecordOf(db, byId.get(nearMatch.studentAId)?.recordId ?? null);
  const recordB = readRecordOf(db, byId.get(nearMatch.studentBId)?.recordId ?? null);
  return { nearMatch, recordA, recordB };
}

function readRecordOf(db: AppDatabase, recordId: number | null): ResolvedRecord {
  const record =
    recordId === null
      ? undefined
      : db.select().from(consolidatedRecords).where(eq(consolidatedRecords.id, recordId)).get();
  if (!record) {
    throw new AppError(
      409,
      'not_linked',
      'A student of this near match has no consolidated record yet. Try again after the upload finishes linking.',
    );
  }
  return { id: record.id, msixId: record.msixId, requestedMsixId: record.msixId, retired: false };
}

/** Returns the two records oldest first: the older MSIX ID stays, because states may already store it. */
function orderByAge(db: AppDatabase, first: ResolvedRecord, second: ResolvedRecord): [ResolvedRecord, ResolvedRecord] {
  const rows = db
    .select({ id: consolidatedRecords.id })
    .from(consolidatedRecords)
    .where(inArray(consolidatedRecords.id, [first.id, second.id]))
    .orderBy(asc(consolidatedRecords.createdAt), asc(consolidatedRecords.id))
    .all();
  return rows[0]?.id === first.id ? [first, second] : [second, first];
}

function auditDecision(
  tx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  nearMatchId: number,
  action: string,
  detail: string | undefined,
  context: Omit<ActionContext, 'mail'>,
): void {
  recordAudit(tx, {
    actor,
    ip: context.ip,
    action,
    objectType: 'near_match',
    objectId: nearMatchId,
    outcome: 'success',
    detail,
    requestId: context.requestId,
    at: context.now,
  });
}

function parseReasons(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
