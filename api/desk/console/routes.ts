/** Routes of the agents' triage console, mounted at /api. Access: agents and admins (see policy.ts). */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ticketStatuses } from '../../../db/schema';
import type { AppDependencies, AppEnv } from '../../app';
import { AppError } from '../../errors';
import { readIdParam, requireActor } from '../../shared/route-helpers';
import { parseInput } from '../../shared/validation';
import { maxAttachmentsPerMessage } from '../tickets/attachment-store';
import { maxBodyLength, type DeskSettings } from '../tickets/create';
import { addAgentMessage } from '../tickets/messages';
import { assignNextToMe, autoAssignById, listStaff, setMyAvailability, setOpenTicketCap } from './assignment';
import { applyBulkAction } from './bulk';
import { updateTicketFields, type ConsoleContext } from './changes';
import {
  createCannedResponse,
  deleteCannedResponse,
  expandCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from './canned';
import { readTicketDetail } from './detail';
import { loadFaqs } from './faqs';
import { addFollower, removeFollower } from './followers';
import { mergeTickets, splitMessage } from './merge-split';
import { countQueues, listQueue } from './queues';
import { requireDeskStaff } from './staff';

const messageInput = z
  .object({
    visibility: z.enum(['public', 'internal']),
    bodyText: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(maxBodyLength, `must have at most ${maxBodyLength} characters`),
    status: z.enum(ticketStatuses).optional(),
    /** Upload ids from POST /api/ticket-attachments. Files on an internal note stay internal. */
    attachments: z
      .array(z.number().int('must list whole numbers').positive('must list upload ids from 1 up'))
      .max(maxAttachmentsPerMessage, `must list at most ${maxAttachmentsPerMessage} files`)
      .optional(),
  })
  .strict();

export function deskConsoleRoutes(dependencies: AppDependencies) {
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
  const context = (c: Context<AppEnv>): ConsoleContext => ({
    now: clock(),
    ip: c.get('clientIp'),
    requestId: c.get('requestId'),
    settings,
  });
  const queueOptions = () => ({ now: clock(), businessHours: config.businessHours });

  routes.get('/desk/queue', (c) => {
    const query = c.req.query();
    if ('q' in query) {
      throw new AppError(
        400,
        'invalid_input',
        'q: search text is not accepted in the address, because it may contain personal details; send it in the body of POST /api/desk/queue/search.',
      );
    }
    return c.json(listQueue(db, requireActor(c), query, queueOptions()));
  });
  // POST, so that search text (which may name a student) never appears in a URL or a log line.
  routes.post('/desk/queue/search', (c) => c.json(listQueue(db, requireActor(c), c.get('body'), queueOptions())));
  routes.get('/desk/queue/counts', (c) => c.json(countQueues(db, requireActor(c), queueOptions())));
  routes.post('/desk/bulk', (c) => c.json(applyBulkAction(db, requireActor(c), c.get('body'), context(c))));
  routes.post('/desk/assign-next', (c) => {
    const result = assignNextToMe(db, requireActor(c), context(c));
    return c.json(result ?? { ticketId: null, message: 'No unassigned open ticket is waiting.' });
  });

  routes.get('/desk/tickets/:id', (c) =>
    c.json(readTicketDetail(db, requireActor(c), readIdParam(c), clock(), config.businessHours)),
  );
  routes.patch('/desk/tickets/:id', (c) =>
    c.json(updateTicketFields(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );
  routes.post('/desk/tickets/:id/messages', (c) => {
    const actor = requireActor(c);
    requireDeskStaff(actor);
    const { attachments, ...input } = parseInput(messageInput, c.get('body'));
    const { now, ip, requestId } = context(c);
    const message = { ...input, uploadIds: attachments ?? [] };
    const result = addAgentMessage(db, settings, readIdParam(c), actor, message, {
      now,
      ip,
      ...(requestId ? { requestId } : {}),
    });
    return c.json(result, 201);
  });
  routes.post('/desk/tickets/:id/auto-assign', (c) =>
    c.json(autoAssignById(db, requireActor(c), readIdParam(c), context(c))),
  );
  routes.post('/desk/tickets/:id/followers', (c) =>
    c.json(addFollower(db, requireActor(c), readIdParam(c), c.get('body'), context(c)), 201),
  );
  routes.delete('/desk/tickets/:id/followers/:participantId', (c) => {
    removeFollower(db, requireActor(c), readIdParam(c), readIdParam(c, 'participantId'), context(c));
    return c.body(null, 204);
  });
  routes.post('/desk/tickets/:id/merge', (c) =>
    c.json(mergeTickets(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );
  routes.post('/desk/messages/:id/split', (c) =>
    c.json(splitMessage(db, requireActor(c), readIdParam(c), c.get('body'), context(c)), 201),
  );
  routes.get('/desk/tickets/:id/canned-responses/:responseId', (c) =>
    c.json(expandCannedResponse(db, requireActor(c), readIdParam(c, 'responseId'), readIdParam(c), config.siteUrl)),
  );

  routes.get('/desk/agents', (c) => c.json({ agents: listStaff(db, requireActor(c)) }));
  routes.post('/desk/availability', (c) => c.json(setMyAvailability(db, requireActor(c), c.get('body'), context(c))));
  routes.patch('/desk/agents/:id', (c) =>
    c.json(setOpenTicketCap(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );

  routes.get('/desk/canned-responses', (c) =>
    c.json({ responses: listCannedResponses(db, requireActor(c), context(c)) }),
  );
  routes.post('/desk/canned-responses', (c) =>
    c.json(createCannedResponse(db, requireActor(c), c.get('body'), context(c)), 201),
  );
  routes.patch('/desk/canned-responses/:id', (c) =>
    c.json(updateCannedResponse(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );
  routes.delete('/desk/canned-responses/:id', (c) => {
    deleteCannedResponse(db, requireActor(c), readIdParam(c), context(c));
    return c.body(null, 204);
  });
  routes.get('/desk/faqs', (c) => {
    requireDeskStaff(requireActor(c));
    return c.json({ faqs: [...loadFaqs().values()] });
  });

  return routes;
}
