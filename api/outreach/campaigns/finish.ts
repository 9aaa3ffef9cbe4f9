import { and, eq, inArray, notExists } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { campaigns, outboxMessages } from '../../../db/schema';
import { recordAudit } from '../../audit/record';

/**
 * Marks a sending campaign finished when none of its deliveries is queued or
 * being sent, so every one is sent, failed or suppressed. The check and the
 * change are one statement, so a delivery cannot slip in between. Returns
 * whether the campaign finished now.
 */
export function finishIfComplete(db: AppDatabase, id: number, now: Date): boolean {
  return db.transaction((tx) => {
    const openDeliveries = tx
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.campaignId, id), inArray(outboxMessages.status, ['queued', 'sending'])));
    const result = tx
      .update(campaigns)
      .set({ status: 'finished', finishedAt: now.toISOString(), updatedAt: now.toISOString() })
      .where(and(eq(campaigns.id, id), eq(campaigns.status, 'sending'), notExists(openDeliveries)))
      .run();
    if (result.changes === 0) return false;

    recordAudit(tx, {
      ip: 'local',
      action: 'campaign.finished',
      objectType: 'campaign',
      objectId: id,
      outcome: 'success',
      detail: 'every delivery is sent, failed or suppressed',
      at: now,
    });
    return true;
  });
}
