/**
 * The outbox worker's reads and writes. A claim is identified by the row's
 * status and attempt count. Every update after the claim matches the row only
 * while that claim stands, so a worker whose lease expired cannot overwrite
 * the outcome of the worker that took the message over.
 *
 * Campaign deliveries are claimed only while their campaign is sending, and
 * only when the caller asks for them (campaignLimit), after all other due
 * mail, so account mail never waits behind a large campaign.
 */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/client';
import { campaigns, outboxMessages } from '../db/schema';

export type OutboxRow = typeof outboxMessages.$inferSelect;

/** last_error of a campaign delivery that was never sent because its campaign was cancelled. */
export const cancelledDeliveryError = 'cancelled';

export interface ClaimedBatch {
  /** Messages now marked sending, with their new attempt count and lease. */
  claimed: OutboxRow[];
  /** Ids among `claimed` whose earlier lease had expired: a worker stopped while sending them. */
  recoveredIds: Set<number>;
  /** Messages whose lease expired during their last allowed attempt, now marked failed. */
  abandoned: OutboxRow[];
  /** Deliveries of cancelled campaigns whose lease expired, now marked failed as cancelled. */
  cancelled: OutboxRow[];
}

export interface ClaimOptions {
  now: Date;
  leaseMs: number;
  /** Most messages claimed in all. */
  batchSize: number;
  maxAttempts: number;
  /** Most campaign deliveries among them. 0, the default, leaves every campaign delivery where it is. */
  campaignLimit?: number;
}

/**
 * Claims due messages in one write transaction. The order is: messages whose
 * lease has expired (a worker stopped while sending them), then other queued
 * mail whose next attempt is due, then queued deliveries of sending
 * campaigns, oldest campaign first. Each group is claimed in id order. Deliveries of paused campaigns stay where they are.
 * `immediate` takes the write lock before the read, so two processes never
 * claim the same row.
 */
export function claimDueMessages(db: AppDatabase, options: ClaimOptions): ClaimedBatch {
  const nowText = options.now.toISOString();
  const leaseExpiresAt = addMilliseconds(options.now, options.leaseMs);
  const campaignLimit = Math.min(options.campaignLimit ?? 0, options.batchSize);

  return db.transaction(
    (tx) => {
      const batch: ClaimedBatch = { claimed: [], recoveredIds: new Set(), abandoned: [], cancelled: [] };
      let campaignClaims = 0;
      const room = () => options.batchSize - batch.claimed.length;
      const campaignRoom = () => Math.min(room(), campaignLimit - campaignClaims);

      const claim = (row: OutboxRow, recovered: boolean) => {
        const attempts = row.attempts + 1;
        tx.update(outboxMessages)
          .set({ status: 'sending', leaseExpiresAt, attempts })
          .where(eq(outboxMessages.id, row.id))
          .run();
        batch.claimed.push({ ...row, status: 'sending', leaseExpiresAt, attempts });
        if (recovered) batch.recoveredIds.add(row.id);
        if (row.campaignId !== null) campaignClaims += 1;
      };

      const campaignStatuses = new Map<number, string | undefined>();
      const statusOf = (campaignId: number) => {
        if (!campaignStatuses.has(campaignId)) {
          const campaign = tx
            .select({ status: campaigns.status })
            .from(campaigns)
            .where(eq(campaigns.id, campaignId))
            .get();
          campaignStatuses.set(campaignId, campaign?.status);
        }
        return campaignStatuses.get(campaignId);
      };

      // Expired leases. Deliveries of a cancelled campaign end as cancelled; those of a paused one wait for resume.
      const expired = tx
        .select()
        .from(outboxMessages)
        .where(and(eq(outboxMessages.status, 'sending'), lte(outboxMessages.leaseExpiresAt, nowText)))
        .orderBy(asc(outboxMessages.id))
        .all();
      for (const row of expired) {
        const campaignStatus = row.campaignId === null ? undefined : statusOf(row.campaignId);
        if (campaignStatus === 'cancelled') {
          tx.update(outboxMessages)
            .set({ status: 'failed', leaseExpiresAt: null, lastError: cancelledDeliveryError })
            .where(eq(outboxMessages.id, row.id))
            .run();
          batch.cancelled.push(row);
          continue;
        }
        if (row.campaignId !== null && (campaignStatus !== 'sending' || campaignLimit === 0)) continue;

        if (row.attempts >= options.maxAttempts) {
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
        if (row.campaignId === null ? room() > 0 : campaignRoom() > 0) claim(row, true);
      }

      if (room() > 0) {
        const due = tx
          .select()
          .from(outboxMessages)
          .where(and(isNull(outboxMessages.campaignId), eq(outboxMessages.status, 'queued'), dueBy(nowText)))
          .orderBy(asc(outboxMessages.id))
          .limit(room())
          .all();
        for (const row of due) claim(row, false);
      }

      const sendingCampaignIds =
        campaignRoom() > 0
          ? tx
              .select({ id: campaigns.id })
              .from(campaigns)
              .where(eq(campaigns.status, 'sending'))
              .orderBy(asc(campaigns.id))
              .all()
              .map((campaign) => campaign.id)
          : [];
      for (const campaignId of sendingCampaignIds) {
        if (campaignRoom() <= 0) break;
        const due = tx
          .select()
          .from(outboxMessages)
          .where(and(eq(outboxMessages.campaignId, campaignId), eq(outboxMessages.status, 'queued'), dueBy(nowText)))
          .orderBy(asc(outboxMessages.id))
          .limit(campaignRoom())
          .all();
        for (const row of due) claim(row, false);
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

/** Marks a claimed campaign delivery suppressed: its address joined the suppression list, so it is never sent. */
export function markSuppressed(db: AppDatabase, row: OutboxRow): void {
  db.update(outboxMessages)
    .set({ status: 'suppressed', leaseExpiresAt: null, attempts: row.attempts - 1 })
    .where(inClaim(row))
    .run();
}

/** Marks a claimed campaign delivery failed as cancelled, without an attempt: its campaign was cancelled. */
export function markCancelled(db: AppDatabase, row: OutboxRow): void {
  db.update(outboxMessages)
    .set({ status: 'failed', leaseExpiresAt: null, attempts: row.attempts - 1, lastError: cancelledDeliveryError })
    .where(inClaim(row))
    .run();
}

/** Puts a claimed message that was not attempted back in the queue, undoing its attempt count. */
export function releaseClaim(db: AppDatabase, row: OutboxRow): void {
  db.update(outboxMessages)
    .set({ status: 'queued', leaseExpiresAt: null, attempts: row.attempts - 1 })
    .where(inClaim(row))
    .run();
}

/**
 * next_attempt_at <= now, written so that SQLite does not pick the
 * (status, next_attempt_at) index, which would scan every queued delivery of
 * a large campaign on each claim. The unary plus leaves SQLite the
 * (campaign_id, status) index, which returns the rows in id order.
 * NOTE: the unary plus on a text column is SQLite syntax; PostgreSQL needs another form.
 */
function dueBy(nowText: string) {
  return sql`+${outboxMessages.nextAttemptAt} <= ${nowText}`;
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
