import { Hono } from 'hono';
import type { AppEnv, AppDependencies } from '../app';
import { checkDatabase } from '../../db/health';
import { readBuildInfo } from '../../scripts/lib/build-fingerprint';

/** GET /api/health: database and static-build status; 503 when either is unusable. */
export function healthRoutes({ database, distDirectory, buildState }: AppDependencies) {
  const routes = new Hono<AppEnv>();

  routes.get('/', (c) => {
    const databaseStatus = checkDatabase(database.sqlite);
    const buildInfo = readBuildInfo(distDirectory);
    const build = buildInfo
      ? { present: true, builtAt: buildInfo.builtAt, pages: buildInfo.pages, upToDate: buildState.upToDate }
      : { present: false, builtAt: null, pages: 0, upToDate: false };
    const healthy = databaseStatus.ok && build.present;

    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: healthy ? 'ok' : 'unavailable',
        database: {
          ok: databaseStatus.ok,
          migrationsApplied: databaseStatus.migrationsApplied,
          journalMode: databaseStatus.journalMode,
        },
        build,
        uptimeSeconds: Math.round(process.uptime()),
      },
      healthy ? 200 : 503,
    );
  });

  return routes;
}
