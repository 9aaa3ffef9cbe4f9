/** The page for requesting a merge or split reads a consolidated record's state records through this. */
import { asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { students } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { findPendingRequestFor, readChangeRequest, requireInvolvedDataAdministrator } from './change-requests';
import { AppError } from '../../errors';
import { requireRecordsAccess } from '../access';
import { msixIdPattern, requireRecordByMsixId, statesOfRecord } from './msix-ids';

/**
 * Returns a record's state records with their identity MDEs, and its pending
 * request if any, for a data administrator of a state involved. Writes a
 * records.view audit row, because the response shows the child's identity.
 */
export function readRecordForChanges(
  db: AppDatabase,
  actor: Actor,
  msixId: string,
  context: Omit<ActionContext, 'mail'>,
) {
  if (!msixIdPattern.test(msixId)) {
    throw new AppError(400, 'invalid_input', 'msixId: must be an MSIX ID of exactly 12 digits.');
  }
  requireRecordsAccess(actor, 'data_administrator');
  const record = requireRecordByMsixId(db, msixId);
  const states = statesOfRecord(db, record.id);
  requireInvolvedDataAdministrator(actor, states);

  const stateRecords = db
    .select({
      studentId: students.id,
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
    .where(eq(students.consolidatedRecordId, record.id))
    .orderBy(asc(students.state), asc(students.stateStudentId))
    .all();
  const pending = findPendingRequestFor(db, [record.id]);

  recordAudit(db, {
    actor,
    ip: context.ip,
    action: 'records.view',
    objectType: 'consolidated_record',
    objectId: record.msixId,
    outcome: 'success',
    detail: 'purpose: merge or split review',
    requestId: context.requestId,
    at: context.now,
  });
  return {
    msixId: record.msixId,
    requestedMsixId: record.requestedMsixId,
    retired: record.retired,
    states,
    stateRecords,
    pendingRequest: pending ? readChangeRequest(db, pending.id) : null,
  };
}
