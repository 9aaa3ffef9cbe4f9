import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people, recordsAccessLevels, roles } from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { stateCodes } from '../shared/states';
import { parseInput } from '../shared/validation';
import { resolveState } from './invite';
import { canManage, coordinatorManagedRoles, findManagedPerson } from './scope';
import { serializePerson } from './serialize';

const updateInput = z
  .object({
    displayName: z
      .string()
      .trim()
      .min(2, 'must have at least 2 characters')
      .max(100, 'must have at most 100 characters'),
    role: z.enum(roles),
    state: z.enum(stateCodes).nullable(),
    recordsAccess: z.enum(recordsAccessLevels),
  })
  .partial();

/** Changes a person's name, role, state or records access; the audit row lists the fields that changed. */
export function updatePerson(
  db: AppDatabase,
  actor: Actor,
  id: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(updateInput, input);
  const person = findManagedPerson(db, actor, id);
  if (data.role && actor.role !== 'admin' && !coordinatorManagedRoles.includes(data.role)) {
    throw new AppError(
      403,
      'forbidden',
      'State coordinators can give only the state user and state coordinator roles.',
    );
  }
  if (person.id === actor.id && (data.role !== undefined || data.state !== undefined)) {
    throw new AppError(403, 'forbidden', 'You cannot change your own role or state. Ask another admin.');
  }

  const role = data.role ?? person.role;
  const roleOrStateChanged = data.role !== undefined || data.state !== undefined;
  const state = roleOrStateChanged
    ? resolveState(actor, role, data.state === undefined ? person.state : data.state)
    : person.state;
  if (!canManage(actor, { role, state })) {
    throw new AppError(
      403,
      'forbidden',
      'State coordinators can give only the state user and state coordinator roles of their own state.',
    );
  }

  const changes = {
    displayName: data.displayName ?? person.displayName,
    role,
    state,
    recordsAccess: data.recordsAccess ?? person.recordsAccess,
  };
  const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
    (field) => changes[field] !== person[field],
  );
  if (changed.length === 0) return serializePerson(person);

  const updated = db.transaction((tx) => {
    const row = tx
      .update(people)
      .set({ ...changes, updatedAt: context.now.toISOString() })
      .where(eq(people.id, person.id))
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'person.updated',
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      detail: changed
        .map((field) =>
          field === 'displayName' ? 'displayName changed' : `${field}: ${person[field]} -> ${changes[field]}`,
        )
        .join('; '),
      requestId: context.requestId,
      at: context.now,
    });
    return row;
  });
  return serializePerson(updated);
}
