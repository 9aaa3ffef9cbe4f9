/**
 * The ways into the desk besides email: the web form of a signed-in person,
 * a visitor's web form (held until they confirm their address), and a phone
 * call that an agent logs for the caller.
 */
import { and, eq, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import {
  ticketCategories,
  ticketPriorities,
  ticketVisitorRequests,
  tickets,
  type TicketCategory,
} from '../../../db/schema';
import { enqueueMessage } from '../../../emails/outbox';
import { renderVisitorConfirmation } from '../../../emails/templates/desk';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { countAttempt } from '../../auth/throttle';
import { AppError } from '../../errors';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { maxAttachmentsPerMessage } from './attachment-store';
import { createTicket, maxBodyLength, type DeskActionContext, type DeskSettings } from './create';
import { createLinkToken, hashLinkToken } from './link-tokens';

/** Hours a visitor's confirmation link stays valid. */
export const visitorConfirmationHours = 48;

const hour = 60 * 60 * 1000;
/** Visitor submissions per IP address and per address per hour; each one sends an email. */
const visitorRequestsPerIp = { limit: 10, windowMs: hour };
const visitorRequestsPerEmail = { limit: 3, windowMs: hour };

const clientKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, hyphens or underscores')
  .optional();

const ticketFields = {
  subject: z.string().trim().min(3, 'must have at least 3 characters').max(200, 'must have at most 200 characters'),
  category: z
    .string()
    .superRefine((value, context) => {
      if ((ticketCategories as readonly string[]).includes(value)) return;
      const message =
        value === '' ? 'is missing. Choose a topic from the list' : 'is not a known topic. Choose one from the list';
      context.addIssue({ code: z.ZodIssueCode.custom, message });
    })
    .transform((value) => value as TicketCategory),
  description: z
    .string()
    .trim()
    .min(10, 'must have at least 10 characters. Say what you tried and what happened')
    .max(maxBodyLength, `must have at most ${maxBodyLength} characters`),
  idempotencyKey: clientKey,
  draftId: clientKey,
};

const requesterFields = {
  name: z.string().trim().min(1, 'is required').max(120, 'must have at most 120 characters'),
  email: z.string().trim().toLowerCase().email('must be an email address such as name@agency.gov').max(254),
  state: z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, context) => {
      if ((stateCodes as readonly string[]).includes(value)) return;
      // The forms offer a list of states, so an empty value means nothing was chosen.
      const message =
        value === '' ? 'is missing. Choose a state from the list' : 'must be a USPS state code such as TX';
      context.addIssue({ code: z.ZodIssueCode.custom, message });
    }),
};

const signedInInput = z.object({
  ...ticketFields,
  attachments: z
    .array(z.number().int().positive())
    .max(maxAttachmentsPerMessage, `must list at most ${maxAttachmentsPerMessage} files`)
    .optional(),
});

// Keys follow the order of the fields on the forms, because the error summary lists problems in key order.
const visitorInput = z.object({ ...requesterFields, ...ticketFields });

const phoneInput = z.object({
  ...requesterFields,
  subject: ticketFields.subject,
  category: ticketFields.category,
  priority: z.enum(ticketPriorities).default('normal'),
  description: ticketFields.description,
  idempotencyKey: ticketFields.idempotencyKey,
  draftId: ticketFields.draftId,
});

/** Opens a ticket from the web form for the signed-in person, with their state. */
export function fileWebTicket(
  db: AppDatabase,
  settings: DeskSettings,
  actor: Actor,
  input: unknown,
  context: DeskActionContext,
) {
  const data = parseInput(signedInInput, input);
  return createTicket(
    db,
    settings,
    {
      subject: data.subject,
      bodyText: data.description,
      requester: { email: actor.email, name: actor.displayName, personId: actor.id, state: actor.state },
      category: data.category,
      channel: 'web',
      acknowledge: true,
      idempotencyKey: data.idempotencyKey ?? null,
      uploadIds: data.attachments ?? [],
      draftId: data.draftId ?? null,
    },
    context,
  );
}

/** Opens a ticket for a caller, logged by the agent who took the call. */
export function logPhoneTicket(
  db: AppDatabase,
  settings: DeskSettings,
  actor: Actor,
  input: unknown,
  context: DeskActionContext,
) {
  const data = parseInput(phoneInput, input);
  return createTicket(
    db,
    settings,
    {
      subject: data.subject,
      bodyText: data.description,
      requester: { email: data.email, name: data.name, state: data.state },
      category: data.category,
      priority: data.priority,
      channel: 'phone',
      loggedBy: actor,
      acknowledge: true,
      idempotencyKey: data.idempotencyKey ?? null,
    },
    context,
  );
}

/**
 * Keeps a visitor's ticket and emails a single-use link to confirm the
 * address. The response is the same whether or not the address has an account, and
 * a resubmission with the same idempotency key sends no second email.
 */
export function requestVisitorTicket(
  db: AppDatabase,
  settings: DeskSettings,
  input: unknown,
  context: DeskActionContext,
) {
  const data = parseInput(visitorInput, input);
  const now = context.now;
  const expiresAt = new Date(now.getTime() + visitorConfirmationHours * hour).toISOString();

  return db.transaction((tx) => {
    if (data.idempotencyKey) {
      const earlier = tx
        .select({ expiresAt: ticketVisitorRequests.expiresAt })
        .from(ticketVisitorRequests)
        .where(
          and(
            eq(ticketVisitorRequests.email, data.email),
            eq(ticketVisitorRequests.idempotencyKey, data.idempotencyKey),
          ),
        )
        .get();
      if (earlier) return { expiresAt: earlier.expiresAt };
    }
    countAttempt(tx, `desk_visitor_ip:${context.ip}`, visitorRequestsPerIp, now);
    countAttempt(tx, `desk_visitor_email:${data.email}`, visitorRequestsPerEmail, now);
    // Unconfirmed submissions hold a visitor's name and address; they go once their link has expired.
    tx.delete(ticketVisitorRequests)
      .where(and(isNull(ticketVisitorRequests.confirmedAt), lt(ticketVisitorRequests.expiresAt, now.toISOString())))
      .run();

    const { token, tokenHash } = createLinkToken();
    const row = tx
      .insert(ticketVisitorRequests)
      .values({
        tokenHash,
        email: data.email,
        name: data.name,
        state: data.state,
        subject: data.subject,
        category: data.category,
        bodyText: data.description,
        draftId: data.draftId ?? null,
        idempotencyKey: data.idempotencyKey ?? null,
        createdAt: now.toISOString(),
        expiresAt,
      })
      .returning({ id: ticketVisitorRequests.id })
      .get();
    const link = new URL(`/support/confirm/#token=${token}`, settings.siteUrl).href;
    const message = renderVisitorConfirmation({
      recipientName: data.name,
      subject: data.subject,
      link,
      hoursValid: visitorConfirmationHours,
    });
    enqueueMessage(
      tx,
      {
        kind: 'ticket_visitor_confirmation',
        to: data.email,
        ...message,
        headers: { 'Auto-Submitted': 'auto-generated', 'Reply-To': settings.supportAddress },
      },
      () => now,
      { mailFrom: settings.mailFrom },
    );
    recordAudit(tx, {
      actorEmail: data.email,
      ip: context.ip,
      action: 'ticket.visitor_request',
      objectType: 'visitor_request',
      objectId: row.id,
      outcome: 'success',
      requestId: context.requestId,
      at: now,
    });
    return { expiresAt };
  });
}

const confirmInput = z.object({ token: z.string().min(20, 'is not a valid confirmation link').max(200) });

/** Opens the visitor's ticket when the link is valid, unused and not expired. */
export function confirmVisitorTicket(
  db: AppDatabase,
  settings: DeskSettings,
  input: unknown,
  context: DeskActionContext,
) {
  const { token } = parseInput(confirmInput, input);
  countAttempt(db, `desk_token_ip:${context.ip}`, { limit: 20, windowMs: 15 * 60 * 1000 }, context.now);
  const request = db
    .select()
    .from(ticketVisitorRequests)
    .where(eq(ticketVisitorRequests.tokenHash, hashLinkToken(token)))
    .get();
  if (!request) {
    throw new AppError(
      404,
      'link_not_found',
      'This confirmation link is not valid or has expired. Check that you copied the whole link, or send your request again from the help page.',
    );
  }
  if (request.confirmedAt !== null) {
    throw new AppError(
      410,
      'link_used',
      `This link was already used and ticket #${request.ticketId} is open. To add to it, reply to the email we sent you about it.`,
    );
  }
  if (request.expiresAt <= context.now.toISOString()) {
    throw new AppError(
      410,
      'link_expired',
      `This confirmation link expired ${visitorConfirmationHours} hours after it was sent. Send your request again from the help page.`,
    );
  }

  const created = createTicket(
    db,
    settings,
    {
      subject: request.subject,
      bodyText: request.bodyText,
      requester: { email: request.email, name: request.name, state: request.state },
      category: request.category as TicketCategory,
      channel: 'web',
      acknowledge: true,
      idempotencyKey: request.idempotencyKey,
      draftId: request.draftId,
    },
    context,
  );
  db.update(ticketVisitorRequests)
    .set({ confirmedAt: context.now.toISOString(), ticketId: created.ticketId })
    .where(eq(ticketVisitorRequests.id, request.id))
    .run();
  const ticket = db.select({ subject: tickets.subject }).from(tickets).where(eq(tickets.id, created.ticketId)).get();
  return { ticketId: created.ticketId, subject: ticket?.subject ?? request.subject };
}
