/**
 * Subscriber fields as every entry point checks them (sign-up, preferences,
 * admin import), and the subscriber as the API returns it.
 */
import { z } from 'zod';
import type { subscribers } from '../../../db/schema';
import { assertRecipientAddress } from '../../../emails/addresses';
import { audienceIds, topicIds, type AudienceId, type TopicId } from '../../../site/lib/taxonomy';
import { stateCodes, type StateCode } from '../../shared/states';

export type SubscriberRow = typeof subscribers.$inferSelect;

/** C0 and C1 control characters, DEL and the Unicode line and paragraph separators. */
const controlCharacterPattern = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const controlCharacterMessage =
  'must not contain line breaks (CR or LF) or other control characters; write it on one line';

export const maxNameLength = 100;

export function containsControlCharacters(value: string): boolean {
  return controlCharacterPattern.test(value);
}

/** Checks whether the outbox accepts the address as a recipient, so every stored address can be mailed. */
export function isDeliverableAddress(address: string): boolean {
  try {
    assertRecipientAddress(address);
    return true;
  } catch {
    return false;
  }
}

/** Text checked for control characters before trimming, so a trailing CR or LF is rejected rather than silently dropped. */
const singleLineText = z
  .string()
  .refine((value) => !containsControlCharacters(value), controlCharacterMessage)
  .transform((value) => value.trim());

export const emailField = singleLineText
  .transform((value) => value.toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'is required, such as name@agency.gov')
      .max(254, 'must have at most 254 characters')
      .refine(isDeliverableAddress, 'must be one email address such as name@agency.gov, without a display name'),
  );

/** An optional name; an empty or blank value means no name. */
export const nameField = singleLineText
  .pipe(z.string().max(maxNameLength, `must have at most ${maxNameLength} characters`))
  .transform((value) => (value === '' ? null : value));

/** A USPS state code, such as TX; lowercase is accepted and an empty value means no state. */
export const stateField = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.toUpperCase() : value),
    z.union([z.literal(''), z.enum(stateCodes)], {
      errorMap: () => ({ message: `must be a USPS state code such as TX; allowed: ${stateCodes.join(', ')}` }),
    }),
  )
  .transform((value): StateCode | null => (value === '' ? null : value));

/** One audience id of the content taxonomy; an empty value means no role. */
export const roleField = z
  .union([z.literal(''), z.enum(audienceIds)], {
    errorMap: () => ({ message: `must be one of ${audienceIds.join(', ')}` }),
  })
  .transform((value): AudienceId | null => (value === '' ? null : value));

/** Topic ids of the content taxonomy, without repeats; an empty list means every topic. */
export const topicsField = z
  .array(z.enum(topicIds), { invalid_type_error: `must be a list of topic ids: ${topicIds.join(', ')}` })
  .max(topicIds.length, `must list at most ${topicIds.length} topics`)
  .transform((values) => [...new Set(values)]);

/** Reads the stored topics JSON; anything but a list of known topic ids counts as "every topic". */
export function parseTopics(stored: string): TopicId[] {
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    return value.filter((item): item is TopicId => topicIds.includes(item as TopicId));
  } catch {
    return [];
  }
}

export function serializeTopics(topics: readonly TopicId[]): string {
  return JSON.stringify([...topics]);
}

/** Serializes the subscriber as admins see it, without the confirmation token hash. */
export function serializeSubscriber(row: SubscriberRow, suppression?: { reason: string } | undefined) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    state: row.state,
    role: row.role,
    topics: parseTopics(row.topics),
    status: row.status,
    source: row.source,
    confirmedAt: row.confirmedAt,
    unsubscribedAt: row.unsubscribedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    /** The suppression reason when the address is on the suppression list, otherwise null. */
    suppressed: suppression?.reason ?? null,
  };
}
