/** CSV export of the subscribers matching the list filters. Formula-like cells are neutralized by renderCsv. */
import { asc } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { renderCsv } from '../../shared/csv';
import { parseTopics } from './fields';
import { buildSubscriberConditions } from './list';

export const subscriberCsvHeader = [
  'email',
  'name',
  'state',
  'role',
  'topics',
  'status',
  'source',
  'confirmed_at',
  'unsubscribed_at',
  'created_at',
] as const;

/**
 * Renders the matching subscribers as CSV, topics separated by ";" as the
 * import reads them, and records the export in the audit log because the file
 * contains addresses and names.
 */
export function exportSubscribers(
  db: AppDatabase,
  actor: Actor,
  query: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
): string {
  const where = buildSubscriberConditions(query);
  const rows = db.select().from(subscribers).where(where).orderBy(asc(subscribers.email)).all();

  recordAudit(db, {
    actor,
    ip: context.ip,
    action: 'subscriber.exported',
    objectType: 'subscriber',
    outcome: 'success',
    detail: `${rows.length} rows`,
    requestId: context.requestId,
    at: context.now,
  });

  return renderCsv(
    subscriberCsvHeader,
    rows.map((row) => [
      row.email,
      row.name,
      row.state,
      row.role,
      parseTopics(row.topics).join(';'),
      row.status,
      row.source,
      row.confirmedAt,
      row.unsubscribedAt,
      row.createdAt,
    ]),
  );
}
