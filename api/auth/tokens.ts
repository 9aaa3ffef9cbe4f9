import { createHash, randomBytes } from 'node:crypto';

/** Returns a new random token of 256 bits, URL-safe, and its SHA-256 hash for storage. */
export function createToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
