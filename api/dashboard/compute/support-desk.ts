/**
 * Support desk: tickets opened, first-response time, SLA compliance and
 * satisfaction, by the requester's state. Tickets merged into another ticket
 * never count, as in the desk reports; tickets without a state count for the
 * nation only.
 */
import { aggregateByState, quarterSql } from './sql';
import type { ComputedFigure, GroupContext } from './types';

export function computeSupportDesk(context: GroupContext): ComputedFigure[] {
  return [
    ...aggregateByState(
      context,
      'tickets_opened',
      {
        byState: `SELECT state, ${quarterSql('created_at')} AS quarter, NULL AS value, NULL AS weight
                    FROM tickets
                   WHERE merged_into_id IS NULL AND created_at >= @start AND created_at < @end`,
      },
      'count',
    ),

    // Business minutes to the first public reply, stored by the desk, in the quarter of that reply.
    ...aggregateByState(
      context,
      'first_response_hours',
      {
        byState: `SELECT state, ${quarterSql('first_response_at')} AS quarter,
                         first_response_minutes / 60.0 AS value, NULL AS weight
                    FROM tickets
                   WHERE merged_into_id IS NULL AND first_response_minutes IS NOT NULL
                     AND first_response_at >= @start AND first_response_at < @end`,
      },
      'median',
    ),

    // A ticket counts in the quarter its first reply was due: met when answered by then, missed when answered
    // later or still unanswered after it. An unanswered ticket not yet due does not count yet, and neither
    // does one paused (waiting on the requester) before its due time, because the pause moves the due time.
    ...aggregateByState(
      context,
      'sla_compliance',
      {
        byState: `SELECT state, ${quarterSql('first_response_due_at')} AS quarter,
                         CASE WHEN first_response_at IS NOT NULL AND first_response_at <= first_response_due_at
                              THEN 1 ELSE 0 END AS value,
                         1 AS weight
                    FROM tickets
                   WHERE merged_into_id IS NULL
                     AND first_response_due_at >= @start AND first_response_due_at < @end
                     AND (first_response_at IS NOT NULL OR first_response_due_at < coalesce(sla_paused_at, @now))`,
      },
      'ratio',
    ),

    ...aggregateByState(
      context,
      'satisfaction',
      {
        byState: `SELECT t.state, ${quarterSql('s.answered_at')} AS quarter, s.rating AS value, NULL AS weight
                    FROM ticket_surveys s JOIN tickets t ON t.id = s.ticket_id
                   WHERE t.merged_into_id IS NULL AND s.rating IS NOT NULL
                     AND s.answered_at >= @start AND s.answered_at < @end`,
      },
      'mean',
    ),
  ];
}
