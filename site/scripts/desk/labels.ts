/** Words the console shows for the stored values of tickets. */
import type { AutomatedMailReason } from '../../../api/desk/inbound/loop-guard';
import type { TicketCategory, TicketChannel, TicketPriority, TicketStatus } from '../../../db/schema/desk';
import { describeState } from '../account/labels';

export const categoryLabels: Record<TicketCategory, string> = {
  account_access: 'Account access',
  records_search: 'Records search',
  data_submission: 'Data submission and MDEs',
  data_quality: 'Data quality',
  move_notices: 'Move notices',
  reports: 'Reports',
  training: 'Training',
  other: 'Other',
};

export const priorityLabels: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const statusLabels: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending on requester',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

export const channelLabels: Record<TicketChannel, string> = {
  web: 'Web form',
  email: 'Email',
  phone: 'Phone',
};

export const queueLabels = {
  open: 'All open',
  unassigned: 'Unassigned',
  mine: 'Mine',
  breaching: 'Breaching soon',
  pending: 'Pending on requester',
  all: 'All tickets',
} as const;

export type QueueName = keyof typeof queueLabels;

/** Returns the label of a stored value, or the value itself when it has none. */
export function labelOf(labels: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return labels[value] ?? value;
}

export const slaLabels = { breached: 'SLA breached', soon: 'Due within 2 business hours' } as const;

/** Short date and time in the agent's time zone, with the zone, such as "Dec 4, 3:05 PM EST". */
export function formatShort(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/**
 * Reasons of the inbound loop guard for judging mail automatic, as stored in
 * `automatic_mail` history rows (AutomatedMailReason in api/desk/inbound/loop-guard.ts).
 */
export const automaticMailLabels: Record<AutomatedMailReason, string> = {
  auto_submitted: 'an automatic reply (Auto-Submitted header)',
  precedence: 'bulk or list mail (Precedence header)',
  empty_return_path: 'a bounce or other mail with an empty return address',
  autoreply_header: 'an automatic reply (X-Autoreply header)',
  mailing_list: 'mail from a mailing list (List-Id header)',
  delivery_report: 'a delivery report or read receipt',
};

/** Titles of the ticket history types. describeHistory adds a row's values after a colon or an arrow. */
export const historyTitles: Record<string, string> = {
  created: 'Ticket created',
  status_changed: 'Status changed',
  priority_changed: 'Priority changed',
  category_changed: 'Category changed',
  state_changed: 'State changed',
  assigned: 'Assigned',
  unassigned: 'Unassigned',
  replied: 'Public reply sent',
  noted: 'Internal note added',
  requester_replied: 'Requester replied',
  follower_added: 'Follower added',
  follower_removed: 'Follower removed',
  merged: 'Merged into another ticket',
  merged_from: 'Another ticket merged into this one',
  split: 'Message split into a new ticket',
  split_from: 'Split from another ticket',
  automatic_mail: 'Automatic mail received (no acknowledgement, notice or reopening)',
  email_not_threaded: 'Email did not join the ticket it referred to, so it opened this ticket',
  acknowledgement_skipped: 'No acknowledgement sent',
  survey_skipped: 'No satisfaction survey sent',
  survey_answered: 'Satisfaction survey answered',
};

const valueLabels: Record<string, Record<string, string>> = {
  created: channelLabels,
  requester_replied: channelLabels,
  status_changed: statusLabels,
  priority_changed: priorityLabels,
  category_changed: categoryLabels,
  automatic_mail: automaticMailLabels,
};

/** Rows whose value is another ticket's number, such as "#12", shown as a sentence. */
const ticketSentences: Record<string, (ticket: string) => string> = {
  merged: (ticket) => `Merged into ticket ${ticket}`,
  merged_from: (ticket) => `Ticket ${ticket} merged into this one`,
  split: (ticket) => `Message split into the new ticket ${ticket}`,
  split_from: (ticket) => `Split from ticket ${ticket}`,
};

/** Field changes, which show "none" for an empty side instead of leaving it out. */
const fieldChangeTypes = new Set(['status_changed', 'priority_changed', 'category_changed', 'state_changed']);

/** Describes one history row in words, such as "Status changed: New → Open". */
export function describeHistory(event: { type: string; fromValue: string | null; toValue: string | null }): string {
  const title = historyTitles[event.type] ?? readable(event.type);
  const from = event.fromValue === null ? null : describeValue(event.type, event.fromValue);
  const to = event.toValue === null ? null : describeValue(event.type, event.toValue);

  const sentence = to ?? from;
  if (sentence !== null && event.type in ticketSentences) return ticketSentences[event.type]!(sentence);
  if (event.type === 'survey_answered' && to !== null) return `${title}: ${to} of 5`;
  if (event.type === 'email_not_threaded' && from !== null) {
    const reason = to === null ? '' : `, because ${to}`;
    return `Email did not join ticket ${from}${reason}, so it opened this ticket`;
  }
  if (fieldChangeTypes.has(event.type)) {
    return `${title}: ${from ?? emptyValue(event.type)} → ${to ?? emptyValue(event.type)}`;
  }
  if (from !== null && to !== null) return `${title}: ${from} → ${to}`;
  if (to !== null) return `${title}: ${to}`;
  if (from !== null) return `${title}: ${from}`;
  return title;
}

function describeValue(type: string, value: string): string {
  if (type === 'state_changed') return describeState(value);
  const label = valueLabels[type]?.[value];
  return label ?? readable(value);
}

function emptyValue(type: string): string {
  return type === 'state_changed' ? 'No state' : 'none';
}

/**
 * Turns an unknown stored code such as "on_hold" into words, so a history
 * type added later never shows as snake_case. Names, addresses and ticket
 * numbers do not match the pattern and stay as they are.
 */
function readable(value: string): string {
  if (!/^[a-z]+(?:_[a-z]+)+$/.test(value)) return value;
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
