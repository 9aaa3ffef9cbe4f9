import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { people, rulesAcknowledgements } from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from './actor';

/** Version of the Rules of Behavior text on /rules-of-behavior/; change it when the text changes. */
export const rulesOfBehaviorVersion = '2026-12';

/** People acknowledge the Rules of Behavior at first sign-in and again once this much time has passed. */
const acknowledgementValidMs = 365 * 24 * 60 * 60_000;

export function isRulesAcknowledgementDue(acknowledgedAt: string | null, now: Date): boolean {
  if (!acknowledgedAt) return true;
  return now.getTime() - Date.parse(acknowledgedAt) >= acknowledgementValidMs;
}

export function acknowledgeRulesOfBehavior(
  db: AppDatabase,
  actor: Actor,
  context: { ip: string; now: Date; requestId?: string },
): void {
  db.transaction((tx) => {
    tx.insert(rulesAcknowledgements)
      .values({
        personId: actor.id,
        rulesVersion: rulesOfBehaviorVersion,
        acknowledgedAt: context.now.toISOString(),
        ip: context.ip,
      })
      .run();
    tx.update(people)
      .set({ rulesAcknowledgedAt: context.now.toISOString(), updatedAt: context.now.toISOString() })
      .where(eq(people.id, actor.id))
      .run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'rules_of_behavior.acknowledged',
      objectType: 'person',
      objectId: actor.id,
      outcome: 'success',
      detail: `version ${rulesOfBehaviorVersion}`,
      requestId: context.requestId,
      at: context.now,
    });
  });
}
