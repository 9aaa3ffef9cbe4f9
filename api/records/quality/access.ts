/** Access to data-quality figures, which contain counts and locations but no student's personal details. */
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';

/**
 * Throws 403 unless the person may read the state's figures. Admins may read
 * every state. People with records access (viewer or data administrator) may
 * read their own state, or every state when they are national. State
 * coordinators may read their own state, because they keep the state's MDE
 * data-source crosswalk.
 */
export function requireQualityAccess(actor: Actor, state: string): void {
  if (actor.role === 'admin') return;
  const hasGrant = actor.recordsAccess !== 'none';
  if (actor.state === null && hasGrant) return;
  if (actor.state === state && (hasGrant || actor.role === 'state_coordinator')) return;
  if (actor.state !== null && actor.state !== state) {
    throw new AppError(
      403,
      'other_state',
      `Only people of ${state} and admins can see ${state}'s data-quality results.`,
    );
  }
  throw new AppError(
    403,
    'records_access_required',
    'Data-quality results need records access. Ask your state coordinator or an admin for it.',
  );
}
