/** Display names of ticket fields on the reports page; the CSV exports use the same words. */

export const categoryLabels: Record<string, string> = {
  account_access: 'Account access',
  records_search: 'Records search',
  data_submission: 'Data submission and MDEs',
  data_quality: 'Data quality',
  move_notices: 'Move notices',
  reports: 'Reports',
  training: 'Training',
  other: 'Other',
};

export const channelLabels: Record<string, string> = { web: 'Web form', email: 'Email', phone: 'Phone' };

export const backlogStatusLabels: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending on requester',
  on_hold: 'On hold',
};

export const backlogBandLabels: Record<string, string> = {
  under_1_day: 'Under 1 day',
  '1_to_3_days': '1 to 3 days',
  '3_to_7_days': '3 to 7 days',
  '7_to_30_days': '7 to 30 days',
  '30_days_or_more': '30 days or more',
};
