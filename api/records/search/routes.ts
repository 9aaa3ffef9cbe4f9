import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { actionContext, requireActor } from '../../shared/route-helpers';
import { readAccessLog } from './access-log';
import { openConsolidatedRecord } from './consolidated-record';
import { searchRecords } from './search';

/**
 * Records search and the consolidated record, mounted at /api. The search
 * and the purpose travel in POST bodies, so no name, birth date or purpose
 * is ever in a URL; the MSIX ID in the path identifies no one by itself.
 */
export function recordSearchRoutes(dependencies: AppDependencies) {
  const db = dependencies.database.db;
  const routes = new Hono<AppEnv>();
  const context = (c: Parameters<typeof actionContext>[0]) => actionContext(c, dependencies);
  const msixIdParam = (c: Parameters<typeof actionContext>[0]) => c.req.param('msixId') ?? '';

  routes.post('/records/search', (c) => c.json(searchRecords(db, requireActor(c), c.get('body'), context(c))));
  routes.post('/records/:msixId/view', (c) =>
    c.json(openConsolidatedRecord(db, requireActor(c), msixIdParam(c), c.get('body'), 'view', context(c))),
  );
  routes.post('/records/:msixId/print', (c) =>
    c.json(openConsolidatedRecord(db, requireActor(c), msixIdParam(c), c.get('body'), 'print', context(c))),
  );
  routes.get('/records/:msixId/access-log', (c) => c.json(readAccessLog(db, requireActor(c), msixIdParam(c))));

  return routes;
}
