import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { actionContext, requireActor } from '../../shared/route-helpers';
import { listSlaTargets, updateSlaTarget } from '../sla/targets';
import { readCsvReportName, renderReportCsv } from './csv';
import { readReportFilters } from './period';
import { buildDeskReport } from './reports';

/** Routes of the desk reports and the SLA targets, mounted at /api. */
export function deskReportRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();

  routes.get('/desk/reports', (c) => {
    const now = clock();
    return c.json(buildDeskReport(db, readReportFilters(c.req.query(), now), now));
  });

  routes.get('/desk/reports/:report/csv', (c) => {
    const name = readCsvReportName(c.req.param('report'));
    const now = clock();
    const filters = readReportFilters(c.req.query(), now);
    const csv = renderReportCsv(db, name, filters, now);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="desk-${name}-${filters.from}-to-${filters.to}.csv"`);
    return c.body(csv);
  });

  routes.get('/desk/sla-targets', (c) => c.json({ targets: listSlaTargets(db) }));
  routes.put('/desk/sla-targets/:priority', (c) =>
    c.json(
      updateSlaTarget(db, requireActor(c), c.req.param('priority'), c.get('body'), actionContext(c, dependencies)),
    ),
  );

  return routes;
}
