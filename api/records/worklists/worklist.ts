/** The worklist of one state (or of every state, for admins): open near matches and pending merge and split requests. */
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { stateCodes } from '../../shared/states';
import { requireRecordsAccess } from '../access';
import { listPendingChanges } from './change-requests';
import { listNearMatches } from './near-matches';

/**
 * Returns the worklist of `scope`: a USPS state code, or `all` for every
 * state. State data administrators work their own state; admins with
 * data-administrator access work any state or all of them.
 */
export function readWorklist(db: AppDatabase, actor: Actor, requestedScope: string | undefined, now: Date) {
  const scope = (requestedScope ?? '').trim();
  const normalized = scope === 'all' ? 'all' : scope.toUpperCase();
  if (normalized !== 'all' && !(stateCodes as readonly string[]).includes(normalized)) {
    throw new AppError(
      400,
      'invalid_input',
      'state: is required; give a USPS state code such as TX, or all (admins only).',
    );
  }
  requireRecordsAccess(actor, 'data_administrator');
  if (actor.role !== 'admin' && normalized !== actor.state) {
    throw new AppError(403, 'other_state', `You work the worklist of ${actor.state ?? 'your state'} only.`);
  }

  return {
    state: normalized,
    nearMatches: listNearMatches(db, normalized, now),
    changeRequests: listPendingChanges(db, actor, normalized),
  };
}
