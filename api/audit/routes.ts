import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { renderAuditCsv } from './export-csv';
import { listAuditEntries } from './list';

/** Most rows one CSV export holds; narrow the filters for older history. */
const maxExportRows = 50_000;

export function auditRoutes({ database, clock }: AppDependencies) {
  const routes = new Hono<AppEnv>();

  routes.get('/', (c) => c.json({ entries: listAuditEntries(database.db, c.req.query()) }));

  routes.get('/export', (c) => {
    const rows = listAuditEntries(database.db, c.req.query(), { maxRows: maxExportRows });
    const stamp = clock().toISOString().slice(0, 10);

    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="audit-log-${stamp}.csv"`);
    return c.body(renderAuditCsv(rows));
  });

  return routes;
}
