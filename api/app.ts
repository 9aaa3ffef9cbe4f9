/**
 * Builds the Hono application: request ids, access logs, security headers,
 * the API routes, the error handler and the static site.
 */
import { Hono } from 'hono';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { DatabaseHandle } from '../db/client';
import { AppError } from './errors';
import { healthRoutes } from './health/route';
import type { Logger } from './logger';
import { mountSite } from './static/serve-site';

export type AppEnv = { Variables: RequestIdVariables };

export interface AppDependencies {
  database: DatabaseHandle;
  logger: Logger;
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
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('*', secureHeaders());

  app.route('/api/health', healthRoutes(dependencies));

  app.onError((error, c) => {
    const id = c.get('requestId');
    if (error instanceof AppError) {
      return c.json({ error: { code: error.code, message: error.message, requestId: id } }, error.status);
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
