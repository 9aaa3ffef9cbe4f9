/**
 * Reads a newsletter issue from content/newsletters/ and renders its email,
 * with the same front-matter checks as the site build.
 */
import { checkContent } from '../../../scripts/lib/content-check';
import {
  fillRecipientLinks,
  NewsletterRenderError,
  renderNewsletter,
  type NewsletterIssue,
  type NewsletterTemplate,
  type RecipientLinks,
} from '../../../emails/templates/newsletter';
import type { RenderedMessage } from '../../../emails/templates/accounts';
import { AppError } from '../../errors';
import { ValidationError } from '../../shared/validation';
import type { CampaignRow, CampaignSettings } from './campaign';

/** Target of an issue error: the request field, or the campaign whose issue changed since it was created. */
export type IssueErrorTarget = { field: 'newsletterSlug' } | { campaignId: number };

/**
 * Loads an issue by slug. An unknown slug, or an issue whose front matter the
 * site build rejects, throws a 400 error that names the slug and the problem
 * (409 when it is the issue of an existing campaign).
 */
export function loadNewsletterIssue(
  settings: Pick<CampaignSettings, 'contentRoot'>,
  slug: string,
  target: IssueErrorTarget = { field: 'newsletterSlug' },
): NewsletterIssue {
  const report = checkContent(settings.contentRoot ?? process.cwd());
  const entry = report.entries.find((candidate) => candidate.collection === 'newsletters' && candidate.slug === slug);
  const file = `content/newsletters/${slug}.mdx`;

  if (!entry) {
    const problems = report.problems.filter((problem) => problem.startsWith(`${file}:`));
    const available = report.entries
      .filter((candidate) => candidate.collection === 'newsletters')
      .map((candidate) => candidate.slug);
    const message =
      problems.length > 0
        ? `the issue "${slug}" has problems: ${problems.join(' ')}`
        : `no issue "${slug}" in content/newsletters; available: ${available.join(', ') || 'none'}.`;
    throw issueError(target, message);
  }

  const date = entry.data.date;
  return {
    slug,
    title: String(entry.data.title),
    summary: String(entry.data.summary),
    date: date instanceof Date ? date.toISOString().slice(0, 10) : String(date),
    body: entry.body,
  };
}

/** Renders the campaign's issue with placeholders for each recipient's links. */
export function renderCampaignTemplate(
  campaign: Pick<CampaignRow, 'id' | 'newsletterSlug' | 'subject'>,
  settings: CampaignSettings,
): NewsletterTemplate {
  const target = { campaignId: campaign.id };
  return renderIssue(
    loadNewsletterIssue(settings, campaign.newsletterSlug, target),
    campaign.subject,
    settings,
    target,
  );
}

/** Renders an issue, turning Markdown the email cannot show into an error that names the file and line. */
export function renderIssue(
  issue: NewsletterIssue,
  subject: string,
  settings: CampaignSettings,
  target: IssueErrorTarget = { field: 'newsletterSlug' },
): NewsletterTemplate {
  try {
    return renderNewsletter(issue, subject, settings);
  } catch (error) {
    if (!(error instanceof NewsletterRenderError)) throw error;
    throw issueError(target, `content/newsletters/${issue.slug}.mdx cannot be sent by email: ${error.message}`);
  }
}

/** Returns the campaign's message as fixed when sending started, or renders it from the content before that. */
export function campaignTemplate(campaign: CampaignRow, settings: CampaignSettings): NewsletterTemplate {
  if (campaign.htmlBody !== null && campaign.textBody !== null) {
    return { subject: campaign.subject, html: campaign.htmlBody, text: campaign.textBody };
  }
  return renderCampaignTemplate(campaign, settings);
}

/**
 * Returns the links for previews and test messages, which go to no
 * subscriber: the unsubscribe page shows that the link is not valid, and the
 * preferences page requests a link from a newsletter.
 */
export function sampleRecipientLinks(siteUrl: string): RecipientLinks {
  return {
    unsubscribeUrl: `${siteUrl}/unsubscribe/sample-link-in-a-preview`,
    preferencesUrl: `${siteUrl}/newsletters/preferences/`,
  };
}

export function renderSampleMessage(template: NewsletterTemplate, siteUrl: string): RenderedMessage {
  return fillRecipientLinks(template, sampleRecipientLinks(siteUrl));
}

function issueError(target: IssueErrorTarget, message: string): AppError {
  if ('field' in target) return new ValidationError([{ field: target.field, message }]);
  return new AppError(
    409,
    'newsletter_unavailable',
    `Campaign ${target.campaignId}: ${message} Fix the content file, or cancel the campaign and create one for another issue.`,
  );
}
