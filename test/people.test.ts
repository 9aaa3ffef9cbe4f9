import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { listMailbox, readMailboxMessage } from '../emails/mailbox';
import { createOutboxWorker, createMailTransport } from '../emails';
import pino from 'pino';
import { auditLog, people } from '../db/schema';
import { createPerson, sendJson, signInAs, testPassword, type TestPerson } from './helpers/accounts';
import { createFakeClock, hours } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
let admin: TestPerson;
let texasCoordinator: TestPerson;
let texasUser: TestPerson;
let ohioUser: TestPerson;
let adminCookie: string;
let coordinatorCookie: string;

beforeEach(async () => {
  clock = createFakeClock();
  testApp = createTestApp({ clock });
  const db = testApp.database.db;
  admin = await createPerson(db, { role: 'admin', now: clock() });
  texasCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX', now: clock() });
  texasUser = await createPerson(db, { role: 'state_user', state: 'TX', now: clock() });
  ohioUser = await createPerson(db, { role: 'state_user', state: 'OH', now: clock() });
  adminCookie = await signInAs(testApp.app, admin);
  coordinatorCookie = await signInAs(testApp.app, texasCoordinator);
});

afterEach(() => testApp.cleanup());

/** Delivers queued mail to the test's mailbox folder and returns the newest message. */
async function deliverAndReadNewestMail() {
  const transport = createMailTransport(testApp.config, { clock });
  const worker = createOutboxWorker({
    database: testApp.database,
    transport,
    logger: pino({ level: 'silent' }),
    clock,
  });
  await worker.runOnce();
  transport.close();
  const [newest] = await listMailbox(testApp.config.mailboxDirectory);
  if (!newest) throw new Error('no mail was delivered');
  return readMailboxMessage(testApp.config.mailboxDirectory, newest.id);
}

function tokenFrom(text: string, page: string): string {
  const match = new RegExp(`/${page}/#token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${text}`);
  return match[1];
}

describe('invitations', () => {
  test('admin invitation emails a link that sets the password once', async () => {
    const invite = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: {
        email: 'New.Person@Agency.example.gov',
        displayName: 'New Person',
        role: 'state_user',
        state: 'NM',
        recordsAccess: 'viewer',
      },
    });
    const mail = await deliverAndReadNewestMail();
    const token = tokenFrom(mail.text, 'invitation');

    const accepted = await sendJson(testApp.app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: testPassword },
    });
    const reused = await sendJson(testApp.app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: testPassword },
    });
    const signIn = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: 'new.person@agency.example.gov', password: testPassword },
    });

    expect(invite.status).toBe(201);
    expect(mail.to).toBe('new.person@agency.example.gov');
    expect(mail.autoSubmitted).toBe('auto-generated');
    expect(accepted.status).toBe(200);
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('invalid_link');
    expect(signIn.status).toBe(200);
  });

  test('invitation link expires after 72 hours', async () => {
    await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: 'late@agency.example.gov', displayName: 'Late Person', role: 'agent' },
    });
    const token = tokenFrom((await deliverAndReadNewestMail()).text, 'invitation');

    clock.advance(hours(72) + 1000);
    const response = await sendJson(testApp.app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: testPassword },
    });

    expect(response.status).toBe(400);
  });

  test('a rejected password leaves the link usable', async () => {
    await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: 'careful@agency.example.gov', displayName: 'Careful Person', role: 'state_user', state: 'TX' },
    });
    const token = tokenFrom((await deliverAndReadNewestMail()).text, 'invitation');

    const short = await sendJson(testApp.app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: 'short' },
    });
    const good = await sendJson(testApp.app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: testPassword },
    });

    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { code: string } }).error.code).toBe('password_too_short');
    expect(good.status).toBe(200);
  });

  test('coordinator invites only into their own state', async () => {
    const own = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: coordinatorCookie,
      body: { email: 'registrar@isd.example.gov', displayName: 'District Registrar', role: 'state_user' },
    });
    const other = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: coordinatorCookie,
      body: { email: 'someone@ohio.example.gov', displayName: 'Ohio Person', role: 'state_user', state: 'OH' },
    });
    const admin = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: coordinatorCookie,
      body: { email: 'boss@agency.example.gov', displayName: 'Would Be Admin', role: 'admin' },
    });

    expect(own.status).toBe(201);
    expect(((await own.json()) as { person: { state: string } }).person.state).toBe('TX');
    expect(other.status).toBe(403);
    expect(admin.status).toBe(403);
  });

  test('rejects a taken or deactivated address', async () => {
    await sendJson(testApp.app, 'POST', `/api/people/${texasUser.id}/deactivate`, { cookie: adminCookie });

    const taken = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: ohioUser.email, displayName: 'Copy', role: 'state_user', state: 'OH' },
    });
    const retired = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: texasUser.email, displayName: 'Again', role: 'state_user', state: 'TX' },
    });

    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string } }).error.code).toBe('email_taken');
    expect(retired.status).toBe(409);
    expect(((await retired.json()) as { error: { code: string } }).error.code).toBe('email_retired');
  });

  test('names each invalid field', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: 'not-an-email', displayName: 'X', role: 'boss' },
    });
    const body = (await response.json()) as { error: { code: string; fields: { field: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.fields.map((field) => field.field).sort()).toEqual(['displayName', 'email', 'role']);
  });

  test('invitation row, token and mail roll back together', async () => {
    const before = testApp.database.db.select().from(people).all().length;
    const response = await sendJson(testApp.app, 'POST', '/api/people', {
      cookie: adminCookie,
      body: { email: 'bad\r\nheader@agency.example.gov', displayName: 'Header Injection', role: 'agent' },
    });

    expect(response.status).toBe(400);
    expect(testApp.database.db.select().from(people).all()).toHaveLength(before);
  });
});

describe('password reset', () => {
  test('emails a link that works once and ends sessions', async () => {
    const cookie = await signInAs(testApp.app, texasUser);
    await sendJson(testApp.app, 'POST', '/api/auth/password-reset/request', { body: { email: texasUser.email } });
    const token = tokenFrom((await deliverAndReadNewestMail()).text, 'reset-password');

    const reset = await sendJson(testApp.app, 'POST', '/api/auth/password-reset/complete', {
      body: { token, password: 'copper kettle mountain 2291' },
    });
    const again = await sendJson(testApp.app, 'POST', '/api/auth/password-reset/complete', {
      body: { token, password: 'another long phrase 8812' },
    });
    const oldSession = await sendJson(testApp.app, 'GET', '/api/account', { cookie });
    const newSignIn = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: texasUser.email, password: 'copper kettle mountain 2291' },
    });

    expect(reset.status).toBe(200);
    expect(again.status).toBe(400);
    expect(oldSession.status).toBe(401);
    expect(newSignIn.status).toBe(200);
  });

  test('link stops working when the password changes another way', async () => {
    await sendJson(testApp.app, 'POST', '/api/auth/password-reset/request', { body: { email: texasUser.email } });
    const token = tokenFrom((await deliverAndReadNewestMail()).text, 'reset-password');
    const cookie = await signInAs(testApp.app, texasUser);
    clock.advance(1000);
    await sendJson(testApp.app, 'POST', '/api/account/password', {
      cookie,
      body: { currentPassword: testPassword, newPassword: 'harbor lamp quiet 5530' },
    });

    const response = await sendJson(testApp.app, 'POST', '/api/auth/password-reset/complete', {
      body: { token, password: 'copper kettle mountain 2291' },
    });

    expect(response.status).toBe(400);
  });

  test('link expires after one hour', async () => {
    await sendJson(testApp.app, 'POST', '/api/auth/password-reset/request', { body: { email: texasUser.email } });
    const token = tokenFrom((await deliverAndReadNewestMail()).text, 'reset-password');

    clock.advance(hours(1) + 1000);
    const response = await sendJson(testApp.app, 'POST', '/api/auth/password-reset/complete', {
      body: { token, password: 'copper kettle mountain 2291' },
    });

    expect(response.status).toBe(400);
  });

  test('answers the same for unknown addresses and sends nothing', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/auth/password-reset/request', {
      body: { email: 'nobody@agency.example.gov' },
    });

    expect(response.status).toBe(202);
    expect(await listMailbox(testApp.config.mailboxDirectory)).toEqual([]);
  });
});

describe('object scoping', () => {
  test('coordinator lists only their own state', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/people', { cookie: coordinatorCookie });
    const emails = ((await response.json()) as { people: { email: string }[] }).people.map((person) => person.email);

    expect(emails).toContain(texasUser.email);
    expect(emails).not.toContain(ohioUser.email);
    expect(emails).not.toContain(admin.email);
  });

  test('another state person answers 404 like a missing one', async () => {
    const other = await sendJson(testApp.app, 'GET', `/api/people/${ohioUser.id}`, { cookie: coordinatorCookie });
    const missing = await sendJson(testApp.app, 'GET', '/api/people/999999', { cookie: coordinatorCookie });

    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe(
      `No person with id ${ohioUser.id} was found.`,
    );
  });

  test('coordinator cannot change or disable another state person', async () => {
    const update = await sendJson(testApp.app, 'PATCH', `/api/people/${ohioUser.id}`, {
      cookie: coordinatorCookie,
      body: { recordsAccess: 'data_administrator' },
    });
    const disable = await sendJson(testApp.app, 'POST', `/api/people/${ohioUser.id}/disable`, {
      cookie: coordinatorCookie,
    });
    const row = testApp.database.db.select().from(people).where(eq(people.id, ohioUser.id)).get();

    expect(update.status).toBe(404);
    expect(disable.status).toBe(404);
    expect(row?.recordsAccess).toBe('none');
    expect(row?.status).toBe('active');
  });

  test('coordinator cannot promote someone to admin', async () => {
    const response = await sendJson(testApp.app, 'PATCH', `/api/people/${texasUser.id}`, {
      cookie: coordinatorCookie,
      body: { role: 'admin' },
    });

    expect(response.status).toBe(403);
  });
});

describe('profile update', () => {
  test('ignores a role sent with the name', async () => {
    const cookie = await signInAs(testApp.app, texasUser);
    const response = await sendJson(testApp.app, 'PATCH', '/api/account', {
      cookie,
      body: {
        displayName: 'Renamed User',
        role: 'admin',
        state: null,
        recordsAccess: 'data_administrator',
        status: 'active',
      },
    });
    const row = testApp.database.db.select().from(people).where(eq(people.id, texasUser.id)).get();

    expect(response.status).toBe(200);
    expect(row?.displayName).toBe('Renamed User');
    expect(row?.role).toBe('state_user');
    expect(row?.state).toBe('TX');
    expect(row?.recordsAccess).toBe('none');
  });
});

describe('account status', () => {
  test('disabling ends sessions at once and enabling restores sign-in', async () => {
    const userCookie = await signInAs(testApp.app, texasUser);

    const disabled = await sendJson(testApp.app, 'POST', `/api/people/${texasUser.id}/disable`, {
      cookie: adminCookie,
    });
    const afterDisable = await sendJson(testApp.app, 'GET', '/api/account', { cookie: userCookie });
    const signInWhileDisabled = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: texasUser.email, password: texasUser.password },
    });
    const enabled = await sendJson(testApp.app, 'POST', `/api/people/${texasUser.id}/enable`, { cookie: adminCookie });
    const signInAfterEnable = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: texasUser.email, password: texasUser.password },
    });

    expect(disabled.status).toBe(200);
    expect(afterDisable.status).toBe(401);
    expect(signInWhileDisabled.status).toBe(403);
    expect(((await signInWhileDisabled.json()) as { error: { code: string } }).error.code).toBe('account_disabled');
    expect(enabled.status).toBe(200);
    expect(signInAfterEnable.status).toBe(200);
  });

  test('deactivation is permanent', async () => {
    await sendJson(testApp.app, 'POST', `/api/people/${texasUser.id}/deactivate`, { cookie: adminCookie });

    const enable = await sendJson(testApp.app, 'POST', `/api/people/${texasUser.id}/enable`, { cookie: adminCookie });
    const signIn = await sendJson(testApp.app, 'POST', '/api/auth/sign-in', {
      body: { email: texasUser.email, password: texasUser.password },
    });

    expect(enable.status).toBe(409);
    expect(signIn.status).toBe(403);
    expect(((await signIn.json()) as { error: { code: string } }).error.code).toBe('account_deactivated');
  });

  test('admins cannot disable themselves', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/people/${admin.id}/disable`, { cookie: adminCookie });

    expect(response.status).toBe(403);
  });

  test('password change ends other sessions and keeps this one', async () => {
    const here = await signInAs(testApp.app, texasUser);
    const elsewhere = await signInAs(testApp.app, texasUser);

    const change = await sendJson(testApp.app, 'POST', '/api/account/password', {
      cookie: here,
      body: { currentPassword: testPassword, newPassword: 'harbor lamp quiet 5530' },
    });
    const renewed = (change.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    expect(change.status).toBe(200);
    expect((await sendJson(testApp.app, 'GET', '/api/account', { cookie: elsewhere })).status).toBe(401);
    expect((await sendJson(testApp.app, 'GET', '/api/account', { cookie: here })).status).toBe(401);
    expect((await sendJson(testApp.app, 'GET', '/api/account', { cookie: renewed })).status).toBe(200);
  });

  test('each change writes an audit row in the same transaction', async () => {
    await sendJson(testApp.app, 'PATCH', `/api/people/${texasUser.id}`, {
      cookie: adminCookie,
      body: { recordsAccess: 'viewer' },
    });
    const rows = testApp.database.db.select().from(auditLog).where(eq(auditLog.action, 'person.updated')).all();

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: admin.id,
      actorRole: 'admin',
      objectType: 'person',
      objectId: String(texasUser.id),
      outcome: 'success',
      detail: 'recordsAccess: none -> viewer',
    });
  });
});
