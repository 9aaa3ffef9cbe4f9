import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';
import { actionContext, readIdParam, requireActor } from '../shared/route-helpers';
import { readCrosswalk, renderCrosswalkCsv, saveCrosswalk } from './crosswalk';
import { csvDownload } from './routes';
import {
  convertRecommendation,
  createPlanningSession,
  listPlanningSessions,
  readPlanningSession,
  updatePlanningSession,
} from './sessions';

/** Routes of planning sessions, their recommendations and the MDE crosswalk, mounted at /api. */
export function planningRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();
  const context = (c: Parameters<typeof actionContext>[0]) => actionContext(c, dependencies);
  const stateParam = (c: Parameters<typeof actionContext>[0]) => (c.req.param('state') ?? '').toUpperCase();

  routes.get('/planning-sessions', (c) => {
    const state = c.req.query('state') ?? requireActor(c).state;
    if (!state) throw new AppError(400, 'invalid_input', 'state: is required; give a USPS state code such as TX.');
    return c.json(listPlanningSessions(db, requireActor(c), state.toUpperCase()));
  });
  routes.post('/planning-sessions', (c) =>
    c.json(createPlanningSession(db, requireActor(c), c.get('body'), context(c)), 201),
  );
  routes.get('/planning-sessions/:id', (c) => c.json(readPlanningSession(db, requireActor(c), readIdParam(c))));
  routes.patch('/planning-sessions/:id', (c) =>
    c.json(updatePlanningSession(db, requireActor(c), readIdParam(c), c.get('body'), context(c))),
  );

  routes.post('/recommendations/:id/milestone', (c) =>
    c.json(convertRecommendation(db, requireActor(c), readIdParam(c), c.get('body'), context(c)), 201),
  );

  routes.get('/crosswalk/:state', (c) => c.json(readCrosswalk(db, requireActor(c), stateParam(c))));
  routes.put('/crosswalk/:state', (c) =>
    c.json(saveCrosswalk(db, requireActor(c), stateParam(c), c.get('body'), context(c))),
  );
  routes.get('/crosswalk/:state/export', (c) => {
    const state = stateParam(c);
    const csv = renderCrosswalkCsv(db, requireActor(c), state);
    const today = clock().toISOString().slice(0, 10);
    return csvDownload(c, `mde-crosswalk-${state}-${today}.csv`, csv);
  });

  return routes;
}
