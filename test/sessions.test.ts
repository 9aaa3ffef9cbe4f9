import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { sessions } from '../db/schema';
import { createPerson, readSessionCookie, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, hours, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
let user: TestPerson;
let admin: TestPerson;

beforeEach(async () => {
  clock = createFakeClock();
  testApp = createTestApp({ clock });
  user = await createPerson(testApp.database.db, { role: 'state_user', state: 'TX', now: clock() });
  admin = await createPerson(testApp.database.db, { role: 'admin', now: clock() });
});

afterEach(() => testApp.cleanup());

async function whoAmI(cookie: string) {
  const response = await sendJson(testApp.app, 'GET', '/api/auth/session', { cookie });
  return (await response.json()) as { signedIn: boolean; person?: { email: string } };
}

describe('sign-in', () => {
  test('sets a __Host- session cookie with the required attributes', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: user.email, password: user.password },
    });
    const cookie = response.headers.get('set-cookie') ?? '';

    expect(response.status).toBe(200);
    expect(cookie).toMatch(/^__Host-msix_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Domain=');
  });

  test('stores only a hash of the token', async () => {
    const cookie = await signInAs(testApp.app, user);
    const token = cookie.split('=')[1] ?? '';
    const stored = testApp.database.db.select().from(sessions).all();

    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.id).not.toContain(token);
  });

  test('accepts the email in any case', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: user.email.toUpperCase(), password: user.password },
    });

    expect(response.status).toBe(200);
  });

  test('rejects a wrong password with the same message as an unknown account', async () => {
    const wrong = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: user.email, password: 'not the password at all' },
    });
    const unknown = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: 'nobody@agency.example.gov', password: 'not the password at all' },
    });
    const wrongBody = (await wrong.json()) as { error: { code: string; message: string } };
    const unknownBody = (await unknown.json()) as { error: { code: string; message: string } };

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrongBody.error.code).toBe('invalid_credentials');
    expect(unknownBody.error.message).toBe(wrongBody.error.message);
  });

  test('issues a new token, so a planted token never becomes a session', async () => {
    const planted = '__Host-msix_session=planted-token-from-an-attacker-0000000000000';
    const response = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      cookie: planted,
      body: { email: user.email, password: user.password },
    });
    const issued = readSessionCookie(response);

    expect(issued).not.toBe(planted);
    expect((await whoAmI(planted)).signedIn).toBe(false);
    expect((await whoAmI(issued)).signedIn).toBe(true);
  });

  test('ends the previous session of the browser', async () => {
    const first = await signInAs(testApp.app, user);
    const response = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      cookie: first,
      body: { email: user.email, password: user.password },
    });
    const second = readSessionCookie(response);

    expect((await whoAmI(first)).signedIn).toBe(false);
    expect((await whoAmI(second)).signedIn).toBe(true);
  });
});

describe('sign-out', () => {
  test('ends the session so the cookie cannot be replayed', async () => {
    const cookie = await signInAs(testApp.app, user);

    const signOut = await sendJson(testApp.app, 'POST', '/api/auth/sign-out', { cookie });
    const replay = await sendJson(testApp.app, 'GET', '/api/account', { cookie });

    expect(signOut.status).toBe(200);
    expect(signOut.headers.get('set-cookie')).toContain('__Host-msix_session=;');
    expect(replay.status).toBe(401);
  });
});

describe('session expiry', () => {
  test('ends after 15 idle minutes for a state user', async () => {
    const cookie = await signInAs(testApp.app, user);

    clock.advance(minutes(14));
    expect((await whoAmI(cookie)).signedIn).toBe(true);
    clock.advance(minutes(14));
    expect((await whoAmI(cookie)).signedIn).toBe(true);
    clock.advance(minutes(15));
    expect((await whoAmI(cookie)).signedIn).toBe(false);
  });

  test('ends after 10 idle minutes for an admin', async () => {
    const cookie = await signInAs(testApp.app, admin);

    clock.advance(minutes(9));
    expect((await whoAmI(cookie)).signedIn).toBe(true);
    clock.advance(minutes(10));
    expect((await whoAmI(cookie)).signedIn).toBe(false);
  });

  test('ends 12 hours after sign-in even when active', async () => {
    const cookie = await signInAs(testApp.app, user);

    for (let elapsed = 0; elapsed < hours(12) - minutes(10); elapsed += minutes(10)) {
      clock.advance(minutes(10));
      expect((await whoAmI(cookie)).signedIn, `after ${elapsed / 60_000 + 10} minutes`).toBe(true);
    }
    clock.advance(minutes(10));
    expect((await whoAmI(cookie)).signedIn).toBe(false);
  });
});

describe('rules of behavior', () => {
  test('must be acknowledged before other routes answer', async () => {
    const newcomer = await createPerson(testApp.database.db, {
      role: 'state_coordinator',
      state: 'TX',
      rulesAcknowledged: false,
      now: clock(),
    });
    const cookie = await signInAs(testApp.app, newcomer);

    const blocked = await sendJson(testApp.app, 'GET', '/api/people', { cookie });
    const acknowledged = await sendJson(testApp.app, 'POST', '/api/auth/rules-of-behavior', {
      cookie,
      body: { acknowledge: true },
    });
    const allowed = await sendJson(testApp.app, 'GET', '/api/people', { cookie });

    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rules_of_behavior_required');
    expect(acknowledged.status).toBe(200);
    expect(allowed.status).toBe(200);
  });

  test('must be acknowledged again after a year', async () => {
    const readAccount = async (cookie: string) =>
      (await (await sendJson(testApp.app, 'GET', '/api/account', { cookie })).json()) as {
        rulesOfBehaviorRequired: boolean;
      };
    const now = await readAccount(await signInAs(testApp.app, user));

    clock.advance(hours(24 * 366));
    const later = await readAccount(await signInAs(testApp.app, user));

    expect(now.rulesOfBehaviorRequired).toBe(false);
    expect(later.rulesOfBehaviorRequired).toBe(true);
  });

  test('rejects an acknowledgement that is not true', async () => {
    const cookie = await signInAs(testApp.app, user);
    const response = await sendJson(testApp.app, 'POST', '/api/auth/rules-of-behavior', {
      cookie,
      body: { acknowledge: 'yes' },
    });

    expect(response.status).toBe(400);
  });
});

describe('throttling', () => {
  test('answers 429 with Retry-After after five failures for one account', async () => {
    const attempt = () =>
      sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
        body: { email: user.email, password: 'wrong password here' },
      });
    for (let count = 0; count < 5; count += 1) expect((await attempt()).status).toBe(401);

    const blocked = await attempt();
    const rightPassword = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: user.email, password: user.password },
    });

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rightPassword.status).toBe(429);
  });

  test('lets the account try again after the window', async () => {
    for (let count = 0; count < 6; count += 1) {
      await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
        body: { email: user.email, password: 'wrong password here' },
      });
    }
    clock.advance(minutes(16));

    const response = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: user.email, password: user.password },
    });

    expect(response.status).toBe(200);
  });

  test('limits password-reset requests per account', async () => {
    const request = () =>
      sendJson(testApp.app, 'POST', '/api/auth/password-reset/request', { body: { email: user.email } });
    for (let count = 0; count < 3; count += 1) expect((await request()).status).toBe(202);

    const blocked = await request();

    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).not.toBeNull();
  });
});
