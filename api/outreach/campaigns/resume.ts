import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { readCampaignView, type CampaignView } from './campaign';
import { finishIfComplete } from './finish';
import { applyTransition } from './transition';

/**
 * Resumes a paused campaign. Deliveries already sent stay sent and the worker
 * picks up the queued ones. A campaign with nothing left to send finishes.
 */
export function resumeCampaign(
  db: AppDatabase,
  actor: Actor,
  id: number,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  siteUrl: string,
): CampaignView {
  applyTransition(
    db,
    actor,
    id,
    {
      from: ['paused'],
      action: 'be resumed',
      auditAction: 'campaign.resumed',
      changes: () => ({ status: 'sending', pausedReason: null }),
    },
    context,
    siteUrl,
  );
  finishIfComplete(db, id, context.now);
  return readCampaignView(db, id, siteUrl);
}
