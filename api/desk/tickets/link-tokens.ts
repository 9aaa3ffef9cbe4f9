/** Single-use link tokens: 256 random bits sent by email; the database stores only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export function createLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
