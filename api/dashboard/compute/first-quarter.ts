/** The first quarter with anything the dashboard counts. */
import type { AppDatabase } from '../../../db/client';
import { connectionOf } from '../../records/search/connection';
import { addQuarters, isQuarter, quarterOf, type Quarter } from '../quarters';
import { quarterSql } from './sql';

/** The refresh keeps at most this many quarters (five years), the current one included. */
export const maxQuarters = 20;

const earliestTimes = [
  "SELECT min(finished_at) AS earliest FROM record_uploads WHERE status IN ('completed', 'rejected')",
  'SELECT min(sent_at) AS earliest FROM move_notices',
  'SELECT min(decided_at) AS earliest FROM near_match_decisions',
  'SELECT min(period_start) AS earliest FROM plans WHERE is_current = 1',
  'SELECT min(created_at) AS earliest FROM tickets',
  'SELECT min(answered_at) AS earliest FROM ticket_surveys',
  'SELECT min(confirmed_at) AS earliest FROM subscribers',
  'SELECT min(sent_at) AS earliest FROM outbox_messages WHERE campaign_id IS NOT NULL',
  'SELECT min(created_at) AS earliest FROM event_registrations',
];

/**
 * Returns the quarter of the earliest searched, uploaded, sent, decided,
 * planned, opened, answered, confirmed or registered item on file, but no
 * earlier than `maxQuarters` - 1 quarters before the current one and no later
 * than the current one (which it also is when nothing is on file).
 */
export function findFirstQuarter(db: AppDatabase, now: Date): Quarter {
  const current = quarterOf(now.toISOString());
  const oldest = addQuarters(current, -(maxQuarters - 1));
  const statement = [
    'SELECT min(quarter) AS quarter FROM usage_counts',
    ...earliestTimes.map((query) => `SELECT ${quarterSql('earliest')} AS quarter FROM (${query})`),
  ].join(' UNION ALL ');
  const quarters = (connectionOf(db).prepare(statement).all() as Array<{ quarter: string | null }>)
    .map((row) => row.quarter)
    .filter((quarter): quarter is Quarter => quarter !== null && isQuarter(quarter))
    .sort();

  const first = quarters[0] ?? current;
  if (first < oldest) return oldest;
  return first > current ? current : first;
}
