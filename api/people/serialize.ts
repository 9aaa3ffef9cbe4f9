import type { people } from '../../db/schema';

export type PersonRow = typeof people.$inferSelect;

/** The fields of a person the API returns; the password hash never leaves the server. */
export function serializePerson(person: PersonRow) {
  return {
    id: person.id,
    email: person.email,
    displayName: person.displayName,
    role: person.role,
    state: person.state,
    recordsAccess: person.recordsAccess,
    status: person.status,
    rulesAcknowledgedAt: person.rulesAcknowledgedAt,
    createdAt: person.createdAt,
    updatedAt: person.updatedAt,
  };
}

export const roleLabels = {
  state_user: 'a state user',
  state_coordinator: 'a state coordinator',
  agent: 'a help-desk agent',
  admin: 'an admin',
} as const;
