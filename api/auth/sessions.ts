/**
 * Server-side sessions. The browser keeps a random 256-bit token in a
 * __Host- cookie; the database keeps only its SHA-256 hash.
 */
import { eq, lt, or } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { people, sessions, type Role } from '../../db/schema';
import type { DatabaseOrTransaction } from '../audit/record';
import type { Actor } from './actor';
import { createToken, hashToken } from './tokens';

export const sessionCookieName = '__Host-msix_session';

const minute = 60_000;
/** Absolute session length, whatever the activity. */
export const absoluteSessionMs = 12 * 60 * minute;

/** Idle time after which a session ends: shorter for admins, who can change every account. */
export function idleTimeoutMs(role: Role): number {
  return role === 'admin' ? 10 * minute : 15 * minute;
}

/** Age of last_seen_at after which a request writes it again, so reads do not write on every call. */
const lastSeenWriteIntervalMs = 30_000;

export function startSession(db: DatabaseOrTransaction, personId: number, ip: string, now: Date): string {
  const { token, hash } = createToken();
  db.insert(sessions)
    .values({
      id: hash,
      personId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + absoluteSessionMs).toISOString(),
      ip,
    })
    .run();
  return token;
}

export type SessionLookup =
  | { status: 'none' }
  | { status: 'expired'; personId: number; reason: 'idle' | 'absolute' | 'account_inactive' }
  | { status: 'active'; sessionId: string; actor: Actor; rulesAcknowledgedAt: string | null };

/** Finds the session for a token, ending it when it has passed its idle or absolute limit. */
export function findSession(db: DatabaseOrTransaction, token: string | undefined, now: Date): SessionLookup {
  if (!token) return { status: 'none' };

  const sessionId = hashToken(token);
  const row = db
    .select({ session: sessions, person: people })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(eq(sessions.id, sessionId))
    .get();
  if (!row) return { status: 'none' };

  const { session, person } = row;
  const reason = findExpiryReason(session, person.role, person.status, now);
  if (reason) {
    db.delete(sessions).where(eq(sessions.id, sessionId)).run();
    return { status: 'expired', personId: person.id, reason };
  }

  if (now.getTime() - Date.parse(session.lastSeenAt) > lastSeenWriteIntervalMs) {
    db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.id, sessionId)).run();
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
  return { status: 'active', sessionId, actor, rulesAcknowledgedAt: person.rulesAcknowledgedAt };
}

function findExpiryReason(
  session: typeof sessions.$inferSelect,
  role: Role,
  status: string,
  now: Date,
): 'idle' | 'absolute' | 'account_inactive' | undefined {
  if (status !== 'active') return 'account_inactive';
  if (now.getTime() >= Date.parse(session.expiresAt)) return 'absolute';
  if (now.getTime() - Date.parse(session.lastSeenAt) >= idleTimeoutMs(role)) return 'idle';
  return undefined;
}

export function endSession(db: DatabaseOrTransaction, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Ends every session of a person, for sign-out everywhere, password changes and disabled accounts. */
export function endAllSessions(db: DatabaseOrTransaction, personId: number): void {
  db.delete(sessions).where(eq(sessions.personId, personId)).run();
}

/** Deletes sessions past their absolute end or idle for longer than the longest idle timeout. */
export function deleteExpiredSessions(db: DatabaseOrTransaction, now: Date): void {
  const idleCutoff = new Date(now.getTime() - idleTimeoutMs('state_user')).toISOString();
  db.delete(sessions)
    .where(or(lt(sessions.expiresAt, now.toISOString()), lt(sessions.lastSeenAt, idleCutoff)))
    .run();
}

export function readSessionToken(c: Context): string | undefined {
  return getCookie(c, sessionCookieName);
}

/** Sets the session cookie. It has no Max-Age, so it also ends when the browser closes. */
export function writeSessionCookie(c: Context, token: string): void {
  setCookie(c, sessionCookieName, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName, { path: '/', secure: true });
}
