/**
 * The one-question satisfaction survey, queued when a ticket is first solved,
 * unless automatic mail opened the ticket. Its link works once and without
 * signing in. The token is in the URL
 * fragment, which browsers do not send, so it stays out of server logs.
 */
import { and, eq, gte, isNotNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { ticketAutomaticOpenings, ticketEvents, tickets, ticketSurveys } from '../../../db/schema';
import { renderSurveyInvitation } from '../../../emails/templates/desk';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import { AppError } from '../../errors';
import { parseInput } from '../../shared/validation';
import type { TicketRow } from './access';
import type { DeskActionContext, DeskSettings } from './create';
import { recordTicketEvent } from './history';
import { createLinkToken, hashLinkToken } from './link-tokens';
import { queueTicketMail, ticketLink } from './ticket-mail';
import { ticketSubject } from './token';

/**
 * Queues the survey mail to the requester unless the ticket already had one.
 * A ticket that automatic mail opened gets none: its history notes the skip
 * once, with the event type survey_skipped.
 */
export function queueSurveyInvitation(
  db: DatabaseOrTransaction,
  settings: DeskSettings,
  ticket: TicketRow,
  now: Date,
): void {
  const existing = db
    .select({ id: ticketSurveys.id })
    .from(ticketSurveys)
    .where(eq(ticketSurveys.ticketId, ticket.id))
    .get();
  if (existing) return;
  if (isOpenedByAutomaticMail(db, ticket.id)) {
    noteSurveySkipped(db, ticket.id, now);
    return;
  }
  const { token, tokenHash } = createLinkToken();
  db.insert(ticketSurveys).values({ ticketId: ticket.id, tokenHash, sentAt: now.toISOString() }).run();
  const link = new URL(`/support/survey/#token=${token}`, settings.siteUrl).href;
  queueTicketMail(
    db,
    settings,
    ticket.id,
    {
      kind: 'ticket_survey',
      to: ticket.requesterEmail,
      message: renderSurveyInvitation({
        recipientName: ticket.requesterName,
        ticketId: ticket.id,
        ticket: { subject: ticketSubject(ticket.id, ticket.subject), link: ticketLink(settings, ticket.id) },
        link,
      }),
      automatic: true,
    },
    now,
  );
}

function isOpenedByAutomaticMail(db: DatabaseOrTransaction, ticketId: number): boolean {
  const row = db
    .select({ ticketId: ticketAutomaticOpenings.ticketId })
    .from(ticketAutomaticOpenings)
    .where(eq(ticketAutomaticOpenings.ticketId, ticketId))
    .get();
  return row !== undefined;
}

function noteSurveySkipped(db: DatabaseOrTransaction, ticketId: number, now: Date): void {
  const noted = db
    .select({ id: ticketEvents.id })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, 'survey_skipped')))
    .get();
  if (noted) return;
  recordTicketEvent(db, {
    ticketId,
    actorId: null,
    type: 'survey_skipped',
    toValue: 'automatic mail opened the ticket',
    now,
  });
}

const tokenInput = z.object({ token: z.string().min(20, 'is not a valid survey link').max(200) });

const answerInput = tokenInput.extend({
  rating: z.number().int().min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
  comment: z.string().trim().max(2000, 'must have at most 2000 characters').optional(),
});

function findSurvey(db: DatabaseOrTransaction, token: string) {
  const survey = db
    .select()
    .from(ticketSurveys)
    .where(eq(ticketSurveys.tokenHash, hashLinkToken(token)))
    .get();
  if (!survey) {
    throw new AppError(404, 'survey_not_found', 'This survey link is not valid. Check that you copied the whole link.');
  }
  if (survey.answeredAt !== null) {
    throw new AppError(410, 'survey_answered', 'This survey was already answered. Thank you for your answer.');
  }
  return survey;
}

/** Returns the ticket number and subject of a survey, for the survey page. */
export function readSurvey(db: AppDatabase, input: unknown) {
  const { token } = parseInput(tokenInput, input);
  const survey = findSurvey(db, token);
  const ticket = db.select({ subject: tickets.subject }).from(tickets).where(eq(tickets.id, survey.ticketId)).get();
  return { ticketId: survey.ticketId, subject: ticket?.subject ?? '' };
}

export function answerSurvey(db: AppDatabase, input: unknown, context: DeskActionContext) {
  const data = parseInput(answerInput, input);
  return db.transaction((tx) => {
    const survey = findSurvey(tx, data.token);
    const comment = data.comment ? data.comment : null;
    tx.update(ticketSurveys)
      .set({ answeredAt: context.now.toISOString(), rating: data.rating, comment })
      .where(eq(ticketSurveys.id, survey.id))
      .run();
    recordTicketEvent(tx, {
      ticketId: survey.ticketId,
      actorId: null,
      type: 'survey_answered',
      toValue: String(data.rating),
      now: context.now,
    });
    recordAudit(tx, {
      ip: context.ip,
      action: 'ticket.survey_answered',
      objectType: 'ticket',
      objectId: survey.ticketId,
      outcome: 'success',
      detail: `rating ${data.rating}`,
      requestId: context.requestId,
      at: context.now,
    });
    return { ticketId: survey.ticketId, rating: data.rating };
  });
}

export interface SatisfactionAnswer {
  ticketId: number;
  rating: number;
  comment: string | null;
  answeredAt: string;
}

/** Returns the surveys sent and the ratings given from `from` (inclusive) to `to` (exclusive), for the reports. */
export function readSatisfaction(
  db: AppDatabase,
  from: Date,
  to: Date,
): { sent: number; answers: SatisfactionAnswer[] } {
  const answers = db
    .select({
      ticketId: ticketSurveys.ticketId,
      rating: ticketSurveys.rating,
      comment: ticketSurveys.comment,
      answeredAt: ticketSurveys.answeredAt,
    })
    .from(ticketSurveys)
    .where(
      and(
        isNotNull(ticketSurveys.answeredAt),
        gte(ticketSurveys.answeredAt, from.toISOString()),
        lt(ticketSurveys.answeredAt, to.toISOString()),
      ),
    )
    .all()
    .map((row) => ({ ticketId: row.ticketId, rating: row.rating!, comment: row.comment, answeredAt: row.answeredAt! }));
  const sent = db
    .select({ id: ticketSurveys.id })
    .from(ticketSurveys)
    .where(and(gte(ticketSurveys.sentAt, from.toISOString()), lt(ticketSurveys.sentAt, to.toISOString())))
    .all().length;
  return { sent, answers };
}
