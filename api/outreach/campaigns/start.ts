/**
 * Starting a campaign, now or at its scheduled time.
 *
 * Starting fixes the rendered issue on the campaign (with placeholders for
 * each recipient's links), sets startedAt, then creates one delivery per
 * recipient in batches, each batch in its own transaction. The campaign turns
 * "sending" only in the transaction of the last batch, so the worker never
 * sends part of a list and a campaign never finishes with recipients missing.
 * After a crash, createDeliveries continues after the highest subscriber id
 * already holding a delivery; the unique index on (campaign, subscriber)
 * makes a repeated batch harmless.
 */
import { eq, max } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { campaigns, outboxMessages } from '../../../db/schema';
import { domainOfSender } from '../../../emails/addresses';
import { createMessageId } from '../../../emails/outbox';
import type { Logger } from '../../logger';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { isDeliverableAddress } from '../subscribers/fields';
import { buildUnsubscribeLinks } from '../unsubscribe-links';
import {
  findCampaign,
  isPreparing,
  listHeaders,
  parseStoredAudience,
  readCampaignView,
  requireStatus,
  type CampaignRow,
  type CampaignSettings,
  type CampaignView,
} from './campaign';
import { readRecipientBatch, type Recipient } from './recipients';
import { renderCampaignTemplate } from './render';
import { countDeliveries, hasOpenDeliveries } from './stats';

/** Subscribers read, and deliveries written, per transaction. */
export const deliveryBatchSize = 500;

/** The kind of every campaign delivery in the outbox. */
export const campaignDeliveryKind = 'campaign';

type SystemContext = Pick<ActionContext, 'now'> & Partial<Pick<ActionContext, 'ip' | 'requestId'>>;

/** Campaigns whose deliveries this process is creating, so the scheduler does not start a second run. */
const preparing = new Set<number>();

/**
 * Starts sending a draft, scheduled or missed campaign now, and returns once
 * every delivery exists.
 */
export async function sendCampaignNow(
  db: AppDatabase,
  actor: Actor,
  id: number,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  settings: CampaignSettings,
  logger?: Pick<Logger, 'info' | 'warn'>,
): Promise<CampaignView> {
  beginSending(db, id, ['draft', 'scheduled', 'missed'], settings, { actor, ...context, trigger: 'by an admin' });
  await createDeliveries(db, id, settings, context, logger);
  return readCampaignView(db, id, settings.siteUrl);
}

/** Starts a scheduled campaign whose time has come; called by the campaign scheduler. */
export async function startScheduledCampaign(
  db: AppDatabase,
  id: number,
  context: SystemContext,
  settings: CampaignSettings,
  logger?: Pick<Logger, 'info' | 'warn'>,
): Promise<void> {
  beginSending(db, id, ['scheduled'], settings, { ...context, trigger: 'at its scheduled time' });
  await createDeliveries(db, id, settings, context, logger);
}

/** Fixes the rendered issue on the campaign and sets startedAt, with the audit row, in one transaction. */
function beginSending(
  db: AppDatabase,
  id: number,
  allowed: CampaignRow['status'][],
  settings: CampaignSettings,
  context: SystemContext & { actor?: Actor; trigger: string },
): void {
  requireStatus(findCampaign(db, id), allowed, 'start sending');

  db.transaction(
    (tx) => {
      const campaign = findCampaign(tx, id);
      requireStatus(campaign, allowed, 'start sending');
      const template = renderCampaignTemplate(campaign, settings);
      const now = context.now.toISOString();
      tx.update(campaigns)
        .set({ htmlBody: template.html, textBody: template.text, startedAt: now, updatedAt: now })
        .where(eq(campaigns.id, id))
        .run();
      recordAudit(tx, {
        actor: context.actor,
        ip: context.ip ?? 'local',
        action: 'campaign.started',
        objectType: 'campaign',
        objectId: id,
        outcome: 'success',
        detail: `started ${context.trigger}, issue ${campaign.newsletterSlug}`,
        requestId: context.requestId,
        at: context.now,
      });
    },
    { behavior: 'immediate' },
  );
}

/**
 * Creates the deliveries of a started campaign, batch by batch, yielding to
 * the event loop between batches. Stops early when the campaign is cancelled.
 * Does nothing when this process is already creating them.
 */
export async function createDeliveries(
  db: AppDatabase,
  id: number,
  settings: CampaignSettings,
  context: SystemContext,
  logger?: Pick<Logger, 'info' | 'warn'>,
): Promise<void> {
  if (preparing.has(id)) return;
  preparing.add(id);
  try {
    let afterId = highestSubscriberWithDelivery(db, id);
    for (;;) {
      const step = db.transaction((tx) => createDeliveryBatch(tx, id, afterId, settings, context), {
        behavior: 'immediate',
      });
      if (step.state === 'more') {
        afterId = step.lastId;
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (step.state === 'stopped') {
        logger?.warn({ campaignId: id }, 'campaign deliveries not completed: the campaign was cancelled meanwhile');
      } else {
        logger?.info({ campaignId: id, status: step.state, ...step.stats }, 'campaign deliveries created');
      }
      return;
    }
  } finally {
    preparing.delete(id);
  }
}

/** Returns whether this process is creating the campaign's deliveries right now. */
export function isCreatingDeliveries(id: number): boolean {
  return preparing.has(id);
}

type BatchStep =
  | { state: 'more'; lastId: number }
  | { state: 'stopped' }
  | { state: 'sending' | 'finished'; stats: { total: number; queued: number; suppressed: number } };

function createDeliveryBatch(
  tx: DatabaseOrTransaction,
  id: number,
  afterId: number,
  settings: CampaignSettings,
  context: SystemContext,
): BatchStep {
  const campaign = findCampaign(tx, id);
  if (!isPreparing(campaign)) return { state: 'stopped' };

  const batch = readRecipientBatch(tx, parseStoredAudience(campaign.audience), afterId, deliveryBatchSize);
  const domain = domainOfSender(settings.mailFrom);
  if (batch.recipients.length > 0) {
    tx.insert(outboxMessages)
      .values(batch.recipients.map((recipient) => deliveryRow(campaign, recipient, settings, domain, context.now)))
      .onConflictDoNothing()
      .run();
  }
  if (!batch.done) return { state: 'more', lastId: batch.lastId };

  const now = context.now.toISOString();
  const open = hasOpenDeliveries(tx, id);
  tx.update(campaigns)
    .set(open ? { status: 'sending', updatedAt: now } : { status: 'finished', finishedAt: now, updatedAt: now })
    .where(eq(campaigns.id, id))
    .run();

  const counts = countDeliveries(tx, [id]).get(id)!;
  const stats = { total: counts.total, queued: counts.queued, suppressed: counts.suppressed };
  recordAudit(tx, {
    ip: context.ip ?? 'local',
    action: 'campaign.deliveries_created',
    objectType: 'campaign',
    objectId: id,
    outcome: 'success',
    detail: `${stats.total} deliveries, ${stats.queued} queued, ${stats.suppressed} suppressed${open ? '' : '; nothing to send, so finished'}`,
    requestId: context.requestId,
    at: context.now,
  });
  return { state: open ? 'sending' : 'finished', stats };
}

/**
 * Builds one delivery: the subscriber's unsubscribe headers and a Message-ID
 * of its own, kept for every retry. The bodies stay on the campaign (textBody is
 * empty), and the worker fills in the recipient's links when it sends.
 */
function deliveryRow(
  campaign: CampaignRow,
  recipient: Recipient,
  settings: CampaignSettings,
  /** The domain of MAIL_FROM. */
  domain: string,
  now: Date,
): typeof outboxMessages.$inferInsert {
  const links = buildUnsubscribeLinks({
    subscriberId: recipient.subscriberId,
    campaignId: campaign.id,
    siteUrl: settings.siteUrl,
    mailFrom: settings.mailFrom,
    secret: settings.linkSecret,
    now,
  });
  let status: 'queued' | 'suppressed' | 'failed' = 'queued';
  if (recipient.suppressed) status = 'suppressed';
  else if (!isDeliverableAddress(recipient.email)) status = 'failed';

  return {
    kind: campaignDeliveryKind,
    messageId: createMessageId(domain),
    recipient: recipient.email,
    subject: campaign.subject,
    textBody: '',
    htmlBody: null,
    headers: JSON.stringify({
      ...links.headers,
      ...listHeaders(settings.siteUrl, domain),
    }),
    status,
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    lastError: status === 'failed' ? 'The stored address is not a valid recipient address, so nothing was sent.' : null,
    createdAt: now.toISOString(),
    campaignId: campaign.id,
    subscriberId: recipient.subscriberId,
  };
}

function highestSubscriberWithDelivery(db: DatabaseOrTransaction, id: number): number {
  const row = db
    .select({ highest: max(outboxMessages.subscriberId) })
    .from(outboxMessages)
    .where(eq(outboxMessages.campaignId, id))
    .get();
  return row?.highest ?? 0;
}
