/**
 * Campaign statistics, counted from the delivery rows each time they are
 * read, so they never drift from what was actually sent.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { outboxMessages, suppressions } from '../../../db/schema';
import { cancelledDeliveryError } from '../../../emails/outbox-store';
import type { DatabaseOrTransaction } from '../../audit/record';

export interface CampaignStats {
  /** Deliveries created: one per recipient. */
  total: number;
  queued: number;
  /** Claimed by the worker and being sent. */
  sending: number;
  /** Accepted by the receiving mail server. */
  sent: number;
  /** Given up after a permanent error or the last allowed attempt; excludes cancelled deliveries. */
  failed: number;
  /** Never sent because the campaign was cancelled first. */
  cancelled: number;
  /** Never sent because the address is on the suppression list. */
  suppressed: number;
  /** Suppression-list entries that name this campaign, such as people who unsubscribed from its message. */
  unsubscribed: number;
}

function emptyStats(): CampaignStats {
  return { total: 0, queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, suppressed: 0, unsubscribed: 0 };
}

/** Counts the deliveries of each campaign by status, with one grouped query over the campaign index. */
export function countDeliveries(db: DatabaseOrTransaction, campaignIds: number[]): Map<number, CampaignStats> {
  const result = new Map<number, CampaignStats>(campaignIds.map((id) => [id, emptyStats()]));
  if (campaignIds.length === 0) return result;

  const cancelled = sql<number>`${outboxMessages.lastError} = ${cancelledDeliveryError}`;
  const rows = db
    .select({
      campaignId: outboxMessages.campaignId,
      status: outboxMessages.status,
      cancelled,
      total: count(),
    })
    .from(outboxMessages)
    .where(inArray(outboxMessages.campaignId, campaignIds))
    .groupBy(outboxMessages.campaignId, outboxMessages.status, cancelled)
    .all();

  for (const row of rows) {
    const stats = result.get(row.campaignId ?? 0);
    if (!stats) continue;
    stats.total += row.total;
    if (row.status === 'failed' && row.cancelled) stats.cancelled += row.total;
    else stats[row.status] += row.total;
  }

  const unsubscribed = db
    .select({ campaignId: suppressions.campaignId, total: count() })
    .from(suppressions)
    .where(inArray(suppressions.campaignId, campaignIds))
    .groupBy(suppressions.campaignId)
    .all();
  for (const row of unsubscribed) {
    const stats = result.get(row.campaignId ?? 0);
    if (stats) stats.unsubscribed = row.total;
  }
  return result;
}

/** Returns whether the campaign still has deliveries to send: queued, or claimed and not yet recorded. */
export function hasOpenDeliveries(db: DatabaseOrTransaction, campaignId: number): boolean {
  const open = db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.campaignId, campaignId), inArray(outboxMessages.status, ['queued', 'sending'])))
    .limit(1)
    .get();
  return open !== undefined;
}
