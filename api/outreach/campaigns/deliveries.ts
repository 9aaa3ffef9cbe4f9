/**
 * The campaign side of the outbox worker (a CampaignDeliveryHandler): right
 * before each send it checks the campaign's status and the suppression list,
 * and builds the message from the campaign's fixed rendering with the
 * recipient's own links. After each outcome it applies the failure-rate
 * guard and finishes the campaign once no delivery is left to send.
 */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../../db/client';
import { campaigns } from '../../../db/schema';
import type { OutboxRow } from '../../../emails/outbox-store';
import { fillRecipientLinks, type NewsletterTemplate } from '../../../emails/templates/newsletter';
import { MailSendError } from '../../../emails/transport';
import type { CampaignDeliveryDecision, CampaignDeliveryHandler, DeliveryOutcome } from '../../../emails/worker';
import type { Logger } from '../../logger';
import { isSuppressed } from '../subscribers/suppress';
import { buildPreferencesUrl } from '../unsubscribe-links';
import { createFailureMonitor, defaultAutoPauseRule, type AutoPauseRule } from './auto-pause';
import type { CampaignSettings } from './campaign';
import { finishIfComplete } from './finish';
import { pauseCampaignAutomatically } from './pause';

export interface CampaignDeliveryOptions {
  database: DatabaseHandle;
  logger: Logger;
  settings: Pick<CampaignSettings, 'siteUrl' | 'linkSecret'>;
  autoPauseRule?: AutoPauseRule;
}

export function createCampaignDeliveries(options: CampaignDeliveryOptions): CampaignDeliveryHandler {
  const db = options.database.db;
  const { settings } = options;
  const logger = options.logger.child({ component: 'campaigns' });
  const rule = options.autoPauseRule ?? defaultAutoPauseRule;
  const monitor = createFailureMonitor(rule);
  /** Fixed renderings by campaign id. They never change once sending has started. */
  const templates = new Map<number, NewsletterTemplate>();

  function loadTemplate(campaignId: number, subject: string): NewsletterTemplate {
    const cached = templates.get(campaignId);
    if (cached) return cached;

    const bodies = db
      .select({ html: campaigns.htmlBody, text: campaigns.textBody })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId))
      .get();
    if (!bodies || bodies.html === null || bodies.text === null) {
      throw new MailSendError(`Campaign ${campaignId} has no rendered message, so its delivery cannot be sent.`, false);
    }
    const template = { subject, html: bodies.html, text: bodies.text };
    templates.set(campaignId, template);
    return template;
  }

  return {
    prepare(row, now): CampaignDeliveryDecision {
      const campaignId = row.campaignId!;
      const campaign = db
        .select({ status: campaigns.status })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId))
        .get();
      if (!campaign) {
        throw new MailSendError(`Campaign ${campaignId} no longer exists, so its delivery cannot be sent.`, false);
      }
      if (campaign.status === 'cancelled') {
        templates.delete(campaignId);
        return { action: 'cancel' };
      }
      if (campaign.status !== 'sending') return { action: 'hold' };
      if (isSuppressed(db, row.recipient)) return { action: 'suppress' };

      const message = fillRecipientLinks(loadTemplate(campaignId, row.subject), {
        unsubscribeUrl: readUnsubscribeUrl(row),
        preferencesUrl: buildPreferencesUrl({
          subscriberId: row.subscriberId ?? 0,
          siteUrl: settings.siteUrl,
          secret: settings.linkSecret,
          now,
        }),
      });
      return { action: 'send', text: message.text, html: message.html };
    },

    recordOutcome(row, outcome: DeliveryOutcome, now) {
      const campaignId = row.campaignId!;
      if (outcome === 'sent' || outcome === 'failed' || outcome === 'retry') {
        const check = monitor.record(campaignId, outcome !== 'sent');
        if (check.exceeded) pauseForFailures(campaignId, check.failures, check.attempts, now);
      }
      if (outcome !== 'retry' && finishIfComplete(db, campaignId, now)) {
        templates.delete(campaignId);
        logger.info({ campaignId }, 'campaign finished: every delivery is sent, failed or suppressed');
      }
    },
  };

  function pauseForFailures(campaignId: number, failures: number, attempts: number, now: Date): void {
    monitor.reset(campaignId);
    const share = Math.round(rule.maxFailureShare * 100);
    const reason = `Paused automatically: ${failures} of the last ${attempts} send attempts failed, more than ${share}%. Check the failed deliveries and the mail server, then resume.`;
    if (pauseCampaignAutomatically(db, campaignId, reason, now)) {
      logger.warn({ campaignId, failures, attempts }, 'campaign paused automatically: too many send attempts failed');
    }
  }
}

/** Returns the https URL of the delivery's List-Unsubscribe header. The footer links to the same URL. */
function readUnsubscribeUrl(row: OutboxRow): string {
  let header: unknown;
  try {
    header = (JSON.parse(row.headers) as Record<string, unknown>)['List-Unsubscribe'];
  } catch {
    header = undefined;
  }
  const url = typeof header === 'string' ? /<(https?:\/\/[^>]+)>/.exec(header)?.[1] : undefined;
  if (!url) {
    throw new MailSendError(`Delivery ${row.id} has no List-Unsubscribe URL, so it cannot be sent.`, false);
  }
  return url;
}
