import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people } from '../../db/schema';
import { recordAudit } from '../audit/record';
import { retireAccountTokens } from '../auth/account-tokens';
import type { Actor } from '../auth/actor';
import { checkPassword } from '../auth/password-policy';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { endAllSessions, startSession } from '../auth/sessions';
import { countAttempt, throttleRules } from '../auth/throttle';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { parseInput } from '../shared/validation';

const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'is required'),
  newPassword: z.string().min(1, 'is required'),
});

/**
 * Changes the signed-in person's password. Every session of the person ends,
 * including this one, and a new session token is returned for this browser.
 */
export async function changeOwnPassword(
  db: AppDatabase,
  actor: Actor,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
): Promise<string> {
  const data = parseInput(changePasswordInput, input);
  countAttempt(db, `sign-in:account:${actor.email}`, throttleRules.signInPerAccount, context.now);

  const person = db.select().from(people).where(eq(people.id, actor.id)).get();
  if (!person?.passwordHash || !(await verifyPassword(data.currentPassword, person.passwordHash))) {
    recordAudit(db, {
      actor,
      ip: context.ip,
      action: 'account.password_changed',
      objectType: 'person',
      objectId: actor.id,
      outcome: 'failure',
      detail: 'wrong_current_password',
      requestId: context.requestId,
      at: context.now,
    });
    throw new AppError(400, 'wrong_current_password', 'currentPassword: is not your current password.');
  }
  const problem = checkPassword(data.newPassword, {
    role: actor.role,
    email: actor.email,
    displayName: actor.displayName,
  });
  if (problem) throw new AppError(400, `password_${problem.code}`, `newPassword: ${problem.message}`);
  const hash = await hashPassword(data.newPassword);

  return db.transaction((tx) => {
    tx.update(people)
      .set({ passwordHash: hash, passwordChangedAt: context.now.toISOString(), updatedAt: context.now.toISOString() })
      .where(eq(people.id, actor.id))
      .run();
    retireAccountTokens(tx, actor.id, 'password_reset', context.now);
    endAllSessions(tx, actor.id);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'account.password_changed',
      objectType: 'person',
      objectId: actor.id,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });
    return startSession(tx, actor.id, context.ip, context.now);
  });
}
