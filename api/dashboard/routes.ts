import { Hono, type Context } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';
import { requireActor } from '../shared/route-helpers';
import {
  comparisonCsv,
  figuresCsv,
  flowsCsv,
  publicCorridorsCsv,
  publicFiguresCsv,
  readComparison,
  readFigures,
  readFlows,
  readPublicSummary,
  type CsvFile,
} from './read';

/** Routes of the national management dashboard, mounted at /api. Access rules: ./policy.ts. */
export function dashboardRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();

  routes.get('/dashboard/figures', (c) => c.json(readFigures(db, requireActor(c), c.req.query(), clock())));
  routes.get('/dashboard/figures/export', (c) =>
    csvDownload(c, figuresCsv(readFigures(db, requireActor(c), c.req.query(), clock()))),
  );

  routes.get('/dashboard/compare', (c) => c.json(readComparison(db, requireActor(c), c.req.query(), clock())));
  routes.get('/dashboard/compare/export', (c) =>
    csvDownload(c, comparisonCsv(readComparison(db, requireActor(c), c.req.query(), clock()))),
  );

  routes.get('/dashboard/flows', (c) => c.json(readFlows(db, requireActor(c), c.req.query(), clock())));
  routes.get('/dashboard/flows/export', (c) =>
    csvDownload(c, flowsCsv(readFlows(db, requireActor(c), c.req.query(), clock()))),
  );

  routes.get('/dashboard/public', (c) => c.json(readPublicSummary(db, c.req.query(), clock())));
  routes.get('/dashboard/public/export', (c) => {
    const query = c.req.query();
    const table = query.table ?? 'figures';
    if (table !== 'figures' && table !== 'corridors') {
      throw new AppError(
        400,
        'invalid_table',
        `table: "${table.slice(0, 20)}" is not a table of the public summary. Use figures or corridors.`,
      );
    }
    const view = readPublicSummary(db, query, clock());
    return csvDownload(c, table === 'figures' ? publicFiguresCsv(view) : publicCorridorsCsv(view));
  });

  return routes;
}

function csvDownload(c: Context<AppEnv>, file: CsvFile) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  return c.body(file.csv);
}
