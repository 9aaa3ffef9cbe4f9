/**
 * Escalates worklist items left open too long. Run by the maintenance loop
 * every five minutes. An open near match or a pending merge or split request
 * older than `escalationBusinessDays` business days is marked escalated once.
 * The data administrators of the states involved and the admins with
 * data-administrator access then get one email per run, listing the items
 * newly escalated for them by MSIX ID with a link, never a student's name.
 */
import { and, asc, eq, inArray, isNull, lte, notExists } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  consolidatedRecords,
  recordChangeRequests,
  recordChangeRequestStates,
  recordNearMatches,
  students,
} from '../../../db/schema';
import { renderWorklistEscalation, type EscalatedItem } from '../../../emails/templates/records';
import type { DatabaseOrTransaction } from '../../audit/record';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';
import { findDataAdministrators, type Recipient } from './recipients';

/** Business days (Monday to Friday, counted in UTC) an item may stay open before it is escalated. */
export const escalationBusinessDays = 5;

export interface WorklistAgingOptions {
  db: AppDatabase;
  clock: Clock;
  mail: MailQueue;
  siteUrl: string;
  logger: Pick<Logger, 'info'>;
}

interface DueItem extends EscalatedItem {
  states: string[];
}

/** Escalates the items that became due; returns how many items were escalated and messages queued. */
export function runWorklistAging(options: WorklistAgingOptions): { escalated: number; messages: number } {
  const { db, mail } = options;
  const now = options.clock();
  // An item due after N business days is at least N calendar days old, so this bound only narrows the scan.
  const oldestPossible = new Date(now.getTime() - escalationBusinessDays * 86_400_000).toISOString();

  const result = db.transaction((tx) => {
    const items = [...escalateNearMatches(tx, now, oldestPossible), ...escalateChangeRequests(tx, now, oldestPossible)];
    const byRecipient = new Map<number, { recipient: Recipient; items: DueItem[] }>();
    for (const item of items) {
      for (const recipient of findDataAdministrators(tx, item.states)) {
        const entry = byRecipient.get(recipient.id) ?? { recipient, items: [] };
        entry.items.push(item);
        byRecipient.set(recipient.id, entry);
      }
    }
    for (const { recipient, items: recipientItems } of byRecipient.values()) {
      const message = renderWorklistEscalation({
        recipientName: recipient.displayName,
        items: recipientItems,
        businessDays: escalationBusinessDays,
        link: mail.link('/records/worklist/'),
      });
      mail.queue(tx, { kind: 'records_worklist_escalation', to: recipient.email, message, now });
    }
    return { escalated: items.length, messages: byRecipient.size };
  });

  if (result.escalated > 0) options.logger.info(result, 'worklist items escalated');
  return result;
}

function escalateNearMatches(tx: DatabaseOrTransaction, now: Date, oldestPossible: string): DueItem[] {
  const waitingForValidation = tx
    .select({ id: recordChangeRequests.id })
    .from(recordChangeRequests)
    .where(and(eq(recordChangeRequests.nearMatchId, recordNearMatches.id), eq(recordChangeRequests.status, 'pending')));
  const candidates = tx
    .select()
    .from(recordNearMatches)
    .where(
      and(
        eq(recordNearMatches.status, 'open'),
        isNull(recordNearMatches.escalatedAt),
        lte(recordNearMatches.createdAt, oldestPossible),
        notExists(waitingForValidation),
      ),
    )
    .orderBy(asc(recordNearMatches.createdAt))
    .all()
    .filter((pair) => isDue(pair.createdAt, now));

  return candidates.map((pair) => {
    tx.update(recordNearMatches).set({ escalatedAt: now.toISOString() }).where(eq(recordNearMatches.id, pair.id)).run();
    const pairStudents = tx
      .select({ state: students.state, msixId: consolidatedRecords.msixId })
      .from(students)
      .leftJoin(consolidatedRecords, eq(consolidatedRecords.id, students.consolidatedRecordId))
      .where(inArray(students.id, [pair.studentAId, pair.studentBId]))
      .all();
    return {
      label: 'Near match',
      msixIds: pairStudents.map((student) => student.msixId ?? 'not linked yet'),
      openedOn: pair.createdAt.slice(0, 10),
      states: [...new Set(pairStudents.map((student) => student.state))],
    };
  });
}

function escalateChangeRequests(tx: DatabaseOrTransaction, now: Date, oldestPossible: string): DueItem[] {
  const candidates = tx
    .select()
    .from(recordChangeRequests)
    .where(
      and(
        eq(recordChangeRequests.status, 'pending'),
        isNull(recordChangeRequests.escalatedAt),
        lte(recordChangeRequests.requestedAt, oldestPossible),
      ),
    )
    .orderBy(asc(recordChangeRequests.requestedAt))
    .all()
    .filter((request) => isDue(request.requestedAt, now));

  return candidates.map((request) => {
    tx.update(recordChangeRequests)
      .set({ escalatedAt: now.toISOString() })
      .where(eq(recordChangeRequests.id, request.id))
      .run();
    const states = tx
      .select({ state: recordChangeRequestStates.state })
      .from(recordChangeRequestStates)
      .where(eq(recordChangeRequestStates.requestId, request.id))
      .all()
      .map((row) => row.state);
    return {
      label: request.kind === 'merge' ? 'Merge request waiting for validation' : 'Split request waiting for validation',
      msixIds: request.otherMsixId ? [request.msixId, request.otherMsixId] : [request.msixId],
      openedOn: request.requestedAt.slice(0, 10),
      states,
    };
  });
}

/** Checks whether `escalationBusinessDays` whole business days have passed since `openedAt`. */
export function isDue(openedAt: string, now: Date): boolean {
  return now.getTime() >= addBusinessDays(new Date(openedAt), escalationBusinessDays).getTime();
}

/** Adds business days (Monday to Friday, UTC), keeping the time of day; a weekend start counts from Monday 00:00. */
export function addBusinessDays(start: Date, count: number): Date {
  const result = new Date(start.getTime());
  while (isWeekend(result)) {
    result.setUTCDate(result.getUTCDate() + 1);
    result.setUTCHours(0, 0, 0, 0);
  }
  let added = 0;
  while (added < count) {
    result.setUTCDate(result.getUTCDate() + 1);
    if (!isWeekend(result)) added += 1;
  }
  return result;
}

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}
