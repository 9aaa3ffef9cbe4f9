/**
 * Canned responses: saved reply text with placeholders that agents insert
 * into a reply. Placeholders are checked when a response is saved and
 * expanded on the server for one ticket:
 * `{{requester_name}}`, `{{ticket_id}}`, `{{agent_name}}` and `{{faq:slug}}`
 * (the FAQ's title and its absolute link on the portal).
 */
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { deskCannedResponses, tickets } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { parseInput, ValidationError } from '../../shared/validation';
import { ticketNotFound } from '../tickets/access';
import { addDefaultCannedResponsesOnce } from './canned-defaults';
import type { ConsoleContext } from './changes';
import { faqLink, loadFaqs } from './faqs';
import { requireDeskStaff } from './staff';

export const placeholderNames = ['requester_name', 'ticket_id', 'agent_name'] as const;

/** `{{name}}` or `{{faq:slug}}`, with optional spaces inside the braces. */
const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

const cannedInput = z
  .object({
    title: z.string().trim().min(1, 'is required').max(120, 'must have at most 120 characters'),
    body: z.string().trim().min(1, 'is required').max(10_000, 'must have at most 10000 characters'),
  })
  .strict();

const selectColumns = {
  id: deskCannedResponses.id,
  title: deskCannedResponses.title,
  body: deskCannedResponses.body,
  updatedAt: deskCannedResponses.updatedAt,
};

/** Lists the canned responses by title, adding the starter ones the first time the list is empty. */
export function listCannedResponses(db: AppDatabase, actor: Actor, context: ConsoleContext) {
  requireDeskStaff(actor);
  addDefaultCannedResponsesOnce(db, actor, context);
  return db.select(selectColumns).from(deskCannedResponses).orderBy(asc(deskCannedResponses.title)).all();
}

/** Lists every placeholder in a body that is unknown or names an FAQ that does not exist. */
export function findPlaceholderProblems(body: string): string[] {
  const faqs = loadFaqs();
  const problems: string[] = [];
  for (const match of body.matchAll(placeholderPattern)) {
    const name = match[1]!;
    if (name.startsWith('faq:')) {
      const slug = name.slice('faq:'.length).trim();
      if (!faqs.has(slug))
        problems.push(`{{${name}}} names no FAQ; use the last part of the FAQ's address, such as what-is-an-msix-id.`);
    } else if (!(placeholderNames as readonly string[]).includes(name)) {
      problems.push(
        `{{${name}}} is not a placeholder; use ${placeholderNames.map((entry) => `{{${entry}}}`).join(', ')} or {{faq:slug}}.`,
      );
    }
  }
  return problems;
}

function checkBody(body: string): void {
  const problems = findPlaceholderProblems(body);
  if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ field: 'body', message })));
}

function checkTitleFree(db: AppDatabase, title: string, exceptId?: number): void {
  const clash = db
    .select({ id: deskCannedResponses.id })
    .from(deskCannedResponses)
    .where(eq(sql`lower(${deskCannedResponses.title})`, title.toLowerCase()))
    .get();
  if (clash && clash.id !== exceptId) {
    throw new AppError(
      409,
      'title_taken',
      `title: a canned response called "${title}" already exists; choose another title.`,
    );
  }
}

export function createCannedResponse(db: AppDatabase, actor: Actor, input: unknown, context: ConsoleContext) {
  requireDeskStaff(actor);
  const data = parseInput(cannedInput, input);
  checkBody(data.body);
  const now = context.now.toISOString();
  return db.transaction((tx) => {
    checkTitleFree(db, data.title);
    const row = tx
      .insert(deskCannedResponses)
      .values({ ...data, createdBy: actor.id, updatedBy: actor.id, createdAt: now, updatedAt: now })
      .returning(selectColumns)
      .get();
    audit(tx, actor, 'desk.canned_response_created', row.id, context);
    return row;
  });
}

export function updateCannedResponse(
  db: AppDatabase,
  actor: Actor,
  id: number,
  input: unknown,
  context: ConsoleContext,
) {
  requireDeskStaff(actor);
  const data = parseInput(cannedInput, input);
  checkBody(data.body);
  const now = context.now.toISOString();
  return db.transaction((tx) => {
    findCannedResponse(db, id);
    checkTitleFree(db, data.title, id);
    const row = tx
      .update(deskCannedResponses)
      .set({ ...data, updatedBy: actor.id, updatedAt: now })
      .where(eq(deskCannedResponses.id, id))
      .returning(selectColumns)
      .get();
    audit(tx, actor, 'desk.canned_response_updated', id, context);
    return row;
  });
}

export function deleteCannedResponse(db: AppDatabase, actor: Actor, id: number, context: ConsoleContext): void {
  requireDeskStaff(actor);
  db.transaction((tx) => {
    findCannedResponse(db, id);
    tx.delete(deskCannedResponses).where(eq(deskCannedResponses.id, id)).run();
    audit(tx, actor, 'desk.canned_response_deleted', id, context);
  });
}

function findCannedResponse(db: AppDatabase, id: number) {
  const row = db.select(selectColumns).from(deskCannedResponses).where(eq(deskCannedResponses.id, id)).get();
  if (!row)
    throw new AppError(404, 'not_found', `No canned response with id ${id} was found; it may have been deleted.`);
  return row;
}

/** Returns a canned response's body with its placeholders filled in for one ticket and the signed-in agent. */
export function expandCannedResponse(db: AppDatabase, actor: Actor, id: number, ticketId: number, siteUrl: string) {
  requireDeskStaff(actor);
  const response = findCannedResponse(db, id);
  const ticket = db
    .select({ id: tickets.id, requesterName: tickets.requesterName })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .get();
  if (!ticket) throw ticketNotFound(ticketId);

  const faqs = loadFaqs();
  const text = response.body.replace(placeholderPattern, (whole, name: string) => {
    if (name === 'requester_name') return ticket.requesterName;
    if (name === 'ticket_id') return String(ticket.id);
    if (name === 'agent_name') return actor.displayName;
    if (name.startsWith('faq:')) {
      const faq = faqs.get(name.slice('faq:'.length).trim());
      // An FAQ removed since the response was saved stays as typed, so the agent notices it before sending.
      if (faq) return `${faq.title}: ${faqLink(siteUrl, faq.slug)}`;
    }
    return whole;
  });
  return { id: response.id, title: response.title, text };
}

function audit(
  tx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  action: string,
  id: number,
  context: ConsoleContext,
) {
  recordAudit(tx, {
    actor,
    ip: context.ip,
    action,
    objectType: 'canned_response',
    objectId: id,
    outcome: 'success',
    requestId: context.requestId,
    at: context.now,
  });
}
