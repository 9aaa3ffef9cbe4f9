/**
 * Public newsletter sign-up with double opt-in. The route returns the same
 * response whether the address is new, pending, confirmed or suppressed, so
 * the form reveals nothing about who subscribes.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import { hashToken } from '../../auth/tokens';
import { countAttempt } from '../../auth/throttle';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { sendConfirmation } from './confirmation';
import {
  emailField,
  nameField,
  roleField,
  serializeTopics,
  stateField,
  topicsField,
  type SubscriberRow,
} from './fields';
import { findSuppression, type SuppressionRow } from './suppress';
import { subscriberThrottleRules } from './throttle-rules';

export const signUpMessage =
  'Thank you. If this address can receive the newsletter, a confirmation email is on its way: open the link in it within 7 days to start your subscription.';

const signUpInput = z.object({
  email: emailField,
  name: nameField.nullable().optional(),
  state: stateField.nullable().optional(),
  role: roleField.nullable().optional(),
  topics: topicsField.optional(),
});

type SignUpOutcome = 'created' | 'refreshed' | 'already_confirmed' | 'suppressed';

/**
 * Creates a pending subscriber, or makes an existing pending or unsubscribed
 * one pending again with the new details, and queues a confirmation email.
 * A confirmed address gets no mail and keeps its details; an address
 * suppressed for any reason but "unsubscribed" gets no mail and no change.
 */
export function signUp(db: AppDatabase, input: unknown, context: ActionContext): void {
  const data = parseInput(signUpInput, input);
  countAttempt(db, `subscribe:ip:${context.ip}`, subscriberThrottleRules.signUpPerIp, context.now);
  // The key contains a hash, so throttle rows never keep the address of someone who did not subscribe.
  countAttempt(db, `subscribe:address:${hashToken(data.email)}`, subscriberThrottleRules.signUpPerAddress, context.now);

  const details = {
    name: data.name ?? null,
    state: data.state ?? null,
    role: data.role ?? null,
    topics: serializeTopics(data.topics ?? []),
  };
  const now = context.now.toISOString();

  db.transaction((tx) => {
    const existing = tx.select().from(subscribers).where(eq(subscribers.email, data.email)).get();
    const suppression = findSuppression(tx, data.email);
    const outcome = decideOutcome(existing, suppression);

    let subscriberId = existing?.id;
    if (outcome === 'created') {
      const created = tx
        .insert(subscribers)
        .values({ email: data.email, ...details, status: 'pending', source: 'signup', createdAt: now, updatedAt: now })
        .returning()
        .get();
      subscriberId = created.id;
      sendConfirmation(tx, created, context);
    } else if (outcome === 'refreshed' && existing) {
      tx.update(subscribers)
        .set({ ...details, status: 'pending', updatedAt: now })
        .where(eq(subscribers.id, existing.id))
        .run();
      sendConfirmation(tx, existing, context);
    }

    recordAudit(tx, {
      actorEmail: undefined,
      ip: context.ip,
      action: 'subscriber.signup',
      objectType: subscriberId === undefined ? undefined : 'subscriber',
      objectId: subscriberId,
      outcome: outcome === 'created' || outcome === 'refreshed' ? 'success' : 'failure',
      detail: outcome === 'suppressed' ? `suppressed_${suppression?.reason}` : outcome,
      requestId: context.requestId,
      at: context.now,
    });
  });
}

function decideOutcome(existing: SubscriberRow | undefined, suppression: SuppressionRow | undefined): SignUpOutcome {
  if (suppression && suppression.reason !== 'unsubscribed') return 'suppressed';
  if (!existing) return 'created';
  if (existing.status === 'confirmed' && !suppression) return 'already_confirmed';
  return 'refreshed';
}
