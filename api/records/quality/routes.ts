import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { csvDownload } from '../../plans/routes';
import { readIdParam, requireActor } from '../../shared/route-helpers';
import {
  readStateQualityHistory,
  readUploadQualityReport,
  renderStateQualityCsv,
  renderUploadQualityCsv,
} from './report';

/** Data-quality routes, mounted at /api through the uploads routes. */
export function qualityRoutes(dependencies: AppDependencies) {
  const db = dependencies.database.db;
  const routes = new Hono<AppEnv>();
  const stateParam = (c: { req: { param: (name: string) => string | undefined } }) =>
    (c.req.param('state') ?? '').toUpperCase();

  routes.get('/records-quality/uploads/:id', (c) =>
    c.json(readUploadQualityReport(db, requireActor(c), readIdParam(c))),
  );
  routes.get('/records-quality/uploads/:id/export', (c) => {
    const report = readUploadQualityReport(db, requireActor(c), readIdParam(c));
    return csvDownload(c, `data-quality-upload-${report.upload.id}.csv`, renderUploadQualityCsv(report));
  });
  routes.get('/records-quality/states/:state', (c) =>
    c.json(readStateQualityHistory(db, requireActor(c), stateParam(c))),
  );
  routes.get('/records-quality/states/:state/export', (c) => {
    const history = readStateQualityHistory(db, requireActor(c), stateParam(c));
    return csvDownload(c, `data-quality-${history.state}.csv`, renderStateQualityCsv(history));
  });
  return routes;
}
