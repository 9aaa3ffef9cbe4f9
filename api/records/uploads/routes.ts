import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { csvDownload } from '../../plans/routes';
import { readIdParam, requireActor } from '../../shared/route-helpers';
import { qualityRoutes } from '../quality/routes';
import {
  listUploadProblems,
  readUploadStatus,
  receiveUploadFile,
  renderProblemsCsv,
  startBrowserImport,
} from './browser-upload';

/** Routes of records uploads and their data-quality reports, mounted at /api. */
export function recordUploadRoutes(dependencies: AppDependencies) {
  const { database, clock, config, logger } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();

  // Exempt from the JSON body rule: the body is the file's bytes, and receiveUploadFile enforces the size limit.
  routes.post('/record-uploads/files', async (c) => {
    const declared = c.req.header('content-length');
    const received = await receiveUploadFile(
      db,
      requireActor(c),
      {
        batchId: c.req.query('batch'),
        fileName: c.req.query('name'),
        body: c.req.raw.body,
        declaredLength: declared === undefined ? null : Number(declared),
      },
      { uploadsDirectory: config.uploadsDirectory, now: clock() },
    );
    return c.json({ file: received }, 201);
  });
  routes.post('/record-uploads', (c) =>
    c.json(
      startBrowserImport(db, requireActor(c), c.get('body'), {
        uploadsDirectory: config.uploadsDirectory,
        clock,
        logger,
        ip: c.get('clientIp'),
        requestId: c.get('requestId'),
      }),
      202,
    ),
  );
  routes.get('/record-uploads/:id', (c) => c.json(readUploadStatus(db, requireActor(c), readIdParam(c))));
  routes.get('/record-uploads/:id/problems', (c) =>
    c.json(listUploadProblems(db, requireActor(c), readIdParam(c), c.req.query('page'))),
  );
  routes.get('/record-uploads/:id/problems/export', (c) => {
    const id = readIdParam(c);
    return csvDownload(c, `upload-${id}-problems.csv`, renderProblemsCsv(db, requireActor(c), id));
  });

  routes.route('/', qualityRoutes(dependencies));
  return routes;
}
