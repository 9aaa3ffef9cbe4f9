import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { auditLog } from '../../db/schema';
import { containsText } from '../../db/sql-helpers';
import { parseInput } from '../shared/validation';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

export const auditQuery = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export type AuditQuery = z.infer<typeof auditQuery>;

/** Audit rows matching the filters, newest first. `to` includes the whole day, in UTC. */
export function listAuditEntries(db: AppDatabase, query: unknown, options: { maxRows?: number } = {}) {
  const filters = parseInput(auditQuery, query);
  const conditions = buildConditions(filters);
  const limit = options.maxRows ?? filters.limit;

  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .offset(options.maxRows ? 0 : filters.offset)
    .all();
}

function buildConditions(filters: AuditQuery): SQL[] {
  const conditions: SQL[] = [];
  if (filters.actor) conditions.push(containsText(auditLog.actorEmail, filters.actor));
  if (filters.action) conditions.push(containsText(auditLog.action, filters.action));
  if (filters.outcome) conditions.push(eq(auditLog.outcome, filters.outcome));
  if (filters.from) conditions.push(gte(auditLog.occurredAt, `${filters.from}T00:00:00.000Z`));
  if (filters.to) {
    const dayAfter = new Date(`${filters.to}T00:00:00.000Z`);
    dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
    conditions.push(lt(auditLog.occurredAt, dayAfter.toISOString()));
  }
  return conditions;
}
