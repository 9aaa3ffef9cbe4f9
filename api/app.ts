/**
 * Builds the Hono application: request ids, access logs, security headers,
 * sessions, request guards, authorization, the API routes, the error handler
 * and the static site.
 */
import { Hono } from 'hono';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import type { DatabaseHandle } from '../db/client';
import { accountRoutes } from './account/routes';
import { auditRoutes } from './audit/routes';
import type { Actor } from './auth/actor';
import { authRoutes } from './auth/routes';
import { loadSession } from './auth/session-middleware';
import { TooManyRequestsError } from './auth/throttle';
import type { AppConfig } from './config';
import { AppError } from './errors';
import { dashboardRoutes } from './dashboard/routes';
import { deskConsoleRoutes } from './desk/console/routes';
import { deskReportRoutes } from './desk/reports/routes';
import { deskTicketRoutes } from './desk/tickets/routes';
import { healthRoutes } from './health/route';
import type { Logger } from './logger';
import { mailboxRoutes } from './mailbox/routes';
import { peopleRoutes } from './people/routes';
import { campaignRoutes } from './outreach/campaign-routes';
import { eventRoutes } from './outreach/event-routes';
import { subscriberRoutes } from './outreach/subscriber-routes';
import { unsubscribePages } from './outreach/unsubscribe-routes';
import { planningRoutes } from './plans/planning-routes';
import { planRoutes } from './plans/routes';
import { recordLinkingRoutes } from './records/linking/routes';
import { recordSearchRoutes } from './records/search/routes';
import { recordUploadRoutes } from './records/uploads/routes';
import { recordWorklistRoutes } from './records/worklists/routes';
import { authorize } from './security/authorize';
import { securityHeaders } from './security/headers';
import { guardStateChangingRequests, type JsonBodyVariables } from './security/json-body';
import type { MailQueue } from './shared/action-context';
import type { Clock } from './shared/clock';
import { ValidationError } from './shared/validation';
import { mountSite } from './static/serve-site';

export type AppEnv = {
  Variables: RequestIdVariables &
    JsonBodyVariables & {
      person?: Actor;
      sessionId?: string;
      rulesOfBehaviorRequired: boolean;
      clientIp: string;
    };
};

export interface AppDependencies {
  database: DatabaseHandle;
  logger: Logger;
  clock: Clock;
  config: Pick<
    AppConfig,
    | 'siteUrl'
    | 'mailFrom'
    | 'mailboxDirectory'
    | 'smtpUrl'
    | 'mailRatePerSecond'
    | 'mailRatePerDay'
    | 'postalAddress'
    | 'supportAddress'
    | 'attachmentsDirectory'
    | 'uploadsDirectory'
    | 'businessHours'
  >;
  /** Signs links that work without signing in, such as unsubscribe links. */
  linkSecret: string;
  mail: MailQueue;
  /** Absolute path of the static build. */
  distDirectory: string;
  /** Whether dist/ matched the sources when the process started. */
  buildState: { upToDate: boolean };
}

export function createApp(dependencies: AppDependencies): Hono<AppEnv> {
  const { logger } = dependencies;
  const app = new Hono<AppEnv>();

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // The path only: query strings could carry what a visitor typed into a search box.
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: maskLinkTokens(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('*', securityHeaders());

  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('/api/*', loadSession(dependencies));
  app.use('/api/*', guardStateChangingRequests([new URL(dependencies.config.siteUrl).origin]));
  app.use('/api/*', authorize(dependencies));

  app.route('/api/health', healthRoutes(dependencies));
  app.route('/api/auth', authRoutes(dependencies));
  app.route('/api/account', accountRoutes(dependencies));
  app.route('/api/people', peopleRoutes(dependencies));
  app.route('/api/audit', auditRoutes(dependencies));
  app.route('/api/mailbox', mailboxRoutes(dependencies));
  app.route('/api', planRoutes(dependencies));
  app.route('/api', planningRoutes(dependencies));
  app.route('/api', subscriberRoutes(dependencies));
  app.route('/api', campaignRoutes(dependencies));
  app.route('/api', eventRoutes(dependencies));
  app.route('/api', deskTicketRoutes(dependencies));
  app.route('/api', deskConsoleRoutes(dependencies));
  app.route('/api', deskReportRoutes(dependencies));
  app.route('/api', recordUploadRoutes(dependencies));
  app.route('/api', recordLinkingRoutes(dependencies));
  app.route('/api', recordSearchRoutes(dependencies));
  app.route('/api', recordWorklistRoutes(dependencies));
  app.route('/api', dashboardRoutes(dependencies));
  app.route('/', unsubscribePages(dependencies));

  app.onError((error, c) => {
    const id = c.get('requestId');
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError) c.header('Retry-After', String(error.retryAfterSeconds));
      const fields = error instanceof ValidationError ? { fields: error.problems } : {};
      return c.json({ error: { code: error.code, message: error.message, requestId: id, ...fields } }, error.status);
    }
    logger.error({ requestId: id, err: error }, 'unhandled error');
    return c.json(
      {
        error: {
          code: 'internal_error',
          message:
            'Something went wrong on the server. Try again; if it keeps happening, give the help desk this request id.',
          requestId: id,
        },
      },
      500,
    );
  });

  mountSite(app, dependencies.distDirectory);
  return app;
}

/** Paths that carry a signed link token; the token acts for its holder, so logs show it masked. */
const tokenPathPattern = /^(\/unsubscribe\/|\/api\/subscribers\/preferences\/)[^/]+/;

function maskLinkTokens(path: string): string {
  return path.replace(tokenPathPattern, '$1[token]');
}
