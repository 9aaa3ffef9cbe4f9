/**
 * The outbox worker's reads and writes. A claim is identified by the row's
 * status and attempt count. Every update after the claim matches the row only
 * while that claim stands, so a worker whose lease expired cannot overwrite
 * the outcome of the worker that took the message over.
 */
import { and, asc, eq, lte, or } from 'drizzle-orm';
import type { AppDatabase } from '../db/client';
import { outboxMessages } from '../db/schema';

export type OutboxRow = typeof outboxMessages.$inferSelect;

export interface ClaimedBatch {
  /** Messages now marked sending, with their new attempt count and lease. */
  claimed: OutboxRow[];
  /** Ids among `claimed` whose earlier lease had expired: a worker stopped while sending them. */
  recoveredIds: Set<number>;
  /** Messages whose lease expired during their last allowed attempt, now marked failed. */
  abandoned: OutboxRow[];
}

export interface ClaimOptions {
  now: Date;
  leaseMs: number;
  batchSize: number;
  maxAttempts: number;
}

/**
 * Claims due messages in one write transaction: queued ones whose next
 * attempt is due, and sending ones whose lease has expired. `immediate` takes
 * the write lock before the read, so two processes never claim the same row.
 */
export function claimDueMessages(db: AppDatabase, options: ClaimOptions): ClaimedBatch {
  const nowText = options.now.toISOString();
  const leaseExpiresAt = addMilliseconds(options.now, options.leaseMs);

  return db.transaction(
    (tx) => {
      const due = tx
        .select()
        .from(outboxMessages)
        .where(
          or(
            and(eq(outboxMessages.status, 'queued'), lte(outboxMessages.nextAttemptAt, nowText)),
            and(eq(outboxMessages.status, 'sending'), lte(outboxMessages.leaseExpiresAt, nowText)),
          ),
        )
        .orderBy(asc(outboxMessages.nextAttemptAt), asc(outboxMessages.id))
        .limit(options.batchSize)
        .all();

      const batch: ClaimedBatch = { claimed: [], recoveredIds: new Set(), abandoned: [] };
      for (const row of due) {
        const recovered = row.status === 'sending';
        if (recovered && row.attempts >= options.maxAttempts) {
          tx.update(outboxMessages)
            .set({
              status: 'failed',
              leaseExpiresAt: null,
              lastError: 'The worker stopped during the last allowed attempt, so delivery is unknown.',
            })
            .where(eq(outboxMessages.id, row.id))
            .run();
          batch.abandoned.push(row);
          continue;
        }

        const attempts = row.attempts + 1;
        tx.update(outboxMessages)
          .set({ status: 'sending', leaseExpiresAt, attempts })
          .where(eq(outboxMessages.id, row.id))
          .run();
        batch.claimed.push({ ...row, status: 'sending', leaseExpiresAt, attempts });
        if (recovered) batch.recoveredIds.add(row.id);
      }
      return batch;
    },
    { behavior: 'immediate' },
  );
}

/** Extends the claim's lease, or returns false when the claim is no longer this worker's. */
export function renewLease(db: AppDatabase, row: OutboxRow, now: Date, leaseMs: number): boolean {
  const result = db
    .update(outboxMessages)
    .set({ leaseExpiresAt: addMilliseconds(now, leaseMs) })
    .where(inClaim(row))
    .run();
  return result.changes === 1;
}

/** Marks the message sent, or returns false when the claim is no longer this worker's. */
export function markSent(db: AppDatabase, row: OutboxRow, now: Date): boolean {
  const result = db
    .update(outboxMessages)
    .set({ status: 'sent', sentAt: now.toISOString(), leaseExpiresAt: null, lastError: null })
    .where(inClaim(row))
    .run();
  return result.changes === 1;
}

export function markForRetry(db: AppDatabase, row: OutboxRow, nextAttemptAt: Date, lastError: string): void {
  db.update(outboxMessages)
    .set({ status: 'queued', nextAttemptAt: nextAttemptAt.toISOString(), leaseExpiresAt: null, lastError })
    .where(inClaim(row))
    .run();
}

export function markFailed(db: AppDatabase, row: OutboxRow, lastError: string): void {
  db.update(outboxMessages).set({ status: 'failed', leaseExpiresAt: null, lastError }).where(inClaim(row)).run();
}

/** Puts a claimed message that was not attempted back in the queue, undoing its attempt count. */
export function releaseClaim(db: AppDatabase, row: OutboxRow): void {
  db.update(outboxMessages)
    .set({ status: 'queued', leaseExpiresAt: null, attempts: row.attempts - 1 })
    .where(inClaim(row))
    .run();
}

function inClaim(row: OutboxRow) {
  return and(
    eq(outboxMessages.id, row.id),
    eq(outboxMessages.status, 'sending'),
    eq(outboxMessages.attempts, row.attempts),
  );
}

function addMilliseconds(date: Date, milliseconds: number): string {
  return new Date(date.getTime() + milliseconds).toISOString();
}
