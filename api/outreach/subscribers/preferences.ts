/**
 * Preferences through a signed link (purpose "preferences", valid 365 days):
 * read and change name, state, role and topics, or unsubscribe, without signing in.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { readPreferencesToken } from '../unsubscribe-links';
import {
  nameField,
  parseTopics,
  roleField,
  serializeTopics,
  stateField,
  topicsField,
  type SubscriberRow,
} from './fields';
import { unsubscribeSubscriber } from './unsubscribe';

/** Leaving a field out keeps its value; null or an empty string clears it. */
const preferencesInput = z
  .object({
    name: nameField.nullable().optional(),
    state: stateField.nullable().optional(),
    role: roleField.nullable().optional(),
    topics: topicsField.optional(),
    unsubscribe: z
      .literal(true, { errorMap: () => ({ message: 'must be true to unsubscribe, or left out' }) })
      .optional(),
  })
  .strict('only name, state, role, topics and unsubscribe can be changed here');

/** Returns the preferences of the subscriber that the token names. */
export function readPreferences(db: AppDatabase, token: string, secret: string, now: Date) {
  return serializePreferences(findSubscriberByToken(db, token, secret, now));
}

/** Changes the preferences, or unsubscribes when `unsubscribe: true` is sent, in one transaction with the audit row. */
export function updatePreferences(
  db: AppDatabase,
  token: string,
  input: unknown,
  context: ActionContext,
  secret: string,
) {
  const subscriber = findSubscriberByToken(db, token, secret, context.now);
  const data = parseInput(preferencesInput, input);

  if (data.unsubscribe) {
    unsubscribeSubscriber(db, { subscriberId: subscriber.id, campaignId: null, channel: 'preferences' }, context);
    return serializePreferences(findSubscriberByToken(db, token, secret, context.now));
  }

  const changes: Partial<Pick<SubscriberRow, 'name' | 'state' | 'role' | 'topics'>> = {};
  if (data.name !== undefined && data.name !== subscriber.name) changes.name = data.name;
  if (data.state !== undefined && data.state !== subscriber.state) changes.state = data.state;
  if (data.role !== undefined && data.role !== subscriber.role) changes.role = data.role;
  if (data.topics !== undefined) {
    const topics = serializeTopics(data.topics);
    if (topics !== subscriber.topics) changes.topics = topics;
  }

  const changedFields = Object.keys(changes);
  if (changedFields.length === 0) return serializePreferences(subscriber);

  const updated = db.transaction((tx) => {
    const row = tx
      .update(subscribers)
      .set({ ...changes, updatedAt: context.now.toISOString() })
      .where(eq(subscribers.id, subscriber.id))
      .returning()
      .get();
    recordAudit(tx, {
      actorEmail: undefined,
      ip: context.ip,
      action: 'subscriber.preferences_updated',
      objectType: 'subscriber',
      objectId: subscriber.id,
      outcome: 'success',
      detail: `changed ${changedFields.join(', ')}`,
      requestId: context.requestId,
      at: context.now,
    });
    return row;
  });
  return serializePreferences(updated ?? subscriber);
}

function findSubscriberByToken(db: AppDatabase, token: string, secret: string, now: Date): SubscriberRow {
  const subscriberId = readPreferencesToken(token, secret, now);
  const subscriber =
    subscriberId === undefined
      ? undefined
      : db.select().from(subscribers).where(eq(subscribers.id, subscriberId)).get();
  if (!subscriber) {
    throw new AppError(
      400,
      'invalid_link',
      'This preferences link does not work: it is incomplete, it was changed, or it is more than 365 days old. Open the preferences link in a recent newsletter, or sign up again on the newsletter page.',
    );
  }
  return subscriber;
}

/** Serializes what the preferences page shows: the subscriber's own address and choices, never ids or token hashes. */
function serializePreferences(row: SubscriberRow) {
  return {
    preferences: {
      email: row.email,
      name: row.name,
      state: row.state,
      role: row.role,
      topics: parseTopics(row.topics),
      status: row.status,
    },
  };
}
