import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { people } from '../../db/schema';
import { recordAudit } from '../audit/record';
import { AppError } from '../errors';
import type { Actor } from './actor';
import { verifyPassword } from './passwords';
import { isRulesAcknowledgementDue } from './rules-of-behavior';
import { endSession, startSession } from './sessions';
import { countAttempt, resetAttempts, throttleRules } from './throttle';

export interface SignInRequest {
  email: string;
  password: string;
  ip: string;
  requestId?: string;
  /** Session the browser already had; it is ended so an old or planted token never survives sign-in. */
  previousSessionId?: string;
  now: Date;
}

export interface SignInResult {
  token: string;
  actor: Actor;
  rulesOfBehaviorRequired: boolean;
}

/** A fixed hash to verify against when the account is unknown, so both cases take about as long. */
const unknownAccountHash =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

const wrongCredentials = () =>
  new AppError(
    401,
    'invalid_credentials',
    'The email address or password is not correct. Check both and try again, or reset your password.',
  );

export async function signIn(db: AppDatabase, request: SignInRequest): Promise<SignInResult> {
  const email = request.email.trim().toLowerCase();
  const accountKey = `sign-in:account:${email}`;
  countAttempt(db, `sign-in:ip:${request.ip}`, throttleRules.signInPerIp, request.now);
  countAttempt(db, accountKey, throttleRules.signInPerAccount, request.now);

  const person = db.select().from(people).where(eq(people.email, email)).get();
  const passwordMatches = await verifyPassword(request.password, person?.passwordHash ?? unknownAccountHash);
  const failure = (detail: string, actorId?: number) =>
    recordAudit(db, {
      actor: undefined,
      actorEmail: email,
      ip: request.ip,
      action: 'auth.sign_in',
      objectType: actorId === undefined ? undefined : 'person',
      objectId: actorId,
      outcome: 'failure',
      detail,
      requestId: request.requestId,
      at: request.now,
    });

  if (!person || !person.passwordHash) {
    failure(person ? 'password_not_set' : 'unknown_account', person?.id);
    throw wrongCredentials();
  }
  if (!passwordMatches) {
    failure('wrong_password', person.id);
    throw wrongCredentials();
  }
  if (person.status === 'disabled') {
    failure('account_disabled', person.id);
    throw new AppError(
      403,
      'account_disabled',
      'Your account is disabled. Ask your state coordinator or an admin to enable it.',
    );
  }
  if (person.status !== 'active') {
    failure('account_deactivated', person.id);
    throw new AppError(
      403,
      'account_deactivated',
      'Your account has been closed. Ask your state coordinator or an admin for a new one.',
    );
  }

  const actor: Actor = {
    id: person.id,
    email: person.email,
    displayName: person.displayName,
    role: person.role,
    state: person.state,
    recordsAccess: person.recordsAccess,
    status: person.status,
  };
  const token = db.transaction((tx) => {
    if (request.previousSessionId) endSession(tx, request.previousSessionId);
    resetAttempts(tx, accountKey);
    recordAudit(tx, {
      actor,
      ip: request.ip,
      action: 'auth.sign_in',
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      requestId: request.requestId,
      at: request.now,
    });
    return startSession(tx, person.id, request.ip, request.now);
  });

  return { token, actor, rulesOfBehaviorRequired: isRulesAcknowledgementDue(person.rulesAcknowledgedAt, request.now) };
}
