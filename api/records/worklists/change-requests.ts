/**
 * Merge and split requests. A data administrator requests the change with a
 * reason. It takes effect only when a second data administrator (a different
 * person, of a state involved, or an admin with the grant) validates it, and
 * either of them can decline it instead. While a request is pending, its
 * records are locked against other requests, as in MSIX's potential merge and
 * split lists.
 */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AppDatabase } from '../../../db/client';
import {
  nearMatchDecisions,
  people,
  recordChangeRequests,
  recordChangeRequestStates,
  recordNearMatches,
  students,
  type ChangeRequestKind,
} from '../../../db/schema';
import { renderValidationRequest } from '../../../emails/templates/records';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { indexStudents } from '../search/index-students';
import { requireRecordsAccess } from '../access';
import { applyMerge, applySplit, type AppliedChange } from './apply';
import { requireRecordByMsixId, statesOfRecord, type ResolvedRecord } from './msix-ids';
import { findDataAdministrators } from './recipients';

const msixId = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'must be an MSIX ID of exactly 12 digits');
const reason = z
  .string()
  .trim()
  .min(10, 'must have at least 10 characters: say why the records are, or are not, the same child')
  .max(2000, 'must have at most 2000 characters');

const requestInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('merge'), msixId, otherMsixId: msixId, reason }),
  z.object({ kind: z.literal('split'), msixId, studentId: z.number().int().positive(), reason }),
]);

const validateInput = z.object({
  comment: z
    .string()
    .trim()
    .max(2000, 'must have at most 2000 characters')
    .optional()
    .transform((value) => (value ? value : null)),
});
const declineInput = z.object({
  comment: z
    .string()
    .trim()
    .min(3, 'is required: say why the change should not happen')
    .max(2000, 'must have at most 2000 characters'),
});

type ChangeRequestRow = typeof recordChangeRequests.$inferSelect;

/** Records a merge or split request for a second data administrator to validate, and emails them. */
export function requestChange(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext) {
  const data = parseInput(requestInput, input);
  requireRecordsAccess(actor, 'data_administrator');
  const record = requireCurrentRecord(db, data.msixId, 'msixId');

  let other: ResolvedRecord | undefined;
  let states: string[];
  let splitState: string | null = null;
  if (data.kind === 'merge') {
    other = requireCurrentRecord(db, data.otherMsixId, 'otherMsixId');
    if (other.id === record.id) {
      throw new AppError(
        400,
        'invalid_input',
        'otherMsixId: is the same consolidated record; give the MSIX ID of the other record.',
      );
    }
    states = [...new Set([...statesOfRecord(db, record.id), ...statesOfRecord(db, other.id)])].sort();
    if (statesOfRecord(db, other.id).length === 0) {
      throw new AppError(
        409,
        'empty_record',
        `The consolidated record ${other.msixId} holds no state record to merge.`,
      );
    }
  } else {
    const student = db
      .select({ state: students.state, recordId: students.consolidatedRecordId })
      .from(students)
      .where(eq(students.id, data.studentId))
      .get();
    if (!student || student.recordId !== record.id) {
      throw new AppError(
        400,
        'invalid_input',
        `studentId: is not a state record of the consolidated record ${record.msixId}.`,
      );
    }
    if (countStudents(db, record.id) < 2) {
      throw new AppError(
        409,
        'nothing_to_split',
        `The consolidated record ${record.msixId} holds only one state record, so there is nothing to split.`,
      );
    }
    states = statesOfRecord(db, record.id);
    splitState = student.state;
  }
  requireInvolvedDataAdministrator(actor, states);
  requireNoPendingRequest(db, [record.id, ...(other ? [other.id] : [])]);

  return db.transaction((tx) => {
    const request = tx
      .insert(recordChangeRequests)
      .values({
        kind: data.kind,
        status: 'pending',
        consolidatedRecordId: record.id,
        otherConsolidatedRecordId: other?.id ?? null,
        studentId: data.kind === 'split' ? data.studentId : null,
        msixId: record.msixId,
        otherMsixId: other?.msixId ?? null,
        reason: data.reason,
        requestedBy: actor.id,
        requestedAt: context.now.toISOString(),
      })
      .returning()
      .get();
    tx.insert(recordChangeRequestStates)
      .values(states.map((state) => ({ requestId: request.id, state })))
      .run();
    notifyValidators(tx, request, states, splitState, actor, context);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: `records.${data.kind}_requested`,
      objectType: 'record_change_request',
      objectId: request.id,
      outcome: 'success',
      detail: describeRequest(request),
      requestId: context.requestId,
      at: context.now,
    });
    return { request: { ...toView(request, actor.displayName, null), states } };
  });
}

/**
 * Opens a merge request from a confirmed near match: the data administrator
 * who confirmed it is the requester, and the older record keeps its MSIX ID.
 * Runs inside the caller's transaction.
 */
export function requestNearMatchMerge(
  tx: DatabaseOrTransaction,
  actor: Actor,
  options: { nearMatchId: number; survivor: ResolvedRecord; retired: ResolvedRecord; states: string[]; reason: string },
  context: ActionContext,
): ChangeRequestRow {
  const request = tx
    .insert(recordChangeRequests)
    .values({
      kind: 'merge',
      status: 'pending',
      consolidatedRecordId: options.survivor.id,
      otherConsolidatedRecordId: options.retired.id,
      msixId: options.survivor.msixId,
      otherMsixId: options.retired.msixId,
      nearMatchId: options.nearMatchId,
      reason: options.reason,
      requestedBy: actor.id,
      requestedAt: context.now.toISOString(),
    })
    .returning()
    .get();
  tx.insert(recordChangeRequestStates)
    .values(options.states.map((state) => ({ requestId: request.id, state })))
    .run();
  notifyValidators(tx, request, options.states, null, actor, context);
  recordAudit(tx, {
    actor,
    ip: context.ip,
    action: 'records.merge_requested',
    objectType: 'record_change_request',
    objectId: request.id,
    outcome: 'success',
    detail: describeRequest(request),
    requestId: context.requestId,
    at: context.now,
  });
  return request;
}

/** Applies a pending request on a second data administrator's validation. */
export function validateChange(
  db: AppDatabase,
  actor: Actor,
  requestId: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(validateInput, input);
  const request = requireVisiblePendingRequest(db, actor, requestId);
  if (request.requestedBy === actor.id) {
    throw new AppError(
      403,
      'second_person_required',
      'You asked for this change, so another data administrator must validate it. You can decline it to withdraw it.',
    );
  }

  const applied = db.transaction((tx) => {
    const change = applyRequest(tx, request, actor, context.now);
    tx.update(recordChangeRequests)
      .set({
        status: 'validated',
        decidedBy: actor.id,
        decidedAt: context.now.toISOString(),
        decisionComment: data.comment,
        resultConsolidatedRecordId: request.kind === 'split' ? change.consolidatedRecordId : null,
      })
      .where(eq(recordChangeRequests.id, request.id))
      .run();
    if (request.nearMatchId !== null) settleNearMatch(tx, request.nearMatchId, 'confirmed', actor, context.now, change);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: `records.${request.kind}_validated`,
      objectType: 'record_change_request',
      objectId: request.id,
      outcome: 'success',
      detail: `${describeRequest(request)}; result msix ${change.msixId}; ${change.movedStudentIds.length} state records moved`,
      requestId: context.requestId,
      at: context.now,
    });
    return change;
  });

  indexStudents(db, applied.movedStudentIds);
  return { request: readChangeRequest(db, request.id), result: { msixId: applied.msixId } };
}

/** Closes a pending request without changing any record; a declined near-match merge rejects the near match. */
export function declineChange(
  db: AppDatabase,
  actor: Actor,
  requestId: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(declineInput, input);
  const request = requireVisiblePendingRequest(db, actor, requestId);
  db.transaction((tx) => {
    tx.update(recordChangeRequests)
      .set({
        status: 'declined',
        decidedBy: actor.id,
        decidedAt: context.now.toISOString(),
        decisionComment: data.comment,
      })
      .where(eq(recordChangeRequests.id, request.id))
      .run();
    if (request.nearMatchId !== null) settleNearMatch(tx, request.nearMatchId, 'rejected', actor, context.now);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: `records.${request.kind}_declined`,
      objectType: 'record_change_request',
      objectId: request.id,
      outcome: 'success',
      detail:
        request.requestedBy === actor.id
          ? `${describeRequest(request)}; withdrawn by the requester`
          : describeRequest(request),
      requestId: context.requestId,
      at: context.now,
    });
  });
  return { request: readChangeRequest(db, request.id) };
}

/** Pending requests touching the state (every state for `all`), oldest first; the caller checks the person's scope. */
export function listPendingChanges(db: AppDatabase, actor: Actor, scope: string) {
  const visible =
    scope === 'all'
      ? eq(recordChangeRequests.status, 'pending')
      : and(
          eq(recordChangeRequests.status, 'pending'),
          inArray(
            recordChangeRequests.id,
            db
              .select({ id: recordChangeRequestStates.requestId })
              .from(recordChangeRequestStates)
              .where(eq(recordChangeRequestStates.state, scope)),
          ),
        );
  const requester = alias(people, 'requester');
  return db
    .select({ request: recordChangeRequests, requesterName: requester.displayName })
    .from(recordChangeRequests)
    .innerJoin(requester, eq(requester.id, recordChangeRequests.requestedBy))
    .where(visible)
    .orderBy(asc(recordChangeRequests.requestedAt), asc(recordChangeRequests.id))
    .all()
    .map((row) => ({
      ...toView(row.request, row.requesterName, null),
      states: readRequestStates(db, row.request.id),
      ownRequest: row.request.requestedBy === actor.id,
      stateRecords: describeAffectedRecords(db, row.request),
    }));
}

/** Returns one request as the API shows it, or throws 404. */
export function readChangeRequest(db: AppDatabase, requestId: number) {
  const requester = alias(people, 'requester');
  const decider = alias(people, 'decider');
  const row = db
    .select({ request: recordChangeRequests, requesterName: requester.displayName, deciderName: decider.displayName })
    .from(recordChangeRequests)
    .innerJoin(requester, eq(requester.id, recordChangeRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, recordChangeRequests.decidedBy))
    .where(eq(recordChangeRequests.id, requestId))
    .get();
  if (!row) throw new AppError(404, 'not_found', `No merge or split request with id ${requestId} was found.`);
  return { ...toView(row.request, row.requesterName, row.deciderName), states: readRequestStates(db, requestId) };
}

/** Pending requests touching any of the records; a record is locked while one is pending. */
export function findPendingRequestFor(db: DatabaseOrTransaction, recordIds: number[]) {
  return db
    .select()
    .from(recordChangeRequests)
    .where(
      and(
        eq(recordChangeRequests.status, 'pending'),
        or(
          inArray(recordChangeRequests.consolidatedRecordId, recordIds),
          inArray(recordChangeRequests.otherConsolidatedRecordId, recordIds),
        ),
      ),
    )
    .get();
}

export function requireInvolvedDataAdministrator(actor: Actor, states: readonly string[]): void {
  requireRecordsAccess(actor, 'data_administrator');
  if (actor.role === 'admin') return;
  if (actor.state && states.includes(actor.state)) return;
  throw new AppError(
    403,
    'other_state',
    `Only data administrators of ${states.join(' or ')}, or admins with data-administrator access, can do this.`,
  );
}

function applyRequest(tx: DatabaseOrTransaction, request: ChangeRequestRow, actor: Actor, now: Date): AppliedChange {
  if (request.kind === 'merge') {
    const otherId = request.otherConsolidatedRecordId;
    if (otherId === null || countStudents(tx, otherId) === 0 || countStudents(tx, request.consolidatedRecordId) === 0) {
      throw new AppError(
        409,
        'records_changed',
        'One of the records changed since the request was made (it is empty now). Decline this request and ask again.',
      );
    }
    return applyMerge(tx, {
      survivorRecordId: request.consolidatedRecordId,
      retiredRecordId: otherId,
      now,
      resolvedBy: actor.id,
      changeRequestId: request.id,
      nearMatchId: request.nearMatchId ?? undefined,
    });
  }

  const studentId = request.studentId;
  const student =
    studentId === null
      ? undefined
      : tx.select({ recordId: students.consolidatedRecordId }).from(students).where(eq(students.id, studentId)).get();
  if (
    studentId === null ||
    student?.recordId !== request.consolidatedRecordId ||
    countStudents(tx, request.consolidatedRecordId) < 2
  ) {
    throw new AppError(
      409,
      'records_changed',
      'The record changed since the request was made (the state record left it). Decline this request and ask again.',
    );
  }
  return applySplit(tx, { recordId: request.consolidatedRecordId, studentId, now, resolvedBy: actor.id });
}

function settleNearMatch(
  tx: DatabaseOrTransaction,
  nearMatchId: number,
  status: 'confirmed' | 'rejected',
  actor: Actor,
  now: Date,
  change?: AppliedChange,
): void {
  tx.update(recordNearMatches)
    .set({ status, resolvedBy: actor.id, resolvedAt: now.toISOString() })
    .where(eq(recordNearMatches.id, nearMatchId))
    .run();
  tx.update(nearMatchDecisions)
    .set({ decision: status, consolidatedRecordId: change?.consolidatedRecordId ?? null })
    .where(eq(nearMatchDecisions.nearMatchId, nearMatchId))
    .run();
}

function requireCurrentRecord(db: DatabaseOrTransaction, value: string, field: string): ResolvedRecord {
  const record = requireRecordByMsixId(db, value, field);
  if (record.retired) {
    throw new AppError(
      409,
      'retired_msix_id',
      `${field}: the MSIX ID ${value} was retired by a merge into ${record.msixId}; use ${record.msixId}.`,
    );
  }
  return record;
}

function requireNoPendingRequest(db: DatabaseOrTransaction, recordIds: number[]): void {
  const pending = findPendingRequestFor(db, recordIds);
  if (pending) {
    throw new AppError(
      409,
      'change_pending',
      `A ${pending.kind} request (number ${pending.id}) for MSIX ID ${pending.msixId} is waiting for validation. Validate or decline it first.`,
    );
  }
}

function requireVisiblePendingRequest(db: AppDatabase, actor: Actor, requestId: number): ChangeRequestRow {
  const request = db.select().from(recordChangeRequests).where(eq(recordChangeRequests.id, requestId)).get();
  if (!request) throw new AppError(404, 'not_found', `No merge or split request with id ${requestId} was found.`);
  requireInvolvedDataAdministrator(actor, readRequestStates(db, request.id));
  if (request.status !== 'pending') {
    throw new AppError(
      409,
      'already_decided',
      `This request was already ${request.status} on ${request.decidedAt ?? ''}.`,
    );
  }
  return request;
}

function notifyValidators(
  tx: DatabaseOrTransaction,
  request: ChangeRequestRow,
  states: string[],
  splitState: string | null,
  actor: Actor,
  context: ActionContext,
): void {
  for (const recipient of findDataAdministrators(tx, states)) {
    if (recipient.id === actor.id) continue;
    const message = renderValidationRequest({
      recipientName: recipient.displayName,
      request: {
        kind: request.kind,
        msixId: request.msixId,
        otherMsixId: request.otherMsixId,
        splitState,
        requesterName: actor.displayName,
      },
      link: context.mail.link('/records/worklist/'),
    });
    context.mail.queue(tx, {
      kind: `records_${request.kind}_validation`,
      to: recipient.email,
      message,
      now: context.now,
    });
  }
}

/** Reads the state records each side of a request contains now, for the validator to compare. */
function describeAffectedRecords(db: AppDatabase, request: ChangeRequestRow) {
  const recordIds = [
    request.consolidatedRecordId,
    ...(request.otherConsolidatedRecordId ? [request.otherConsolidatedRecordId] : []),
  ];
  return db
    .select({
      studentId: students.id,
      consolidatedRecordId: students.consolidatedRecordId,
      state: students.state,
      stateStudentId: students.stateStudentId,
      firstName: students.firstName,
      middleName: students.middleName,
      lastName1: students.lastName1,
      lastName2: students.lastName2,
      sex: students.sex,
      birthDate: students.birthDate,
      multipleBirth: students.multipleBirth,
    })
    .from(students)
    .where(inArray(students.consolidatedRecordId, recordIds))
    .orderBy(asc(students.state), asc(students.stateStudentId))
    .all()
    .map((row) => ({
      ...row,
      msixId: row.consolidatedRecordId === request.consolidatedRecordId ? request.msixId : request.otherMsixId,
      leaves: request.kind === 'split' && row.studentId === request.studentId,
    }));
}

function readRequestStates(db: DatabaseOrTransaction, requestId: number): string[] {
  return db
    .select({ state: recordChangeRequestStates.state })
    .from(recordChangeRequestStates)
    .where(eq(recordChangeRequestStates.requestId, requestId))
    .orderBy(asc(recordChangeRequestStates.state))
    .all()
    .map((row) => row.state);
}

function countStudents(db: DatabaseOrTransaction, recordId: number): number {
  return db.select({ id: students.id }).from(students).where(eq(students.consolidatedRecordId, recordId)).all().length;
}

function describeRequest(request: ChangeRequestRow): string {
  return request.kind === 'merge'
    ? `merge msix ${request.otherMsixId ?? ''} into ${request.msixId}${request.nearMatchId ? ` (near match ${request.nearMatchId})` : ''}`
    : `split student ${request.studentId ?? ''} out of msix ${request.msixId}`;
}

function toView(request: ChangeRequestRow, requesterName: string, deciderName: string | null) {
  return {
    id: request.id,
    kind: request.kind as ChangeRequestKind,
    status: request.status,
    msixId: request.msixId,
    otherMsixId: request.otherMsixId,
    studentId: request.studentId,
    nearMatchId: request.nearMatchId,
    reason: request.reason,
    requestedBy: requesterName,
    requestedAt: request.requestedAt,
    decidedBy: deciderName,
    decidedAt: request.decidedAt,
    decisionComment: request.decisionComment,
    escalatedAt: request.escalatedAt,
  };
}
