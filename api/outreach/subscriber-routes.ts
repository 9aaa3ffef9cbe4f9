/**
 * Newsletter subscriber routes. The public signs up, confirms and manages
 * preferences through links; admins list, export and import subscribers and
 * keep the suppression list. The route policy table sets who may call each.
 */
import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { actionContext, requireActor } from '../shared/route-helpers';
import { confirmSubscription } from './subscribers/confirm';
import { exportSubscribers } from './subscribers/export';
import { importSubscribers } from './subscribers/import';
import { listSubscribers } from './subscribers/list';
import { readPreferences, updatePreferences } from './subscribers/preferences';
import { signUp, signUpMessage } from './subscribers/sign-up';
import { addSuppression, listSuppressions } from './subscribers/suppress';

export function subscriberRoutes(dependencies: AppDependencies) {
  const { database, clock, config, linkSecret } = dependencies;
  const routes = new Hono<AppEnv>();

  routes.post('/subscribers', (c) => {
    signUp(database.db, c.get('body'), actionContext(c, dependencies));
    return c.json({ message: signUpMessage }, 202);
  });

  routes.post('/subscribers/confirm', (c) => {
    const { preferencesUrl } = confirmSubscription(database.db, c.get('body'), actionContext(c, dependencies), {
      siteUrl: config.siteUrl,
      secret: linkSecret,
    });
    return c.json({
      message: 'Your subscription is confirmed. The next issue of the newsletter will come to this address.',
      preferencesUrl,
    });
  });

  routes.get('/subscribers/preferences/:token', (c) =>
    c.json(readPreferences(database.db, c.req.param('token'), linkSecret, clock())),
  );

  routes.put('/subscribers/preferences/:token', (c) =>
    c.json(
      updatePreferences(database.db, c.req.param('token'), c.get('body'), actionContext(c, dependencies), linkSecret),
    ),
  );

  routes.get('/subscribers', (c) => c.json(listSubscribers(database.db, c.req.query())));

  routes.get('/subscribers/export', (c) => {
    const csv = exportSubscribers(database.db, requireActor(c), c.req.query(), actionContext(c, dependencies));
    const stamp = clock().toISOString().slice(0, 10);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="subscribers-${stamp}.csv"`);
    return c.body(csv);
  });

  routes.post('/subscribers/import', (c) =>
    c.json(importSubscribers(database.db, requireActor(c), c.get('body'), actionContext(c, dependencies))),
  );

  routes.get('/suppressions', (c) => c.json(listSuppressions(database.db, c.req.query())));

  routes.post('/suppressions', (c) => {
    const result = addSuppression(database.db, requireActor(c), c.get('body'), actionContext(c, dependencies));
    return c.json(result, result.outcome === 'created' ? 201 : 200);
  });

  return routes;
}
