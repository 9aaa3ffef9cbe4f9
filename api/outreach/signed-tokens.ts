/**
 * Opaque signed tokens for links that work without signing in, such as
 * unsubscribe and preference links: base64url(JSON payload) + "." +
 * base64url(HMAC-SHA256). The payload holds ids and dates, never an address.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { appMeta } from '../../db/schema';

export interface SignedPayload {
  /** What the token is for, such as "unsubscribe"; a token for one purpose never works for another. */
  purpose: string;
  /** The object the token acts on, such as a subscriber id. */
  id: number;
  /** Issue time, milliseconds since the epoch. */
  issuedAt: number;
}

export function createSignedToken(payload: SignedPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** Returns the payload of a token that carries a valid signature, the right purpose and is younger than maxAgeMs. */
export function verifySignedToken(
  token: string,
  secret: string,
  purpose: string,
  now: Date,
  maxAgeMs: number,
): SignedPayload | undefined {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;

  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;

  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignedPayload;
    if (payload.purpose !== purpose || !Number.isSafeInteger(payload.id) || !Number.isFinite(payload.issuedAt))
      return undefined;
    if (now.getTime() - payload.issuedAt > maxAgeMs || payload.issuedAt - now.getTime() > 60_000) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

const secretKeyName = 'link_signing_secret';

/**
 * The key that signs links: SECRET_KEY when set, otherwise a random key the
 * server generates once and keeps in the database, so links survive restarts.
 */
export function resolveSecretKey(db: AppDatabase, configured: string | undefined, now: Date): string {
  if (configured) return configured;

  const stored = db.select().from(appMeta).where(eq(appMeta.key, secretKeyName)).get();
  if (stored) return stored.value;
  const generated = randomBytes(32).toString('base64url');
  db.insert(appMeta)
    .values({ key: secretKeyName, value: generated, updatedAt: now.toISOString() })
    .onConflictDoNothing()
    .run();
  return db.select().from(appMeta).where(eq(appMeta.key, secretKeyName)).get()?.value ?? generated;
}
