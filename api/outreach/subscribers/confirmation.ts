/** Double opt-in links: a random single-use token, stored as its SHA-256 hash, valid for 7 days. */
import { eq } from 'drizzle-orm';
import { subscribers } from '../../../db/schema';
import { renderSubscriptionConfirmation } from '../../../emails/templates/outreach';
import type { DatabaseOrTransaction } from '../../audit/record';
import { createToken } from '../../auth/tokens';
import type { ActionContext } from '../../shared/action-context';

export const confirmationValidDays = 7;
export const confirmationValidityMs = confirmationValidDays * 86_400_000;

/**
 * Gives a pending subscriber a new confirmation link, which retires the
 * earlier one, and queues the confirmation email in the caller's transaction.
 */
export function sendConfirmation(
  tx: DatabaseOrTransaction,
  subscriber: { id: number; email: string },
  context: Pick<ActionContext, 'mail' | 'now'>,
): void {
  const { token, hash } = createToken();
  tx.update(subscribers)
    .set({ confirmTokenHash: hash, confirmSentAt: context.now.toISOString() })
    .where(eq(subscribers.id, subscriber.id))
    .run();

  const message = renderSubscriptionConfirmation({
    link: context.mail.link(`/newsletters/subscribe/#token=${token}`),
    validDays: confirmationValidDays,
  });
  context.mail.queue(tx, { kind: 'subscription_confirmation', to: subscriber.email, message, now: context.now });
}

/** Checks whether a confirmation sent at `sentAt` (ISO time) still works at `now`. */
export function isConfirmationCurrent(sentAt: string | null, now: Date): boolean {
  return sentAt !== null && now.getTime() - Date.parse(sentAt) < confirmationValidityMs;
}
