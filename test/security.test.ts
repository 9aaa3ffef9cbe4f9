import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { auditLog } from '../db/schema';
import { createPerson, sendJson, signInAs, testOrigin, type TestPerson } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

let testApp: TestApp;
let admin: TestPerson;
let adminCookie: string;

beforeEach(async () => {
  testApp = createTestApp();
  admin = await createPerson(testApp.database.db, { role: 'admin' });
  adminCookie = await signInAs(testApp.app, admin);
});

afterEach(() => testApp.cleanup());

describe('security headers', () => {
  test.each(['/', '/faqs/', '/api/health', '/api/no-such-route', '/no-such-page/'])(
    '%s carries every header',
    async (path) => {
      const response = await testApp.app.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';

      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    },
  );

  test('API responses are never cached', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/account', { cookie: adminCookie });

    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('state-changing requests', () => {
  test('refuses a cross-site text/plain POST', async () => {
    const response = await testApp.app.request('/api/account', {
      method: 'PATCH',
      headers: { Origin: 'https://attacker.example', 'Content-Type': 'text/plain', Cookie: adminCookie },
      body: JSON.stringify({ displayName: 'Changed by another site' }),
    });

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_rejected');
  });

  test('refuses a same-origin text/plain POST with 415', async () => {
    const response = await testApp.app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { Origin: testOrigin, 'Content-Type': 'text/plain', Cookie: adminCookie },
      body: '{}',
    });

    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  test('refuses a form post', async () => {
    const response = await testApp.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { Origin: testOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.gov&password=x',
    });

    expect(response.status).toBe(415);
  });

  test('refuses a request without Origin', async () => {
    const response = await testApp.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_required');
  });

  test('accepts the configured site origin', async () => {
    const response = await testApp.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { Origin: 'http://localhost:4321', 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });

    expect(response.status).toBe(200);
  });

  test('refuses a body over 64 KB with 413', async () => {
    const response = await sendJson(testApp.app, 'PATCH', '/api/account', {
      cookie: adminCookie,
      body: { displayName: 'x'.repeat(70_000) },
    });

    expect(response.status).toBe(413);
  });

  test('refuses JSON that tries prototype pollution', async () => {
    const response = await testApp.app.request('/api/account', {
      method: 'PATCH',
      headers: { Origin: testOrigin, 'Content-Type': 'application/json', Cookie: adminCookie },
      body: '{"displayName":"Polluter","__proto__":{"role":"admin","isAdmin":true}}',
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  test('answers malformed JSON with a clear error', async () => {
    const response = await testApp.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { Origin: testOrigin, 'Content-Type': 'application/json' },
      body: '{"email": ',
    });
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };

    expect(response.status).toBe(400);
    expect(body.error).toEqual({
      code: 'invalid_json',
      message: 'The request body is not valid JSON.',
      requestId: response.headers.get('x-request-id'),
    });
  });
});

describe('error responses', () => {
  test('never include a stack trace or SQL', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/people?state=ZZ', { cookie: adminCookie });
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(text).not.toMatch(/at .*\.ts:\d+|SELECT|sqlite/i);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('audit log', () => {
  test('records sign-in success and failure without the password', async () => {
    await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: admin.email, password: 'a wrong password 1234' },
    });
    const rows = testApp.database.db.select().from(auditLog).all();
    const signIns = rows.filter((row) => row.action === 'auth.sign_in');

    expect(signIns.map((row) => row.outcome)).toEqual(['success', 'failure']);
    expect(signIns[1]).toMatchObject({ actorEmail: admin.email, detail: 'wrong_password' });
    expect(JSON.stringify(rows)).not.toContain('a wrong password 1234');
    expect(JSON.stringify(rows)).not.toContain(admin.password);
  });

  test('records authorization failures', async () => {
    const user = await createPerson(testApp.database.db, { role: 'state_user' });
    const cookie = await signInAs(testApp.app, user);

    const response = await sendJson(testApp.app, 'GET', '/api/audit', { cookie });
    const denied = testApp.database.db
      .select()
      .from(auditLog)
      .all()
      .filter((row) => row.outcome === 'denied');

    expect(response.status).toBe(403);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      actorId: user.id,
      actorRole: 'state_user',
      action: 'authorization.denied',
      objectId: 'GET /api/audit',
    });
  });

  test('rows cannot be updated or deleted', () => {
    const sqlite = testApp.database.sqlite;

    expect(() => sqlite.prepare("UPDATE audit_log SET outcome = 'success'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(sqlite.prepare('SELECT count(*) AS count FROM audit_log').get()).toEqual({ count: 1 });
  });

  test('admins filter it and export CSV safe from formulas', async () => {
    await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: '=HYPERLINK("http://x")@agency.example.gov', password: 'wrong password 99' },
    });

    const filtered = await sendJson(testApp.app, 'GET', '/api/audit?outcome=failure', { cookie: adminCookie });
    const entries = ((await filtered.json()) as { entries: { outcome: string; actorEmail: string }[] }).entries;
    const exported = await sendJson(testApp.app, 'GET', '/api/audit/export?outcome=failure', { cookie: adminCookie });
    const csv = await exported.text();

    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.outcome === 'failure')).toBe(true);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.split('\r\n')[0]).toBe(
      'id,occurred_at_utc,actor_id,actor_email,actor_role,ip,action,object_type,object_id,outcome,detail,request_id',
    );
    expect(csv).toContain('"\'=hyperlink(""http://x"")@agency.example.gov"');
    expect(csv).not.toMatch(/(^|,)"=/m);
  });

  test('rejects an invalid filter naming the field', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/audit?from=12/01/2026', { cookie: adminCookie });
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(400);
    expect(body.error.message).toBe('from: must be a date written YYYY-MM-DD.');
  });
});
