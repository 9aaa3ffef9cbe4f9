import type { Context } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { ActionContext } from './action-context';

/** Returns the signed-in person; routes behind a "signed-in" policy always have one. */
export function requireActor(c: Context<AppEnv>): Actor {
  const person = c.get('person');
  if (!person) throw new AppError(401, 'sign_in_required', 'Sign in to continue.');
  return person;
}

export function actionContext(c: Context<AppEnv>, dependencies: AppDependencies): ActionContext {
  return { ip: c.get('clientIp'), requestId: c.get('requestId'), now: dependencies.clock(), mail: dependencies.mail };
}

/** Reads a numeric id path parameter; anything else gets a 404, like a missing object. */
export function readIdParam(c: Context<AppEnv>, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new AppError(404, 'not_found', `No object with id ${raw} was found.`);
  return id;
}
