import { eq } from 'drizzle-orm';
import { people, type Role } from '../../db/schema';
import type { DatabaseOrTransaction } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { PersonRow } from './serialize';

/** Roles a state coordinator may give and manage: the state roles of their own state. */
export const coordinatorManagedRoles: readonly Role[] = ['state_user', 'state_coordinator'];

export function canManage(actor: Actor, person: Pick<PersonRow, 'role' | 'state'>): boolean {
  if (actor.role === 'admin') return true;
  return (
    actor.role === 'state_coordinator' && person.state === actor.state && coordinatorManagedRoles.includes(person.role)
  );
}

/**
 * Loads a person the actor may manage. Anyone outside the actor's scope
 * answers 404 exactly like a missing id, so ids of other states reveal nothing.
 */
export function findManagedPerson(db: DatabaseOrTransaction, actor: Actor, id: number): PersonRow {
  const person = db.select().from(people).where(eq(people.id, id)).get();
  if (!person || !canManage(actor, person)) throw new AppError(404, 'not_found', `No person with id ${id} was found.`);
  return person;
}
