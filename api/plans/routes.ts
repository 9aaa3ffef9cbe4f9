import { asc } from 'drizzle-orm';
import { Hono } from 'hono';
import { programStates } from '../../db/schema';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';
import { actionContext, readIdParam, requireActor } from '../shared/route-helpers';
import { createPlan } from './create';
import {
  addGoal,
  addMilestone,
  addObjective,
  deleteGoal,
  deleteMilestone,
  deleteObjective,
  updateGoal,
  updateMilestone,
  updateObjective,
  updatePlan,
} from './edit';
import { renderPlanCsv } from './export';
import { buildNationalRollup, renderNationalCsv } from './national';
import { addProgressUpdate } from './progress';
import { listPlans, readPlan } from './read';

/** Routes of strategic plans, mounted at /api. */
export function planRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const db = database.db;
  const routes = new Hono<AppEnv>();
  const context = (c: Parameters<typeof actionContext>[0]) => actionContext(c, dependencies);

  routes.get('/states', (c) =>
    c.json({ states: db.select().from(programStates).orderBy(asc(programStates.code)).all() }),
  );

  routes.get('/plans', (c) => {
    const state = c.req.query('state') ?? requireActor(c).state;
    if (!state) throw new AppError(400, 'invalid_input', 'state: is required; give a USPS state code such as TX.');
    return c.json({ plans: listPlans(db, requireActor(c), state.toUpperCase()) });
  });
  routes.post('/plans', (c) => c.json({ plan: createPlan(db, requireActor(c), c.get('body'), context(c)) }, 201));

  routes.get('/plans/rollup', (c) => c.json(buildNationalRollup(db, clock())));
  routes.get('/plans/rollup/export', (c) => {
    const rollup = buildNationalRollup(db, clock());
    return csvDownload(c, `plan-rollup-${rollup.asOf}.csv`, renderNationalCsv(rollup));
  });

  routes.get('/plans/:id', (c) => c.json(readPlan(db, requireActor(c), readIdParam(c), clock())));
  routes.patch('/plans/:id', (c) =>
    c.json({ plan: updatePlan(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }),
  );
  routes.get('/plans/:id/export', (c) => {
    const view = readPlan(db, requireActor(c), readIdParam(c), clock());
    return csvDownload(c, `plan-${view.plan.state}-${view.plan.periodStart}.csv`, renderPlanCsv(view));
  });
  routes.post('/plans/:id/goals', (c) =>
    c.json({ goal: addGoal(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }, 201),
  );

  routes.patch('/goals/:id', (c) =>
    c.json({ goal: updateGoal(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }),
  );
  routes.delete('/goals/:id', (c) => {
    deleteGoal(db, requireActor(c), readIdParam(c), context(c));
    return c.json({ deleted: true });
  });
  routes.post('/goals/:id/objectives', (c) =>
    c.json({ objective: addObjective(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }, 201),
  );

  routes.patch('/objectives/:id', (c) =>
    c.json({ objective: updateObjective(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }),
  );
  routes.delete('/objectives/:id', (c) => {
    deleteObjective(db, requireActor(c), readIdParam(c), context(c));
    return c.json({ deleted: true });
  });
  routes.post('/objectives/:id/milestones', (c) =>
    c.json({ milestone: addMilestone(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }, 201),
  );

  routes.patch('/milestones/:id', (c) =>
    c.json({ milestone: updateMilestone(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }),
  );
  routes.delete('/milestones/:id', (c) => {
    deleteMilestone(db, requireActor(c), readIdParam(c), context(c));
    return c.json({ deleted: true });
  });
  routes.post('/milestones/:id/updates', (c) =>
    c.json({ update: addProgressUpdate(db, requireActor(c), readIdParam(c), c.get('body'), context(c)) }, 201),
  );

  return routes;
}

export function csvDownload(c: Parameters<typeof actionContext>[0], fileName: string, csv: string) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  return c.body(csv);
}
