import { domainOfSender } from '../../../emails/addresses';
import type { DatabaseOrTransaction } from '../../audit/record';
import { buildUnsubscribeLinks } from '../unsubscribe-links';
import { findCampaign, listHeaders, parseStoredAudience, type CampaignSettings } from './campaign';
import { countRecipients } from './recipients';
import { campaignTemplate, renderSampleMessage } from './render';

const sampleToken = 'SAMPLE-TOKEN';

/**
 * Renders the campaign's message as recipients get it, with sample links in place of
 * each recipient's own, the headers every delivery carries, and how many
 * recipients the audience matches now. Once sending has started, the preview
 * shows the message fixed at the start.
 */
export function previewCampaign(db: DatabaseOrTransaction, id: number, settings: CampaignSettings) {
  const campaign = findCampaign(db, id);
  const message = renderSampleMessage(campaignTemplate(campaign, settings), settings.siteUrl);
  const recipients = countRecipients(db, parseStoredAudience(campaign.audience));

  return {
    subject: message.subject,
    html: message.html,
    text: message.text,
    headersSample: sampleHeaders(campaign.subject, settings),
    /** Confirmed subscribers the audience matches now, suppressed addresses included. */
    recipients: recipients.total,
    /** Of those, addresses on the suppression list, which get no message. */
    suppressedRecipients: recipients.suppressed,
  };
}

/** Returns the headers of a delivery, with a sample token in place of each recipient's own. */
function sampleHeaders(subject: string, settings: CampaignSettings): Record<string, string> {
  const domain = domainOfSender(settings.mailFrom);
  const links = buildUnsubscribeLinks({
    subscriberId: 1,
    siteUrl: settings.siteUrl,
    mailFrom: settings.mailFrom,
    secret: settings.linkSecret,
    now: new Date(0),
  });
  const token = links.url.slice(links.url.lastIndexOf('/') + 1);
  return {
    From: settings.mailFrom,
    To: '(each recipient)',
    Subject: subject,
    'Message-ID': `<(one per recipient, the same on every retry)@${domain}>`,
    'List-Unsubscribe': links.headers['List-Unsubscribe'].replaceAll(token, sampleToken),
    'List-Unsubscribe-Post': links.headers['List-Unsubscribe-Post'],
    ...listHeaders(settings.siteUrl, domain),
  };
}
