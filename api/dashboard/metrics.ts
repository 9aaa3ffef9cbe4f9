/**
 * The dashboard's metrics: what each one counts, in what unit, and how its
 * quarters combine into a longer period. The refresh (api/dashboard/refresh.ts)
 * computes one figure per metric, state and quarter, plus a national figure
 * under the state "US" that is computed on its own, never summed from the
 * states: national staff act for no state, and a near match involves two.
 */

export const metricGroups = ['records_use', 'data_quality', 'plans', 'support_desk', 'outreach'] as const;
export type MetricGroup = (typeof metricGroups)[number];

export const metricGroupLabels: Record<MetricGroup, string> = {
  records_use: 'Records exchange use',
  data_quality: 'Data quality',
  plans: 'Strategic plans',
  support_desk: 'Support desk',
  outreach: 'Outreach',
};

export const metricIds = [
  'searches',
  'records_viewed',
  'records_printed',
  'uploads',
  'students_submitted',
  'move_notices_sent',
  'move_notices_acknowledged',
  'move_notice_response_hours',
  'quality_score',
  'mde_completeness',
  'near_matches_resolved',
  'near_match_age_days',
  'plan_progress',
  'milestones_behind',
  'tickets_opened',
  'first_response_hours',
  'sla_compliance',
  'satisfaction',
  'subscribers',
  'campaign_reach',
  'webinar_registrations',
  'webinar_attendance',
] as const;
export type MetricId = (typeof metricIds)[number];

/**
 * - count: a whole number of things.
 * - percent: 0 to 100.
 * - score: the data-quality score, 0 to 100.
 * - hours, days: a median duration.
 * - rating: the average survey answer, 1 (very dissatisfied) to 5 (very satisfied).
 */
export type MetricUnit = 'count' | 'percent' | 'score' | 'hours' | 'days' | 'rating';

/**
 * The rule that combines a metric's quarters into a period of several quarters:
 * - sum: added up (counts of things that happened).
 * - weighted: the average of the quarters' values weighted by each quarter's
 *   sample (averages, medians and rates; for a median this is an estimate).
 * - last: the last quarter's value (levels at the end of a quarter, such as subscribers).
 */
export type MetricCombine = 'sum' | 'weighted' | 'last';

export interface MetricDefinition {
  id: MetricId;
  group: MetricGroup;
  /** Short name for headings and table columns. */
  label: string;
  /** One sentence for the page: what is counted. It reads right for a state and for the nation. */
  description: string;
  unit: MetricUnit;
  combine: MetricCombine;
  /** The direction of an improvement. Ranks put the best first. */
  better: 'higher' | 'lower';
  /** Shown in the public summary to visitors, with counts under 10 suppressed. */
  public: boolean;
}

const definitions: MetricDefinition[] = [
  {
    id: 'searches',
    group: 'records_use',
    label: 'Searches',
    description: 'Records searches run by staff with records access.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: true,
  },
  {
    id: 'records_viewed',
    group: 'records_use',
    label: 'Consolidated records viewed',
    description: 'Consolidated records opened by staff.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: true,
  },
  {
    id: 'records_printed',
    group: 'records_use',
    label: 'Consolidated records printed',
    description: 'Print versions of consolidated records opened by staff.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
  {
    id: 'uploads',
    group: 'records_use',
    label: 'Uploads',
    description: 'Uploads of minimum data element (MDE) files that finished, accepted or rejected.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
  {
    id: 'students_submitted',
    group: 'records_use',
    label: 'Students submitted',
    description: 'Students in finished uploads.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: true,
  },
  {
    id: 'move_notices_sent',
    group: 'records_use',
    label: 'Move notices sent',
    description: 'Move notices sent to the state a child is moving to.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: true,
  },
  {
    id: 'move_notices_acknowledged',
    group: 'records_use',
    label: 'Move notices acknowledged',
    description: 'Move notices the receiving state acknowledged.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
  {
    id: 'move_notice_response_hours',
    group: 'records_use',
    label: 'Move notice response time',
    description: 'Median hours from a move notice being sent to the receiving state acknowledging it.',
    unit: 'hours',
    combine: 'weighted',
    better: 'lower',
    public: false,
  },
  {
    id: 'quality_score',
    group: 'data_quality',
    label: 'Data-quality score',
    description: 'Average data-quality score of completed uploads, from 0 to 100.',
    unit: 'score',
    combine: 'weighted',
    better: 'higher',
    public: false,
  },
  {
    id: 'mde_completeness',
    group: 'data_quality',
    label: 'MDE completeness',
    description:
      'Share of applicable minimum data elements (MDEs) that the accepted students in completed uploads supplied.',
    unit: 'percent',
    combine: 'weighted',
    better: 'higher',
    public: false,
  },
  {
    id: 'near_matches_resolved',
    group: 'data_quality',
    label: 'Near matches resolved',
    description: 'Near matches that a data administrator confirmed or rejected.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
  {
    id: 'near_match_age_days',
    group: 'data_quality',
    label: 'Near match age at resolution',
    description:
      'Median days from a near match (two records that may be the same child) being found to its resolution.',
    unit: 'days',
    combine: 'weighted',
    better: 'lower',
    public: false,
  },
  {
    id: 'plan_progress',
    group: 'plans',
    label: 'Strategic-plan progress',
    description:
      'Progress of the current strategic plan at the end of the quarter; nationally, the average of the states’ plans.',
    unit: 'percent',
    combine: 'last',
    better: 'higher',
    public: false,
  },
  {
    id: 'milestones_behind',
    group: 'plans',
    label: 'Milestones at risk or off track',
    description: 'Milestones of current plans marked at risk or off track at the end of the quarter.',
    unit: 'count',
    combine: 'last',
    better: 'lower',
    public: false,
  },
  {
    id: 'tickets_opened',
    group: 'support_desk',
    label: 'Tickets opened',
    description: 'Support tickets opened by requesters.',
    unit: 'count',
    combine: 'sum',
    better: 'lower',
    public: true,
  },
  {
    id: 'first_response_hours',
    group: 'support_desk',
    label: 'First response time',
    description: 'Median business hours from a ticket being opened to the first public reply.',
    unit: 'hours',
    combine: 'weighted',
    better: 'lower',
    public: false,
  },
  {
    id: 'sla_compliance',
    group: 'support_desk',
    label: 'SLA compliance',
    description:
      'Share of tickets whose first reply was due in the quarter that got it within the service-level agreement (SLA) target.',
    unit: 'percent',
    combine: 'weighted',
    better: 'higher',
    public: false,
  },
  {
    id: 'satisfaction',
    group: 'support_desk',
    label: 'Satisfaction',
    description: 'Average survey answer, from 1 (very dissatisfied) to 5 (very satisfied).',
    unit: 'rating',
    combine: 'weighted',
    better: 'higher',
    public: false,
  },
  {
    id: 'subscribers',
    group: 'outreach',
    label: 'Newsletter subscribers',
    description: 'Confirmed newsletter subscribers at the end of the quarter.',
    unit: 'count',
    combine: 'last',
    better: 'higher',
    public: true,
  },
  {
    id: 'campaign_reach',
    group: 'outreach',
    label: 'Campaign reach',
    description: 'Newsletter and announcement messages sent to subscribers.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
  {
    id: 'webinar_registrations',
    group: 'outreach',
    label: 'Webinar registrations',
    description: 'Registrations for webinars and events.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: true,
  },
  {
    id: 'webinar_attendance',
    group: 'outreach',
    label: 'Webinar attendance',
    description: 'Registrants who attended.',
    unit: 'count',
    combine: 'sum',
    better: 'higher',
    public: false,
  },
];

/** Every metric by id. */
export const metrics: Record<MetricId, MetricDefinition> = Object.fromEntries(
  definitions.map((definition) => [definition.id, definition]),
) as Record<MetricId, MetricDefinition>;

/** The metrics in the order the pages show them. */
export const metricList: readonly MetricDefinition[] = definitions;

/** Tells whether a string is a metric id. */
export function isMetricId(value: string): value is MetricId {
  return (metricIds as readonly string[]).includes(value);
}

/** The scope name of the national figures in `dashboard_figures`. */
export const nationalScope = 'US';

/** Counts under this are suppressed in the public summary, and so are figures resting on fewer items. */
export const publicSuppressionThreshold = 10;

/**
 * A state is ranked only when its period and its baseline each rest on at
 * least this many items, so a change from 2 searches to 6 does not top the
 * ranking.
 */
export const rankingMinimumSample = 20;
