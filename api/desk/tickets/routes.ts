import { readFileSync } from 'node:fs';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDependencies, AppEnv } from '../../app';
import { AppError } from '../../errors';
import { readIdParam, requireActor } from '../../shared/route-helpers';
import { parseInput } from '../../shared/validation';
import { isDeskStaff, findVisibleTicket } from './access';
import { attachmentPath, maxAttachmentBytes, maxAttachmentsPerMessage } from './attachment-store';
import { findVisibleAttachment, saveUpload } from './attachments';
import { closeTicket } from './close';
import type { DeskActionContext, DeskSettings } from './create';
import { recordFaqOpening } from './faq-suggestions';
import { confirmVisitorTicket, fileWebTicket, logPhoneTicket, requestVisitorTicket } from './intake';
import { listMyTickets, readTicket } from './listing';
import { addAgentMessage, addRequesterReply } from './messages';
import { answerSurvey, readSurvey } from './survey';
import { ticketStatuses } from '../../../db/schema';

/** Upload ids from POST /api/ticket-attachments, the same for requesters and desk staff. */
const attachmentIds = z
  .array(z.number().int().positive())
  .max(maxAttachmentsPerMessage, `must list at most ${maxAttachmentsPerMessage} files`)
  .optional();

const staffMessageInput = z.object({
  visibility: z.enum(['public', 'internal']).default('public'),
  bodyText: z.string().trim().min(1, 'is required').max(20_000, 'must have at most 20000 characters'),
  status: z.enum(ticketStatuses).optional(),
  attachments: attachmentIds,
});

const requesterMessageInput = z.object({
  bodyText: z.string().trim().min(1, 'is required').max(20_000, 'must have at most 20000 characters'),
  attachments: attachmentIds,
});

/** Routes of tickets and the requester side of the desk, mounted at /api. */
export function deskTicketRoutes(dependencies: AppDependencies) {
  const { database, clock, config } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();
  const settings: DeskSettings = {
    siteUrl: config.siteUrl,
    mailFrom: config.mailFrom,
    supportAddress: config.supportAddress,
    attachmentsDirectory: config.attachmentsDirectory,
    businessHours: config.businessHours,
  };
  const context = (c: Context<AppEnv>): DeskActionContext => ({
    now: clock(),
    ip: c.get('clientIp'),
    requestId: c.get('requestId'),
  });

  routes.post('/tickets', (c) => {
    const result = fileWebTicket(db, settings, requireActor(c), c.get('body'), context(c));
    return c.json(result, result.created ? 201 : 200);
  });
  routes.post('/tickets/phone-calls', (c) => {
    const result = logPhoneTicket(db, settings, requireActor(c), c.get('body'), context(c));
    return c.json(result, result.created ? 201 : 200);
  });
  routes.get('/tickets/:id', (c) => c.json(readTicket(db, requireActor(c), readIdParam(c))));
  routes.post('/tickets/:id/messages', (c) => {
    const actor = requireActor(c);
    const id = readIdParam(c);
    if (isDeskStaff(actor)) {
      const { attachments, ...data } = parseInput(staffMessageInput, c.get('body'));
      const message = { ...data, uploadIds: attachments ?? [] };
      return c.json(addAgentMessage(db, settings, id, actor, message, context(c)), 201);
    }
    const data = parseInput(requesterMessageInput, c.get('body'));
    findVisibleTicket(db, actor, id);
    const reply = addRequesterReply(
      db,
      settings,
      id,
      {
        email: actor.email,
        name: actor.displayName,
        personId: actor.id,
        bodyText: data.bodyText,
        channel: 'web',
        uploadIds: data.attachments ?? [],
      },
      context(c),
    );
    return c.json(reply, 201);
  });
  routes.post('/tickets/:id/close', (c) =>
    c.json(closeTicket(db, settings, requireActor(c), readIdParam(c), context(c))),
  );

  routes.post('/ticket-attachments', async (c) => {
    const actor = requireActor(c);
    const fileName = decodeHeader(c.req.header('x-file-name'));
    const content = await readRawBody(c.req.raw, maxAttachmentBytes, fileName);
    const upload = saveUpload(
      db,
      settings.attachmentsDirectory,
      actor,
      { fileName, contentType: c.req.header('content-type') ?? '', content },
      clock(),
    );
    return c.json(upload, 201);
  });
  routes.get('/tickets/:id/attachments/:attachmentId', (c) => {
    const attachment = findVisibleAttachment(db, requireActor(c), readIdParam(c), readIdParam(c, 'attachmentId'));
    const file = readFileSync(attachmentPath(settings.attachmentsDirectory, attachment.sha256));
    return new Response(new Uint8Array(file), {
      headers: {
        'Content-Type': attachment.contentType || 'application/octet-stream',
        'Content-Length': String(file.length),
        'Content-Disposition': contentDisposition(attachment.fileName),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'no-store',
      },
    });
  });

  routes.get('/support/my-tickets', (c) => c.json(listMyTickets(db, requireActor(c), c.req.query('scope'))));
  routes.post('/support/visitor-requests', (c) =>
    c.json(requestVisitorTicket(db, settings, c.get('body'), context(c)), 202),
  );
  routes.post('/support/visitor-requests/confirm', (c) =>
    c.json(confirmVisitorTicket(db, settings, c.get('body'), context(c)), 201),
  );
  routes.post('/support/faq-openings', (c) => c.json(recordFaqOpening(db, c.get('body'), clock()), 201));
  routes.post('/support/survey', (c) => c.json(readSurvey(db, c.get('body'))));
  routes.post('/support/survey/answer', (c) => c.json(answerSurvey(db, c.get('body'), context(c))));

  return routes;
}

/** Decodes the X-File-Name header, which is percent-encoded UTF-8 because header values are ASCII. */
function decodeHeader(value: string | undefined): string {
  if (!value) throw new AppError(400, 'invalid_input', 'X-File-Name: is required; send the percent-encoded file name.');
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError(400, 'invalid_input', 'X-File-Name: is not valid percent-encoded UTF-8.');
  }
}

/** Reads the request body up to `limit` bytes and stops with a 413 as soon as it is larger. */
async function readRawBody(request: Request, limit: number, fileName: string): Promise<Buffer> {
  const tooLarge = () =>
    new AppError(413, 'attachment_too_large', `${fileName}: the file is larger than 10 MB, the maximum per file.`);
  if (Number(request.headers.get('content-length') ?? '0') > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Builds a download header with an ASCII fallback name and the UTF-8 name (RFC 6266). */
function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
