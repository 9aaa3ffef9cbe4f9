/**
 * Public registration for an upcoming event. The response is the same whether
 * the address was new or already registered, so it reveals nothing about who
 * registered. A repeat neither adds a row nor sends a second confirmation.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { eventRegistrations } from '../../../db/schema';
import { OutboxMessageError } from '../../../emails/addresses';
import { enqueueMessage } from '../../../emails/outbox';
import { renderRegistrationConfirmation } from '../../../emails/templates/events';
import { calendarEventHeaders } from '../../../emails/transport';
import { audienceIds } from '../../../site/lib/taxonomy';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import { countAttempt, type ThrottleRule } from '../../auth/throttle';
import { createToken, hashToken } from '../../auth/tokens';
import type { ActionContext } from '../../shared/action-context';
import { stateCodes } from '../../shared/states';
import { parseInput, ValidationError } from '../../shared/validation';
import {
  assertAcceptsRegistrations,
  requireEvent,
  summarizeEvent,
  toEventFacts,
  type EventInfo,
  type EventSummary,
} from './event-content';
import { registrationCalendar } from './ical';

/** The request facts of an event action, with the site address and the sender for links and calendars. */
export interface EventActionContext extends ActionContext {
  siteUrl: string;
  mailFrom: string;
}

export interface RegistrationAnswer {
  message: string;
  event: EventSummary;
}

const hourMs = 3_600_000;

/**
 * Registrations per window. The per-IP limit leaves room for a state agency
 * whose staff all register from one IP address. The per-address limit keeps
 * anyone from filling one inbox with confirmations.
 */
export const registrationThrottleRules = {
  perIp: { limit: 60, windowMs: hourMs },
  perAddress: { limit: 5, windowMs: hourMs },
} satisfies Record<string, ThrottleRule>;

/** Reminders go only to registrations made at least this long before the start (see reminders.ts). */
export const dayReminderLeadMs = 24 * hourMs;
export const hourReminderLeadMs = hourMs;

/** Marks the mail as automatic, so auto-responders do not reply to it. */
export const automaticMailHeaders = { 'Auto-Submitted': 'auto-generated' };

/** C0 and C1 control characters (CR, LF and tab among them) and the Unicode line and paragraph separators. */
const controlCharacters = /[\p{Cc}\u2028\u2029]/u;

const stateCodeSet = new Set<string>(stateCodes);

function blankToUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

const registrationInput = z.object({
  name: z
    .string()
    .refine(
      (value) => !controlCharacters.test(value),
      'must be on one line, without line breaks, tabs or other control characters',
    )
    .transform((value) => value.trim())
    .refine((value) => {
      const length = [...value].length;
      return length >= 2 && length <= 100;
    }, 'must be 2 to 100 characters'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'must be at most 254 characters')
    .email('must be a valid email address, such as registrar@district.example.gov'),
  state: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .toUpperCase()
      .refine(
        (value) => stateCodeSet.has(value),
        'must be the two-letter USPS code of a state, DC or PR, such as TX, or left out',
      )
      .optional(),
  ),
  role: z.preprocess(blankToUndefined, z.enum(audienceIds).optional()),
});

/**
 * Registers the address for the event, or re-activates its cancelled
 * registration, and queues the confirmation with the calendar invitation and
 * the cancellation link in the same transaction.
 */
export function registerForEvent(
  db: AppDatabase,
  slug: string,
  input: unknown,
  context: EventActionContext,
): RegistrationAnswer {
  const event = requireEvent(slug);
  assertAcceptsRegistrations(event, context.now);
  const data = parseInput(registrationInput, input);
  countAttempt(db, `event_registration:ip:${context.ip}`, registrationThrottleRules.perIp, context.now);
  // The key contains a hash, so the throttle table stores no registrant's address.
  countAttempt(
    db,
    `event_registration:address:${hashToken(data.email)}`,
    registrationThrottleRules.perAddress,
    context.now,
  );

  try {
    db.transaction((tx) => saveRegistration(tx, event, data, context), { behavior: 'immediate' });
  } catch (error) {
    // The outbox checks addresses more strictly than zod, such as the length of each domain label.
    if (error instanceof OutboxMessageError && error.field === 'to') {
      throw new ValidationError([
        { field: 'email', message: 'must be one plain address such as registrar@district.example.gov.' },
      ]);
    }
    throw error;
  }

  return {
    message: `Thank you. You are registered for "${event.title}". A confirmation with a calendar invitation and a cancellation link is on its way to the address you gave. If that address was already registered, no second confirmation is sent.`,
    event: summarizeEvent(event),
  };
}

type RegistrationData = z.infer<typeof registrationInput>;

function saveRegistration(
  tx: DatabaseOrTransaction,
  event: EventInfo,
  data: RegistrationData,
  context: EventActionContext,
): void {
  const existing = tx
    .select()
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventSlug, event.slug), eq(eventRegistrations.email, data.email)))
    .get();
  const audit = {
    ip: context.ip,
    objectType: 'event_registration',
    outcome: 'success' as const,
    detail: `event:${event.slug}`,
    requestId: context.requestId,
    at: context.now,
  };

  if (existing?.status === 'registered') {
    recordAudit(tx, { ...audit, action: 'event_registration.repeated', objectId: existing.id });
    return;
  }

  const { token, hash } = createToken();
  // A re-activated registration counts from now, for the reminder rules and for its new calendar UID.
  const values = {
    name: data.name,
    state: data.state ?? null,
    role: data.role ?? null,
    status: 'registered' as const,
    cancelTokenHash: hash,
    createdAt: context.now.toISOString(),
    cancelledAt: null,
    dayReminderQueuedAt: null,
    hourReminderQueuedAt: null,
  };
  const row = existing
    ? tx.update(eventRegistrations).set(values).where(eq(eventRegistrations.id, existing.id)).returning().get()
    : tx
        .insert(eventRegistrations)
        .values({ eventSlug: event.slug, email: data.email, ...values })
        .returning()
        .get();

  const untilStart = event.start.getTime() - context.now.getTime();
  const message = renderRegistrationConfirmation({
    name: row.name,
    event: toEventFacts(event, context.siteUrl),
    cancelLink: `${context.siteUrl.replace(/\/+$/, '')}/events/cancel/#token=${token}`,
    dayReminder: untilStart >= dayReminderLeadMs,
    hourReminder: untilStart >= hourReminderLeadMs,
  });
  const calendar = registrationCalendar({
    method: 'REQUEST',
    registration: row,
    event,
    siteUrl: context.siteUrl,
    mailFrom: context.mailFrom,
    now: context.now,
  });
  enqueueMessage(
    tx,
    {
      kind: 'event_registration',
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
    ...audit,
    action: existing ? 'event_registration.reactivated' : 'event_registration.created',
    objectId: row.id,
  });
}
