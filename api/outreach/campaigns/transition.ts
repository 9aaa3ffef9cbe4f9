import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { campaigns, type CampaignStatus } from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { findCampaign, readCampaignView, requireStatus, type CampaignRow, type CampaignView } from './campaign';

export interface Transition {
  /** Statuses the campaign may be in. */
  from: readonly CampaignStatus[];
  /** The requested change as the 409 message words it, such as "be paused". */
  action: string;
  /** A next step for the 409 message. */
  hint?: string;
  /** The audit action, such as "campaign.paused". */
  auditAction: string;
  /** Columns to set, besides updatedAt. */
  changes: (campaign: CampaignRow) => Partial<typeof campaigns.$inferInsert>;
  /** Further writes in the same transaction, such as cancelling queued deliveries; returns an audit detail. */
  alsoDo?: (tx: DatabaseOrTransaction, campaign: CampaignRow) => string | undefined;
}

/**
 * Moves a campaign from one status to another in one transaction with its
 * audit row, or throws a 409 error when its current status does not allow the move.
 */
export function applyTransition(
  db: AppDatabase,
  actor: Actor,
  id: number,
  transition: Transition,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  siteUrl: string,
): CampaignView {
  return db.transaction(
    (tx) => {
      const campaign = findCampaign(tx, id);
      requireStatus(campaign, transition.from, transition.action, transition.hint);
      tx.update(campaigns)
        .set({ ...transition.changes(campaign), updatedAt: context.now.toISOString() })
        .where(eq(campaigns.id, id))
        .run();
      const detail = transition.alsoDo?.(tx, campaign);
      recordAudit(tx, {
        actor,
        ip: context.ip,
        action: transition.auditAction,
        objectType: 'campaign',
        objectId: id,
        outcome: 'success',
        detail: `from ${campaign.status}${detail ? `; ${detail}` : ''}`,
        requestId: context.requestId,
        at: context.now,
      });
      return readCampaignView(tx, id, siteUrl);
    },
    { behavior: 'immediate' },
  );
}
