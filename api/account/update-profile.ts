import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people } from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from '../auth/actor';
import type { ActionContext } from '../shared/action-context';
import { parseInput } from '../shared/validation';
import { serializePerson } from '../people/serialize';

/**
 * What people may change about themselves. Other fields in the body, such as
 * role, state or records access, are dropped, never applied.
 */
const profileInput = z.object({
  displayName: z.string().trim().min(2, 'must have at least 2 characters').max(100, 'must have at most 100 characters'),
});

export function updateOwnProfile(db: AppDatabase, actor: Actor, input: unknown, context: Omit<ActionContext, 'mail'>) {
  const { displayName } = parseInput(profileInput, input);

  const updated = db.transaction((tx) => {
    const row = tx
      .update(people)
      .set({ displayName, updatedAt: context.now.toISOString() })
      .where(eq(people.id, actor.id))
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'account.profile_updated',
      objectType: 'person',
      objectId: actor.id,
      outcome: 'success',
      detail: 'displayName changed',
      requestId: context.requestId,
      at: context.now,
    });
    return row;
  });
  return serializePerson(updated);
}
