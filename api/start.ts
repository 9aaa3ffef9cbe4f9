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
import { startInboundMail } from './desk/inbound/listener';
import { runSlaWarnings } from './desk/sla/warnings';
import { seedDemoRecords } from './records/synthetic/seed';
import { runWorklistAging } from './records/worklists/aging';
import { seedDemoActivity } from './demo/activity';
import { seedDemoData } from './demo/seed';
import { refreshDashboard } from './dashboard/refresh';
import { createCampaignDeliveries } from './outreach/campaigns/deliveries';
import { startCampaignScheduler } from './outreach/campaigns/scheduler';
import { resolveSecretKey } from './outreach/signed-tokens';
import { runPlanReminders } from './plans/reminders';
import { runEventReminders } from './outreach/events/reminders';
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
if (config.demoData && (await seedDemoRecords(database.db, systemClock, logger))) {
  logger.info('first run: seeded synthetic student records for the records search (set DEMO_DATA=false to skip)');
}
if (config.demoData && seedDemoActivity(database.db, systemClock())) {
  logger.info('first run: seeded three years of synthetic activity for the dashboard (set DEMO_DATA=false to skip)');
}
refreshDashboardFigures({ forceFlows: true });

// The transport reads the DKIM key, so a bad mail setting stops the start before the slow site build.
const transport = createMailTransportOrExit();
const buildState = { upToDate: await ensureSiteBuild(config, logger) };
const mailQueue = createMailQueue(config);
const linkSecret = resolveSecretKey(database.db, config.secretKey, systemClock());
const campaignSettings = {
  siteUrl: config.siteUrl,
  mailFrom: config.mailFrom,
  postalAddress: config.postalAddress,
  linkSecret,
};
const app = createApp({
  database,
  logger,
  clock: systemClock,
  config,
  mail: mailQueue,
  linkSecret,
  distDirectory,
  buildState,
});

const outboxWorker = createOutboxWorker({
  database,
  transport,
  logger,
  clock: systemClock,
  rateLimit: { perSecond: config.mailRatePerSecond, perDay: config.mailRatePerDay },
  campaigns: createCampaignDeliveries({ database, logger, settings: campaignSettings }),
});
outboxWorker.start();
const campaignScheduler = startCampaignScheduler({ database, clock: systemClock, logger, settings: campaignSettings });
const inboundMail = config.inboundSmtp
  ? await startInboundMail({
      database,
      logger,
      clock: systemClock,
      mail: mailQueue,
      settings: {
        ...config.inboundSmtp,
        supportAddress: config.supportAddress,
        mailFrom: config.mailFrom,
        siteUrl: config.siteUrl,
        attachmentsDirectory: config.attachmentsDirectory,
        businessHours: config.businessHours,
      },
    })
  : undefined;

const maintenanceIntervalMs = 5 * 60_000;
let maintenanceRuns = 0;
const maintenance = setInterval(runMaintenance, maintenanceIntervalMs);
maintenance.unref();
runMaintenance();

/**
 * Housekeeping every five minutes: expired sessions go; due reminders, SLA
 * warnings and worklist escalations are queued; the dashboard's figures are
 * refreshed.
 */
function runMaintenance(): void {
  maintenanceRuns += 1;
  const jobs = {
    sessions: () => deleteExpiredSessions(database.db, systemClock()),
    planReminders: () =>
      runPlanReminders({ db: database.db, clock: systemClock, mail: mailQueue, siteUrl: config.siteUrl, logger }),
    eventReminders: () =>
      runEventReminders({ db: database.db, clock: systemClock, mail: mailQueue, siteUrl: config.siteUrl, logger }),
    slaWarnings: () =>
      runSlaWarnings({
        db: database.db,
        clock: systemClock,
        mail: mailQueue,
        siteUrl: config.siteUrl,
        logger,
        businessHours: config.businessHours,
      }),
    // Every fifth-minute run recomputes the two latest quarters; once an hour, every quarter.
    dashboard: () => refreshDashboardFigures({ recentOnly: maintenanceRuns % 12 !== 0 }),
    worklistAging: () =>
      runWorklistAging({ db: database.db, clock: systemClock, mail: mailQueue, siteUrl: config.siteUrl, logger }),
  };
  for (const [job, run] of Object.entries(jobs)) {
    try {
      run();
    } catch (error) {
      logger.error({ err: error, job }, 'maintenance job failed; it runs again in five minutes');
    }
  }
}

/** Rebuilds the dashboard's figures from the product's tables; the flows only when qualifying moves changed. */
function refreshDashboardFigures(options: { forceFlows?: boolean; recentOnly?: boolean }): void {
  const result = refreshDashboard(database.db, { now: systemClock(), ...options });
  logger.info(result, 'dashboard figures refreshed');
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
      await inboundMail?.stop();
      await campaignScheduler.stop();
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

function createMailTransportOrExit(): ReturnType<typeof createMailTransport> {
  try {
    return createMailTransport(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    database.close();
    process.exit(1);
  }
}
