/**
 * Outreach: newsletter subscribers, campaign reach, and webinar registrations
 * and attendance, by the subscriber's or registrant's state. People who gave
 * no state count for the nation only.
 */
import { aggregateByState, quarterSql } from './sql';
import type { ComputedFigure, GroupContext } from './types';

export function computeOutreach(context: GroupContext): ComputedFigure[] {
  return [
    // A subscriber counts at the end of every quarter after confirming and before unsubscribing. Confirming
    // again after unsubscribing replaces both times, so the earlier spell of such a subscriber is not counted.
    ...aggregateByState(
      context,
      'subscribers',
      {
        byState: `SELECT s.state, q.quarter, NULL AS value, NULL AS weight
                    FROM subscribers s
                    JOIN (SELECT json_extract(value, '$.quarter') AS quarter, json_extract(value, '$.end') AS quarter_end
                            FROM json_each(@quarterEnds)) q
                      ON s.confirmed_at < q.quarter_end
                     AND (s.unsubscribed_at IS NULL OR s.unsubscribed_at >= q.quarter_end)`,
      },
      'count',
    ),

    // Campaign deliveries the mail server accepted, in the quarter they were sent.
    ...aggregateByState(
      context,
      'campaign_reach',
      {
        byState: `SELECT s.state, ${quarterSql('o.sent_at')} AS quarter, NULL AS value, NULL AS weight
                    FROM outbox_messages o LEFT JOIN subscribers s ON s.id = o.subscriber_id
                   WHERE o.campaign_id IS NOT NULL AND o.status = 'sent'
                     AND o.sent_at >= @start AND o.sent_at < @end`,
      },
      'count',
    ),

    // Registrations in the quarter they were made; cancelled ones do not count.
    ...aggregateByState(
      context,
      'webinar_registrations',
      {
        byState: `SELECT state, ${quarterSql('created_at')} AS quarter, NULL AS value, NULL AS weight
                    FROM event_registrations
                   WHERE status <> 'cancelled' AND created_at >= @start AND created_at < @end`,
      },
      'count',
    ),

    // Registrants marked as attended by the attendance import, in the quarter they registered.
    ...aggregateByState(
      context,
      'webinar_attendance',
      {
        byState: `SELECT state, ${quarterSql('created_at')} AS quarter, NULL AS value, NULL AS weight
                    FROM event_registrations
                   WHERE attended = 1 AND created_at >= @start AND created_at < @end`,
      },
      'count',
    ),
  ];
}
