/**
 * `npm start`: validates the configuration, opens and migrates the database,
 * builds the static site when it is missing or stale, and serves everything
 * on one port until SIGTERM or SIGINT.
 */
import path from 'node:path';
import { serve } from '@hono/node-server';
import { computeFingerprint, readBuildInfo } from '../scripts/lib/build-fingerprint';
import { buildSite, SiteBuildError } from '../scripts/lib/site-build';
import { openDatabase } from '../db/client';
import { createMailTransport, createOutboxWorker } from '../emails';
import { deleteExpiredSessions } from './auth/sessions';
import { seedDemoData } from './demo/seed';
import { resolveSecretKey } from './outreach/signed-tokens';
import { runPlanReminders } from './plans/reminders';
import { systemClock } from './shared/clock';
import { createMailQueue } from './shared/mail-queue';
import { applyMigrations } from '../db/migrate';
import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';

const root = process.cwd();
const distDirectory = path.join(root, 'dist');

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config);
logger.info({ port: config.port, host: config.host, nodeEnv: config.nodeEnv }, 'starting MSIX Assist');

const database = openDatabase(config.databasePath);
applyMigrations(database.db);
logger.info({ databasePath: config.databasePath }, 'database ready');
if (config.demoData && seedDemoData(database.db, systemClock())) {
  logger.info('first run: seeded synthetic demo plans, planning sessions and crosswalks (set DEMO_DATA=false to skip)');
}

const buildState = { upToDate: await ensureSiteBuild(config, logger) };
const mailQueue = createMailQueue(config);
const app = createApp({
  database,
  logger,
  clock: systemClock,
  config,
  mail: mailQueue,
  linkSecret: resolveSecretKey(database.db, config.secretKey, systemClock()),
  distDirectory,
  buildState,
});

const transport = createMailTransport(config);
const outboxWorker = createOutboxWorker({ database, transport, logger, clock: systemClock });
outboxWorker.start();

const maintenanceIntervalMs = 10 * 60_000;
const maintenance = setInterval(runMaintenance, maintenanceIntervalMs);
maintenance.unref();
runMaintenance();

/** Housekeeping every ten minutes: expired sessions go, and plan reminders that have come due are queued. */
function runMaintenance(): void {
  try {
    deleteExpiredSessions(database.db, systemClock());
    runPlanReminders({ db: database.db, clock: systemClock, mail: mailQueue, siteUrl: config.siteUrl, logger });
  } catch (error) {
    logger.error({ err: error }, 'maintenance run failed; it runs again in ten minutes');
  }
}

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  logger.info({ port: info.port }, 'listening');
  console.log(`\nMSIX Assist is running at http://${shownHost}:${info.port}/ (press Ctrl+C to stop)\n`);
});

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    logger.fatal(
      { port: config.port },
      `port ${config.port} is already in use; stop the other program or set PORT to a free port`,
    );
  } else {
    logger.fatal({ err: error }, 'server failed');
  }
  database.close();
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing open requests');
    const forceExit = setTimeout(() => {
      logger.warn('open connections did not finish within 10 seconds; exiting anyway');
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    clearInterval(maintenance);
    server.close(async () => {
      await outboxWorker.stop();
      transport.close();
      database.close();
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    });
    // Idle keep-alive connections would otherwise hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

/** Builds dist/ when its fingerprint differs from the sources; returns whether dist/ is up to date. */
async function ensureSiteBuild(settings: AppConfig, log: Logger): Promise<boolean> {
  const info = readBuildInfo(distDirectory);
  const fingerprint = computeFingerprint(root, settings.siteUrl);
  if (info?.fingerprint === fingerprint) {
    log.info({ builtAt: info.builtAt }, 'static site is up to date');
    return true;
  }
  if (!settings.buildOnStart) {
    log.warn('static site is missing or older than its sources, and BUILD_ON_START is false; serving what is in dist/');
    return false;
  }

  log.info(
    info
      ? 'static site is older than its sources; rebuilding'
      : 'static site not built yet; building (this takes a minute)',
  );
  try {
    await buildSite({ root, siteUrl: settings.siteUrl, log: (message) => log.info(message) });
    return true;
  } catch (error) {
    if (error instanceof SiteBuildError) {
      log.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
}
