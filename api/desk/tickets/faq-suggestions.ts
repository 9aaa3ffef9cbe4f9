/**
 * FAQ suggestions on the new-ticket form. The browser matches the FAQ index
 * itself. The desk records only which drafts opened a suggestion, so it can
 * count the requesters who left without filing.
 */
import { and, gte, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { faqSuggestionDrafts } from '../../../db/schema';
import { parseInput } from '../../shared/validation';

/** Hours after the first opening within which a filed ticket still counts as filed from that draft. */
export const deflectionWindowHours = 24;

const openingInput = z.object({
  draftId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, hyphens or underscores'),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,150}$/, 'must be the slug of an FAQ, such as how-do-i-apply-for-an-msix-account'),
});

/** Records that a draft opened a suggested FAQ; later openings in the same draft only count up. */
export function recordFaqOpening(db: AppDatabase, input: unknown, now: Date): { draftId: string } {
  const data = parseInput(openingInput, input);
  db.insert(faqSuggestionDrafts)
    .values({ draftId: data.draftId, openedAt: now.toISOString(), faqSlug: data.slug })
    .onConflictDoUpdate({
      target: faqSuggestionDrafts.draftId,
      set: { faqSlug: data.slug, openings: sql`${faqSuggestionDrafts.openings} + 1` },
    })
    .run();
  return { draftId: data.draftId };
}

export interface FaqDeflections {
  /** Drafts whose first suggestion opening falls in the period and whose 24-hour window has ended. */
  draftsWithOpenedSuggestion: number;
  /** Of those, drafts filed as a ticket within 24 hours of the opening. */
  filed: number;
  /** Of those, drafts never filed within 24 hours: requesters who left without filing. */
  leftWithoutFiling: number;
}

/**
 * Counts FAQ deflections for drafts first opened from `from` (inclusive) to
 * `to` (exclusive). Drafts younger than 24 hours at `now` are left out,
 * because their requester may still file.
 */
export function countFaqDeflections(db: AppDatabase, from: Date, to: Date, now: Date = to): FaqDeflections {
  const windowMs = deflectionWindowHours * 60 * 60 * 1000;
  const settledBefore = new Date(Math.min(to.getTime(), now.getTime() - windowMs)).toISOString();
  const drafts = db
    .select({ openedAt: faqSuggestionDrafts.openedAt, filedAt: faqSuggestionDrafts.filedAt })
    .from(faqSuggestionDrafts)
    .where(
      and(
        gte(faqSuggestionDrafts.openedAt, from.toISOString()),
        lt(faqSuggestionDrafts.openedAt, to.toISOString()),
        lte(faqSuggestionDrafts.openedAt, settledBefore),
      ),
    )
    .all();
  const filed = drafts.filter(
    (draft) => draft.filedAt !== null && Date.parse(draft.filedAt) - Date.parse(draft.openedAt) <= windowMs,
  ).length;
  return { draftsWithOpenedSuggestion: drafts.length, filed, leftWithoutFiling: drafts.length - filed };
}
