import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { actionContext, readIdParam, requireActor } from '../shared/route-helpers';
import { changePersonStatus, resendInvitation, type StatusChange } from './change-status';
import { invitePerson } from './invite';
import { listPeople } from './list';
import { findManagedPerson } from './scope';
import { serializePerson } from './serialize';
import { updatePerson } from './update';

export function peopleRoutes(dependencies: AppDependencies) {
  const { database } = dependencies;
  const routes = new Hono<AppEnv>();

  routes.get('/', (c) => c.json({ people: listPeople(database.db, requireActor(c), c.req.query()) }));

  routes.post('/', (c) => {
    const person = invitePerson(database.db, requireActor(c), c.get('body'), actionContext(c, dependencies));
    return c.json({ person }, 201);
  });

  routes.get('/:id', (c) => {
    const person = findManagedPerson(database.db, requireActor(c), readIdParam(c));
    return c.json({ person: serializePerson(person) });
  });

  routes.patch('/:id', (c) => {
    const person = updatePerson(
      database.db,
      requireActor(c),
      readIdParam(c),
      c.get('body'),
      actionContext(c, dependencies),
    );
    return c.json({ person });
  });

  routes.post('/:id/invitation', (c) => {
    const person = resendInvitation(database.db, requireActor(c), readIdParam(c), actionContext(c, dependencies));
    return c.json({ person });
  });

  for (const change of ['disable', 'enable', 'deactivate'] as const satisfies readonly StatusChange[]) {
    routes.post(`/:id/${change}`, (c) => {
      const person = changePersonStatus(
        database.db,
        requireActor(c),
        readIdParam(c),
        change,
        actionContext(c, dependencies),
      );
      return c.json({ person });
    });
  }

  return routes;
}
