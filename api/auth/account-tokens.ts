/** Single-use account tokens: invitation links (72 hours) and password-reset links (1 hour). */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { accountTokens, people } from '../../db/schema';
import type { DatabaseOrTransaction } from '../audit/record';
import { AppError } from '../errors';
import { createToken, hashToken } from './tokens';

export type TokenPurpose = 'invitation' | 'password_reset';

const hour = 60 * 60_000;
export const tokenValidityMs: Record<TokenPurpose, number> = {
  invitation: 72 * hour,
  password_reset: 1 * hour,
};

/** Issues a new token and retires every earlier unused token of the same purpose for that person. */
export function issueAccountToken(
  db: DatabaseOrTransaction,
  options: { personId: number; purpose: TokenPurpose; createdBy?: number; now: Date },
): string {
  retireAccountTokens(db, options.personId, options.purpose, options.now);

  const { token, hash } = createToken();
  db.insert(accountTokens)
    .values({
      personId: options.personId,
      purpose: options.purpose,
      tokenHash: hash,
      createdAt: options.now.toISOString(),
      expiresAt: new Date(options.now.getTime() + tokenValidityMs[options.purpose]).toISOString(),
      createdBy: options.createdBy ?? null,
    })
    .run();
  return token;
}

/** Marks every unused token of the purpose as used, so no earlier link keeps working. */
export function retireAccountTokens(
  db: DatabaseOrTransaction,
  personId: number,
  purpose: TokenPurpose,
  now: Date,
): void {
  db.update(accountTokens)
    .set({ usedAt: now.toISOString() })
    .where(and(eq(accountTokens.personId, personId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
    .run();
}

/**
 * Returns the person of a usable token without using it up. A token that is
 * unknown, used, expired, or older than the person's last password change is
 * rejected the same way, so the answer reveals nothing about which it was.
 */
export function findUsableAccountToken(db: DatabaseOrTransaction, token: string, purpose: TokenPurpose, now: Date) {
  const row = db
    .select({ token: accountTokens, person: people })
    .from(accountTokens)
    .innerJoin(people, eq(people.id, accountTokens.personId))
    .where(
      and(
        eq(accountTokens.tokenHash, hashToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now.toISOString()),
      ),
    )
    .get();

  const changedSince = row?.person.passwordChangedAt && row.person.passwordChangedAt > row.token.createdAt;
  if (!row || changedSince) throw invalidLink(purpose);
  return row;
}

/** Uses a token once and returns its person; see findUsableAccountToken for what is rejected. */
export function consumeAccountToken(db: DatabaseOrTransaction, token: string, purpose: TokenPurpose, now: Date) {
  const row = findUsableAccountToken(db, token, purpose, now);
  db.update(accountTokens).set({ usedAt: now.toISOString() }).where(eq(accountTokens.id, row.token.id)).run();
  return row.person;
}

function invalidLink(purpose: TokenPurpose): AppError {
  const next =
    purpose === 'invitation'
      ? 'Ask the person who invited you to send a new invitation.'
      : 'Request a new password-reset link from the sign-in page.';
  return new AppError(
    400,
    'invalid_link',
    `This link no longer works: it was already used, it expired, or a newer one was sent. ${next}`,
  );
}
