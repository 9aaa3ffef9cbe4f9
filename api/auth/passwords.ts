/**
 * Password hashing with scrypt from node:crypto. A hash is stored as
 * `scrypt$N$r$p$salt$key`, with N, r and p in decimal and the salt and the
 * derived key in base64, so a hash made with older parameters still verifies
 * and `passwordHashNeedsUpgrade` can tell when to replace it.
 *
 * Passwords are NFKC-normalized before hashing, as NIST SP 800-63B section
 * 5.1.1.2 recommends, so the composed and decomposed forms of "é" verify alike.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

interface ScryptParameters {
  /** CPU and memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

interface ParsedHash extends ScryptParameters {
  salt: Buffer;
  key: Buffer;
}

/** Parameters of new hashes. Each call needs 128 * N * r * p bytes, so 32 MiB. */
const currentParameters: Readonly<ScryptParameters> = { N: 2 ** 15, r: 8, p: 1 };
const saltBytes = 16;
const keyBytes = 64;

/**
 * Stored hashes that would need more memory than this, or that have keys or
 * salts outside these sizes, are treated as malformed. The limit keeps a
 * corrupted or forged hash from making verification allocate gigabytes.
 */
const maximumMemoryBytes = 256 * 1024 * 1024;
const minimumStoredSaltBytes = 8;
const minimumStoredKeyBytes = 16;
const maximumStoredKeyBytes = 128;

/** Hashes a password with a fresh random salt and the current parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await deriveKey(password, salt, keyBytes, currentParameters);
  const { N, r, p } = currentParameters;
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Checks a password against a stored hash, comparing keys with
 * timingSafeEqual. Returns false, without throwing, when the hash is
 * malformed or needs more memory than the limit allows.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;

  const key = await deriveKey(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

/**
 * Tells whether a stored hash should be replaced by a new one after the next
 * successful login: when any parameter, the salt or the key is smaller than
 * for new hashes. A malformed hash also returns true, although it can never
 * verify.
 */
export function passwordHashNeedsUpgrade(encoded: string): boolean {
  const parsed = parseHash(encoded);
  if (!parsed) return true;

  return (
    parsed.N < currentParameters.N ||
    parsed.r < currentParameters.r ||
    parsed.p < currentParameters.p ||
    parsed.salt.length < saltBytes ||
    parsed.key.length < keyBytes
  );
}

function deriveKey(password: string, salt: Buffer, length: number, parameters: ScryptParameters): Promise<Buffer> {
  const { N, r, p } = parameters;
  // Node 20 rejects N=2^15, r=8 under the default maxmem of 32 MiB, so allow twice what scrypt needs.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r * p };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Parses `scrypt$N$r$p$salt$key`, or returns null when any part is missing or out of range. */
function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;

  const [N, r, p] = parts.slice(1, 4).map(parsePositiveInteger);
  const salt = decodeBase64(parts[4] ?? '');
  const key = decodeBase64(parts[5] ?? '');
  if (N === undefined || r === undefined || p === undefined || !salt || !key) return null;

  if (N < 2 || !Number.isInteger(Math.log2(N))) return null;
  if (128 * N * r * p > maximumMemoryBytes) return null;
  if (salt.length < minimumStoredSaltBytes) return null;
  if (key.length < minimumStoredKeyBytes || key.length > maximumStoredKeyBytes) return null;
  return { N, r, p, salt, key };
}

function parsePositiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  return Number(text);
}

/** Decodes canonical base64 with padding, or returns null for anything else. */
function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
