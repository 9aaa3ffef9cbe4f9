import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { campaigns } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import type { CampaignView } from './campaign';
import { applyTransition } from './transition';

export const pausedByAdminReason = 'Paused by an admin.';

/**
 * Pauses a sending campaign: the worker sends no further delivery of it until
 * it is resumed. A message already handed to the mail server still completes.
 */
export function pauseCampaign(
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
      from: ['sending'],
      action: 'be paused',
      hint: 'Only a campaign that is sending can be paused; cancel a scheduled one instead.',
      auditAction: 'campaign.paused',
      changes: () => ({ status: 'paused', pausedReason: pausedByAdminReason }),
    },
    context,
    siteUrl,
  );
}

/**
 * Pauses a sending campaign on behalf of the outbox worker, with the reason
 * shown to admins. Returns false when the campaign was no longer sending.
 */
export function pauseCampaignAutomatically(db: AppDatabase, id: number, reason: string, now: Date): boolean {
  return db.transaction((tx) => {
    const result = tx
      .update(campaigns)
      .set({ status: 'paused', pausedReason: reason, updatedAt: now.toISOString() })
      .where(and(eq(campaigns.id, id), eq(campaigns.status, 'sending')))
      .run();
    if (result.changes === 0) return false;
    recordAudit(tx, {
      ip: 'local',
      action: 'campaign.paused_automatically',
      objectType: 'campaign',
      objectId: id,
      outcome: 'success',
      detail: reason,
      at: now,
    });
    return true;
  });
}
