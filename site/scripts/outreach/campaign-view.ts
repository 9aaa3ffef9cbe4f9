/**
 * Renders one campaign in the campaign panel: its facts, the delivery counts
 * and the actions its status allows.
 */
import { describeState, formatDateTime } from '../account/labels';
import { createElement } from '../plans/dom';
import type { Campaign, CampaignStats } from './campaign-types';
import { campaignStatusLabels, describeRole, describeTopic } from './labels';

export type CampaignAction = 'preview' | 'test' | 'schedule' | 'send' | 'pause' | 'resume' | 'cancel' | 'refresh';

/** The actions each status allows. The API applies the same rules and rejects any other action with 409. */
const actionsByStatus: Record<Campaign['status'], readonly CampaignAction[]> = {
  draft: ['preview', 'test', 'schedule', 'send', 'cancel'],
  scheduled: ['preview', 'test', 'schedule', 'send', 'cancel'],
  missed: ['preview', 'test', 'schedule', 'send', 'cancel'],
  sending: ['preview', 'pause', 'cancel', 'refresh'],
  paused: ['preview', 'resume', 'cancel', 'refresh'],
  cancelled: ['preview', 'refresh'],
  finished: ['preview', 'refresh'],
};

export function allowedActions(campaign: Campaign): readonly CampaignAction[] {
  // While its deliveries are being created, the API refuses every change.
  if (campaign.preparing) return ['refresh'];
  return actionsByStatus[campaign.status] ?? ['refresh'];
}

export function describeAudience(campaign: Campaign): string {
  const { states, roles, topics } = campaign.audience;
  const parts: string[] = [];
  if (states.length > 0) parts.push(`states: ${states.map(describeState).join(', ')}`);
  if (roles.length > 0) parts.push(`roles: ${roles.map(describeRole).join(', ')}`);
  if (topics.length > 0) parts.push(`topics: ${topics.map(describeTopic).join(', ')}`);
  return parts.length === 0 ? 'Every confirmed subscriber' : `Confirmed subscribers in ${parts.join('; ')}`;
}

/** Describes, for the list, the time that matters most in the campaign's status. */
export function describeWhen(campaign: Campaign): string {
  switch (campaign.status) {
    case 'scheduled':
    case 'missed':
      return `Scheduled for ${formatDateTime(campaign.scheduledAt)}`;
    case 'sending':
    case 'paused':
      return `Started ${formatDateTime(campaign.startedAt)}`;
    case 'finished':
      return `Finished ${formatDateTime(campaign.finishedAt)}`;
    default:
      return `Created ${formatDateTime(campaign.createdAt)}`;
  }
}

export function describeStatus(campaign: Campaign): string {
  if (campaign.preparing) return 'Starting: creating the deliveries';
  return campaignStatusLabels[campaign.status] ?? campaign.status;
}

/** Returns the title of a newsletter issue by its slug, or the slug when the page does not know the issue. */
export type IssueTitles = (slug: string) => string;

export function renderFacts(campaign: Campaign, issueTitle: IssueTitles): HTMLElement[] {
  const issueLink = createElement('a', {
    className: 'usa-link',
    text: issueTitle(campaign.newsletterSlug),
    attributes: { href: `/newsletters/${encodeURIComponent(campaign.newsletterSlug)}/` },
  });
  const facts: [string, string | HTMLElement][] = [
    ['Status', describeStatus(campaign)],
    ['Newsletter issue', issueLink],
    ['Audience', describeAudience(campaign)],
    ['Created', formatDateTime(campaign.createdAt)],
  ];
  if (campaign.scheduledAt) facts.push(['Scheduled for', formatDateTime(campaign.scheduledAt)]);
  if (campaign.startedAt) facts.push(['Sending started', formatDateTime(campaign.startedAt)]);
  if (campaign.finishedAt) facts.push(['Finished', formatDateTime(campaign.finishedAt)]);
  if (campaign.status === 'paused' && campaign.pausedReason) facts.push(['Paused because', campaign.pausedReason]);
  return facts.flatMap(([term, value]) => [
    createElement('dt', { text: term }),
    typeof value === 'string' ? createElement('dd', { text: value }) : createElement('dd', {}, [value]),
  ]);
}

const countLabels: [keyof CampaignStats, string][] = [
  ['total', 'Recipients'],
  ['queued', 'Queued'],
  ['sending', 'Sending'],
  ['sent', 'Sent'],
  ['failed', 'Failed'],
  ['cancelled', 'Not sent: cancelled'],
  ['suppressed', 'Not sent: suppressed'],
  ['unsubscribed', 'Unsubscribed after this campaign'],
];

export function renderCounts(stats: CampaignStats): HTMLElement[] {
  return countLabels.map(([key, label]) =>
    createElement('div', { className: 'outreach-counts__item', attributes: { 'data-count': key } }, [
      createElement('dt', { text: label }),
      createElement('dd', { text: String(stats[key] ?? 0) }),
    ]),
  );
}

export function renderCampaignRow(campaign: Campaign, issueTitle: IssueTitles): HTMLTableRowElement {
  const open = createElement('button', {
    className: 'usa-button usa-button--unstyled',
    text: campaign.subject,
    attributes: { type: 'button', 'data-campaign-id': String(campaign.id) },
  });
  return createElement('tr', {}, [
    createElement('td', {}, [open]),
    createElement('td', { text: issueTitle(campaign.newsletterSlug) }),
    createElement('td', { text: describeStatus(campaign) }),
    createElement('td', { text: describeWhen(campaign) }),
    createElement('td', { text: `${campaign.stats.sent} of ${campaign.stats.total}` }),
  ]);
}
