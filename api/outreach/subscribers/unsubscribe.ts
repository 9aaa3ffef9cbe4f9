/** Unsubscribing, from the one-click link, the preferences page or an inbound unsubscribe email. */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { ActionContext } from '../../shared/action-context';
import { suppress } from './suppress';

export type UnsubscribeChannel = 'one_click' | 'preferences' | 'mail';

export interface UnsubscribeResult {
  /** Whether this call changed anything; a repeated request changes nothing and still succeeds. */
  changed: boolean;
}

/**
 * Marks the subscriber unsubscribed, retires any open confirmation link and
 * adds an "unsubscribed" suppression that names the campaign, in one
 * transaction with the audit row. Returns undefined when no subscriber has
 * that id. Repeating it is harmless.
 */
export function unsubscribeSubscriber(
  db: AppDatabase,
  request: { subscriberId: number; campaignId: number | null; channel: UnsubscribeChannel },
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
): UnsubscribeResult | undefined {
  return db.transaction((tx) => {
    const subscriber = tx.select().from(subscribers).where(eq(subscribers.id, request.subscriberId)).get();
    if (!subscriber) return undefined;

    const now = context.now.toISOString();
    const statusChanged = subscriber.status !== 'unsubscribed';
    if (statusChanged) {
      tx.update(subscribers)
        .set({ status: 'unsubscribed', unsubscribedAt: now, confirmTokenHash: null, updatedAt: now })
        .where(eq(subscribers.id, subscriber.id))
        .run();
    }
    const suppression = suppress(tx, {
      email: subscriber.email,
      reason: 'unsubscribed',
      campaignId: request.campaignId,
      now: context.now,
    });

    const changed = statusChanged || suppression.outcome !== 'unchanged';
    if (changed) {
      recordAudit(tx, {
        actorEmail: undefined,
        ip: context.ip,
        action: 'subscriber.unsubscribed',
        objectType: 'subscriber',
        objectId: subscriber.id,
        outcome: 'success',
        detail: `via ${request.channel}${request.campaignId === null ? '' : `, campaign ${request.campaignId}`}`,
        requestId: context.requestId,
        at: context.now,
      });
    }
    return { changed };
  });
}
