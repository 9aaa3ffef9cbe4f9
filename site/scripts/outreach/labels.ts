/** Words the outreach pages show for the API's codes. */
import type { CampaignStatus, SubscriberStatus } from '../../../db/schema';
import { audiences, topics } from '../../lib/taxonomy';
import { describeState } from '../account/labels';

export const subscriberStatusLabels: Record<SubscriberStatus, string> = {
  pending: 'Waiting for confirmation',
  confirmed: 'Confirmed',
  unsubscribed: 'Unsubscribed',
};

export const suppressionReasonLabels = {
  unsubscribed: 'Unsubscribed',
  hard_bounce: 'Permanent bounce',
  complaint: 'Spam complaint',
  manual: 'Added by an admin',
} as const;

export const campaignStatusLabels: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  cancelled: 'Cancelled',
  finished: 'Finished',
  missed: 'Missed its time',
};

export function describeRole(id: string | null): string {
  if (!id) return 'None';
  return audiences.find((audience) => audience.id === id)?.label ?? id;
}

export function describeTopic(id: string): string {
  return topics.find((topic) => topic.id === id)?.label ?? id;
}

/** Describes a subscriber's topics, where an empty list means every topic. */
export function describeTopics(ids: readonly string[]): string {
  return ids.length === 0 ? 'All topics' : ids.map(describeTopic).join(', ');
}

export function describeSubscriberState(code: string | null): string {
  return code ? describeState(code) : 'None';
}
