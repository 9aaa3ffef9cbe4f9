/**
 * The campaign scheduler, run every 30 seconds by the server process:
 * - starts scheduled campaigns whose time has come;
 * - marks "missed" a scheduled campaign it finds more than 15 minutes after
 *   its time (missedAfterMs), because then the server was down at that time.
 *   A missed campaign waits for an admin, who sends it or cancels it, rather
 *   than going out late on its own;
 * - finishes creating deliveries that a crash interrupted;
 * - finishes sending campaigns that have nothing left to send, in case the
 *   worker stopped between the last outcome and its finish check.
 */
import { and, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import type { DatabaseHandle } from '../../../db/client';
import { campaigns } from '../../../db/schema';
import type { Logger } from '../../logger';
import { recordAudit } from '../../audit/record';
import type { Clock } from '../../shared/clock';
import { preparingStatuses, type CampaignSettings } from './campaign';
import { finishIfComplete } from './finish';
import { createDeliveries, isCreatingDeliveries, startScheduledCampaign } from './start';

export interface CampaignSchedulerOptions {
  database: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  settings: CampaignSettings;
  /** Milliseconds between runs; 30 seconds by default. */
  intervalMs?: number;
  /** How late the scheduler may find a scheduled campaign and still start it; 15 minutes by default. */
  missedAfterMs?: number;
}

export interface SchedulerRun {
  started: number[];
  missed: number[];
  resumed: number[];
  finished: number[];
}

export interface CampaignScheduler {
  /** Runs one pass now; runs never overlap. */
  runOnce(): Promise<SchedulerRun>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export const defaultSchedulerIntervalMs = 30_000;
export const defaultMissedAfterMs = 15 * 60_000;

/** Creates the scheduler and runs its first pass at once; call stop() before closing the database. */
export function startCampaignScheduler(options: CampaignSchedulerOptions): CampaignScheduler {
  const scheduler = createCampaignScheduler(options);
  const intervalMs = options.intervalMs ?? defaultSchedulerIntervalMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const loop = async () => {
    await scheduler.runOnce().catch(() => undefined);
    if (!stopped) {
      timer = setTimeout(() => void loop(), intervalMs);
      timer.unref();
    }
  };
  void loop();
  options.logger.info(
    { intervalMs, missedAfterMs: options.missedAfterMs ?? defaultMissedAfterMs },
    'campaign scheduler started',
  );

  return {
    runOnce: scheduler.runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await scheduler.stop();
      options.logger.info('campaign scheduler stopped');
    },
  };
}

/** Creates the scheduler without its timer, for tests and for a caller that has its own loop. */
export function createCampaignScheduler(options: CampaignSchedulerOptions): CampaignScheduler {
  const db = options.database.db;
  const logger = options.logger.child({ component: 'campaign-scheduler' });
  const missedAfterMs = options.missedAfterMs ?? defaultMissedAfterMs;
  let current: Promise<unknown> = Promise.resolve();

  async function pass(): Promise<SchedulerRun> {
    const now = options.clock();
    const run: SchedulerRun = { started: [], missed: [], resumed: [], finished: [] };

    const due = db
      .select({ id: campaigns.id, scheduledAt: campaigns.scheduledAt })
      .from(campaigns)
      .where(
        and(
          eq(campaigns.status, 'scheduled'),
          isNull(campaigns.startedAt),
          lte(campaigns.scheduledAt, now.toISOString()),
        ),
      )
      .all();
    for (const campaign of due) {
      const lateMs = now.getTime() - Date.parse(campaign.scheduledAt ?? '');
      if (lateMs > missedAfterMs) {
        if (markMissed(campaign.id, lateMs, now)) run.missed.push(campaign.id);
        continue;
      }
      try {
        await startScheduledCampaign(db, campaign.id, { now }, options.settings, logger);
        run.started.push(campaign.id);
        logger.info({ campaignId: campaign.id }, 'scheduled campaign started');
      } catch (error) {
        logger.error(
          { err: error, campaignId: campaign.id },
          'scheduled campaign could not start; the scheduler tries again until it is missed',
        );
      }
    }

    const interrupted = db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(isNotNull(campaigns.startedAt), inArray(campaigns.status, [...preparingStatuses])))
      .all();
    for (const campaign of interrupted) {
      if (isCreatingDeliveries(campaign.id)) continue;
      logger.warn(
        { campaignId: campaign.id },
        'creating the remaining deliveries of a campaign whose start was interrupted',
      );
      await createDeliveries(db, campaign.id, options.settings, { now }, logger);
      run.resumed.push(campaign.id);
    }

    const sending = db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.status, 'sending')).all();
    for (const campaign of sending) {
      if (finishIfComplete(db, campaign.id, now)) run.finished.push(campaign.id);
    }
    return run;
  }

  function markMissed(id: number, lateMs: number, now: Date): boolean {
    const minutesLate = Math.round(lateMs / 60_000);
    const changed = db.transaction((tx) => {
      const result = tx
        .update(campaigns)
        .set({ status: 'missed', updatedAt: now.toISOString() })
        .where(and(eq(campaigns.id, id), eq(campaigns.status, 'scheduled'), isNull(campaigns.startedAt)))
        .run();
      if (result.changes === 0) return false;
      recordAudit(tx, {
        ip: 'local',
        action: 'campaign.missed',
        objectType: 'campaign',
        objectId: id,
        outcome: 'success',
        detail: `found ${minutesLate} minutes after its scheduled time; waits for an admin to send or cancel it`,
        at: now,
      });
      return true;
    });
    if (changed) {
      logger.warn(
        { campaignId: id, minutesLate },
        'scheduled campaign missed: the server was not running at its time; it waits for an admin to send or cancel it',
      );
    }
    return changed;
  }

  function runOnce(): Promise<SchedulerRun> {
    const run = current.then(pass);
    current = run.catch((error: unknown) => {
      logger.error({ err: error }, 'campaign scheduler pass failed; it runs again at the next interval');
    });
    return run;
  }

  return {
    runOnce,
    async stop() {
      await current;
    },
  };
}
