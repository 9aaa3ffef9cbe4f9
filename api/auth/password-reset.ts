import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people } from '../../db/schema';
import { renderPasswordReset } from '../../emails/templates/accounts';
import { recordAudit } from '../audit/record';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { parseInput } from '../shared/validation';
import {
  consumeAccountToken,
  findUsableAccountToken,
  issueAccountToken,
  retireAccountTokens,
  tokenValidityMs,
} from './account-tokens';
import { checkPassword } from './password-policy';
import { hashPassword } from './passwords';
import { endAllSessions } from './sessions';
import { countAttempt, throttleRules } from './throttle';

const resetRequestInput = z.object({ email: z.string().trim().toLowerCase().email('must be a valid email address') });
const setPasswordInput = z.object({
  token: z.string().min(20, 'is missing or incomplete; open the link from your email again').max(200),
  password: z.string().min(1, 'is required'),
});

/**
 * Emails a one-hour reset link when the address belongs to an active account.
 * The answer is the same either way, so it reveals nothing about who has an account.
 */
export function requestPasswordReset(db: AppDatabase, input: unknown, context: ActionContext): void {
  const { email } = parseInput(resetRequestInput, input);
  countAttempt(db, `reset:ip:${context.ip}`, throttleRules.resetPerIp, context.now);
  countAttempt(db, `reset:account:${email}`, throttleRules.resetPerAccount, context.now);

  const person = db.select().from(people).where(eq(people.email, email)).get();
  let failureReason: string | undefined;
  if (!person) failureReason = 'unknown_account';
  else if (person.status !== 'active') failureReason = `account_${person.status}`;

  db.transaction((tx) => {
    if (person?.status === 'active') {
      const token = issueAccountToken(tx, { personId: person.id, purpose: 'password_reset', now: context.now });
      const message = renderPasswordReset({
        displayName: person.displayName,
        link: context.mail.link(`/reset-password/#token=${token}`),
        validMinutes: tokenValidityMs.password_reset / 60_000,
      });
      context.mail.queue(tx, { kind: 'password_reset', to: person.email, message, now: context.now });
    }
    recordAudit(tx, {
      actor: undefined,
      actorEmail: email,
      ip: context.ip,
      action: 'auth.password_reset_requested',
      objectType: person ? 'person' : undefined,
      objectId: person?.id,
      outcome: failureReason ? 'failure' : 'success',
      detail: failureReason,
      requestId: context.requestId,
      at: context.now,
    });
  });
}

/** Sets a new password from a reset link; every session and every other reset link of the person stops working. */
export async function completePasswordReset(
  db: AppDatabase,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
): Promise<void> {
  await setPasswordFromToken(db, input, context, 'password_reset');
}

/** Sets the first password from an invitation link and activates the account. */
export async function acceptInvitation(
  db: AppDatabase,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
): Promise<void> {
  await setPasswordFromToken(db, input, context, 'invitation');
}

async function setPasswordFromToken(
  db: AppDatabase,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
  purpose: 'invitation' | 'password_reset',
): Promise<void> {
  const data = parseInput(setPasswordInput, input);
  countAttempt(db, `token:ip:${context.ip}`, throttleRules.tokenUsePerIp, context.now);

  // Check the link and the password first, so a rejected password leaves the link usable for another try.
  const { person: holder } = findUsableAccountToken(db, data.token, purpose, context.now);
  rejectUnusableAccount(holder.status, purpose);
  rejectUnusablePassword(data.password, holder);
  const hash = await hashPassword(data.password);

  db.transaction((tx) => {
    const person = consumeAccountToken(tx, data.token, purpose, context.now);
    rejectUnusableAccount(person.status, purpose);

    tx.update(people)
      .set({
        passwordHash: hash,
        passwordChangedAt: context.now.toISOString(),
        status: 'active',
        updatedAt: context.now.toISOString(),
      })
      .where(eq(people.id, person.id))
      .run();
    retireAccountTokens(tx, person.id, 'password_reset', context.now);
    endAllSessions(tx, person.id);
    recordAudit(tx, {
      actor: { id: person.id, email: person.email, role: person.role },
      ip: context.ip,
      action: purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset_completed',
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });
  });
}

function rejectUnusableAccount(status: string, purpose: 'invitation' | 'password_reset'): void {
  if (purpose === 'invitation' && status !== 'invited') {
    throw new AppError(
      409,
      'invalid_status',
      'This account already has a password. Sign in, or reset your password from the sign-in page.',
    );
  }
  if (purpose === 'password_reset' && status !== 'active') {
    throw new AppError(
      403,
      'account_inactive',
      'This account is not active, so its password cannot be reset. Ask your state coordinator or an admin.',
    );
  }
}

function rejectUnusablePassword(
  password: string,
  person: { role: 'state_user' | 'state_coordinator' | 'agent' | 'admin'; email: string; displayName: string },
): void {
  const problem = checkPassword(password, { role: person.role, email: person.email, displayName: person.displayName });
  if (problem) throw new AppError(400, `password_${problem.code}`, problem.message);
}
