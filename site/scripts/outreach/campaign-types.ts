/** Campaigns as the campaign API returns them. */
import type { CampaignStatus } from '../../../db/schema';

export interface Audience {
  states: string[];
  roles: string[];
  topics: string[];
}

/** Deliveries of a campaign by state, counted from its outbox rows. */
export interface CampaignStats {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  /** Given up after a permanent error or the last allowed attempt; cancelled deliveries are counted apart. */
  failed: number;
  /** Never sent because the campaign was cancelled first. */
  cancelled: number;
  suppressed: number;
  /** Recipients who unsubscribed through this campaign's messages. */
  unsubscribed: number;
}

export interface Campaign {
  id: number;
  newsletterSlug: string;
  subject: string;
  audience: Audience;
  status: CampaignStatus;
  /** True while the deliveries of a started campaign are being created. */
  preparing: boolean;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  pausedReason: string | null;
  /** Address of the page in the web archive. */
  archiveUrl: string;
  createdAt: string;
  stats: CampaignStats;
}

export interface CampaignPreview {
  subject: string;
  text: string;
  html: string;
  /** The headers every delivery carries, with samples where each recipient's own values go. */
  headersSample: Record<string, string>;
  /** Confirmed subscribers the audience matches now, suppressed addresses included. */
  recipients: number;
  /** Of those, addresses on the suppression list, which get no message. */
  suppressedRecipients: number;
}
