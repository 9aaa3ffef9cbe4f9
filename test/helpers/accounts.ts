/** Creates people directly in the database, for tests that need signed-in users. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../api/app';
import { hashPassword } from '../../api/auth/passwords';
import type { AppDatabase } from '../../db/client';
import { people, type RecordsAccess, type Role } from '../../db/schema';

export interface TestPerson {
  id: number;
  email: string;
  password: string;
  role: Role;
  state: string | null;
}

/** A password that passes the policy for every role. */
export const testPassword = 'lantern orchard velvet 4817';

let counter = 0;

export async function createPerson(
  db: AppDatabase,
  options: {
    role: Role;
    state?: string | null;
    recordsAccess?: RecordsAccess;
    rulesAcknowledged?: boolean;
    email?: string;
    now?: Date;
  },
): Promise<TestPerson> {
  counter += 1;
  const now = (options.now ?? new Date()).toISOString();
  const national = options.role === 'agent' || options.role === 'admin';
  const state = national ? null : (options.state ?? 'TX');
  const email = options.email ?? `${options.role.replace('_', '-')}-${counter}@agency.example.gov`;

  const row = db
    .insert(people)
    .values({
      email,
      displayName: `Test ${options.role.replace('_', ' ')} ${counter}`,
      role: options.role,
      state,
      recordsAccess: options.recordsAccess ?? 'none',
      status: 'active',
      passwordHash: await hashPassword(testPassword),
      passwordChangedAt: now,
      rulesAcknowledgedAt: options.rulesAcknowledged === false ? null : now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: people.id })
    .get();
  return { id: row.id, email, password: testPassword, role: options.role, state };
}

export const testOrigin = 'http://localhost';

/** Signs in through the API and returns the Cookie header value for later requests. */
export async function signInAs(app: Hono<AppEnv>, person: Pick<TestPerson, 'email' | 'password'>): Promise<string> {
  const response = await app.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: testOrigin },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed with ${response.status}: ${await response.text()}`);
  return readSessionCookie(response);
}

export function readSessionCookie(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /(__Host-msix_session=[^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in: ${header}`);
  return match[1];
}

/** Sends a JSON request the way the site's pages do: same origin, JSON body, the session cookie. */
export async function sendJson(
  app: Hono<AppEnv>,
  method: string,
  path: string,
  options: { cookie?: string | undefined; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Origin: testOrigin };
  if (options.cookie) headers.Cookie = options.cookie;
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  return app.request(path, {
    method,
    headers,
    body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}),
  });
}
