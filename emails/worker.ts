/**
 * The outbox worker: claims due messages with a lease, sends each with its
 * stored Message-ID and records the outcome. A message is marked sent only
 * after the transport accepted it, so a crash between the two sends it once
 * more when its lease expires.
 *
 * Campaign deliveries go through a CampaignDeliveryHandler right before their
 * send: it builds the message from the campaign and can hold the delivery
 * (campaign paused), cancel it or mark it suppressed. With a rate limit, the
 * worker hands no message to the transport beyond the per-second and per-day
 * budgets. A message over budget goes back to the queue unattempted.
 */
import type { Clock } from '../api/shared/clock';
import type { Logger } from '../api/logger';
import type { DatabaseHandle } from '../db/client';
import {
  claimDueMessages,
  markCancelled,
  markFailed,
  markForRetry,
  markSent,
  markSuppressed,
  releaseClaim,
  renewLease,
  type OutboxRow,
} from './outbox-store';
import { createMailRateLimiter, type MailCategory, type MailRateLimiter, type MailRateLimits } from './rate-limit';
import { MailSendError, toMailSendError, type MailTransport } from './transport';

export interface OutboxWorkerOptions {
  database: DatabaseHandle;
  transport: MailTransport;
  logger: Logger;
  clock: Clock;
  /**
   * Milliseconds a claimed message stays reserved for this worker, renewed
   * just before its send. After that the message counts as abandoned by a
   * crash and is sent again, so the lease must be longer than any one send.
   */
  leaseMs?: number;
  /** Milliseconds between looks for due messages while the worker is idle. */
  pollIntervalMs?: number;
  /** Attempts after which a temporary failure counts as final. */
  maxAttempts?: number;
  /** Messages claimed in one transaction. */
  batchSize?: number;
  /** Messages per second and per UTC day handed to this transport. Without it the worker sends as fast as the transport accepts. */
  rateLimit?: MailRateLimits | undefined;
  /** Builds and checks campaign deliveries. Without it the worker leaves campaign deliveries queued. */
  campaigns?: CampaignDeliveryHandler | undefined;
}

/** Decision for a claimed campaign delivery, made right before its send. */
export type CampaignDeliveryDecision =
  /** Send these bodies. */
  | { action: 'send'; text: string; html: string | null }
  /** The address is on the suppression list: mark the delivery suppressed. */
  | { action: 'suppress' }
  /** The campaign is paused: put the delivery back in the queue. */
  | { action: 'hold' }
  /** The campaign was cancelled: mark the delivery failed as cancelled. */
  | { action: 'cancel' };

/** An outcome recorded for a campaign delivery; "retry" is a temporary failure that will be attempted again. */
export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'suppressed' | 'cancelled';

export interface CampaignDeliveryHandler {
  /** Decides what happens to a claimed delivery. Throwing a permanent MailSendError marks it failed. */
  prepare(row: OutboxRow, now: Date): CampaignDeliveryDecision;
  /** Receives every outcome recorded for a campaign delivery, to pause or finish its campaign. */
  recordOutcome(row: OutboxRow, outcome: DeliveryOutcome, now: Date): void;
}

export interface OutboxWorker {
  start(): void;
  /** Stops polling and resolves once the message in flight has its outcome recorded. */
  stop(): Promise<void>;
  /** Claims and sends one batch of due messages and returns how many it attempted. */
  runOnce(): Promise<number>;
}

/**
 * With these defaults a message is retried for about four hours
 * (1 + 2 + 4 + … + 60 + 60 + 60 minutes) before it fails. The lease is far
 * longer than one SMTP send with the transport's timeouts (30 s to connect,
 * 30 s for the greeting, 60 s of silence).
 */
const defaults = { leaseMs: 5 * 60_000, pollIntervalMs: 5_000, maxAttempts: 10, batchSize: 10 };

/** Retry delays double from one minute and stop growing at one hour. */
const firstRetryDelayMs = 60_000;
const maxRetryDelayMs = 3_600_000;

interface BatchResult {
  attempted: number;
  /** Whether the batch claimed as many messages as it asked for, so more may be due. */
  full: boolean;
  /** When the rate limit opens again, if it stopped the batch. */
  rateLimitedUntil: Date | undefined;
}

type DeliveryResult = 'attempted' | 'not_attempted' | 'rate_limited';

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const settings = readSettings(options);
  const { transport, clock, campaigns } = options;
  const db = options.database.db;
  const logger = options.logger.child({ component: 'outbox' });
  const limiter: MailRateLimiter | undefined = options.rateLimit
    ? createMailRateLimiter(db, transport.describe(), options.rateLimit)
    : undefined;

  let running = false;
  let stopRequested = false;
  let timer: NodeJS.Timeout | undefined;
  /** The batch in flight, or a settled promise. Batches queue behind it, so they never overlap. */
  let current: Promise<unknown> = Promise.resolve();

  function runBatch(): Promise<BatchResult> {
    const run = current.then(processBatch);
    current = run.catch(() => undefined);
    return run;
  }

  async function runOnce(): Promise<number> {
    return (await runBatch()).attempted;
  }

  async function processBatch(): Promise<BatchResult> {
    const now = clock();
    const budget = readBudget(now);
    if (budget.total === 0) {
      return { attempted: 0, full: false, rateLimitedUntil: limiter?.nextOpening(now, 'other') };
    }

    const batch = claimDueMessages(db, {
      now,
      leaseMs: settings.leaseMs,
      batchSize: budget.total,
      maxAttempts: settings.maxAttempts,
      campaignLimit: budget.campaign,
    });
    for (const row of batch.abandoned) {
      logger.error(
        { outboxId: row.id, kind: row.kind, attempt: row.attempts },
        'outbox message failed: the worker stopped during its last allowed attempt, so delivery is unknown',
      );
      reportCampaignOutcome(row, 'failed');
    }
    for (const row of batch.cancelled) {
      logger.warn(
        { outboxId: row.id, campaignId: row.campaignId },
        'campaign delivery marked cancelled: its campaign was cancelled while a stopped worker was sending it',
      );
      reportCampaignOutcome(row, 'cancelled');
    }

    let attempted = 0;
    let rateLimitedUntil: Date | undefined;
    for (const row of batch.claimed) {
      if (stopRequested || rateLimitedUntil) {
        releaseClaim(db, row);
        continue;
      }
      if (batch.recoveredIds.has(row.id)) {
        logger.warn(
          { outboxId: row.id, kind: row.kind, attempt: row.attempts },
          'outbox message lease expired while sending; sending it again with the same Message-ID',
        );
      }

      const result = await deliver(row);
      if (result === 'attempted') attempted += 1;
      if (result === 'rate_limited') rateLimitedUntil = limiter?.nextOpening(clock(), categoryOf(row));
    }
    return { attempted, full: batch.claimed.length >= budget.total, rateLimitedUntil };
  }

  /** Returns how many messages, and how many campaign deliveries among them, the next batch may claim. */
  function readBudget(now: Date): { total: number; campaign: number } {
    const total = Math.min(settings.batchSize, limiter ? limiter.remaining(now, 'other') : settings.batchSize);
    if (!campaigns) return { total, campaign: 0 };
    return { total, campaign: Math.min(total, limiter ? limiter.remaining(now, 'campaign') : total) };
  }

  async function deliver(row: OutboxRow): Promise<DeliveryResult> {
    if (!renewLease(db, row, clock(), settings.leaseMs)) {
      logger.warn({ outboxId: row.id, kind: row.kind }, 'outbox message skipped: another worker has claimed it');
      return 'not_attempted';
    }

    let bodies = { text: row.textBody, html: row.htmlBody };
    if (row.campaignId !== null) {
      let decision: CampaignDeliveryDecision;
      try {
        decision = prepareCampaignDelivery(row);
      } catch (error) {
        recordFailure(row, toMailSendError(error));
        return 'attempted';
      }
      if (decision.action !== 'send') {
        applyCampaignDecision(row, decision.action);
        return 'not_attempted';
      }
      bodies = { text: decision.text, html: decision.html };
    }

    if (limiter && !limiter.take(clock(), categoryOf(row))) {
      releaseClaim(db, row);
      return 'rate_limited';
    }

    try {
      await transport.send({
        messageId: row.messageId,
        to: row.recipient,
        subject: row.subject,
        text: bodies.text,
        html: bodies.html,
        headers: parseStoredHeaders(row.headers),
      });
    } catch (error) {
      recordFailure(row, toMailSendError(error));
      return 'attempted';
    }
    recordSent(row);
    return 'attempted';
  }

  function prepareCampaignDelivery(row: OutboxRow): CampaignDeliveryDecision {
    if (!campaigns) {
      throw new MailSendError('Campaign delivery claimed by a worker without a campaign handler.', true);
    }
    return campaigns.prepare(row, clock());
  }

  function applyCampaignDecision(row: OutboxRow, action: 'suppress' | 'hold' | 'cancel'): void {
    const logFields = { outboxId: row.id, campaignId: row.campaignId };
    if (action === 'hold') {
      releaseClaim(db, row);
      logger.debug(logFields, 'campaign delivery held: its campaign is paused');
    } else if (action === 'suppress') {
      markSuppressed(db, row);
      logger.info(logFields, 'campaign delivery suppressed: the address is on the suppression list');
      reportCampaignOutcome(row, 'suppressed');
    } else {
      markCancelled(db, row);
      logger.info(logFields, 'campaign delivery cancelled with its campaign');
      reportCampaignOutcome(row, 'cancelled');
    }
  }

  function reportCampaignOutcome(row: OutboxRow, outcome: DeliveryOutcome): void {
    if (row.campaignId === null || !campaigns) return;
    try {
      campaigns.recordOutcome(row, outcome, clock());
    } catch (error) {
      logger.error(
        { err: error, outboxId: row.id, campaignId: row.campaignId, outcome },
        'could not update the campaign after a delivery outcome; the campaign scheduler checks it again',
      );
    }
  }

  function recordSent(row: OutboxRow): void {
    if (!markSent(db, row, clock())) {
      logger.warn(
        { outboxId: row.id, kind: row.kind },
        'outbox message was sent, but its lease had expired and another worker claimed it, so it may be sent twice',
      );
      return;
    }
    logger.debug({ outboxId: row.id, kind: row.kind, attempt: row.attempts }, 'outbox message sent');
    reportCampaignOutcome(row, 'sent');
  }

  function recordFailure(row: OutboxRow, error: MailSendError): void {
    const lastError = error.code ? `${error.code}: ${error.message}` : error.message;
    const logFields = {
      outboxId: row.id,
      kind: row.kind,
      attempt: row.attempts,
      maxAttempts: settings.maxAttempts,
      error: redactAddresses(lastError),
    };

    if (error.temporary && row.attempts < settings.maxAttempts) {
      const nextAttemptAt = new Date(clock().getTime() + retryDelayMs(row.attempts));
      markForRetry(db, row, nextAttemptAt, lastError);
      logger.warn(
        { ...logFields, nextAttemptAt: nextAttemptAt.toISOString() },
        'outbox message send failed, will retry',
      );
      reportCampaignOutcome(row, 'retry');
      return;
    }

    markFailed(db, row, lastError);
    const reason = error.temporary ? 'temporary error, but no attempts left' : 'permanent error';
    logger.error(logFields, `outbox message failed (${reason}); it will not be sent`);
    reportCampaignOutcome(row, 'failed');
  }

  function scheduleNext(delayMs: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), delayMs);
    timer.unref();
  }

  /** Runs a batch, then the next one at once while messages are due, or when the rate limit opens, or after the poll interval. */
  async function tick(): Promise<void> {
    timer = undefined;
    let delayMs = settings.pollIntervalMs;
    try {
      const result = await runBatch();
      if (result.rateLimitedUntil) {
        delayMs = Math.min(Math.max(result.rateLimitedUntil.getTime() - clock().getTime(), 0), settings.pollIntervalMs);
      } else if (result.full) {
        delayMs = 0;
      }
    } catch (error) {
      logger.error({ err: error }, 'outbox worker could not process due messages; it will try again');
    }
    if (running) scheduleNext(delayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopRequested = false;
      logger.info(
        {
          transport: transport.describe(),
          pollIntervalMs: settings.pollIntervalMs,
          maxAttempts: settings.maxAttempts,
          rateLimit: options.rateLimit ?? null,
          campaigns: campaigns !== undefined,
        },
        'outbox worker started',
      );
      scheduleNext(0);
    },

    async stop() {
      if (!running) return;
      running = false;
      stopRequested = true;
      if (timer) clearTimeout(timer);
      timer = undefined;

      await current;
      stopRequested = false;
      logger.info('outbox worker stopped');
    },

    runOnce,
  };
}

function categoryOf(row: OutboxRow): MailCategory {
  return row.campaignId === null ? 'other' : 'campaign';
}

/** Returns the delay after the given attempt: 1 minute after the first, doubling, at most 1 hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(firstRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
}

function readSettings(options: OutboxWorkerOptions): typeof defaults {
  const settings = {
    leaseMs: options.leaseMs ?? defaults.leaseMs,
    pollIntervalMs: options.pollIntervalMs ?? defaults.pollIntervalMs,
    maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
    batchSize: options.batchSize ?? defaults.batchSize,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Invalid outbox worker option ${name}=${value}: expected a whole number of at least 1.`);
    }
  }
  return settings;
}

/** Parses the stored headers. A row whose headers are not a JSON object can never be sent, so the error is permanent. */
function parseStoredHeaders(stored: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MailSendError('The stored headers column is not a JSON object; fix the row or delete it.', false);
  }
  return value as Record<string, string>;
}

/** Replaces e-mail addresses, such as the one in "550 <person@example.org> unknown", before a reply is logged. */
function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:@[\]]+@[^\s<>"'(),;:@[\]]+/g, '[address]');
}
