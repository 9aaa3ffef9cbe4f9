/**
 * Shared parts of the campaign services: the settings, the input fields, the
 * status rules, loading a campaign and the campaign as the API returns it.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { campaigns, type CampaignStatus } from '../../../db/schema';
import { newsletterArchiveUrl } from '../../../emails/templates/newsletter';
import { audienceIds, topicIds, type AudienceId, type TopicId } from '../../../site/lib/taxonomy';
import type { DatabaseOrTransaction } from '../../audit/record';
import { AppError } from '../../errors';
import { stateCodes, type StateCode } from '../../shared/states';
import { containsControlCharacters, controlCharacterMessage } from '../subscribers/fields';
import { countDeliveries, type CampaignStats } from './stats';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface CampaignSettings {
  /** Public address of the site (SITE_URL), for links in the message. */
  siteUrl: string;
  /** The configured sender (MAIL_FROM); its domain is used in Message-IDs, List-Id and the unsubscribe mailto. */
  mailFrom: string;
  /** The program's postal address, printed in every footer. */
  postalAddress: string;
  /** Signs the unsubscribe and preferences links (AppDependencies.linkSecret). */
  linkSecret: string;
  /** Folder that contains content/newsletters/. Defaults to the working directory. */
  contentRoot?: string | undefined;
}

export interface Audience {
  states: StateCode[];
  roles: AudienceId[];
  topics: TopicId[];
}

export const maxSubjectLength = 200;

/** A subject line: one line without control characters, checked before trimming so a trailing CR or LF is rejected. */
export const subjectField = z
  .string({ invalid_type_error: 'must be text' })
  .refine((value) => !containsControlCharacters(value), controlCharacterMessage)
  .transform((value) => value.trim())
  .pipe(
    z
      .string()
      .min(3, 'must have at least 3 characters')
      .max(maxSubjectLength, `must have at most ${maxSubjectLength} characters`),
  );

export const newsletterSlugField = z
  .string({ invalid_type_error: 'must be text' })
  .regex(
    /^[a-z0-9][a-z0-9-]{0,99}$/,
    'must be the file name of an issue in content/newsletters without .mdx, such as 2026-q1',
  );

const uniqueList = <Value extends string>(values: readonly [Value, ...Value[]], what: string) =>
  z
    .array(z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) }), {
      invalid_type_error: `must be a list of ${what}`,
    })
    .max(values.length)
    .transform((list) => [...new Set(list)]);

/** The audience: empty lists mean everyone. Values outside the taxonomy, including any with CR or LF, are rejected. */
export const audienceField = z
  .object({
    states: uniqueList(stateCodes as unknown as readonly [StateCode, ...StateCode[]], 'USPS state codes').default([]),
    roles: uniqueList(audienceIds, 'audience ids').default([]),
    topics: uniqueList(topicIds, 'topic ids').default([]),
  })
  .strict();

const emptyAudience: Audience = { states: [], roles: [], topics: [] };

export function parseStoredAudience(stored: string): Audience {
  const parsed = audienceField.safeParse(safeJsonParse(stored));
  return parsed.success ? parsed.data : emptyAudience;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The statuses in which deliveries are being created: sending has started
 * (startedAt is set) but the campaign turns "sending" only with its last batch.
 */
export const preparingStatuses: readonly CampaignStatus[] = ['draft', 'scheduled', 'missed'];

export function isPreparing(campaign: CampaignRow): boolean {
  return campaign.startedAt !== null && preparingStatuses.includes(campaign.status);
}

/** Headers every delivery carries besides its unsubscribe headers: bulk mail of one list, with its archive. */
export function listHeaders(siteUrl: string, senderDomain: string): Record<string, string> {
  return {
    Precedence: 'bulk',
    'List-Id': `MSIX Assist newsletter <newsletter.${senderDomain}>`,
    'List-Archive': `<${siteUrl}/newsletters/>`,
  };
}

/** Loads a campaign, or throws a 404 AppError when it does not exist. */
export function findCampaign(db: DatabaseOrTransaction, id: number): CampaignRow {
  const campaign = db.select().from(campaigns).where(eq(campaigns.id, id)).get();
  if (!campaign) throw new AppError(404, 'not_found', `No campaign with id ${id} was found.`);
  return campaign;
}

/**
 * Throws 409 unless the campaign is in one of the allowed statuses and, for
 * the statuses before sending, its deliveries are not being created already.
 */
export function requireStatus(
  campaign: CampaignRow,
  allowed: readonly CampaignStatus[],
  action: string,
  hint = '',
): void {
  if (isPreparing(campaign)) {
    throw new AppError(
      409,
      'invalid_status',
      `Campaign ${campaign.id} cannot ${action}: its sending has started and its deliveries are being created. Reload it in a moment.`,
    );
  }
  if (!allowed.includes(campaign.status)) {
    throw new AppError(
      409,
      'invalid_status',
      `Campaign ${campaign.id} is ${campaign.status}, so it cannot ${action}; that needs a campaign that is ${listWords(allowed)}.${hint ? ` ${hint}` : ''}`,
    );
  }
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The campaign as the API returns it, with its delivery counts. */
export function serializeCampaign(campaign: CampaignRow, stats: CampaignStats, siteUrl: string) {
  return {
    id: campaign.id,
    newsletterSlug: campaign.newsletterSlug,
    subject: campaign.subject,
    audience: parseStoredAudience(campaign.audience),
    status: campaign.status,
    /** True while the deliveries of a started campaign are being created. */
    preparing: isPreparing(campaign),
    scheduledAt: campaign.scheduledAt,
    startedAt: campaign.startedAt,
    finishedAt: campaign.finishedAt,
    pausedReason: campaign.pausedReason,
    archiveUrl: newsletterArchiveUrl(siteUrl, campaign.newsletterSlug),
    createdBy: campaign.createdBy,
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
    stats,
  };
}

export type CampaignView = ReturnType<typeof serializeCampaign>;

/** Loads a campaign with its delivery counts, as the API returns it. */
export function readCampaignView(db: DatabaseOrTransaction, id: number, siteUrl: string): CampaignView {
  const campaign = findCampaign(db, id);
  const stats = countDeliveries(db, [campaign.id]).get(campaign.id);
  return serializeCampaign(campaign, stats!, siteUrl);
}
