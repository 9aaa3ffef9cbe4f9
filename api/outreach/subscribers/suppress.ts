/**
 * The suppression list: addresses no campaign may mail, whatever their
 * subscriber status. An "unsubscribed" entry is lifted when the person
 * confirms a new sign-up. Sign-ups and imports never lift hard_bounce,
 * complaint and manual entries.
 */
import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { suppressions } from '../../../db/schema';
import { containsText } from '../../../db/sql-helpers';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { emailField } from './fields';

export const suppressionReasons = ['unsubscribed', 'hard_bounce', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** Reasons an admin may add by hand; "unsubscribed" comes only from the subscriber. */
export const manualSuppressionReasons = ['hard_bounce', 'complaint', 'manual'] as const;

export type SuppressionRow = typeof suppressions.$inferSelect;

/** Returns the suppression entry of an address, if any. The address is compared in lowercase. */
export function findSuppression(db: DatabaseOrTransaction, email: string): SuppressionRow | undefined {
  return db.select().from(suppressions).where(eq(suppressions.email, email.trim().toLowerCase())).get();
}

/** Returns true when the address is on the suppression list, so no campaign may mail it. */
export function isSuppressed(db: DatabaseOrTransaction, email: string): boolean {
  return findSuppression(db, email) !== undefined;
}

export type SuppressOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Puts an address on the suppression list. An existing "unsubscribed" entry
 * takes the new reason when it is hard_bounce, complaint or manual, so a
 * later sign-up cannot lift it. Any other existing entry is kept as it is.
 * Writes no audit row, so the caller records the action in the same transaction.
 */
export function suppress(
  db: DatabaseOrTransaction,
  entry: { email: string; reason: SuppressionReason; campaignId?: number | null | undefined; now: Date },
): { outcome: SuppressOutcome; suppression: SuppressionRow } {
  const email = entry.email.trim().toLowerCase();
  const existing = findSuppression(db, email);

  if (!existing) {
    const created = db
      .insert(suppressions)
      .values({ email, reason: entry.reason, campaignId: entry.campaignId ?? null, createdAt: entry.now.toISOString() })
      .returning()
      .get();
    return { outcome: 'created', suppression: created };
  }

  if (existing.reason === 'unsubscribed' && entry.reason !== 'unsubscribed') {
    const updated = db
      .update(suppressions)
      .set({ reason: entry.reason, campaignId: entry.campaignId ?? existing.campaignId })
      .where(eq(suppressions.id, existing.id))
      .returning()
      .get();
    return { outcome: 'updated', suppression: updated ?? existing };
  }
  return { outcome: 'unchanged', suppression: existing };
}

/** Removes an "unsubscribed" entry, which a confirmed new sign-up lifts. Entries with any other reason stay. */
export function liftUnsubscribedSuppression(db: DatabaseOrTransaction, email: string): boolean {
  const removed = db
    .delete(suppressions)
    .where(and(eq(suppressions.email, email.trim().toLowerCase()), eq(suppressions.reason, 'unsubscribed')))
    .returning({ id: suppressions.id })
    .all();
  return removed.length > 0;
}

const maxListedSuppressions = 500;

const listQuery = z.object({
  reason: z.enum(suppressionReasons).optional(),
  search: z.string().trim().max(254, 'must have at most 254 characters').optional(),
});

/** Suppression entries matching the filters, oldest first, at most 500, with the total count of matches. */
export function listSuppressions(db: AppDatabase, query: unknown) {
  const filters = parseInput(listQuery, query);
  const conditions: SQL[] = [];
  if (filters.reason) conditions.push(eq(suppressions.reason, filters.reason));
  if (filters.search) conditions.push(containsText(suppressions.email, filters.search));

  const where = and(...conditions);
  const rows = db
    .select()
    .from(suppressions)
    .where(where)
    .orderBy(asc(suppressions.createdAt), asc(suppressions.id))
    .limit(maxListedSuppressions)
    .all();
  const total = db.select({ total: count() }).from(suppressions).where(where).get()?.total ?? 0;
  return { suppressions: rows.map(serializeSuppression), total, limit: maxListedSuppressions };
}

const addInput = z.object({
  email: emailField,
  reason: z.enum(manualSuppressionReasons),
});

/** Adds an address to the suppression list by hand (hard_bounce, complaint or manual), with its audit row. */
export function addSuppression(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext) {
  const data = parseInput(addInput, input);

  return db.transaction((tx) => {
    const result = suppress(tx, { email: data.email, reason: data.reason, now: context.now });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'suppression.added',
      objectType: 'suppression',
      objectId: result.suppression.id,
      outcome: 'success',
      detail: `reason ${data.reason}, ${result.outcome}${result.outcome === 'unchanged' ? ` (kept ${result.suppression.reason})` : ''}`,
      requestId: context.requestId,
      at: context.now,
    });
    return { outcome: result.outcome, suppression: serializeSuppression(result.suppression) };
  });
}

export function serializeSuppression(row: SuppressionRow) {
  return { id: row.id, email: row.email, reason: row.reason, campaignId: row.campaignId, createdAt: row.createdAt };
}
