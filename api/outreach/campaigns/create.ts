import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { campaigns } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import {
  audienceField,
  maxSubjectLength,
  newsletterSlugField,
  readCampaignView,
  subjectField,
  type CampaignSettings,
  type CampaignView,
} from './campaign';
import { loadNewsletterIssue, renderIssue } from './render';

const createInput = z
  .object({
    newsletterSlug: newsletterSlugField,
    /** Defaults to the issue title. */
    subject: subjectField.optional(),
    audience: audienceField.default({}),
  })
  .strict();

/**
 * Creates a draft campaign for an issue in content/newsletters. The issue
 * must exist and render as an email now, so problems show before scheduling.
 */
export function createCampaign(
  db: AppDatabase,
  actor: Actor,
  input: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  settings: CampaignSettings,
): CampaignView {
  const data = parseInput(createInput, input);
  const issue = loadNewsletterIssue(settings, data.newsletterSlug);
  const subject = data.subject ?? defaultSubject(issue.title);
  renderIssue(issue, subject, settings);
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const campaign = tx
      .insert(campaigns)
      .values({
        newsletterSlug: data.newsletterSlug,
        subject,
        audience: JSON.stringify(data.audience),
        status: 'draft',
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'campaign.created',
      objectType: 'campaign',
      objectId: campaign.id,
      outcome: 'success',
      detail: `issue ${campaign.newsletterSlug}`,
      requestId: context.requestId,
      at: context.now,
    });
    return readCampaignView(tx, campaign.id, settings.siteUrl);
  });
}

/** Returns the issue title as a one-line subject, cut to the maximum length. */
export function defaultSubject(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return line.length > maxSubjectLength ? `${line.slice(0, maxSubjectLength - 1).trimEnd()}…` : line;
}
