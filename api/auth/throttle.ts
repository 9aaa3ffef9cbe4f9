/**
 * Fixed-window throttling stored in the database, so limits hold across
 * restarts. Each key names an action and an account or IP address.
 */
import { eq } from 'drizzle-orm';
import { throttleCounters } from '../../db/schema';
import type { DatabaseOrTransaction } from '../audit/record';
import { AppError } from '../errors';

export interface ThrottleRule {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

const minute = 60_000;

export const throttleRules = {
  signInPerAccount: { limit: 5, windowMs: 15 * minute },
  signInPerIp: { limit: 30, windowMs: 15 * minute },
  resetPerAccount: { limit: 3, windowMs: 60 * minute },
  resetPerIp: { limit: 10, windowMs: 60 * minute },
  tokenUsePerIp: { limit: 10, windowMs: 15 * minute },
  invitationsPerInviter: { limit: 30, windowMs: 60 * minute },
  invitationsPerIp: { limit: 60, windowMs: 60 * minute },
} satisfies Record<string, ThrottleRule>;

/** A 429 error; the error handler turns retryAfterSeconds into a Retry-After header. */
export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', `Too many attempts. Wait ${describeWait(retryAfterSeconds)} and try again.`);
  }
}

/** Counts one attempt under the key, or throws TooManyRequestsError when the window's limit is already reached. */
export function countAttempt(db: DatabaseOrTransaction, key: string, rule: ThrottleRule, now: Date): void {
  const row = db.select().from(throttleCounters).where(eq(throttleCounters.key, key)).get();
  const windowStart = row ? Date.parse(row.windowStartedAt) : 0;

  if (!row || now.getTime() - windowStart >= rule.windowMs) {
    db.insert(throttleCounters)
      .values({ key, windowStartedAt: now.toISOString(), count: 1 })
      .onConflictDoUpdate({ target: throttleCounters.key, set: { windowStartedAt: now.toISOString(), count: 1 } })
      .run();
    return;
  }
  if (row.count >= rule.limit) {
    throw new TooManyRequestsError(Math.max(1, Math.ceil((windowStart + rule.windowMs - now.getTime()) / 1000)));
  }
  db.update(throttleCounters)
    .set({ count: row.count + 1 })
    .where(eq(throttleCounters.key, key))
    .run();
}

/** Clears a key, such as an account's sign-in failures after a successful sign-in. */
export function resetAttempts(db: DatabaseOrTransaction, key: string): void {
  db.delete(throttleCounters).where(eq(throttleCounters.key, key)).run();
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
