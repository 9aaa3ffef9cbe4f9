/** The rule for the subscribers a campaign may mail. */
import { and, eq, notExists, type SQL } from 'drizzle-orm';
import { subscribers, suppressions } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';

/**
 * Condition on `subscribers` for campaign recipients: confirmed and not on the
 * suppression list. Pending and unsubscribed subscribers never match. Campaign
 * code adds its audience filters to it and still checks isSuppressed when it
 * sends, because an address can be suppressed after the recipients are chosen.
 */
export function eligibleForCampaigns(db: DatabaseOrTransaction): SQL {
  const suppressed = db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(eq(suppressions.email, subscribers.email));
  return and(eq(subscribers.status, 'confirmed'), notExists(suppressed)) as SQL;
}
