import type { Actor } from '../auth/actor';
import type { DatabaseOrTransaction } from '../audit/record';
import { usageEvents, type UsageEventKind } from '../../db/schema';

/**
 * Counts one use of the records exchange for the dashboard. Call it in the
 * same transaction as the action's audit row. It stores the actor's state and
 * role, never who they are.
 */
export function recordUsage(
  db: DatabaseOrTransaction,
  event: UsageEventKind,
  actor: Pick<Actor, 'role' | 'state'>,
  at: Date,
): void {
  db.insert(usageEvents).values({ occurredAt: at.toISOString(), event, state: actor.state, role: actor.role }).run();
}
