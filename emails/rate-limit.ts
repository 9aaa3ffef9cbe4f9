/**
 * The rate limit of one mail transport: messages handed to it per second and
 * per day (UTC calendar day), as fixed windows counted in mail_rate_counters.
 * The counts survive restarts and are shared by processes that use the same
 * database. A message counts before it is handed to the transport, whether
 * the server then accepts it or not, so a crash after the send cannot leave
 * it uncounted.
 *
 * Campaign deliveries may use only part of the daily budget, so that account
 * mail, such as password resets, still goes out on a day a large campaign
 * used up its share.
 */
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/client';
import { mailRateCounters } from '../db/schema';

export interface MailRateLimits {
  /** Messages handed to the transport in one clock second, at least 1. */
  perSecond: number;
  /** Messages handed to the transport in one UTC day, at least 1. */
  perDay: number;
}

/** Kind of message, which decides the daily budget it draws on. */
export type MailCategory = 'campaign' | 'other';

/** Share of the daily budget that campaign deliveries may use; the rest is kept for other mail. */
export const campaignShareOfDailyBudget = 0.9;

export interface MailRateLimiter {
  /** How many messages of the category may be handed to the transport now. */
  remaining(now: Date, category: MailCategory): number;
  /**
   * Counts one message if the category's budget allows it and returns true,
   * or returns false and counts nothing. One write transaction, so two
   * processes never both take the last place in a window.
   */
  take(now: Date, category: MailCategory): boolean;
  /** The start of the window after the one that is full: the next second, or the next UTC day. */
  nextOpening(now: Date, category: MailCategory): Date;
}

const dayMs = 86_400_000;

export function createMailRateLimiter(db: AppDatabase, transportName: string, limits: MailRateLimits): MailRateLimiter {
  assertLimits(limits);
  const dayLimits: Record<MailCategory, number> = {
    other: limits.perDay,
    campaign: Math.max(1, Math.floor(limits.perDay * campaignShareOfDailyBudget)),
  };
  const secondPrefix = `second:${transportName}|`;
  const dayPrefix = `day:${transportName}|`;
  const secondKey = (now: Date) => `${secondPrefix}${now.toISOString().slice(0, 19)}Z`;
  const dayKey = (now: Date) => `${dayPrefix}${now.toISOString().slice(0, 10)}`;

  function readCounts(reader: Pick<AppDatabase, 'select'>, now: Date): { second: number; day: number } {
    const keys = [secondKey(now), dayKey(now)];
    const rows = reader.select().from(mailRateCounters).where(inArray(mailRateCounters.key, keys)).all();
    const countOf = (key: string) => rows.find((row) => row.key === key)?.count ?? 0;
    return { second: countOf(keys[0]!), day: countOf(keys[1]!) };
  }

  function remainingFrom(counts: { second: number; day: number }, category: MailCategory): number {
    return Math.max(0, Math.min(limits.perSecond - counts.second, dayLimits[category] - counts.day));
  }

  return {
    remaining(now, category) {
      return remainingFrom(readCounts(db, now), category);
    },

    take(now, category) {
      return db.transaction(
        (tx) => {
          const counts = readCounts(tx, now);
          if (remainingFrom(counts, category) < 1) return false;

          for (const key of [secondKey(now), dayKey(now)]) {
            tx.insert(mailRateCounters)
              .values({ key, count: 1 })
              .onConflictDoUpdate({ target: mailRateCounters.key, set: { count: sql`${mailRateCounters.count} + 1` } })
              .run();
          }
          // The first message of a new second removes the finished seconds of this transport, so the table stays small.
          if (counts.second === 0) {
            tx.delete(mailRateCounters)
              .where(and(gte(mailRateCounters.key, secondPrefix), lt(mailRateCounters.key, secondKey(now))))
              .run();
          }
          return true;
        },
        { behavior: 'immediate' },
      );
    },

    nextOpening(now, category) {
      const counts = readCounts(db, now);
      if (counts.day >= dayLimits[category]) {
        return new Date(Math.floor(now.getTime() / dayMs) * dayMs + dayMs);
      }
      return new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
    },
  };
}

function assertLimits(limits: MailRateLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Invalid mail rate limit ${name}=${value}: expected a whole number of at least 1.`);
    }
  }
}
