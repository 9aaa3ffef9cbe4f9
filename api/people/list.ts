import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people, personStatuses, roles } from '../../db/schema';
import { containsText } from '../../db/sql-helpers';
import type { Actor } from '../auth/actor';
import { stateCodes } from '../shared/states';
import { parseInput } from '../shared/validation';
import { coordinatorManagedRoles } from './scope';
import { serializePerson } from './serialize';

const listQuery = z.object({
  state: z.enum(stateCodes).optional(),
  role: z.enum(roles).optional(),
  status: z.enum(personStatuses).optional(),
  search: z.string().trim().max(100).optional(),
});

/** People the actor manages: everyone for admins, their own state's state users and coordinators for coordinators. */
export function listPeople(db: AppDatabase, actor: Actor, query: unknown) {
  const filters = parseInput(listQuery, query);
  const conditions: SQL[] = [];

  if (actor.role === 'state_coordinator') {
    conditions.push(eq(people.state, actor.state ?? ''), inArray(people.role, [...coordinatorManagedRoles]));
  }
  if (filters.state) conditions.push(eq(people.state, filters.state));
  if (filters.role) conditions.push(eq(people.role, filters.role));
  if (filters.status) conditions.push(eq(people.status, filters.status));
  if (filters.search) {
    const match = or(containsText(people.email, filters.search), containsText(people.displayName, filters.search));
    if (match) conditions.push(match);
  }

  const rows = db
    .select()
    .from(people)
    .where(and(...conditions))
    .orderBy(asc(people.displayName))
    .limit(500)
    .all();
  return rows.map(serializePerson);
}
