/**
 * Finds consolidated records by MSIX ID, following retired MSIX IDs to the
 * record that took their students, and lists the states a record holds.
 */
import { eq } from 'drizzle-orm';
import { consolidatedRecords, retiredMsixIds, students } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { AppError } from '../../errors';

/** An MSIX ID is exactly 12 digits. */
export const msixIdPattern = /^\d{12}$/;

export interface ResolvedRecord {
  id: number;
  msixId: string;
  /** The MSIX ID that was looked up, which differs from `msixId` when it was retired by a merge. */
  requestedMsixId: string;
  retired: boolean;
}

/** Returns the current consolidated record for an MSIX ID, or undefined when no record ever had it. */
export function resolveMsixId(db: DatabaseOrTransaction, msixId: string): ResolvedRecord | undefined {
  const retired = db.select().from(retiredMsixIds).where(eq(retiredMsixIds.msixId, msixId)).get();
  const recordId = retired ? retired.successorRecordId : undefined;
  const record = db
    .select({ id: consolidatedRecords.id, msixId: consolidatedRecords.msixId })
    .from(consolidatedRecords)
    .where(recordId === undefined ? eq(consolidatedRecords.msixId, msixId) : eq(consolidatedRecords.id, recordId))
    .get();
  if (!record) return undefined;
  return { ...record, requestedMsixId: msixId, retired: retired !== undefined };
}

/** Like resolveMsixId, but throws a 400 for a malformed ID and a 404 for an unknown one. */
export function requireRecordByMsixId(db: DatabaseOrTransaction, msixId: string, field = 'msixId'): ResolvedRecord {
  if (!msixIdPattern.test(msixId)) {
    throw new AppError(400, 'invalid_input', `${field}: must be an MSIX ID of exactly 12 digits.`);
  }
  const record = resolveMsixId(db, msixId);
  if (!record) throw new AppError(404, 'not_found', `No consolidated record has the MSIX ID ${msixId}.`);
  return record;
}

/** USPS codes of the states that reported a student in the record, sorted. */
export function statesOfRecord(db: DatabaseOrTransaction, consolidatedRecordId: number): string[] {
  const rows = db
    .select({ state: students.state })
    .from(students)
    .where(eq(students.consolidatedRecordId, consolidatedRecordId))
    .all();
  return [...new Set(rows.map((row) => row.state))].sort();
}
