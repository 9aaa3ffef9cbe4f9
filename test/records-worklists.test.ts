import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { linkStudents } from '../api/records/linking/link';
import { summarizeMoveNotices } from '../api/records/move-notices/summary';
import { runWorklistAging } from '../api/records/worklists/aging';
import { createMailQueue } from '../api/shared/mail-queue';
import {
  auditLog,
  consolidatedRecords,
  moveNotices,
  outboxMessages,
  recordChangeRequests,
  recordNearMatches,
  retiredMsixIds,
  students,
} from '../db/schema';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, hours } from './helpers/clock';
import { rootDirectory } from './helpers/constants';
import { createTestApp, type TestApp } from './helpers/server';

let testApp: TestApp;
let clock: ReturnType<typeof createFakeClock>;
let recordCounter = 0;

beforeEach(() => {
  // Friday 15:00 UTC, so five business days end the next Friday.
  clock = createFakeClock(new Date('2026-12-04T15:00:00.000Z'));
  testApp = createTestApp({ clock });
});
afterEach(() => testApp.cleanup());

const db = () => testApp.database.db;

interface StudentOptions {
  state: string;
  stateStudentId: string;
  firstName?: string;
  lastName1?: string;
  lastName2?: string | null;
  birthDate?: string;
  /** Puts the student in this consolidated record; a new record is created when absent and `unlinked` is not set. */
  recordId?: number;
  /** Leaves the student without a record, for linkStudents to place. */
  unlinked?: boolean;
}

function createRecord(createdAt = clock()): { id: number; msixId: string } {
  recordCounter += 1;
  const msixId = String(400_000_000_000 + recordCounter);
  return db()
    .insert(consolidatedRecords)
    .values({ msixId, createdAt: createdAt.toISOString(), updatedAt: createdAt.toISOString() })
    .returning({ id: consolidatedRecords.id, msixId: consolidatedRecords.msixId })
    .get();
}

function createStudent(options: StudentOptions): { id: number; recordId: number | null } {
  const now = clock().toISOString();
  const recordId = options.unlinked ? null : (options.recordId ?? createRecord().id);
  const row = db()
    .insert(students)
    .values({
      state: options.state,
      stateStudentId: options.stateStudentId,
      consolidatedRecordId: recordId,
      firstName: options.firstName ?? 'Ana',
      lastName1: options.lastName1 ?? 'Garcia',
      lastName2: options.lastName2 === undefined ? 'Lopez' : options.lastName2,
      sex: 'Female',
      birthDate: options.birthDate ?? '2012-03-04',
      multipleBirth: false,
      contentSha256: `sha-${options.state}-${options.stateStudentId}`,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: students.id })
    .get();
  return { id: row.id, recordId };
}

function createNearMatch(first: number, second: number): number {
  const [studentAId, studentBId] = first < second ? [first, second] : [second, first];
  const reasons = {
    score: 7.5,
    decision: 'near_match',
    flags: ['first_name_differs'],
    fields: [
      {
        field: 'first_name',
        outcome: 'disagree',
        method: 'different',
        detail: 'First names are different.',
        weight: -3,
      },
    ],
    thresholds: { link: 10.5, nearMatch: 6.5 },
  };
  return db()
    .insert(recordNearMatches)
    .values({ studentAId, studentBId, score: 7.5, reasons: JSON.stringify(reasons), createdAt: clock().toISOString() })
    .returning({ id: recordNearMatches.id })
    .get().id;
}

function recordOf(studentId: number): number | null {
  return (
    db().select({ id: students.consolidatedRecordId }).from(students).where(eq(students.id, studentId)).get()?.id ??
    null
  );
}

function auditActions(): string[] {
  return db()
    .select({ action: auditLog.action })
    .from(auditLog)
    .all()
    .map((row) => row.action)
    .filter((action) => action.startsWith('records.'));
}

async function signedIn(options: Parameters<typeof createPerson>[1]): Promise<{ person: TestPerson; cookie: string }> {
  const person = await createPerson(db(), { now: clock(), ...options });
  return { person, cookie: await signInAs(testApp.app, person) };
}

const dataAdministrator = (state: string) =>
  signedIn({ role: 'state_coordinator', state, recordsAccess: 'data_administrator' });

async function call(cookie: string, method: string, url: string, body?: unknown) {
  const response = await sendJson(testApp.app, method, url, { cookie, body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

describe('near-match worklist', () => {
  test('shows a pair to both states and hides it from a third', async () => {
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX100' });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA100', firstName: 'Maria' });
    createNearMatch(texas.id, california.id);
    const texasAdministrator = await dataAdministrator('TX');
    const californiaAdministrator = await dataAdministrator('CA');
    const floridaAdministrator = await dataAdministrator('FL');
    const nationalAdmin = await signedIn({ role: 'admin', recordsAccess: 'data_administrator' });

    const texasList = await call(texasAdministrator.cookie, 'GET', '/api/record-worklist?state=TX');
    const californiaList = await call(californiaAdministrator.cookie, 'GET', '/api/record-worklist?state=CA');
    const floridaList = await call(floridaAdministrator.cookie, 'GET', '/api/record-worklist?state=FL');
    const nationalList = await call(nationalAdmin.cookie, 'GET', '/api/record-worklist?state=all');

    expect(texasList.body.nearMatches).toHaveLength(1);
    expect(californiaList.body.nearMatches).toHaveLength(1);
    expect(floridaList.body.nearMatches).toHaveLength(0);
    expect(nationalList.body.nearMatches).toHaveLength(1);
    const pair = texasList.body.nearMatches[0];
    expect(pair.studentA.firstName).toBe('Ana');
    expect(pair.studentB.firstName).toBe('Maria');
    expect(pair.reasons.fields[0].detail).toBe('First names are different.');
    expect(pair.ageDays).toBe(0);
  });

  test('refuses other states and people without the grant', async () => {
    const floridaAdministrator = await dataAdministrator('FL');
    const viewer = await signedIn({ role: 'state_user', state: 'TX', recordsAccess: 'viewer' });

    const otherState = await call(floridaAdministrator.cookie, 'GET', '/api/record-worklist?state=TX');
    const noGrant = await call(viewer.cookie, 'GET', '/api/record-worklist?state=TX');
    const missingState = await call(floridaAdministrator.cookie, 'GET', '/api/record-worklist');

    expect(otherState.status).toBe(403);
    expect(noGrant.status).toBe(403);
    expect(noGrant.body.error.code).toBe('records_access_required');
    expect(missingState.status).toBe(400);
  });

  test('third state cannot decide a pair', async () => {
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX101' });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA101', firstName: 'Maria' });
    const nearMatchId = createNearMatch(texas.id, california.id);
    const floridaAdministrator = await dataAdministrator('FL');

    const response = await call(floridaAdministrator.cookie, 'POST', `/api/record-near-matches/${nearMatchId}/reject`, {
      comment: 'Not the same child.',
    });

    expect(response.status).toBe(403);
  });

  test('reject needs a comment and keeps records apart', async () => {
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX102' });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA102', firstName: 'Maria' });
    const nearMatchId = createNearMatch(texas.id, california.id);
    const { cookie } = await dataAdministrator('TX');

    const withoutComment = await call(cookie, 'POST', `/api/record-near-matches/${nearMatchId}/reject`, {});
    const rejected = await call(cookie, 'POST', `/api/record-near-matches/${nearMatchId}/reject`, {
      comment: 'Different mothers on the birth certificates.',
    });
    const again = await call(cookie, 'POST', `/api/record-near-matches/${nearMatchId}/reject`, {
      comment: 'Different mothers on the birth certificates.',
    });

    expect(withoutComment.status).toBe(400);
    expect(withoutComment.body.error.message).toContain('comment');
    expect(rejected.status).toBe(200);
    expect(again.status).toBe(409);
    const row = db().select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
    expect(row?.status).toBe('rejected');
    expect(recordOf(texas.id)).not.toBe(recordOf(california.id));
    expect(auditActions()).toContain('records.near_match_rejected');
  });

  test('rejected pair stays apart on relinking', async () => {
    const now = clock();
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX103', unlinked: true });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA103', firstName: 'Maria', unlinked: true });
    linkStudents(db(), [texas.id, california.id], now);
    expect(recordOf(california.id)).not.toBe(recordOf(texas.id));
    const proposed = db().select().from(recordNearMatches).get();
    const nearMatchId = proposed?.id ?? createNearMatch(texas.id, california.id);
    const { cookie } = await dataAdministrator('CA');
    await call(cookie, 'POST', `/api/record-near-matches/${nearMatchId}/reject`, {
      comment: 'Cousins, not one child.',
    });

    // California corrects the first name in a new upload, so the two records are now identical.
    db()
      .update(students)
      .set({ firstName: 'Ana', consolidatedRecordId: null })
      .where(eq(students.id, california.id))
      .run();
    linkStudents(db(), [california.id], now);
    // Control: the same identity from a third state does link, to one of the two records.
    const newMexico = createStudent({ state: 'NM', stateStudentId: 'NM103', unlinked: true });
    linkStudents(db(), [newMexico.id], now);

    expect(recordOf(california.id)).not.toBeNull();
    expect(recordOf(california.id)).not.toBe(recordOf(texas.id));
    expect([recordOf(texas.id), recordOf(california.id)]).toContain(recordOf(newMexico.id));
    const pair = db().select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
    expect(pair?.status).toBe('rejected');
  });

  test('confirm needs a second administrator to join records', async () => {
    const olderRecord = createRecord(new Date('2025-01-10T00:00:00.000Z'));
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX104', recordId: olderRecord.id });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA104', firstName: 'Maria' });
    const nearMatchId = createNearMatch(texas.id, california.id);
    const texasAdministrator = await dataAdministrator('TX');
    const californiaAdministrator = await dataAdministrator('CA');

    const confirmed = await call(texasAdministrator.cookie, 'POST', `/api/record-near-matches/${nearMatchId}/confirm`, {
      comment: 'Same parents and school history.',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('validation_pending');
    expect(recordOf(texas.id)).not.toBe(recordOf(california.id));

    const requestId = confirmed.body.changeRequestId as number;
    const selfValidation = await call(
      texasAdministrator.cookie,
      'POST',
      `/api/record-changes/${requestId}/validate`,
      {},
    );
    expect(selfValidation.status).toBe(403);
    expect(selfValidation.body.error.code).toBe('second_person_required');

    const worklist = await call(californiaAdministrator.cookie, 'GET', '/api/record-worklist?state=CA');
    expect(worklist.body.nearMatches).toHaveLength(0);
    expect(worklist.body.changeRequests).toHaveLength(1);

    const validated = await call(
      californiaAdministrator.cookie,
      'POST',
      `/api/record-changes/${requestId}/validate`,
      {},
    );
    expect(validated.status).toBe(200);
    expect(validated.body.result.msixId).toBe(olderRecord.msixId);
    expect(recordOf(texas.id)).toBe(olderRecord.id);
    expect(recordOf(california.id)).toBe(olderRecord.id);
    const row = db().select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
    expect(row?.status).toBe('confirmed');
    expect(auditActions()).toEqual(
      expect.arrayContaining(['records.near_match_confirmed', 'records.merge_requested', 'records.merge_validated']),
    );
  });
});

describe('merge and split requests', () => {
  async function mergeSetup() {
    const kept = createRecord();
    const retired = createRecord();
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX200', recordId: kept.id });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA200', recordId: retired.id });
    const requester = await dataAdministrator('TX');
    const request = await call(requester.cookie, 'POST', '/api/record-changes', {
      kind: 'merge',
      msixId: kept.msixId,
      otherMsixId: retired.msixId,
      reason: 'Same child: same parents and the same move history.',
    });
    return { kept, retired, texas, california, requester, request };
  }

  test('merge waits for a different administrator', async () => {
    const { kept, retired, texas, california, requester, request } = await mergeSetup();
    const floridaAdministrator = await dataAdministrator('FL');
    const californiaAdministrator = await dataAdministrator('CA');
    const id = request.body.request.id as number;

    expect(request.status).toBe(201);
    expect(request.body.request.states).toEqual(['CA', 'TX']);
    expect(recordOf(california.id)).toBe(retired.id);
    expect((await call(requester.cookie, 'POST', `/api/record-changes/${id}/validate`, {})).status).toBe(403);
    expect((await call(floridaAdministrator.cookie, 'POST', `/api/record-changes/${id}/validate`, {})).status).toBe(
      403,
    );

    const validated = await call(californiaAdministrator.cookie, 'POST', `/api/record-changes/${id}/validate`, {
      comment: 'Checked the enrollment history.',
    });

    expect(validated.status).toBe(200);
    expect(validated.body.request.status).toBe('validated');
    expect(recordOf(texas.id)).toBe(kept.id);
    expect(recordOf(california.id)).toBe(kept.id);
    expect(auditActions()).toEqual(expect.arrayContaining(['records.merge_requested', 'records.merge_validated']));
  });

  test('request emails the other administrators', async () => {
    const californiaAdministrator = await dataAdministrator('CA');
    const { requester } = await mergeSetup();

    const mail = db().select().from(outboxMessages).all();

    expect(mail.map((message) => message.recipient)).toEqual([californiaAdministrator.person.email]);
    expect(mail[0]?.recipient).not.toBe(requester.person.email);
    expect(mail[0]?.subject).toContain('Merge waiting for validation');
    expect(mail[0]?.textBody).not.toContain('Garcia');
  });

  test('retired MSIX ID resolves to its successor', async () => {
    const { kept, retired, request } = await mergeSetup();
    const californiaAdministrator = await dataAdministrator('CA');
    await call(californiaAdministrator.cookie, 'POST', `/api/record-changes/${request.body.request.id}/validate`, {});

    const resolved = await call(californiaAdministrator.cookie, 'GET', `/api/msix-ids/${retired.msixId}`);
    const retiredRow = db().select().from(retiredMsixIds).where(eq(retiredMsixIds.msixId, retired.msixId)).get();
    const changesPage = await call(
      californiaAdministrator.cookie,
      'GET',
      `/api/record-changes/record/${retired.msixId}`,
    );

    expect(resolved.body).toEqual({ msixId: kept.msixId, requestedMsixId: retired.msixId, retired: true });
    expect(retiredRow?.successorRecordId).toBe(kept.id);
    expect(changesPage.body.msixId).toBe(kept.msixId);
    expect(changesPage.body.retired).toBe(true);
    expect(changesPage.body.stateRecords).toHaveLength(2);
  });

  test('declined change changes nothing', async () => {
    const { retired, california, request } = await mergeSetup();
    const californiaAdministrator = await dataAdministrator('CA');
    const id = request.body.request.id as number;

    const withoutComment = await call(californiaAdministrator.cookie, 'POST', `/api/record-changes/${id}/decline`, {});
    const declined = await call(californiaAdministrator.cookie, 'POST', `/api/record-changes/${id}/decline`, {
      comment: 'Different birth certificates.',
    });
    const validateAfter = await call(californiaAdministrator.cookie, 'POST', `/api/record-changes/${id}/validate`, {});

    expect(withoutComment.status).toBe(400);
    expect(declined.body.request.status).toBe('declined');
    expect(validateAfter.status).toBe(409);
    expect(recordOf(california.id)).toBe(retired.id);
    expect(db().select().from(retiredMsixIds).all()).toHaveLength(0);
    expect(auditActions()).toContain('records.merge_declined');
  });

  test('pending request locks its records', async () => {
    const { kept, retired } = await mergeSetup();
    const third = createRecord();
    createStudent({ state: 'NM', stateStudentId: 'NM200', recordId: third.id });
    const administrator = await dataAdministrator('CA');

    const second = await call(administrator.cookie, 'POST', '/api/record-changes', {
      kind: 'merge',
      msixId: third.msixId,
      otherMsixId: retired.msixId,
      reason: 'Also the same child, by the parents.',
    });

    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('change_pending');
    expect(second.body.error.message).toContain(kept.msixId);
  });

  test('split gives the state record a new MSIX ID', async () => {
    const record = createRecord();
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX300', recordId: record.id });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA300', recordId: record.id, firstName: 'Maria' });
    const californiaAdministrator = await dataAdministrator('CA');
    const texasAdministrator = await dataAdministrator('TX');

    const request = await call(californiaAdministrator.cookie, 'POST', '/api/record-changes', {
      kind: 'split',
      msixId: record.msixId,
      studentId: california.id,
      reason: 'Two different children joined by mistake.',
    });
    expect(request.status).toBe(201);
    expect(recordOf(california.id)).toBe(record.id);

    const validated = await call(
      texasAdministrator.cookie,
      'POST',
      `/api/record-changes/${request.body.request.id}/validate`,
      {},
    );

    expect(validated.status).toBe(200);
    expect(recordOf(texas.id)).toBe(record.id);
    const newRecordId = recordOf(california.id);
    expect(newRecordId).not.toBe(record.id);
    const newRecord = db()
      .select()
      .from(consolidatedRecords)
      .where(eq(consolidatedRecords.id, newRecordId ?? 0))
      .get();
    expect(newRecord?.msixId).toMatch(/^[1-9]\d{11}$/);
    expect(validated.body.result.msixId).toBe(newRecord?.msixId);
    const pair = db().select().from(recordNearMatches).get();
    expect(pair?.status).toBe('rejected');
    expect(auditActions()).toEqual(expect.arrayContaining(['records.split_requested', 'records.split_validated']));
  });

  test('split of a single record is refused', async () => {
    const record = createRecord();
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX301', recordId: record.id });
    const { cookie } = await dataAdministrator('TX');

    const response = await call(cookie, 'POST', '/api/record-changes', {
      kind: 'split',
      msixId: record.msixId,
      studentId: texas.id,
      reason: 'Nothing else is in this record.',
    });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('nothing_to_split');
  });

  test('viewer cannot request a change', async () => {
    const kept = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX302', recordId: kept.id });
    const other = createRecord();
    createStudent({ state: 'CA', stateStudentId: 'CA302', recordId: other.id });
    const viewer = await signedIn({ role: 'state_user', state: 'TX', recordsAccess: 'viewer' });

    const response = await call(viewer.cookie, 'POST', '/api/record-changes', {
      kind: 'merge',
      msixId: kept.msixId,
      otherMsixId: other.msixId,
      reason: 'Looks like the same child to me.',
    });

    expect(response.status).toBe(403);
  });
});

describe('worklist aging', () => {
  const runAging = () =>
    runWorklistAging({
      db: db(),
      clock,
      mail: createMailQueue(testApp.config),
      siteUrl: testApp.config.siteUrl,
      logger: pino({ level: 'silent' }),
    });

  test('escalates once after five business days', async () => {
    const texas = createStudent({ state: 'TX', stateStudentId: 'TX400' });
    const california = createStudent({ state: 'CA', stateStudentId: 'CA400', firstName: 'Maria' });
    const nearMatchId = createNearMatch(texas.id, california.id);
    const texasAdministrator = await dataAdministrator('TX');
    const californiaAdministrator = await dataAdministrator('CA');
    await dataAdministrator('FL');
    const nationalAdmin = await signedIn({ role: 'admin', recordsAccess: 'data_administrator' });
    await signedIn({ role: 'state_coordinator', state: 'TX', recordsAccess: 'viewer' });

    clock.advance(days(4));
    expect(runAging().escalated).toBe(0);

    clock.advance(days(3));
    const first = runAging();
    const second = runAging();

    expect(first).toEqual({ escalated: 1, messages: 3 });
    expect(second).toEqual({ escalated: 0, messages: 0 });
    const row = db().select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
    expect(row?.escalatedAt).toBe(clock().toISOString());
    const mail = db().select().from(outboxMessages).all();
    expect(mail.map((message) => message.recipient).sort()).toEqual(
      [texasAdministrator.person.email, californiaAdministrator.person.email, nationalAdmin.person.email].sort(),
    );
    expect(mail[0]?.kind).toBe('records_worklist_escalation');
    expect(JSON.parse(mail[0]?.headers ?? '{}')).toEqual({ 'Auto-Submitted': 'auto-generated' });
    expect(mail[0]?.textBody).toContain('/records/worklist/');
    expect(mail[0]?.textBody).not.toContain('Ana');
    expect(mail[0]?.textBody).not.toContain('Garcia');
  });

  test('escalates a pending change request', async () => {
    const kept = createRecord();
    const other = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX401', recordId: kept.id });
    createStudent({ state: 'CA', stateStudentId: 'CA401', recordId: other.id });
    const { cookie } = await dataAdministrator('TX');
    await call(cookie, 'POST', '/api/record-changes', {
      kind: 'merge',
      msixId: kept.msixId,
      otherMsixId: other.msixId,
      reason: 'Same child: same parents and the same move history.',
    });

    clock.advance(days(7));
    const result = runAging();

    expect(result.escalated).toBe(1);
    const request = db().select().from(recordChangeRequests).get();
    expect(request?.escalatedAt).not.toBeNull();
  });
});

describe('export-ids', () => {
  test('command writes the crosswalk from DATABASE_PATH', () => {
    const first = createRecord();
    const second = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX9', recordId: second.id });
    createStudent({ state: 'TX', stateStudentId: 'TX10', recordId: first.id });
    createStudent({ state: 'TX', stateStudentId: 'TX11', unlinked: true });
    createStudent({ state: 'CA', stateStudentId: 'CA1', recordId: first.id });

    const result = runExport(['export-ids', '--state', 'tx']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`state_student_id,msix_id\r\nTX10,${first.msixId}\r\nTX9,${second.msixId}\r\n`);
  });

  test('command rejects bad arguments with exit code 2', () => {
    const missing = runExport(['export-ids']);
    const unknownState = runExport(['export-ids', '--state', 'XX']);

    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Missing --state');
    expect(missing.stderr).toContain('Usage: npm run records -- export-ids --state XX');
    expect(missing.stdout).toBe('');
    expect(unknownState.status).toBe(2);
    expect(unknownState.stderr).toContain('not a USPS state code');
  });

  test('download is for that state only', async () => {
    const record = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX12', recordId: record.id });
    const texasAdministrator = await dataAdministrator('TX');
    const californiaAdministrator = await dataAdministrator('CA');

    const response = await sendJson(testApp.app, 'GET', '/api/records/export-ids/TX', {
      cookie: texasAdministrator.cookie,
    });
    const refused = await sendJson(testApp.app, 'GET', '/api/records/export-ids/TX', {
      cookie: californiaAdministrator.cookie,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(`state_student_id,msix_id\r\nTX12,${record.msixId}\r\n`);
    expect(refused.status).toBe(403);
  });

  function runExport(args: string[]) {
    return spawnSync(
      process.execPath,
      [path.join(rootDirectory, 'node_modules/tsx/dist/cli.mjs'), 'api/cli/records.ts', ...args],
      {
        cwd: rootDirectory,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_PATH: path.join(testApp.directory, 'test.sqlite'), LOG_LEVEL: 'silent' },
      },
    );
  }
});

describe('move notices', () => {
  async function sendSetup() {
    const record = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX500', recordId: record.id });
    const sender = await signedIn({ role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
    const coordinator = await signedIn({ role: 'state_coordinator', state: 'CA' });
    const secondCoordinator = await createPerson(db(), { role: 'state_coordinator', state: 'CA', now: clock() });
    await createPerson(db(), { role: 'state_user', state: 'CA', recordsAccess: 'data_administrator', now: clock() });
    const sent = await call(sender.cookie, 'POST', '/api/move-notices', {
      msixId: record.msixId,
      toState: 'CA',
      toCity: 'Salinas',
      expectedArrivalDate: '2026-12-20',
      comment: 'Family leaves after the harvest; Ana needs her algebra credits.',
    });
    return { record, sender, coordinator, secondCoordinator, sent };
  }

  test('sending emails the destination coordinators', async () => {
    const { record, coordinator, secondCoordinator, sent } = await sendSetup();

    expect(sent.status).toBe(201);
    expect(sent.body.coordinatorsEmailed).toBe(2);
    const mail = db().select().from(outboxMessages).all();
    expect(mail.map((message) => message.recipient).sort()).toEqual(
      [coordinator.person.email, secondCoordinator.email].sort(),
    );
    expect(mail[0]?.kind).toBe('records_move_notice');
    expect(mail[0]?.textBody).toContain(record.msixId);
    expect(mail[0]?.textBody).toContain('2026-12-20');
    expect(mail[0]?.textBody).not.toContain('Ana');
    expect(mail[0]?.textBody).not.toContain('algebra');
    expect(auditActions()).toContain('records.move_notice_sent');
  });

  test('coordinator acknowledges and response time is kept', async () => {
    const setup = await sendSetup();
    const id = setup.sent.body.notice.id as number;
    clock.advance(hours(3));
    // Three idle hours end the sessions, so both sign in again.
    const sender = { ...setup.sender, cookie: await signInAs(testApp.app, setup.sender.person) };
    const coordinator = { ...setup.coordinator, cookie: await signInAs(testApp.app, setup.coordinator.person) };

    const bySender = await call(sender.cookie, 'POST', `/api/move-notices/${id}/acknowledge`, {});
    const acknowledged = await call(coordinator.cookie, 'POST', `/api/move-notices/${id}/acknowledge`, {
      note: 'Salinas office will contact the family.',
    });
    const twice = await call(coordinator.cookie, 'POST', `/api/move-notices/${id}/acknowledge`, {});

    expect(bySender.status).toBe(404);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.notice.responseHours).toBe(3);
    expect(twice.status).toBe(409);
    const row = db().select().from(moveNotices).where(eq(moveNotices.id, id)).get();
    expect(row?.responseMinutes).toBe(180);
    expect(auditActions()).toContain('records.move_notice_acknowledged');

    const received = await call(coordinator.cookie, 'GET', '/api/move-notices?state=CA');
    const sentList = await call(sender.cookie, 'GET', '/api/move-notices?state=TX');
    expect(received.body.canAcknowledge).toBe(true);
    expect(received.body.received.map((notice: { status: string }) => notice.status)).toEqual(['acknowledged']);
    expect(sentList.body.sent).toHaveLength(1);
    expect(sentList.body.sent[0].acknowledgementNote).toBe('Salinas office will contact the family.');

    const summary = summarizeMoveNotices(db(), {
      from: new Date('2026-12-01T00:00:00.000Z'),
      to: new Date('2026-12-31T00:00:00.000Z'),
      state: 'CA',
    });
    expect(summary).toEqual({ sent: 1, acknowledged: 1, medianResponseHours: 3 });
  });

  test('sending checks access and input', async () => {
    const record = createRecord();
    createStudent({ state: 'TX', stateStudentId: 'TX501', recordId: record.id });
    const noGrant = await signedIn({ role: 'state_user', state: 'TX' });
    const viewer = await signedIn({ role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
    const valid = { msixId: record.msixId, toState: 'CA', expectedArrivalDate: '2026-12-20' };

    const refused = await call(noGrant.cookie, 'POST', '/api/move-notices', valid);
    const ownState = await call(viewer.cookie, 'POST', '/api/move-notices', { ...valid, toState: 'TX' });
    const badDate = await call(viewer.cookie, 'POST', '/api/move-notices', {
      ...valid,
      expectedArrivalDate: '2026-02-30',
    });
    const farDate = await call(viewer.cookie, 'POST', '/api/move-notices', {
      ...valid,
      expectedArrivalDate: '2029-01-01',
    });
    const unknownRecord = await call(viewer.cookie, 'POST', '/api/move-notices', { ...valid, msixId: '999999999999' });
    const otherList = await call(viewer.cookie, 'GET', '/api/move-notices?state=CA');

    expect(refused.status).toBe(403);
    expect(ownState.status).toBe(400);
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toContain('expectedArrivalDate');
    expect(farDate.status).toBe(400);
    expect(unknownRecord.status).toBe(404);
    expect(otherList.status).toBe(403);
    expect(db().select().from(moveNotices).all()).toHaveLength(0);
  });
});
