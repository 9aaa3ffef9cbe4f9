import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../../app';

/** Routes of this folder, mounted at /api. */
export function deskConsoleRoutes(_dependencies: AppDependencies) {
  const routes = new Hono<AppEnv>();
  return routes;
}
