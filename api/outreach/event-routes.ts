/**
 * Event registration routes: the public list of open events, registration
 * and cancellation, and the admins' registrant list, export and attendance
 * import. The route policy table sets who may call each.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { actionContext, requireActor } from '../shared/route-helpers';
import { importAttendance } from './events/attendance';
import { cancelRegistration } from './events/cancel';
import { listRegistrableEvents } from './events/list-registrable';
import { exportRegistrants, listRegistrants } from './events/registrants';
import { registerForEvent, type EventActionContext } from './events/register';

export function eventRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const routes = new Hono<AppEnv>();

  function eventContext(c: Context<AppEnv>): EventActionContext {
    return {
      ...actionContext(c, dependencies),
      siteUrl: dependencies.config.siteUrl,
      mailFrom: dependencies.config.mailFrom,
    };
  }

  routes.get('/events/registrable', (c) => c.json({ events: listRegistrableEvents(clock()) }));

  routes.post('/events/:slug/registrations', (c) => {
    const answer = registerForEvent(database.db, c.req.param('slug'), c.get('body'), eventContext(c));
    return c.json(answer);
  });

  routes.post('/registrations/cancel', (c) => c.json(cancelRegistration(database.db, c.get('body'), eventContext(c))));

  routes.get('/events/:slug/registrations', (c) => c.json(listRegistrants(database.db, c.req.param('slug'))));

  routes.get('/events/:slug/registrations/export', (c) => {
    const slug = c.req.param('slug');
    const csv = exportRegistrants(database.db, requireActor(c), slug, actionContext(c, dependencies));
    const stamp = clock().toISOString().slice(0, 10);

    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="registrations-${slug}-${stamp}.csv"`);
    return c.body(csv);
  });

  routes.post('/events/:slug/attendance', (c) => {
    const report = importAttendance(
      database.db,
      requireActor(c),
      c.req.param('slug'),
      c.get('body'),
      actionContext(c, dependencies),
    );
    return c.json(report);
  });

  return routes;
}
