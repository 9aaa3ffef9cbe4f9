import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { AppError } from '../../errors';
import { actionContext, readIdParam, requireActor } from '../../shared/route-helpers';
import { stateCodes } from '../../shared/states';
import { requireRecordsAccess, requireStateDataAdministrator } from '../access';
import { acknowledgeMoveNotice, listMoveNotices, sendMoveNotice } from '../move-notices/notices';
import { declineChange, requestChange, validateChange } from './change-requests';
import { crosswalkHeader, iterateCrosswalkLines } from './export-ids';
import { msixIdPattern, resolveMsixId } from './msix-ids';
import { confirmNearMatch, rejectNearMatch } from './near-matches';
import { readRecordForChanges } from './record-changes-view';
import { readWorklist } from './worklist';

/** Routes of the worklists, merge and split requests, MSIX ID export and move notices, mounted at /api. */
export function recordWorklistRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();
  const context = (c: Parameters<typeof actionContext>[0]) => actionContext(c, dependencies);

  routes.get('/record-worklist', (c) => c.json(readWorklist(db, requireActor(c), c.req.query('state'), clock())));
  routes.post('/record-near-matches/:id/confirm', (c) =>
    c.json(confirmNearMatch(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );
  routes.post('/record-near-matches/:id/reject', (c) =>
    c.json(rejectNearMatch(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );

  routes.get('/record-changes/record/:msixId', (c) =>
    c.json(readRecordForChanges(db, requireActor(c), c.req.param('msixId'), context(c))),
  );
  routes.post('/record-changes', (c) => c.json(requestChange(db, requireActor(c), c.get('body'), context(c)), 201));
  routes.post('/record-changes/:id/validate', (c) =>
    c.json(validateChange(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );
  routes.post('/record-changes/:id/decline', (c) =>
    c.json(declineChange(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );

  routes.get('/msix-ids/:msixId', (c) => {
    const msixId = c.req.param('msixId');
    const notFound = new AppError(404, 'not_found', `No consolidated record has the MSIX ID ${msixId}.`);
    if (!msixIdPattern.test(msixId)) throw notFound;
    requireRecordsAccess(requireActor(c), 'viewer');
    const record = resolveMsixId(db, msixId);
    if (!record) throw notFound;
    return c.json({ msixId: record.msixId, requestedMsixId: record.requestedMsixId, retired: record.retired });
  });

  routes.get('/records/export-ids/:state', (c) => {
    const state = c.req.param('state').toUpperCase();
    if (!(stateCodes as readonly string[]).includes(state)) {
      throw new AppError(404, 'not_found', `${state} is not a USPS state code such as TX.`);
    }
    requireStateDataAdministrator(requireActor(c), state);
    const today = clock().toISOString().slice(0, 10);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="msix-ids-${state}-${today}.csv"`);
    // Built in one synchronous pass: an open better-sqlite3 iterator blocks every other query on the
    // connection, so it must not stay open across awaits. A state's crosswalk is some megabytes at most.
    const lines = [crosswalkHeader, ...iterateCrosswalkLines(database.sqlite, state)];
    return c.body(`${lines.join('\r\n')}\r\n`);
  });

  routes.get('/move-notices', (c) => c.json(listMoveNotices(db, requireActor(c), c.req.query('state'))));
  routes.post('/move-notices', (c) => c.json(sendMoveNotice(db, requireActor(c), c.get('body'), context(c)), 201));
  routes.post('/move-notices/:id/acknowledge', (c) =>
    c.json(acknowledgeMoveNotice(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );

  return routes;
}
