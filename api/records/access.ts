/**
 * The records-access grant: student records need their own grant on a person
 * (viewer or data administrator), whatever the role.
 */
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';

/** Throws 403 unless the person has at least `level` records access. */
export function requireRecordsAccess(actor: Actor, level: 'viewer' | 'data_administrator'): void {
  if (actor.recordsAccess === 'data_administrator') return;
  if (level === 'viewer' && actor.recordsAccess === 'viewer') return;
  const needed =
    level === 'viewer' ? 'records access (viewer or data administrator)' : 'data-administrator records access';
  throw new AppError(
    403,
    'records_access_required',
    `This needs ${needed}. Ask your state coordinator or an admin for it.`,
  );
}

/**
 * Throws 403 unless the person is a data administrator for `state`: a state
 * person of that state, or an admin (national) with the grant.
 */
export function requireStateDataAdministrator(actor: Actor, state: string): void {
  requireRecordsAccess(actor, 'data_administrator');
  if (actor.role === 'admin' || actor.state === state) return;
  throw new AppError(403, 'other_state', `Only data administrators of ${state} can do this.`);
}
