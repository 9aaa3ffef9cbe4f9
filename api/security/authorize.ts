/**
 * Deny-by-default authorization for /api routes, driven by the route policy
 * table. Runs after the session middleware, so `person` is known.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppDependencies, AppEnv } from '../app';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { findRoutePolicy } from './route-policy';

export function authorize(dependencies: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const routePath = findHandlerPath(c);
    if (!routePath) return next();

    const policy = findRoutePolicy(c.req.method, routePath);
    const person = c.get('person');
    if (!policy) {
      dependencies.logger.error(
        { method: c.req.method, routePath },
        'route has no entry in the route policy table; denied',
      );
      throw deny(c, dependencies, routePath, 'route_not_in_policy');
    }
    if (policy.access === 'public') return next();

    if (!person)
      throw new AppError(
        401,
        'sign_in_required',
        'Sign in to continue. If you were signed in, your session has ended.',
      );
    if (policy.access !== 'signed-in' && !policy.access.includes(person.role))
      throw deny(c, dependencies, routePath, 'role_not_allowed');
    if (!policy.beforeRules && c.get('rulesOfBehaviorRequired')) {
      throw new AppError(
        403,
        'rules_of_behavior_required',
        'Read and acknowledge the Rules of Behavior before you continue.',
      );
    }
    return next();
  };
}

/** Returns the path pattern of the route handler for this request, such as "/api/people/:id". */
function findHandlerPath(c: Context): string | undefined {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  return matchedRoutes(c).find((route) => route.method === method)?.path;
}

function deny(c: Context<AppEnv>, dependencies: AppDependencies, routePath: string, reason: string): AppError {
  const person = c.get('person');
  recordAudit(dependencies.database.db, {
    actor: person,
    ip: c.get('clientIp'),
    action: 'authorization.denied',
    objectType: 'route',
    objectId: `${c.req.method} ${routePath}`,
    outcome: 'denied',
    detail: reason,
    requestId: c.get('requestId'),
    at: dependencies.clock(),
  });
  return new AppError(
    403,
    'forbidden',
    'You do not have permission to do this. Ask your state coordinator or an admin if you need access.',
  );
}
