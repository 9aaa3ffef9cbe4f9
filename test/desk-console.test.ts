import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createThreadingLookup } from '../api/desk/inbound/thread-lookup';
import { decideThread } from '../api/desk/inbound/threading';
import { buildFtsQuery } from '../api/desk/console/search';
import { createTicket, type DeskSettings, type NewTicket } from '../api/desk/tickets/create';
import {
  auditLog,
  outboxMessages,
  ticketAttachments,
  ticketEvents,
  ticketMailIds,
  ticketMessages,
  ticketParticipants,
  tickets,
} from '../db/schema';
import { automaticMailLabels, describeHistory, historyTitles } from '../site/scripts/desk/labels';
import { createPerson, sendJson, signInAs, testOrigin, type TestPerson } from './helpers/accounts';
import { createFakeClock } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

interface QueueRow {
  id: number;
  subject: string;
  status: string;
  assignee: { id: number; name: string } | null;
  sla: 'breached' | 'soon' | null;
}
interface QueuePage {
  tickets: QueueRow[];
  nextCursor: string | null;
}
interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
let settings: DeskSettings;
let agent: TestPerson;
const cookies: Record<string, string> = {};

// Friday 4 December 2026, 10:00 in Texas (Central time), a business day.
const fridayMorning = new Date('2026-12-04T16:00:00Z');

beforeEach(async () => {
  clock = createFakeClock(fridayMorning);
  testApp = createTestApp({ clock });
  settings = { ...testApp.config };
  const db = testApp.database.db;
  agent = await createPerson(db, { role: 'agent', now: clock() });
  cookies.agent = await signInAs(testApp.app, agent);
});

afterEach(() => testApp.cleanup());

async function call<T>(cookie: string | undefined, method: string, path: string, body?: unknown) {
  const response = await sendJson(testApp.app, method, path, { cookie, body });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

function fileTicket(overrides: Partial<NewTicket> = {}, requesterEmail = 'registrar@district.example.gov') {
  return createTicket(
    testApp.database.db,
    settings,
    {
      subject: 'Cannot sign in after the password reset',
      bodyText: 'The reset link says it expired.',
      requester: { email: requesterEmail, name: 'Dana Registrar', state: 'TX' },
      category: 'account_access',
      channel: 'web',
      acknowledge: false,
      ...overrides,
    },
    { now: clock(), ip: '127.0.0.1' },
  ).ticketId;
}

function setDue(ticketId: number, due: { firstResponseDueAt?: string | null; resolutionDueAt?: string | null }) {
  testApp.database.db.update(tickets).set(due).where(eq(tickets.id, ticketId)).run();
}

function eventsOf(ticketId: number) {
  return testApp.database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).all();
}

async function queue(query: string, cookie = cookies.agent) {
  const response = await call<QueuePage>(cookie, 'GET', `/api/desk/queue?${query}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function search(text: string, filters: Record<string, unknown> = { queue: 'all' }) {
  return call<QueuePage>(cookies.agent, 'POST', '/api/desk/queue/search', { ...filters, q: text });
}

async function searchIds(text: string) {
  const response = await search(text);
  expect(response.status, text).toBe(200);
  return ids(response.body);
}

const ids = (page: QueuePage) => page.tickets.map((row) => row.id).sort((a, b) => a - b);

describe('queues and filters', () => {
  test('queues separate unassigned, mine and pending', async () => {
    const unassigned = fileTicket();
    const mine = fileTicket();
    const pending = fileTicket();
    const solved = fileTicket();
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${mine}`, { assigneeId: agent.id });
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${pending}`, { status: 'pending' });
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${solved}`, { status: 'solved' });

    expect(ids(await queue('queue=unassigned'))).toEqual([unassigned, pending]);
    expect(ids(await queue('queue=mine'))).toEqual([mine]);
    expect(ids(await queue('queue=pending'))).toEqual([pending]);
    expect(ids(await queue('queue=open'))).toEqual([unassigned, mine, pending]);
    expect(ids(await queue('queue=all'))).toEqual([unassigned, mine, pending, solved]);

    const counts = await call<{
      queues: Record<string, number>;
      byState: { state: string; count: number }[];
      byCategory: { category: string; count: number }[];
    }>(cookies.agent, 'GET', '/api/desk/queue/counts');
    expect(counts.body.queues).toMatchObject({ open: 3, unassigned: 2, mine: 1, pending: 1 });
    expect(counts.body.byState).toEqual([{ state: 'TX', count: 3 }]);
    expect(counts.body.byCategory).toEqual([{ category: 'account_access', count: 3 }]);
  });

  test('filters combine with the queue', async () => {
    const texasReports = fileTicket({ category: 'reports', priority: 'high' });
    const ohioReports = fileTicket({
      category: 'reports',
      channel: 'phone',
      requester: { email: 'ohio@example.gov', name: 'Ohio Staff', state: 'OH' },
    });
    const texasTraining = fileTicket({ category: 'training' });

    expect(ids(await queue('category=reports'))).toEqual([texasReports, ohioReports]);
    expect(ids(await queue('category=reports&state=oh'))).toEqual([ohioReports]);
    expect(ids(await queue('priority=high'))).toEqual([texasReports]);
    expect(ids(await queue('channel=phone'))).toEqual([ohioReports]);
    expect(ids(await queue('status=new&assignee=none'))).toEqual([texasReports, ohioReports, texasTraining]);
    expect(ids(await queue(`assignee=${agent.id}`))).toEqual([]);
  });

  test('invalid filter names the field', async () => {
    const response = await call<{ error: { message: string } }>(cookies.agent, 'GET', '/api/desk/queue?priority=soon');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('priority');
    const badCursor = await call<{ error: { message: string } }>(cookies.agent, 'GET', '/api/desk/queue?cursor=xyz');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toContain('cursor');
  });

  test('pages cover every ticket once in both sort orders', async () => {
    const created: number[] = [];
    for (let index = 0; index < 7; index += 1) created.push(fileTicket());
    // Equal updated_at and due times force the id tie-break.
    for (const id of created.slice(0, 4)) setDue(id, { resolutionDueAt: '2026-12-07T16:00:00.000Z' });

    for (const sort of ['updated', 'due']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: QueuePage = await queue(`sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.tickets.length).toBeLessThanOrEqual(3);
        seen.push(...page.tickets.map((row) => row.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.slice().sort((a, b) => a - b)).toEqual(created);
      if (sort === 'due') expect(seen.slice(0, 4)).toEqual(created.slice(0, 4));
      else expect(seen).toEqual(created.slice().reverse());
    }
  });
});

describe('breaching soon', () => {
  test('lists due within two business hours or past due', async () => {
    const past = fileTicket();
    const inOneHour = fileTicket();
    const tomorrow = fileTicket();
    const pendingPast = fileTicket();
    setDue(past, { firstResponseDueAt: '2026-12-04T15:00:00.000Z' });
    setDue(inOneHour, { firstResponseDueAt: '2026-12-04T17:00:00.000Z' });
    setDue(tomorrow, { firstResponseDueAt: '2026-12-07T20:00:00.000Z' });
    setDue(pendingPast, { resolutionDueAt: '2026-12-04T15:00:00.000Z' });
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${pendingPast}`, { status: 'pending' });

    const page = await queue('queue=breaching&sort=due');
    expect(page.tickets.map((row) => [row.id, row.sla])).toEqual([
      [past, 'breached'],
      [inOneHour, 'soon'],
    ]);
    const all = await queue('queue=open');
    expect(all.tickets.find((row) => row.id === tomorrow)?.sla).toBeNull();
  });

  test('counts business hours across a weekend and a holiday', async () => {
    // Friday 16:30 in Texas: 30 minutes left today, so 2 business hours end Monday 9:30 Central.
    clock.set(new Date('2026-12-04T22:30:00Z'));
    // The session from 10:00 has gone idle by now, so the agent signs in again.
    cookies.agent = await signInAs(testApp.app, agent);
    const mondayNine = fileTicket();
    const mondayTen = fileTicket();
    setDue(mondayNine, { firstResponseDueAt: '2026-12-07T15:00:00.000Z' });
    setDue(mondayTen, { firstResponseDueAt: '2026-12-07T16:00:00.000Z' });
    expect(ids(await queue('queue=breaching'))).toEqual([mondayNine]);

    // Thursday 24 December 2026, 16:30 in New York. Christmas Day is Friday, so the window ends Monday 9:30 Eastern.
    clock.set(new Date('2026-12-24T21:30:00Z'));
    cookies.agent = await signInAs(testApp.app, agent);
    const newYork = { email: 'nys@example.gov', name: 'New York Staff', state: 'NY' };
    const mondayNineEastern = fileTicket({ requester: newYork });
    const mondayTenEastern = fileTicket({ requester: newYork });
    setDue(mondayNineEastern, { firstResponseDueAt: '2026-12-28T14:00:00.000Z' });
    setDue(mondayTenEastern, { firstResponseDueAt: '2026-12-28T15:00:00.000Z' });
    const breaching = await queue('queue=breaching&state=NY');
    expect(ids(breaching)).toEqual([mondayNineEastern]);
  });
});

describe('breaching soon with configured hours', () => {
  test('window follows BUSINESS_HOURS, Saturday included', async () => {
    // Friday 16:30 in Texas. With Saturday mornings open, 2 business hours end Saturday 10:30 Central.
    const fridayLate = createFakeClock(new Date('2026-12-04T22:30:00Z'));
    const weekendApp = createTestApp({ clock: fridayLate, businessHours: 'Mon-Fri 08:00-17:00, Sat 09:00-12:00' });
    try {
      const db = weekendApp.database.db;
      const weekendAgent = await createPerson(db, { role: 'agent', now: fridayLate() });
      const cookie = await signInAs(weekendApp.app, weekendAgent);
      const file = (due: string) => {
        const { ticketId } = createTicket(
          db,
          { ...weekendApp.config },
          {
            subject: 'Saturday coverage',
            bodyText: 'Due over the weekend.',
            requester: { email: 'registrar@district.example.gov', name: 'Dana Registrar', state: 'TX' },
            channel: 'web',
            acknowledge: false,
          },
          { now: fridayLate(), ip: '127.0.0.1' },
        );
        db.update(tickets).set({ firstResponseDueAt: due }).where(eq(tickets.id, ticketId)).run();
        return ticketId;
      };
      const saturdayTen = file('2026-12-05T16:00:00.000Z');
      const saturdayEleven = file('2026-12-05T17:00:00.000Z');

      const response = await sendJson(weekendApp.app, 'GET', '/api/desk/queue?queue=breaching', { cookie });
      const page = (await response.json()) as QueuePage;
      expect(ids(page)).toEqual([saturdayTen]);
      const detail = await sendJson(weekendApp.app, 'GET', `/api/desk/tickets/${saturdayEleven}`, { cookie });
      expect(((await detail.json()) as { sla: { firstResponse: string } }).sla.firstResponse).toBe('running');
    } finally {
      weekendApp.cleanup();
    }
  });
});

describe('full-text search', () => {
  test('finds subjects, bodies and internal notes', async () => {
    const subject = fileTicket({ subject: 'Upload rejected for Montana' });
    const body = fileTicket({ subject: 'Question', bodyText: 'Our qualifying arrival dates look wrong.' });
    const noted = fileTicket({ subject: 'Other question' });
    fileTicket({ subject: 'Unrelated' });
    const note = await call(cookies.agent, 'POST', `/api/desk/tickets/${noted}/messages`, {
      visibility: 'internal',
      bodyText: 'Escalated to the crosswalk team.',
    });
    expect(note.status).toBe(201);

    expect(await searchIds('montana')).toEqual([subject]);
    expect(await searchIds('qualifying arriv')).toEqual([body]);
    expect(await searchIds('crosswalk')).toEqual([noted]);
    expect(await searchIds(`#${body}`)).toEqual([body]);
  });

  test('treats odd characters as text', async () => {
    const quoted = fileTicket({ subject: 'Error "E-102" (AND) in upload*' });
    const accented = fileTicket({ subject: 'Búsqueda de José' });
    const odd = [
      '"',
      '"E-102"',
      '(AND)',
      'AND OR NOT',
      'upload*',
      'NEAR(a b)',
      'subject:error',
      "o'brien",
      '^e',
      '{}[]',
      '🙂',
      '-',
      '\\',
    ];
    for (const text of odd) {
      const response = await search(text);
      expect(response.status, text).toBe(200);
    }
    expect(await searchIds('"E-102" (AND)')).toEqual([quoted]);
    expect(await searchIds('jose')).toEqual([accented]);
    expect(await searchIds('?!')).toEqual([]);
  });

  test('search text in the address is rejected', async () => {
    const response = await call<{ error: { message: string } }>(cookies.agent, 'GET', '/api/desk/queue?q=jose');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('POST /api/desk/queue/search');
  });

  test('search combines with filters', async () => {
    const reports = fileTicket({ subject: 'Report totals differ', category: 'reports' });
    fileTicket({ subject: 'Report access', category: 'account_access' });
    const response = await search('report', { category: 'reports', limit: 10 });
    expect(ids(response.body)).toEqual([reports]);
  });

  test('query builder quotes every word', () => {
    expect(buildFtsQuery('e-mail "NEAR" x*')).toBe('"e mail"* "NEAR"* "x"*');
    expect(buildFtsQuery('  ?! ')).toBeNull();
  });
});

describe('field changes and history', () => {
  test('change writes history, audit and solved time', async () => {
    const id = fileTicket();
    const response = await call<{ changes: FieldChange[] }>(cookies.agent, 'PATCH', `/api/desk/tickets/${id}`, {
      status: 'solved',
      priority: 'high',
      category: 'training',
      state: 'OH',
      assigneeId: agent.id,
    });
    expect(response.status).toBe(200);
    expect(response.body.changes.map((change) => change.field).sort()).toEqual([
      'assignee',
      'category',
      'priority',
      'state',
      'status',
    ]);
    const row = testApp.database.db.select().from(tickets).where(eq(tickets.id, id)).get()!;
    expect(row.solvedAt).toBe(clock().toISOString());
    expect(row.state).toBe('OH');
    const types = eventsOf(id).map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['assigned', 'category_changed', 'priority_changed', 'state_changed', 'status_changed']),
    );
    const audits = testApp.database.db.select().from(auditLog).where(eq(auditLog.action, 'desk.ticket_updated')).all();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.objectId).toBe(String(id));

    const detail = await call<{ history: { type: string; actorName: string | null }[]; ticket: { status: string } }>(
      cookies.agent,
      'GET',
      `/api/desk/tickets/${id}`,
    );
    expect(detail.body.ticket.status).toBe('solved');
    expect(detail.body.history.map((event) => event.type)).toContain('status_changed');
  });

  test('assignee must be desk staff', async () => {
    const id = fileTicket();
    const stateUser = await createPerson(testApp.database.db, { role: 'state_user', state: 'TX' });
    const response = await call<{ error: { message: string } }>(cookies.agent, 'PATCH', `/api/desk/tickets/${id}`, {
      assigneeId: stateUser.id,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('assigneeId');
  });

  test('followers are added by email and removed', async () => {
    const id = fileTicket();
    const added = await call<{ id: number; role: string }>(cookies.agent, 'POST', `/api/desk/tickets/${id}/followers`, {
      email: 'Coordinator@State.example.gov',
    });
    expect(added.status).toBe(201);
    const again = await call(cookies.agent, 'POST', `/api/desk/tickets/${id}/followers`, {
      email: 'coordinator@state.example.gov',
    });
    expect(again.status).toBe(409);
    const removed = await call(cookies.agent, 'DELETE', `/api/desk/tickets/${id}/followers/${added.body.id}`);
    expect(removed.status).toBe(204);
    expect(eventsOf(id).map((event) => event.type)).toEqual(
      expect.arrayContaining(['follower_added', 'follower_removed']),
    );
  });
});

describe('bulk actions', () => {
  test('bulk status reports each ticket', async () => {
    const first = fileTicket();
    const second = fileTicket();
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${second}`, { status: 'on_hold' });
    const response = await call<{ results: { ticketId: number; outcome: string; changes: FieldChange[] }[] }>(
      cookies.agent,
      'POST',
      '/api/desk/bulk',
      { action: 'status', status: 'on_hold', ticketIds: [first, second, 999_999] },
    );
    expect(response.status).toBe(200);
    expect(response.body.results.map((result) => [result.ticketId, result.outcome])).toEqual([
      [first, 'changed'],
      [second, 'unchanged'],
      [999_999, 'skipped'],
    ]);
    expect(response.body.results[0]!.changes).toEqual([{ field: 'status', from: 'new', to: 'on_hold' }]);
    expect(eventsOf(first).filter((event) => event.type === 'status_changed')).toHaveLength(1);
  });

  test('bulk assign with an unknown agent changes nothing', async () => {
    const first = fileTicket();
    const response = await call(cookies.agent, 'POST', '/api/desk/bulk', {
      action: 'assign',
      assigneeId: 424_242,
      ticketIds: [first],
    });
    expect(response.status).toBe(400);
    expect(testApp.database.db.select().from(tickets).where(eq(tickets.id, first)).get()!.assigneeId).toBeNull();
  });

  test('bulk priority and assign', async () => {
    const tickets = [fileTicket(), fileTicket()];
    const priority = await call<{ results: { outcome: string }[] }>(cookies.agent, 'POST', '/api/desk/bulk', {
      action: 'priority',
      priority: 'urgent',
      ticketIds: tickets,
    });
    expect(priority.body.results.map((result) => result.outcome)).toEqual(['changed', 'changed']);
    await call(cookies.agent, 'POST', '/api/desk/bulk', { action: 'assign', assigneeId: agent.id, ticketIds: tickets });
    expect(ids(await queue('queue=mine&priority=urgent'))).toEqual(tickets);
  });
});

describe('round-robin and availability', () => {
  async function availableAgents(count: number) {
    const agents: { person: TestPerson; cookie: string }[] = [];
    for (let index = 0; index < count; index += 1) {
      const person = await createPerson(testApp.database.db, { role: 'agent' });
      const cookie = await signInAs(testApp.app, person);
      const response = await call(cookie, 'POST', '/api/desk/availability', { available: true });
      expect(response.status).toBe(200);
      agents.push({ person, cookie });
    }
    return agents;
  }

  test('round-robin rotates through available agents', async () => {
    const [a, b, c] = await availableAgents(3);
    const created = Array.from({ length: 6 }, () => fileTicket());
    const response = await call<{ results: { ticketId: number; changes: FieldChange[] }[] }>(
      cookies.agent,
      'POST',
      '/api/desk/bulk',
      { action: 'auto_assign', ticketIds: created },
    );
    expect(response.status).toBe(200);
    const assignees = created.map(
      (id) => testApp.database.db.select().from(tickets).where(eq(tickets.id, id)).get()!.assigneeId,
    );
    const order = [a!, b!, c!].map((entry) => entry.person.id);
    expect(assignees).toEqual([...order, ...order]);
  });

  test('cap and unavailability leave tickets unassigned with a reason', async () => {
    const nobody = await call<{ assignee: null; reason: string; message: string }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${fileTicket()}/auto-assign`,
    );
    expect(nobody.body).toMatchObject({ assignee: null, reason: 'nobody_available' });

    const [only] = await availableAgents(1);
    const admin = await createPerson(testApp.database.db, { role: 'admin' });
    const adminCookie = await signInAs(testApp.app, admin);
    const cap = await call(adminCookie, 'PATCH', `/api/desk/agents/${only!.person.id}`, { openTicketCap: 1 });
    expect(cap.status).toBe(200);
    const agentCap = await call(cookies.agent, 'PATCH', `/api/desk/agents/${only!.person.id}`, { openTicketCap: 9 });
    expect(agentCap.status).toBe(403);

    const first = await call<{ assignee: { id: number } | null }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${fileTicket()}/auto-assign`,
    );
    expect(first.body.assignee?.id).toBe(only!.person.id);
    const second = await call<{ assignee: null; reason: string; message: string }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${fileTicket()}/auto-assign`,
    );
    expect(second.body).toMatchObject({ assignee: null, reason: 'all_at_cap' });
    expect(second.body.message).toContain('cap');

    await call(only!.cookie, 'POST', '/api/desk/availability', { available: false });
    const agents = await call<{
      agents: { id: number; available: boolean; openTickets: number; openTicketCap: number }[];
    }>(cookies.agent, 'GET', '/api/desk/agents');
    expect(agents.body.agents.find((entry) => entry.id === only!.person.id)).toMatchObject({
      available: false,
      openTickets: 1,
      openTicketCap: 1,
    });
  });

  test('assign next gives the soonest due ticket', async () => {
    const later = fileTicket();
    const sooner = fileTicket();
    setDue(later, { firstResponseDueAt: '2026-12-08T16:00:00.000Z' });
    setDue(sooner, { firstResponseDueAt: '2026-12-07T16:00:00.000Z' });
    const response = await call<{ ticketId: number }>(cookies.agent, 'POST', '/api/desk/assign-next');
    expect(response.body.ticketId).toBe(sooner);
    await call(cookies.agent, 'POST', '/api/desk/assign-next');
    const none = await call<{ ticketId: null; message: string }>(cookies.agent, 'POST', '/api/desk/assign-next');
    expect(none.body.ticketId).toBeNull();
  });
});

describe('canned responses', () => {
  test('starter responses are added only once', async () => {
    const first = await call<{ responses: { id: number; title: string }[] }>(
      cookies.agent,
      'GET',
      '/api/desk/canned-responses',
    );
    expect(first.body.responses.map((response) => response.title)).toEqual([
      'Ask for more details',
      'Password reset steps',
      'Solved: closing the ticket',
    ]);
    for (const response of first.body.responses) {
      expect((await call(cookies.agent, 'DELETE', `/api/desk/canned-responses/${response.id}`)).status).toBe(204);
    }
    const again = await call<{ responses: unknown[] }>(cookies.agent, 'GET', '/api/desk/canned-responses');
    expect(again.body.responses).toEqual([]);
  });

  test('expands placeholders for a ticket', async () => {
    const id = fileTicket();
    const created = await call<{ id: number }>(cookies.agent, 'POST', '/api/desk/canned-responses', {
      title: 'Password reset',
      body: 'Hello {{requester_name}}, about ticket {{ticket_id}}: see {{ faq:password-resets-and-job-changes }}.\n{{agent_name}}',
    });
    expect(created.status).toBe(201);
    const expanded = await call<{ text: string }>(
      cookies.agent,
      'GET',
      `/api/desk/tickets/${id}/canned-responses/${created.body.id}`,
    );
    expect(expanded.status).toBe(200);
    expect(expanded.body.text).toContain('Hello Dana Registrar, about ticket ' + id);
    expect(expanded.body.text).toContain(`${testApp.config.siteUrl}/faqs/password-resets-and-job-changes/`);
    expect(expanded.body.text).not.toContain('{{');
    expect(expanded.body.text).toMatch(/\nTest agent \d+$/);
  });

  test('unknown FAQ slug or placeholder is rejected', async () => {
    const slug = await call<{ error: { message: string } }>(cookies.agent, 'POST', '/api/desk/canned-responses', {
      title: 'Broken link',
      body: 'See {{faq:no-such-faq}}.',
    });
    expect(slug.status).toBe(400);
    expect(slug.body.error.message).toContain('no-such-faq');
    const name = await call<{ error: { message: string } }>(cookies.agent, 'POST', '/api/desk/canned-responses', {
      title: 'Typo',
      body: 'Hi {{requester}}',
    });
    expect(name.status).toBe(400);
    expect(name.body.error.message).toContain('{{requester}}');
  });

  test('edit, duplicate title and delete', async () => {
    const first = await call<{ id: number }>(cookies.agent, 'POST', '/api/desk/canned-responses', {
      title: 'Welcome',
      body: 'Hi {{requester_name}}',
    });
    const duplicate = await call(cookies.agent, 'POST', '/api/desk/canned-responses', { title: 'welcome', body: 'x' });
    expect(duplicate.status).toBe(409);
    const edited = await call<{ body: string }>(cookies.agent, 'PATCH', `/api/desk/canned-responses/${first.body.id}`, {
      title: 'Welcome',
      body: 'Hello {{requester_name}}',
    });
    expect(edited.body.body).toBe('Hello {{requester_name}}');
    expect((await call(cookies.agent, 'DELETE', `/api/desk/canned-responses/${first.body.id}`)).status).toBe(204);
    const list = await call<{ responses: { title: string }[] }>(cookies.agent, 'GET', '/api/desk/canned-responses');
    expect(list.body.responses.map((response) => response.title)).not.toContain('Welcome');
  });
});

describe('merge and split', () => {
  test('merge moves the conversation and threads to the target', async () => {
    const source = fileTicket(
      { subject: 'Duplicate request', inboundMessageId: '<first-request@district.example.gov>', acknowledge: true },
      'second-requester@district.example.gov',
    );
    const target = fileTicket();
    const outbound = testApp.database.db
      .select()
      .from(ticketMailIds)
      .where(and(eq(ticketMailIds.ticketId, source), eq(ticketMailIds.direction, 'outbound')))
      .get();
    expect(outbound).toBeDefined();

    const response = await call<{ moved: { messages: number } }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${source}/merge`,
      {
        targetId: target,
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.moved.messages).toBe(1);

    const db = testApp.database.db;
    const sourceRow = db.select().from(tickets).where(eq(tickets.id, source)).get()!;
    expect(sourceRow).toMatchObject({ status: 'closed', mergedIntoId: target });
    expect(db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, source)).all()).toHaveLength(0);
    expect(db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, target)).all()).toHaveLength(2);
    const followers = db
      .select()
      .from(ticketParticipants)
      .where(eq(ticketParticipants.ticketId, target))
      .all()
      .map((row) => [row.email, row.role]);
    expect(followers).toContainEqual(['second-requester@district.example.gov', 'follower']);

    // A reply to the acknowledgement of the source threads to the target.
    const decision = decideThread(
      {
        messageId: '<reply@district.example.gov>',
        inReplyTo: [outbound!.messageId],
        references: ['<first-request@district.example.gov>', outbound!.messageId],
        subject: 'Re: Duplicate request',
        senderAddress: 'second-requester@district.example.gov',
      },
      createThreadingLookup(db),
    );
    expect(decision).toEqual({ action: 'reply', ticketId: target, matchedBy: 'in_reply_to' });

    expect(eventsOf(source).map((event) => event.type)).toContain('merged');
    expect(eventsOf(target).map((event) => [event.type, event.fromValue])).toContainEqual([
      'merged_from',
      `#${source}`,
    ]);
    expect(await searchIds('duplicate')).toEqual([source]);

    const again = await call(cookies.agent, 'POST', `/api/desk/tickets/${source}/merge`, { targetId: target });
    expect(again.status).toBe(409);
    const self = await call(cookies.agent, 'POST', `/api/desk/tickets/${target}/merge`, { targetId: target });
    expect(self.status).toBe(400);
  });

  test('split moves one message into a new ticket', async () => {
    const original = fileTicket({ inboundMessageId: '<opening@district.example.gov>' });
    const reply = await call(cookies.agent, 'POST', `/api/desk/tickets/${original}/messages`, {
      visibility: 'internal',
      bodyText: 'A second question about move notices came in by phone.',
    });
    expect(reply.status).toBe(201);
    const db = testApp.database.db;
    const messages = db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, original)).all();
    db.insert(ticketAttachments)
      .values({
        ticketId: original,
        ticketMessageId: messages[1]!.id,
        fileName: 'notice.pdf',
        contentType: 'application/pdf',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
        createdAt: clock().toISOString(),
      })
      .run();

    const first = await call(cookies.agent, 'POST', `/api/desk/messages/${messages[0]!.id}/split`, {});
    expect(first.status).toBe(409);

    const split = await call<{ ticketId: number }>(
      cookies.agent,
      'POST',
      `/api/desk/messages/${messages[1]!.id}/split`,
      {
        subject: 'Move notice question',
      },
    );
    expect(split.status).toBe(201);
    const created = db.select().from(tickets).where(eq(tickets.id, split.body.ticketId)).get()!;
    expect(created).toMatchObject({
      subject: 'Move notice question',
      requesterEmail: 'registrar@district.example.gov',
    });
    expect(db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, created.id)).all()).toHaveLength(1);
    expect(db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, created.id)).all()).toHaveLength(1);
    expect(eventsOf(original).map((event) => [event.type, event.toValue])).toContainEqual(['split', `#${created.id}`]);
    expect(eventsOf(created.id).map((event) => [event.type, event.fromValue])).toContainEqual([
      'split_from',
      `#${original}`,
    ]);
  });
});

describe('attachments from the console', () => {
  interface RequesterView {
    messages: { visibility: string; bodyText: string; attachments: { id: number; fileName: string }[] }[];
  }

  async function upload(cookie: string, fileName: string, contentType: string, text: string) {
    const response = await testApp.app.request('/api/ticket-attachments', {
      method: 'POST',
      headers: {
        Origin: testOrigin,
        Cookie: cookie,
        'Content-Type': contentType,
        'X-File-Name': encodeURIComponent(fileName),
      },
      body: new TextEncoder().encode(text),
    });
    expect(response.status, fileName).toBe(201);
    return ((await response.json()) as { id: number }).id;
  }

  async function requesterWithTicket() {
    const db = testApp.database.db;
    const person = await createPerson(db, { role: 'state_user', state: 'TX' });
    const cookie = await signInAs(testApp.app, person);
    const ticketId = fileTicket({
      requester: { email: person.email, name: 'Dana Registrar', personId: person.id, state: 'TX' },
    });
    return { person, cookie, ticketId };
  }

  function mailTo(address: string) {
    return testApp.database.db.select().from(outboxMessages).where(eq(outboxMessages.recipient, address)).all();
  }

  test('public reply carries files to the requester', async () => {
    const { person, cookie, ticketId } = await requesterWithTicket();
    const first = await upload(cookies.agent!, 'steps.txt', 'text/plain', 'Open the link within 72 hours.');
    const second = await upload(cookies.agent!, 'upload-errors.csv', 'text/csv', 'row,problem\n2,missing header\n');

    const reply = await call(cookies.agent, 'POST', `/api/desk/tickets/${ticketId}/messages`, {
      visibility: 'public',
      bodyText: 'The steps and the error list are attached.',
      attachments: [first, second],
    });
    expect(reply.status).toBe(201);

    const detail = await call<RequesterView>(cookies.agent, 'GET', `/api/desk/tickets/${ticketId}`);
    const sent = detail.body.messages.find((message) => message.bodyText.startsWith('The steps'));
    expect(sent?.attachments.map((file) => file.fileName)).toEqual(['steps.txt', 'upload-errors.csv']);

    const view = await call<RequesterView>(cookie, 'GET', `/api/tickets/${ticketId}`);
    const seen = view.body.messages.find((message) => message.bodyText.startsWith('The steps'));
    expect(seen?.attachments).toHaveLength(2);
    const download = await testApp.app.request(`/api/tickets/${ticketId}/attachments/${seen!.attachments[0]!.id}`, {
      headers: { Cookie: cookie },
    });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('Open the link within 72 hours.');

    const mail = mailTo(person.email).filter((message) => message.kind === 'ticket_reply');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.textBody).toContain('upload-errors.csv');
  });

  test('note files stay hidden from the requester', async () => {
    const { person, cookie, ticketId } = await requesterWithTicket();
    const uploadId = await upload(cookies.agent!, 'account-audit.txt', 'text/plain', 'Locked after 5 failed sign-ins.');
    const mailBefore = mailTo(person.email).length;

    const note = await call(cookies.agent, 'POST', `/api/desk/tickets/${ticketId}/messages`, {
      visibility: 'internal',
      bodyText: 'Audit extract attached for the desk.',
      attachments: [uploadId],
    });
    expect(note.status).toBe(201);
    const attachment = testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticketId))
      .get()!;
    expect(attachment.fileName).toBe('account-audit.txt');

    const view = await call<RequesterView>(cookie, 'GET', `/api/tickets/${ticketId}`);
    expect(view.status).toBe(200);
    expect(view.body.messages.some((message) => message.visibility === 'internal')).toBe(false);
    expect(view.body.messages.flatMap((message) => message.attachments)).toEqual([]);
    const download = await testApp.app.request(`/api/tickets/${ticketId}/attachments/${attachment.id}`, {
      headers: { Cookie: cookie },
    });
    expect(download.status).toBe(404);
    expect(mailTo(person.email)).toHaveLength(mailBefore);

    const staffDownload = await testApp.app.request(`/api/tickets/${ticketId}/attachments/${attachment.id}`, {
      headers: { Cookie: cookies.agent! },
    });
    expect(staffDownload.status).toBe(200);
  });

  test('attachment ids are checked', async () => {
    const ticketId = fileTicket();
    const tooMany = await call<{ error: { message: string } }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${ticketId}/messages`,
      { visibility: 'public', bodyText: 'Six files.', attachments: [1, 2, 3, 4, 5, 6] },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('attachments');

    const notPositive = await call(cookies.agent, 'POST', `/api/desk/tickets/${ticketId}/messages`, {
      visibility: 'public',
      bodyText: 'Bad id.',
      attachments: [0],
    });
    expect(notPositive.status).toBe(400);

    const otherAgent = await createPerson(testApp.database.db, { role: 'agent' });
    const othersUpload = await upload(await signInAs(testApp.app, otherAgent), 'notes.txt', 'text/plain', 'mine');
    const foreign = await call<{ error: { message: string } }>(
      cookies.agent,
      'POST',
      `/api/desk/tickets/${ticketId}/messages`,
      { visibility: 'internal', bodyText: 'Not my file.', attachments: [othersUpload] },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain(`upload ${othersUpload}`);
    const messages = testApp.database.db
      .select()
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId))
      .all();
    expect(messages).toHaveLength(1);
  });
});

describe('history labels', () => {
  /** Collects the history types written anywhere under api/desk, from recordTicketEvent calls and intake events. */
  function recordedHistoryTypes(): Set<string> {
    const root = path.resolve('api/desk');
    const types = new Set<string>();
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(path.join(root, file), 'utf8');
      if (!source.includes('recordTicketEvent(') && !source.includes('IntakeEvent')) continue;
      for (const line of source.split('\n')) {
        if (!/\btype: /.test(line)) continue;
        // Values compared with === (such as 'public' in a ternary) are not types.
        for (const match of line.matchAll(/(?<!=== )'([a-z][a-z_]*)'/g)) types.add(match[1]!);
      }
    }
    // changes.ts builds these from the field name: `${field}_changed`, assigned and unassigned.
    for (const type of ['status_changed', 'priority_changed', 'category_changed', 'state_changed']) types.add(type);
    types.add('assigned').add('unassigned');
    return types;
  }

  test('every recorded history type has a title', () => {
    const types = recordedHistoryTypes();
    for (const type of ['automatic_mail', 'email_not_threaded', 'acknowledgement_skipped', 'survey_skipped']) {
      expect(types.has(type), type).toBe(true);
    }
    for (const type of types) expect(historyTitles[type], type).toBeDefined();
  });

  test('loop guard reasons read as words', () => {
    const reasons = [
      'auto_submitted',
      'precedence',
      'empty_return_path',
      'autoreply_header',
      'mailing_list',
      'delivery_report',
    ];
    expect(Object.keys(automaticMailLabels).sort()).toEqual([...reasons].sort());
    for (const reason of reasons) {
      const text = describeHistory({ type: 'automatic_mail', fromValue: null, toValue: reason });
      expect(text, reason).not.toMatch(/_/);
      expect(text, reason).toContain(automaticMailLabels[reason as keyof typeof automaticMailLabels]);
    }
  });

  test('history rows read as sentences', () => {
    const cases: [type: string, fromValue: string | null, toValue: string | null, expected: string][] = [
      ['created', null, 'email', 'Ticket created: Email'],
      ['status_changed', 'on_hold', 'open', 'Status changed: On hold → Open'],
      ['state_changed', 'TX', null, 'State changed: Texas (TX) → No state'],
      ['requester_replied', null, 'web', 'Requester replied: Web form'],
      ['merged', null, '#12', 'Merged into ticket #12'],
      ['split_from', '#7', null, 'Split from ticket #7'],
      ['survey_answered', null, '4', 'Satisfaction survey answered: 4 of 5'],
      [
        'email_not_threaded',
        '#12',
        'that ticket is closed',
        'Email did not join ticket #12, because that ticket is closed, so it opened this ticket',
      ],
      [
        'acknowledgement_skipped',
        null,
        'the sender address cannot receive mail from the desk',
        'No acknowledgement sent: the sender address cannot receive mail from the desk',
      ],
      [
        'survey_skipped',
        null,
        'automatic mail opened the ticket',
        'No satisfaction survey sent: automatic mail opened the ticket',
      ],
      ['some_later_type', null, null, 'Some later type'],
    ];
    for (const [type, fromValue, toValue, expected] of cases) {
      expect(describeHistory({ type, fromValue, toValue }), type).toBe(expected);
    }
  });

  test('history of an automatic ticket has no codes', async () => {
    const id = fileTicket({
      channel: 'email',
      automaticMail: 'empty_return_path',
      intakeEvents: [
        { type: 'acknowledgement_skipped', toValue: 'the sender address cannot receive mail from the desk' },
        { type: 'email_not_threaded', fromValue: '#3', toValue: 'the sender does not take part in that ticket' },
      ],
    });
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${id}`, { status: 'on_hold', priority: 'high' });
    await call(cookies.agent, 'PATCH', `/api/desk/tickets/${id}`, { status: 'solved' });
    const detail = await call<{ history: { type: string; fromValue: string | null; toValue: string | null }[] }>(
      cookies.agent,
      'GET',
      `/api/desk/tickets/${id}`,
    );
    const types = detail.body.history.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['automatic_mail', 'acknowledgement_skipped', 'email_not_threaded']));
    for (const event of detail.body.history) {
      expect(describeHistory(event), event.type).not.toMatch(/[a-z]_[a-z]/);
    }
  });
});

describe('access', () => {
  test('state staff get 403 and anonymous 401', async () => {
    const id = fileTicket();
    const stateUser = await signInAs(
      testApp.app,
      await createPerson(testApp.database.db, { role: 'state_user', state: 'TX' }),
    );
    const coordinator = await signInAs(
      testApp.app,
      await createPerson(testApp.database.db, { role: 'state_coordinator', state: 'TX' }),
    );
    for (const cookie of [stateUser, coordinator]) {
      expect((await call(cookie, 'GET', '/api/desk/queue')).status).toBe(403);
      expect((await call(cookie, 'GET', `/api/desk/tickets/${id}`)).status).toBe(403);
      expect((await call(cookie, 'PATCH', `/api/desk/tickets/${id}`, { status: 'solved' })).status).toBe(403);
      expect((await call(cookie, 'POST', '/api/desk/availability', { available: true })).status).toBe(403);
    }
    expect((await call(undefined, 'GET', '/api/desk/queue')).status).toBe(401);
    expect((await call(cookies.agent, 'GET', '/api/desk/tickets/999999')).status).toBe(404);
  });

  test('markup in subjects comes back as plain text', async () => {
    const id = fileTicket({ subject: '<img src=x onerror=alert(1)> help' });
    const detail = await call<{ ticket: { subject: string } }>(cookies.agent, 'GET', `/api/desk/tickets/${id}`);
    expect(detail.body.ticket.subject).toBe('<img src=x onerror=alert(1)> help');
  });
});
