/**
 * The recipients of a campaign: confirmed subscribers whose state is in the
 * audience's states, whose role is in its roles, and who follow at least one
 * of its topics. An empty audience list matches everyone, and a subscriber
 * without topics follows every topic. Recipients are read in batches by
 * subscriber id, so no caller keeps the whole list in memory.
 */
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { subscribers, suppressions } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { parseTopics } from '../subscribers/fields';
import type { Audience } from './campaign';

export interface Recipient {
  subscriberId: number;
  email: string;
  /** Whether the address is on the suppression list now. */
  suppressed: boolean;
}

export interface RecipientBatch {
  recipients: Recipient[];
  /** The last subscriber id read, matching or not: the next batch starts after it. */
  lastId: number;
  /** Whether no subscriber is left after this batch. */
  done: boolean;
}

/** Reads up to `limit` confirmed subscribers with ids after `afterId` and keeps those the audience matches. */
export function readRecipientBatch(
  db: DatabaseOrTransaction,
  audience: Audience,
  afterId: number,
  limit: number,
): RecipientBatch {
  const conditions: SQL[] = [eq(subscribers.status, 'confirmed'), gt(subscribers.id, afterId)];
  if (audience.states.length > 0) conditions.push(inArray(subscribers.state, audience.states));
  if (audience.roles.length > 0) conditions.push(inArray(subscribers.role, audience.roles));

  const rows = db
    .select({
      id: subscribers.id,
      email: subscribers.email,
      topics: subscribers.topics,
      suppressionId: suppressions.id,
    })
    .from(subscribers)
    .leftJoin(suppressions, eq(suppressions.email, subscribers.email))
    .where(and(...conditions))
    .orderBy(asc(subscribers.id))
    .limit(limit)
    .all();

  const recipients = rows
    .filter((row) => followsAudienceTopics(row.topics, audience))
    .map((row) => ({ subscriberId: row.id, email: row.email, suppressed: row.suppressionId !== null }));
  return { recipients, lastId: rows.at(-1)?.id ?? afterId, done: rows.length < limit };
}

/** Counts the recipients the audience matches now, and how many of them are suppressed. */
export function countRecipients(db: DatabaseOrTransaction, audience: Audience): { total: number; suppressed: number } {
  const counts = { total: 0, suppressed: 0 };
  let afterId = 0;
  for (;;) {
    const batch = readRecipientBatch(db, audience, afterId, 2000);
    counts.total += batch.recipients.length;
    counts.suppressed += batch.recipients.filter((recipient) => recipient.suppressed).length;
    if (batch.done) return counts;
    afterId = batch.lastId;
  }
}

function followsAudienceTopics(storedTopics: string, audience: Audience): boolean {
  if (audience.topics.length === 0) return true;
  const topics = parseTopics(storedTopics);
  return topics.length === 0 || topics.some((topic) => audience.topics.includes(topic));
}
