import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { recordAudit } from '../audit/record';
import { parseInput } from '../shared/validation';
import { z } from 'zod';
import { acceptInvitation, completePasswordReset, requestPasswordReset } from './password-reset';
import { acknowledgeRulesOfBehavior } from './rules-of-behavior';
import { clearSessionCookie, endSession, idleTimeoutMs, writeSessionCookie } from './sessions';
import { signIn } from './sign-in';
import { actionContext, requireActor } from '../shared/route-helpers';

const signInInput = z.object({
  email: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(1024),
});

const acknowledgementInput = z.object({
  acknowledge: z.literal(true, { errorMap: () => ({ message: 'must be true to acknowledge the Rules of Behavior' }) }),
});

export function authRoutes(dependencies: AppDependencies) {
  const { database, clock } = dependencies;
  const routes = new Hono<AppEnv>();

  routes.get('/session', (c) => {
    const person = c.get('person');
    if (!person) return c.json({ signedIn: false });

    return c.json({
      signedIn: true,
      person: {
        id: person.id,
        email: person.email,
        displayName: person.displayName,
        role: person.role,
        state: person.state,
        recordsAccess: person.recordsAccess,
      },
      rulesOfBehaviorRequired: c.get('rulesOfBehaviorRequired'),
      idleTimeoutSeconds: idleTimeoutMs(person.role) / 1000,
    });
  });

  routes.post('/sign-in', async (c) => {
    const input = parseInput(signInInput, c.get('body'));
    const result = await signIn(database.db, {
      email: input.email,
      password: input.password,
      ip: c.get('clientIp'),
      requestId: c.get('requestId'),
      previousSessionId: c.get('sessionId'),
      now: clock(),
    });

    writeSessionCookie(c, result.token);
    return c.json({
      person: {
        id: result.actor.id,
        email: result.actor.email,
        displayName: result.actor.displayName,
        role: result.actor.role,
        state: result.actor.state,
      },
      rulesOfBehaviorRequired: result.rulesOfBehaviorRequired,
    });
  });

  routes.post('/sign-out', (c) => {
    const actor = requireActor(c);
    const sessionId = c.get('sessionId');

    database.db.transaction((tx) => {
      if (sessionId) endSession(tx, sessionId);
      recordAudit(tx, {
        actor,
        ip: c.get('clientIp'),
        action: 'auth.sign_out',
        objectType: 'person',
        objectId: actor.id,
        outcome: 'success',
        requestId: c.get('requestId'),
        at: clock(),
      });
    });
    clearSessionCookie(c);
    return c.json({ signedOut: true });
  });

  routes.post('/password-reset/request', (c) => {
    requestPasswordReset(database.db, c.get('body'), actionContext(c, dependencies));
    return c.json(
      { message: 'If that address belongs to an active account, a reset link is on its way. It works for one hour.' },
      202,
    );
  });

  routes.post('/password-reset/complete', async (c) => {
    await completePasswordReset(database.db, c.get('body'), actionContext(c, dependencies));
    return c.json({ message: 'Your password has been changed. Sign in with your new password.' });
  });

  routes.post('/invitations/accept', async (c) => {
    await acceptInvitation(database.db, c.get('body'), actionContext(c, dependencies));
    return c.json({ message: 'Your password is set and your account is active. Sign in to continue.' });
  });

  routes.post('/rules-of-behavior', (c) => {
    const actor = requireActor(c);
    parseInput(acknowledgementInput, c.get('body'));

    acknowledgeRulesOfBehavior(database.db, actor, {
      ip: c.get('clientIp'),
      now: clock(),
      requestId: c.get('requestId'),
    });
    c.set('rulesOfBehaviorRequired', false);
    return c.json({ acknowledged: true });
  });

  return routes;
}
