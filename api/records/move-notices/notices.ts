/**
 * Move notices: a person with records access notifies another state that a child
 * is moving there; that state's coordinators are emailed and acknowledge it.
 * The time from sending to acknowledging is kept for the dashboard.
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AppDatabase } from '../../../db/client';
import { moveNotices, people } from '../../../db/schema';
import { renderMoveNoticeMessage } from '../../../emails/templates/records';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { requireRecordsAccess } from '../access';
import { requireRecordByMsixId } from '../worklists/msix-ids';
import { findStateCoordinators } from '../worklists/recipients';
import { describeStateCode } from './state-names';

/** The expected arrival date may lie this many days in the past (a family that already arrived) … */
export const arrivalDaysBefore = 60;
/** … and this many days ahead. */
export const arrivalDaysAfter = 365;

/** Most notices one list returns, newest first, for each direction. */
export const maxListedNotices = 500;

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

const optionalText = (maximum: number) =>
  z
    .string()
    .trim()
    .max(maximum, `must have at most ${maximum} characters`)
    .optional()
    .transform((value) => (value ? value : null));

const sendInput = z.object({
  msixId: z
    .string()
    .trim()
    .regex(/^\d{12}$/, 'must be an MSIX ID of exactly 12 digits'),
  toState: z.enum(stateCodes),
  toCity: optionalText(100),
  expectedArrivalDate: z.string().trim().regex(isoDatePattern, 'must be a date written YYYY-MM-DD'),
  comment: optionalText(2000),
});

const acknowledgeInput = z.object({ note: optionalText(2000) });

/** Records a move notice, emails the destination state's coordinators, and returns the notice. */
export function sendMoveNotice(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext) {
  const data = parseInput(sendInput, input);
  requireRecordsAccess(actor, 'viewer');
  checkArrivalDate(data.expectedArrivalDate, context.now);
  if (actor.state === data.toState) {
    throw new AppError(
      400,
      'invalid_input',
      `toState: is your own state (${data.toState}). A move notice goes to the state the child is moving to.`,
    );
  }
  const record = requireRecordByMsixId(db, data.msixId);
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const notice = tx
      .insert(moveNotices)
      .values({
        consolidatedRecordId: record.id,
        msixId: record.msixId,
        fromState: actor.state,
        toState: data.toState,
        toCity: data.toCity,
        expectedArrivalDate: data.expectedArrivalDate,
        comment: data.comment,
        status: 'sent',
        sentBy: actor.id,
        sentAt: now,
      })
      .returning()
      .get();

    const coordinators = findStateCoordinators(tx, data.toState);
    const fromDescription = actor.state
      ? `A ${describeStateCode(tx, actor.state)} user`
      : 'A member of the MSIX technical-assistance team';
    for (const coordinator of coordinators) {
      const message = renderMoveNoticeMessage({
        recipientName: coordinator.displayName,
        notice: {
          msixId: record.msixId,
          fromDescription,
          toStateName: describeStateCode(tx, data.toState),
          toCity: data.toCity,
          expectedArrivalDate: data.expectedArrivalDate,
        },
        link: context.mail.link('/records/move-notices/'),
      });
      context.mail.queue(tx, { kind: 'records_move_notice', to: coordinator.email, message, now: context.now });
    }

    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'records.move_notice_sent',
      objectType: 'move_notice',
      objectId: notice.id,
      outcome: 'success',
      detail: `msix ${record.msixId}, ${actor.state ?? 'national'} to ${data.toState}, ${coordinators.length} coordinators emailed`,
      requestId: context.requestId,
      at: context.now,
    });
    return { notice: toView(notice, actor.displayName, null), coordinatorsEmailed: coordinators.length };
  });
}

/** Marks a received notice acknowledged by a coordinator of the destination state and keeps the response time. */
export function acknowledgeMoveNotice(
  db: AppDatabase,
  actor: Actor,
  noticeId: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(acknowledgeInput, input);
  const notice = db.select().from(moveNotices).where(eq(moveNotices.id, noticeId)).get();
  if (!notice || !canListState(actor, notice.toState)) {
    throw new AppError(404, 'not_found', `No move notice with id ${noticeId} was found.`);
  }
  if (actor.role !== 'state_coordinator' || actor.state !== notice.toState) {
    throw new AppError(
      403,
      'coordinator_required',
      `Only state coordinators of ${notice.toState} acknowledge this move notice.`,
    );
  }
  if (notice.status === 'acknowledged') {
    throw new AppError(
      409,
      'already_acknowledged',
      `This move notice was already acknowledged on ${notice.acknowledgedAt ?? ''}.`,
    );
  }

  const now = context.now.toISOString();
  const responseMinutes = Math.max(0, Math.round((context.now.getTime() - Date.parse(notice.sentAt)) / 60_000));
  return db.transaction((tx) => {
    const updated = tx
      .update(moveNotices)
      .set({
        status: 'acknowledged',
        acknowledgedBy: actor.id,
        acknowledgedAt: now,
        acknowledgementNote: data.note,
        responseMinutes,
      })
      .where(and(eq(moveNotices.id, noticeId), eq(moveNotices.status, 'sent')))
      .returning()
      .get();
    if (!updated) throw new AppError(409, 'already_acknowledged', 'This move notice was acknowledged a moment ago.');

    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'records.move_notice_acknowledged',
      objectType: 'move_notice',
      objectId: noticeId,
      outcome: 'success',
      detail: `response_minutes=${responseMinutes}`,
      requestId: context.requestId,
      at: context.now,
    });
    const sender = tx.select({ name: people.displayName }).from(people).where(eq(people.id, updated.sentBy)).get();
    return { notice: toView(updated, sender?.name ?? '', actor.displayName) };
  });
}

/**
 * Lists the move notices a state received and sent, newest first. The state
 * is always given, so one address always returns one state's list. People see
 * their own state's notices; national staff with records access choose any
 * state. Coordinators see their state's notices even without records access,
 * because they acknowledge them.
 */
export function listMoveNotices(db: AppDatabase, actor: Actor, requestedState: string | undefined) {
  const state = (requestedState ?? '').trim().toUpperCase();
  if (!state) throw new AppError(400, 'invalid_input', 'state: is required; give a USPS state code such as TX.');
  if (!(stateCodes as readonly string[]).includes(state)) {
    throw new AppError(400, 'invalid_input', `state: ${state} is not a USPS state code such as TX.`);
  }
  if (!canListState(actor, state)) {
    if (actor.state && actor.state !== state) {
      throw new AppError(403, 'other_state', `You see the move notices of ${actor.state} only.`);
    }
    requireRecordsAccess(actor, 'viewer');
  }

  return {
    state,
    canAcknowledge: actor.role === 'state_coordinator' && actor.state === state,
    received: readNotices(db, eq(moveNotices.toState, state)),
    sent: readNotices(db, eq(moveNotices.fromState, state)),
  };
}

function canListState(actor: Actor, state: string): boolean {
  if (actor.role === 'state_coordinator' && actor.state === state) return true;
  if (actor.recordsAccess === 'none') return false;
  return actor.state === null || actor.state === state;
}

function readNotices(db: AppDatabase, where: SQL) {
  const sender = alias(people, 'sender');
  const acknowledger = alias(people, 'acknowledger');
  return db
    .select({ notice: moveNotices, senderName: sender.displayName, acknowledgerName: acknowledger.displayName })
    .from(moveNotices)
    .innerJoin(sender, eq(sender.id, moveNotices.sentBy))
    .leftJoin(acknowledger, eq(acknowledger.id, moveNotices.acknowledgedBy))
    .where(where)
    .orderBy(desc(moveNotices.sentAt), desc(moveNotices.id))
    .limit(maxListedNotices)
    .all()
    .map((row) => toView(row.notice, row.senderName, row.acknowledgerName));
}

type MoveNoticeRow = typeof moveNotices.$inferSelect;

function toView(notice: MoveNoticeRow, senderName: string, acknowledgerName: string | null) {
  return {
    id: notice.id,
    msixId: notice.msixId,
    fromState: notice.fromState,
    toState: notice.toState,
    toCity: notice.toCity,
    expectedArrivalDate: notice.expectedArrivalDate,
    comment: notice.comment,
    status: notice.status,
    sentAt: notice.sentAt,
    sentBy: senderName,
    acknowledgedAt: notice.acknowledgedAt,
    acknowledgedBy: acknowledgerName,
    acknowledgementNote: notice.acknowledgementNote,
    responseMinutes: notice.responseMinutes,
    responseHours: notice.responseMinutes === null ? null : Math.round((notice.responseMinutes / 60) * 10) / 10,
  };
}

function checkArrivalDate(value: string, now: Date): void {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new AppError(
      400,
      'invalid_input',
      `expectedArrivalDate: ${value} is not a calendar date; write it YYYY-MM-DD.`,
    );
  }
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const days = Math.round((date.getTime() - today) / 86_400_000);
  if (days < -arrivalDaysBefore || days > arrivalDaysAfter) {
    throw new AppError(
      400,
      'invalid_input',
      `expectedArrivalDate: must be from ${arrivalDaysBefore} days before today to ${arrivalDaysAfter} days after it.`,
    );
  }
}
