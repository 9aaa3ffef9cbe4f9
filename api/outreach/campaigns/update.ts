import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { campaigns } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import {
  audienceField,
  findCampaign,
  newsletterSlugField,
  readCampaignView,
  requireStatus,
  subjectField,
  type CampaignSettings,
  type CampaignView,
} from './campaign';
import { loadNewsletterIssue, renderIssue } from './render';

const updateInput = z
  .object({
    newsletterSlug: newsletterSlugField.optional(),
    subject: subjectField.optional(),
    /** Replaces the whole audience; a list left out means everyone for that list. */
    audience: audienceField.optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'give at least one of newsletterSlug, subject, audience',
  });

/** Changes the issue, subject or audience of a draft or scheduled campaign; a scheduled one keeps its time. */
export function updateCampaign(
  db: AppDatabase,
  actor: Actor,
  id: number,
  input: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  settings: CampaignSettings,
): CampaignView {
  const data = parseInput(updateInput, input);
  const before = findCampaign(db, id);
  requireStatus(before, ['draft', 'scheduled'], 'be changed', 'Cancel it and create a new campaign instead.');

  const newsletterSlug = data.newsletterSlug ?? before.newsletterSlug;
  const subject = data.subject ?? before.subject;
  if (data.newsletterSlug !== undefined || data.subject !== undefined) {
    renderIssue(loadNewsletterIssue(settings, newsletterSlug), subject, settings);
  }

  return db.transaction((tx) => {
    // Checked again inside the transaction, because sending may have started since the first read.
    requireStatus(findCampaign(tx, id), ['draft', 'scheduled'], 'be changed');
    tx.update(campaigns)
      .set({
        newsletterSlug,
        subject,
        ...(data.audience ? { audience: JSON.stringify(data.audience) } : {}),
        updatedAt: context.now.toISOString(),
      })
      .where(eq(campaigns.id, id))
      .run();
    const changed = (['newsletterSlug', 'subject', 'audience'] as const).filter((field) => data[field] !== undefined);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'campaign.updated',
      objectType: 'campaign',
      objectId: id,
      outcome: 'success',
      detail: `changed ${changed.join(', ')}`,
      requestId: context.requestId,
      at: context.now,
    });
    return readCampaignView(tx, id, settings.siteUrl);
  });
}
