import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';
import { actionContext, readIdParam, requireActor } from '../../shared/route-helpers';
import { addNickname, deleteNickname, listNicknames } from './nicknames';

/** Routes of record linking (the nickname table), mounted at /api. */
export function recordLinkingRoutes(dependencies: AppDependencies) {
  const db = dependencies.database.db;
  const routes = new Hono<AppEnv>();

  routes.get('/record-nicknames', (c) => c.json({ nicknames: listNicknames(db) }));
  routes.post('/record-nicknames', (c) =>
    c.json({ nickname: addNickname(db, requireActor(c), c.get('body'), actionContext(c, dependencies)) }, 201),
  );
  routes.delete('/record-nicknames/:id', (c) => {
    deleteNickname(db, requireActor(c), readIdParam(c), actionContext(c, dependencies));
    return c.json({ deleted: true });
  });

  return routes;
}
