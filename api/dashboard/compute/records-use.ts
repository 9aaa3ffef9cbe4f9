/**
 * Records exchange use: searches, consolidated records viewed and printed,
 * uploads, students submitted, and move notices sent, acknowledged and their
 * response time.
 */
import type { UsageEventKind } from '../../../db/schema';
import { nationalScope, type MetricId } from '../metrics';
import { aggregateByState, periodParameters, quarterSql } from './sql';
import type { ComputedFigure, GroupContext } from './types';

const usageMetrics: Record<UsageEventKind, MetricId> = {
  'records.search': 'searches',
  'records.view': 'records_viewed',
  'records.print': 'records_printed',
};

export function computeRecordsUse(context: GroupContext): ComputedFigure[] {
  return [
    ...computeUsage(context),

    // An upload counts in the quarter it finished, whether it was completed or rejected whole.
    ...aggregateByState(context, 'uploads', { byState: finishedUploads }, 'count'),
    ...aggregateByState(context, 'students_submitted', { byState: finishedUploads }, 'sum'),

    // Sent by the sending state; a notice sent by national staff (no state) counts for the nation only.
    ...aggregateByState(
      context,
      'move_notices_sent',
      {
        byState: `SELECT from_state AS state, ${quarterSql('sent_at')} AS quarter, NULL AS value, NULL AS weight
                    FROM move_notices WHERE sent_at >= @start AND sent_at < @end`,
      },
      'count',
    ),
    ...aggregateByState(context, 'move_notices_acknowledged', { byState: acknowledgedNotices }, 'count'),
    ...aggregateByState(context, 'move_notice_response_hours', { byState: acknowledgedNotices }, 'median'),
  ];
}

const finishedUploads = `
  SELECT state, ${quarterSql('finished_at')} AS quarter, students_received AS value, NULL AS weight
    FROM record_uploads
   WHERE status IN ('completed', 'rejected') AND finished_at >= @start AND finished_at < @end`;

// By the receiving state and the quarter it acknowledged; the value is the response time in hours.
const acknowledgedNotices = `
  SELECT to_state AS state, ${quarterSql('acknowledged_at')} AS quarter,
         response_minutes / 60.0 AS value, NULL AS weight
    FROM move_notices
   WHERE status = 'acknowledged' AND acknowledged_at >= @start AND acknowledged_at < @end`;

/**
 * Searches, views and prints by the acting person's state and the quarter
 * they happened. Actions of national staff (no state) count for the nation
 * only. The events are grouped in SQL; only the grouped counts reach this code.
 */
function computeUsage(context: GroupContext): ComputedFigure[] {
  const includedStates = new Set(context.states);
  // One state alone is read through its rows only; the nation or every state needs every row.
  const scopeFilter = context.national || context.states.length !== 1 ? '' : ' AND state = @state';
  const statement =
    context.usageSource === 'counts'
      ? `SELECT event, state, quarter, sum(count) AS count FROM usage_counts
          WHERE quarter >= @from AND quarter <= @to${scopeFilter}
          GROUP BY event, state, quarter`
      : `SELECT event, coalesce(state, '') AS state, ${quarterSql('occurred_at')} AS quarter, count(*) AS count
           FROM usage_events
          WHERE occurred_at >= @start AND occurred_at < @end${scopeFilter}
          GROUP BY event, coalesce(state, ''), quarter`;
  const groups = context.sqlite
    .prepare(statement)
    .all({ ...periodParameters(context), state: context.states[0] ?? '' }) as Array<{
    event: UsageEventKind;
    state: string;
    quarter: string;
    count: number;
  }>;

  const figures = new Map<string, ComputedFigure>();
  const add = (metric: MetricId, state: string, quarter: string, count: number) => {
    const key = `${metric}|${state}|${quarter}`;
    const figure = figures.get(key) ?? { metric, state, quarter, value: 0, sample: 0 };
    figure.value = (figure.value ?? 0) + count;
    figure.sample += count;
    figures.set(key, figure);
  };
  for (const group of groups) {
    const metric = usageMetrics[group.event];
    if (!metric) continue;
    if (includedStates.has(group.state)) add(metric, group.state, group.quarter, group.count);
    if (context.national) add(metric, nationalScope, group.quarter, group.count);
  }
  return [...figures.values()];
}
