import type { AppDatabase } from '../../../db/client';
import { enqueueMessage } from '../../../emails/outbox';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { findCampaign, type CampaignSettings } from './campaign';
import { campaignTemplate, renderSampleMessage } from './render';

/** Marks the subject of a test message, so it is not mistaken for the real send. */
export const testSubjectPrefix = '[Test] ';

/**
 * Queues the campaign's message, with sample unsubscribe and preferences
 * links, to the signed-in admin's own address only. It goes through the
 * outbox like all mail and is not a delivery of the campaign.
 */
export function sendCampaignTest(
  db: AppDatabase,
  actor: Actor,
  id: number,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  settings: CampaignSettings,
): { to: string; messageId: string } {
  const campaign = findCampaign(db, id);
  const message = renderSampleMessage(campaignTemplate(campaign, settings), settings.siteUrl);

  return db.transaction((tx) => {
    const queued = enqueueMessage(
      tx,
      {
        kind: 'campaign_test',
        to: actor.email,
        subject: `${testSubjectPrefix}${message.subject}`,
        text: message.text,
        html: message.html,
      },
      () => context.now,
      { mailFrom: settings.mailFrom },
    );
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'campaign.test_sent',
      objectType: 'campaign',
      objectId: id,
      outcome: 'success',
      detail: `test message to the admin's own address, outbox ${queued.id}`,
      requestId: context.requestId,
      at: context.now,
    });
    return { to: actor.email, messageId: queued.messageId };
  });
}
