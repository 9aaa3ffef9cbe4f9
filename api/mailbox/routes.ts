import { Hono } from 'hono';
import { listMailbox, MailboxError, readMailboxMessage } from '../../emails/mailbox';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';

/** The local mailbox, where mail goes when no SMTP server is configured; admins read it in the console. */
export function mailboxRoutes({ config }: AppDependencies) {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const limit = c.req.query('limit');
    const messages = await listMailbox(config.mailboxDirectory, {
      limit: limit === undefined ? undefined : Number(limit),
    }).catch(toAppError);
    return c.json({ messages, smtpConfigured: config.smtpUrl !== undefined });
  });

  routes.get('/:id', async (c) => {
    const message = await readMailboxMessage(config.mailboxDirectory, c.req.param('id')).catch(toAppError);
    return c.json({ message });
  });

  return routes;
}

function toAppError(error: unknown): never {
  if (!(error instanceof MailboxError)) throw error;
  if (error.code === 'not_found' || error.code === 'invalid_id')
    throw new AppError(404, 'not_found', 'No such message in the mailbox.');
  throw new AppError(400, 'invalid_input', error.message);
}
