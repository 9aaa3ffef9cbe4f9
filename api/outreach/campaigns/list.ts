import { desc } from 'drizzle-orm';
import { campaigns } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { serializeCampaign, type CampaignView } from './campaign';
import { countDeliveries } from './stats';

/** Campaigns listed at most; older ones stay in the database. */
export const maxListedCampaigns = 200;

/**
 * Lists the newest campaigns first, each with its delivery counts.
 * NOTE: the counts are recomputed from every delivery of the listed campaigns
 * on each call, which takes longer as campaigns of 100,000 recipients add up.
 */
export function listCampaigns(
  db: DatabaseOrTransaction,
  siteUrl: string,
): { campaigns: CampaignView[]; limit: number } {
  const rows = db.select().from(campaigns).orderBy(desc(campaigns.id)).limit(maxListedCampaigns).all();
  const stats = countDeliveries(
    db,
    rows.map((row) => row.id),
  );
  return {
    campaigns: rows.map((row) => serializeCampaign(row, stats.get(row.id)!, siteUrl)),
    limit: maxListedCampaigns,
  };
}
