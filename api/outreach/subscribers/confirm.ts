/** The second step of double opt-in: the link from the confirmation email makes a pending subscriber confirmed. */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import { hashToken } from '../../auth/tokens';
import { countAttempt } from '../../auth/throttle';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { buildPreferencesUrl } from '../unsubscribe-links';
import { isConfirmationCurrent } from './confirmation';
import { liftUnsubscribedSuppression } from './suppress';
import { subscriberThrottleRules } from './throttle-rules';

const confirmInput = z.object({
  token: z
    .string({ required_error: 'is missing; open the link from the confirmation email again' })
    .min(20, 'is incomplete; open the link from the confirmation email again, or copy the whole address')
    .max(200, 'is too long; open the link from the confirmation email again'),
});

export interface LinkSettings {
  siteUrl: string;
  /** The app's link-signing key (AppDependencies.linkSecret). */
  secret: string;
}

/**
 * Confirms the subscription of a valid, unused, unexpired confirmation link and
 * lifts an "unsubscribed" suppression of the address. Returns the subscriber's
 * preferences link, so the confirmation page can offer it.
 */
export function confirmSubscription(
  db: AppDatabase,
  input: unknown,
  context: ActionContext,
  links: LinkSettings,
): { preferencesUrl: string } {
  const { token } = parseInput(confirmInput, input);
  countAttempt(db, `subscribe-confirm:ip:${context.ip}`, subscriberThrottleRules.confirmPerIp, context.now);

  return db.transaction((tx) => {
    const subscriber = tx
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.confirmTokenHash, hashToken(token)), eq(subscribers.status, 'pending')))
      .get();
    if (!subscriber || !isConfirmationCurrent(subscriber.confirmSentAt, context.now)) throw invalidConfirmationLink();

    const now = context.now.toISOString();
    tx.update(subscribers)
      .set({ status: 'confirmed', confirmedAt: now, unsubscribedAt: null, confirmTokenHash: null, updatedAt: now })
      .where(eq(subscribers.id, subscriber.id))
      .run();
    const lifted = liftUnsubscribedSuppression(tx, subscriber.email);

    recordAudit(tx, {
      actorEmail: undefined,
      ip: context.ip,
      action: 'subscriber.confirmed',
      objectType: 'subscriber',
      objectId: subscriber.id,
      outcome: 'success',
      detail: lifted ? 'unsubscribed suppression lifted' : undefined,
      requestId: context.requestId,
      at: context.now,
    });
    return {
      preferencesUrl: buildPreferencesUrl({
        subscriberId: subscriber.id,
        siteUrl: links.siteUrl,
        secret: links.secret,
        now: context.now,
      }),
    };
  });
}

function invalidConfirmationLink(): AppError {
  return new AppError(
    400,
    'invalid_link',
    'This confirmation link no longer works: it was already used, it expired after 7 days, or a newer one was sent. Sign up again on the newsletter page to get a new link.',
  );
}
