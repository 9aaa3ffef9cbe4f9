import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';

/** Routes of the national management dashboard, mounted at /api. Access rules: ./policy.ts. */
export function dashboardRoutes(dependencies: AppDependencies) {
  void dependencies;
  const routes = new Hono<AppEnv>();
  const notYet = () => {
    throw new AppError(501, 'not_built', 'The dashboard is being built.');
  };

  routes.get('/dashboard/figures', notYet);
  routes.get('/dashboard/figures/export', notYet);
  routes.get('/dashboard/compare', notYet);
  routes.get('/dashboard/compare/export', notYet);
  routes.get('/dashboard/flows', notYet);
  routes.get('/dashboard/flows/export', notYet);
  routes.get('/dashboard/public', notYet);
  routes.get('/dashboard/public/export', notYet);

  return routes;
}
