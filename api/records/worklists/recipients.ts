/** Recipients of the worklist and move-notice mail. */
import { and, eq, inArray, or } from 'drizzle-orm';
import { people } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';

export interface Recipient {
  id: number;
  email: string;
  displayName: string;
}

/**
 * Active people with data-administrator records access in any of the states,
 * and active admins (national) with that access.
 */
export function findDataAdministrators(db: DatabaseOrTransaction, states: readonly string[]): Recipient[] {
  const inStatesOrAdmin =
    states.length > 0 ? or(inArray(people.state, [...states]), eq(people.role, 'admin')) : eq(people.role, 'admin');
  return db
    .select({ id: people.id, email: people.email, displayName: people.displayName })
    .from(people)
    .where(and(eq(people.status, 'active'), eq(people.recordsAccess, 'data_administrator'), inStatesOrAdmin))
    .orderBy(people.id)
    .all();
}

/** Active state coordinators of one state, who receive and acknowledge its move notices. */
export function findStateCoordinators(db: DatabaseOrTransaction, state: string): Recipient[] {
  return db
    .select({ id: people.id, email: people.email, displayName: people.displayName })
    .from(people)
    .where(and(eq(people.status, 'active'), eq(people.role, 'state_coordinator'), eq(people.state, state)))
    .orderBy(people.id)
    .all();
}
