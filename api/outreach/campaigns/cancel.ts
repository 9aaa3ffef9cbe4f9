import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { outboxMessages } from '../../../db/schema';
import { cancelledDeliveryError } from '../../../emails/outbox-store';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import type { CampaignView } from './campaign';
import { applyTransition } from './transition';

/**
 * Cancels a campaign that has not finished. Its queued deliveries become
 * failed with last_error "cancelled" in the same transaction and are never
 * sent. A message already handed to the mail server completes, and a
 * delivery left in flight by a crash is marked cancelled when its lease
 * expires. Deliveries still being created stop at the next batch.
 */
export function cancelCampaign(
  db: AppDatabase,
  actor: Actor,
  id: number,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  siteUrl: string,
): CampaignView {
  return applyTransition(
    db,
    actor,
    id,
    {
      from: ['draft', 'scheduled', 'missed', 'sending', 'paused'],
      action: 'be cancelled',
      auditAction: 'campaign.cancelled',
      changes: () => ({ status: 'cancelled', finishedAt: context.now.toISOString(), pausedReason: null }),
      alsoDo: (tx) => {
        const cancelled = tx
          .update(outboxMessages)
          .set({ status: 'failed', lastError: cancelledDeliveryError, leaseExpiresAt: null })
          .where(and(eq(outboxMessages.campaignId, id), eq(outboxMessages.status, 'queued')))
          .run();
        return `${cancelled.changes} queued deliveries cancelled`;
      },
    },
    context,
    siteUrl,
  );
}
