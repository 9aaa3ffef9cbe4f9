/** Names of ticket categories and statuses as requesters read them. */

export const categoryLabels: Record<string, string> = {
  account_access: 'Account access',
  records_search: 'Finding a child’s record',
  data_submission: 'Data submission and MDEs',
  data_quality: 'Data quality',
  move_notices: 'Move notices',
  reports: 'Reports',
  training: 'Training',
  other: 'Something else',
};

export const statusLabels: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Waiting for your reply',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

/** USWDS tag modifiers that set a status apart without relying on color alone, because the tag text names the status too. */
export const statusTagClasses: Record<string, string> = {
  new: 'support-tag support-tag--new',
  open: 'support-tag support-tag--open',
  pending: 'support-tag support-tag--pending',
  on_hold: 'support-tag support-tag--hold',
  solved: 'support-tag support-tag--solved',
  closed: 'support-tag support-tag--closed',
};

export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
