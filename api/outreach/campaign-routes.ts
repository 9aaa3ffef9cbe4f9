import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';

export function campaignRoutes(dependencies: AppDependencies) {
  void dependencies;
  const routes = new Hono<AppEnv>();
  return routes;
}
