import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { people } from '../../db/schema';
import type { AppDependencies, AppEnv } from '../app';
import { writeSessionCookie } from '../auth/sessions';
import { serializePerson } from '../people/serialize';
import { actionContext, requireActor } from '../shared/route-helpers';
import { changeOwnPassword } from './change-password';
import { updateOwnProfile } from './update-profile';

export function accountRoutes(dependencies: AppDependencies) {
  const { database } = dependencies;
  const routes = new Hono<AppEnv>();

  routes.get('/', (c) => {
    const actor = requireActor(c);
    const person = database.db.select().from(people).where(eq(people.id, actor.id)).get();
    if (!person) throw new Error(`signed-in person ${actor.id} has no row`);

    return c.json({ person: serializePerson(person), rulesOfBehaviorRequired: c.get('rulesOfBehaviorRequired') });
  });

  routes.patch('/', (c) => {
    const person = updateOwnProfile(database.db, requireActor(c), c.get('body'), actionContext(c, dependencies));
    return c.json({ person });
  });

  routes.post('/password', async (c) => {
    const token = await changeOwnPassword(database.db, requireActor(c), c.get('body'), actionContext(c, dependencies));
    writeSessionCookie(c, token);
    return c.json({ message: 'Your password has been changed. You have been signed out everywhere else.' });
  });

  return routes;
}
