import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { roles } from '../db/schema';
import { findRoutePolicy, routePolicies } from '../api/security/route-policy';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

let testApp: TestApp;
const cookies = new Map<string, string | undefined>();

beforeAll(async () => {
  testApp = createTestApp();
  cookies.set('visitor', undefined);
  for (const role of roles) {
    const person = await createPerson(testApp.database.db, { role, state: 'TX' });
    cookies.set(role, await signInAs(testApp.app, person));
  }
});

afterAll(() => testApp.cleanup());

function registeredApiRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  return testApp.app.routes
    .filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL')
    .filter((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

describe('route policy table', () => {
  test('declares every registered API route', () => {
    const missing = registeredApiRoutes()
      .filter((route) => !findRoutePolicy(route.method, route.path))
      .map((route) => `${route.method} ${route.path}`);

    expect(registeredApiRoutes().length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  test('lists no route that does not exist', () => {
    const registered = new Set(registeredApiRoutes().map((route) => `${route.method} ${route.path}`));
    const stale = Object.keys(routePolicies).filter((key) => !registered.has(key));

    expect(stale).toEqual([]);
  });

  test('every route answers every role as the table says', async () => {
    const mismatches: string[] = [];
    // Sign-out ends the session each role uses, so it runs last.
    const ordered = registeredApiRoutes().sort(
      (a, b) => Number(a.path.endsWith('/sign-out')) - Number(b.path.endsWith('/sign-out')),
    );
    for (const route of ordered) {
      const policy = findRoutePolicy(route.method, route.path);
      const path = route.path.replace(':id', '999999');

      for (const [role, cookie] of cookies) {
        const response = await sendJson(testApp.app, route.method, path, { cookie, body: {} });
        const allowed =
          policy?.access === 'public' ||
          (policy?.access === 'signed-in' && role !== 'visitor') ||
          (Array.isArray(policy?.access) && policy.access.includes(role as (typeof roles)[number]));
        const refused = response.status === 401 || response.status === 403;
        const expectedRefusal = role === 'visitor' ? 401 : 403;

        if (allowed && refused)
          mismatches.push(`${role} was refused ${route.method} ${route.path} (${response.status})`);
        if (!allowed && response.status !== expectedRefusal)
          mismatches.push(
            `${role} got ${response.status} from ${route.method} ${route.path}, expected ${expectedRefusal}`,
          );
      }
    }

    expect(mismatches).toEqual([]);
  });
});
