import type { MiddlewareHandler } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { recordAudit } from '../audit/record';
import { getClientIp } from '../shared/client-ip';
import { isRulesAcknowledgementDue } from './rules-of-behavior';
import { clearSessionCookie, findSession, readSessionToken } from './sessions';

/** Loads the signed-in person, if any, into `person`; an expired session is ended and its cookie cleared. */
export function loadSession({ database, clock }: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const now = clock();
    const ip = getClientIp(c);
    c.set('clientIp', ip);
    c.set('rulesOfBehaviorRequired', false);

    const token = readSessionToken(c);
    const lookup = findSession(database.db, token, now);
    if (lookup.status === 'active') {
      c.set('person', lookup.actor);
      c.set('sessionId', lookup.sessionId);
      c.set('rulesOfBehaviorRequired', isRulesAcknowledgementDue(lookup.rulesAcknowledgedAt, now));
    } else if (token) {
      clearSessionCookie(c);
    }
    if (lookup.status === 'expired') {
      recordAudit(database.db, {
        ip,
        actorEmail: undefined,
        action: 'auth.session_ended',
        objectType: 'person',
        objectId: lookup.personId,
        outcome: 'success',
        detail: lookup.reason,
        requestId: c.get('requestId'),
        at: now,
      });
    }
    return next();
  };
}
