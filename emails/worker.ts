/**
 * The outbox worker: claims due messages with a lease, sends each with its
 * stored Message-ID and records the outcome. A message is marked sent only
 * after the transport accepted it, so a crash between the two sends it once
 * more when its lease expires.
 */
import type { Clock } from '../api/shared/clock';
import type { Logger } from '../api/logger';
import type { DatabaseHandle } from '../db/client';
import {
  claimDueMessages,
  markFailed,
  markForRetry,
  markSent,
  releaseClaim,
  renewLease,
  type OutboxRow,
} from './outbox-store';
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

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const settings = readSettings(options);
  const { transport, clock } = options;
  const db = options.database.db;
  const logger = options.logger.child({ component: 'outbox' });

  let running = false;
  let stopRequested = false;
  let timer: NodeJS.Timeout | undefined;
  /** The batch in flight, or a settled promise. runOnce queues behind it, so batches never overlap. */
  let current: Promise<unknown> = Promise.resolve();

  function runOnce(): Promise<number> {
    const run = current.then(processBatch);
    current = run.catch(() => undefined);
    return run;
  }

  async function processBatch(): Promise<number> {
    const batch = claimDueMessages(db, {
      now: clock(),
      leaseMs: settings.leaseMs,
      batchSize: settings.batchSize,
      maxAttempts: settings.maxAttempts,
    });
    for (const row of batch.abandoned) {
      logger.error(
        { outboxId: row.id, kind: row.kind, attempt: row.attempts },
        'outbox message failed: the worker stopped during its last allowed attempt, so delivery is unknown',
      );
    }

    let attempted = 0;
    for (const row of batch.claimed) {
      if (stopRequested) {
        releaseClaim(db, row);
        continue;
      }
      if (batch.recoveredIds.has(row.id)) {
        logger.warn(
          { outboxId: row.id, kind: row.kind, attempt: row.attempts },
          'outbox message lease expired while sending; sending it again with the same Message-ID',
        );
      }
      attempted += 1;
      await deliver(row);
    }
    return attempted;
  }

  async function deliver(row: OutboxRow): Promise<void> {
    if (!renewLease(db, row, clock(), settings.leaseMs)) {
      logger.warn({ outboxId: row.id, kind: row.kind }, 'outbox message skipped: another worker has claimed it');
      return;
    }

    try {
      await transport.send({
        messageId: row.messageId,
        to: row.recipient,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        headers: parseStoredHeaders(row.headers),
      });
    } catch (error) {
      recordFailure(row, toMailSendError(error));
      return;
    }
    recordSent(row);
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
      return;
    }

    markFailed(db, row, lastError);
    const reason = error.temporary ? 'temporary error, but no attempts left' : 'permanent error';
    logger.error(logFields, `outbox message failed (${reason}); it will not be sent`);
  }

  function scheduleNext(delayMs: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), delayMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    timer = undefined;
    let attempted = 0;
    try {
      attempted = await runOnce();
    } catch (error) {
      logger.error({ err: error }, 'outbox worker could not process due messages; it will try again');
    }
    if (running) scheduleNext(attempted >= settings.batchSize ? 0 : settings.pollIntervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopRequested = false;
      logger.info(
        { transport: transport.describe(), pollIntervalMs: settings.pollIntervalMs, maxAttempts: settings.maxAttempts },
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
