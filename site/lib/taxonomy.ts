/**
 * Topics and audiences shared by every content collection. The `id` is what
 * authors write in front matter; the `label` is what readers see.
 */
export const topics = [
  { id: 'accounts', label: 'Getting an account' },
  { id: 'finding-a-child', label: 'Finding a child' },
  { id: 'consolidated-record', label: 'Reading the consolidated record' },
  { id: 'submitting-data', label: 'Submitting data and the MDEs' },
  { id: 'data-quality', label: 'Data quality' },
  { id: 'move-notices', label: 'Move notices' },
  { id: 'privacy-security', label: 'Privacy and security' },
  { id: 'reports', label: 'Reports' },
  { id: 'credit-accrual', label: 'Enrollment, placement and credit accrual' },
  { id: 'strategic-planning', label: 'Strategic planning' },
] as const;

export const audiences = [
  { id: 'school-staff', label: 'Registrars, counselors and school staff' },
  { id: 'recruiters', label: 'Recruiters and MEP specialists' },
  { id: 'data-administrators', label: 'Data administrators' },
  { id: 'state-coordinators', label: 'State MSIX and MEP coordinators' },
  { id: 'program-leaders', label: 'State and federal program leaders' },
] as const;

export type TopicId = (typeof topics)[number]['id'];
export type AudienceId = (typeof audiences)[number]['id'];

export const topicIds = topics.map((topic) => topic.id) as [TopicId, ...TopicId[]];
export const audienceIds = audiences.map((audience) => audience.id) as [AudienceId, ...AudienceId[]];

export function topicLabel(id: TopicId): string {
  return topics.find((topic) => topic.id === id)?.label ?? id;
}

export function audienceLabel(id: AudienceId): string {
  return audiences.find((audience) => audience.id === id)?.label ?? id;
}
