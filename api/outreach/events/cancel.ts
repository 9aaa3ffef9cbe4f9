/**
 * Cancellation through the link in the confirmation email. The link carries
 * a random token whose SHA-256 hash is stored with the registration; it
 * cancels once, and a cancelled registration gets no reminders.
 */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { eventRegistrations } from '../../../db/schema';
import { enqueueMessage } from '../../../emails/outbox';
import { renderCancellationConfirmation } from '../../../emails/templates/events';
import { calendarEventHeaders } from '../../../emails/transport';
import { recordAudit } from '../../audit/record';
import { countAttempt, type ThrottleRule } from '../../auth/throttle';
import { hashToken } from '../../auth/tokens';
import { AppError } from '../../errors';
import { acceptsRegistrations, findEvent, summarizeEvent, toEventFacts, type EventSummary } from './event-content';
import { registrationCalendar } from './ical';
import { automaticMailHeaders, type EventActionContext } from './register';

export const cancellationThrottleRules = {
  perIp: { limit: 10, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

export interface CancellationAnswer {
  message: string;
  event: EventSummary;
}

/** Registration issues tokens of 43 base64url characters. The bounds leave some room but stop anything large before it is hashed. */
const tokenPattern = /^[A-Za-z0-9_-]{20,200}$/;

function invalidLink(): AppError {
  return new AppError(
    400,
    'invalid_link',
    'This cancellation link is not valid. Copy the whole link from your confirmation email, or register again and use the link in the new confirmation.',
  );
}

/**
 * Cancels the registration that the token belongs to and queues a short
 * confirmation with a METHOD:CANCEL calendar update, in one transaction.
 */
export function cancelRegistration(db: AppDatabase, input: unknown, context: EventActionContext): CancellationAnswer {
  const token = (input as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !tokenPattern.test(token)) throw invalidLink();
  countAttempt(db, `event_cancellation:ip:${context.ip}`, cancellationThrottleRules.perIp, context.now);

  // NOTE: cancel_token_hash has no index, so this lookup scans the registrations; fine for thousands of rows.
  return db.transaction(
    (tx) => {
      const row = tx
        .select()
        .from(eventRegistrations)
        .where(eq(eventRegistrations.cancelTokenHash, hashToken(token)))
        .get();
      const event = row ? findEvent(row.eventSlug) : undefined;
      if (!row || !event) throw invalidLink();

      if (row.status === 'cancelled') {
        throw new AppError(
          409,
          'already_cancelled',
          `Your registration for "${event.title}" was already cancelled. To attend after all, register again on the event page.`,
        );
      }
      if (context.now.getTime() >= event.end.getTime()) {
        throw new AppError(
          409,
          'event_ended',
          `"${event.title}" has ended, so its registration can no longer be cancelled.`,
        );
      }

      tx.update(eventRegistrations)
        .set({ status: 'cancelled', cancelledAt: context.now.toISOString() })
        .where(and(eq(eventRegistrations.id, row.id), eq(eventRegistrations.status, 'registered')))
        .run();

      const message = renderCancellationConfirmation({
        name: row.name,
        event: toEventFacts(event, context.siteUrl),
        registrationOpen: acceptsRegistrations(event, context.now),
      });
      const calendar = registrationCalendar({
        method: 'CANCEL',
        registration: row,
        event,
        siteUrl: context.siteUrl,
        mailFrom: context.mailFrom,
        now: context.now,
      });
      enqueueMessage(
        tx,
        {
          kind: 'event_registration_cancelled',
          to: row.email,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { ...automaticMailHeaders, ...calendarEventHeaders(calendar) },
        },
        () => context.now,
        { mailFrom: context.mailFrom },
      );

      recordAudit(tx, {
        ip: context.ip,
        action: 'event_registration.cancelled',
        objectType: 'event_registration',
        objectId: row.id,
        outcome: 'success',
        detail: `event:${event.slug}`,
        requestId: context.requestId,
        at: context.now,
      });

      return {
        message: `Your registration for "${event.title}" is cancelled. A confirmation is on its way to your email, and you will receive no reminders.`,
        event: summarizeEvent(event),
      };
    },
    { behavior: 'immediate' },
  );
}
