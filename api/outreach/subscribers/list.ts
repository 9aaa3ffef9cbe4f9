/** The admin list of subscribers, with the filters the list and the CSV export share. */
import { and, asc, count, eq, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { subscribers, subscriberStatuses, suppressions } from '../../../db/schema';
import { containsText } from '../../../db/sql-helpers';
import { audienceIds, topicIds } from '../../../site/lib/taxonomy';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { serializeSubscriber } from './fields';

export const maxListedSubscribers = 500;

export const subscriberQuery = z.object({
  status: z.enum(subscriberStatuses).optional(),
  state: z.enum(stateCodes).optional(),
  role: z.enum(audienceIds).optional(),
  topic: z.enum(topicIds).optional(),
  search: z.string().trim().max(254, 'must have at most 254 characters').optional(),
});

/**
 * Conditions for the filters. `topic` matches the subscribers who receive that
 * topic: those who chose it and those who chose no topic, which means every topic.
 */
export function buildSubscriberConditions(query: unknown): SQL | undefined {
  const filters = parseInput(subscriberQuery, query);
  const conditions: SQL[] = [];

  if (filters.status) conditions.push(eq(subscribers.status, filters.status));
  if (filters.state) conditions.push(eq(subscribers.state, filters.state));
  if (filters.role) conditions.push(eq(subscribers.role, filters.role));
  if (filters.topic) {
    // Topics are stored as a JSON list of ids, and ids contain no quotes, so the quoted id matches one whole element.
    const topicMatch = or(containsText(subscribers.topics, `"${filters.topic}"`), eq(subscribers.topics, '[]'));
    if (topicMatch) conditions.push(topicMatch);
  }
  if (filters.search) {
    const match = or(containsText(subscribers.email, filters.search), containsText(subscribers.name, filters.search));
    if (match) conditions.push(match);
  }
  return and(...conditions);
}

/** Subscribers matching the filters, by address, at most 500, with the total count of matches. */
export function listSubscribers(db: AppDatabase, query: unknown) {
  const where = buildSubscriberConditions(query);
  const rows = db
    .select({ subscriber: subscribers, suppressionReason: suppressions.reason })
    .from(subscribers)
    .leftJoin(suppressions, eq(suppressions.email, subscribers.email))
    .where(where)
    .orderBy(asc(subscribers.email))
    .limit(maxListedSubscribers)
    .all();
  const total = db.select({ total: count() }).from(subscribers).where(where).get()?.total ?? 0;

  return {
    subscribers: rows.map((row) =>
      serializeSubscriber(row.subscriber, row.suppressionReason ? { reason: row.suppressionReason } : undefined),
    ),
    total,
    limit: maxListedSubscribers,
  };
}
