/**
 * The dashboard's figure arithmetic against small hand-built fixtures in three
 * states (TX, CA, FL) over two quarters: Jul–Sep 2026 (2026-Q3) and Oct–Dec
 * 2026 (2026-Q4, the current quarter). Every expected number is worked out by
 * hand in the comment above its fixture.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeFigures, computeFlows, type FigureRow } from '../api/dashboard/compute';
import { findFirstQuarter } from '../api/dashboard/compute/first-quarter';
import { metricIds, type MetricId } from '../api/dashboard/metrics';
import { recordUsage } from '../api/dashboard/usage';
import { flowsSourceKey, refreshDashboard, refreshedAtKey } from '../api/dashboard/refresh';
import { stateCodes } from '../api/shared/states';
import type { AppDatabase } from '../db/client';
import {
  appMeta,
  consolidatedRecords,
  dashboardFigures,
  dashboardFlows,
  eventRegistrations,
  milestoneUpdates,
  moveNotices,
  nearMatchDecisions,
  outboxMessages,
  planGoals,
  planMilestones,
  planObjectives,
  plans,
  qualifyingMoves,
  recordNearMatches,
  recordUploadCompleteness,
  recordUploads,
  students,
  subscribers,
  ticketSurveys,
  tickets,
  usageCounts,
  usageEvents,
} from '../db/schema';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

const now = new Date('2026-12-04T15:00:00.000Z');
const agent = { role: 'agent' as const, state: null };
const texasUser = { role: 'state_user' as const, state: 'TX' };
const californiaUser = { role: 'state_user' as const, state: 'CA' };

/** Finds the one figure of a metric, scope and quarter, and returns its value and sample. */
function figureOf(rows: readonly FigureRow[], metric: MetricId, state: string, quarter: string) {
  const matches = rows.filter((row) => row.metric === metric && row.state === state && row.quarter === quarter);
  expect(matches, `${metric} ${state} ${quarter}`).toHaveLength(1);
  return { value: matches[0]!.value, sample: matches[0]!.sample };
}

let sequence = 0;

/** Inserts a consolidated record with one student per state given and returns the students' ids. */
function insertChild(db: AppDatabase, states: string[], options: { linked?: boolean } = {}): number[] {
  sequence += 1;
  const stamp = '2026-06-01T00:00:00.000Z';
  const record =
    options.linked === false
      ? null
      : db
          .insert(consolidatedRecords)
          .values({ msixId: String(200000000000 + sequence), createdAt: stamp, updatedAt: stamp })
          .returning({ id: consolidatedRecords.id })
          .get();
  return states.map(
    (state, index) =>
      db
        .insert(students)
        .values({
          state,
          stateStudentId: `${state}${sequence}-${index}`,
          consolidatedRecordId: record?.id ?? null,
          firstName: 'Synthetic',
          lastName1: `Child${sequence}`,
          sex: 'Female',
          birthDate: '2014-02-02',
          multipleBirth: false,
          contentSha256: `sha-${sequence}-${index}`,
          createdAt: stamp,
          updatedAt: stamp,
        })
        .returning({ id: students.id })
        .get().id,
  );
}

function recordIdOf(db: AppDatabase, studentId: number): number {
  return db.select().from(students).where(eq(students.id, studentId)).get()!.consolidatedRecordId!;
}

describe('figures from hand-built fixtures', () => {
  let testApp: TestApp;
  let db: AppDatabase;
  let counted: FigureRow[];

  beforeAll(async () => {
    testApp = createTestApp({ clock: () => now });
    db = testApp.database.db;
    const dataAdministrator = await createPerson(db, {
      role: 'state_user',
      state: 'TX',
      recordsAccess: 'data_administrator',
    });

    // Usage. Searches: TX Q3 1 (last millisecond of September), TX Q4 2 (first millisecond of October, and
    // November); national staff Q3 1, so US Q3 = 2 and US Q4 = 2. Views: CA Q3 1 (US Q3 1). Prints: TX Q4 1.
    recordUsage(db, 'records.search', texasUser, new Date('2026-09-30T23:59:59.999Z'));
    recordUsage(db, 'records.search', texasUser, new Date('2026-10-01T00:00:00.000Z'));
    recordUsage(db, 'records.search', texasUser, new Date('2026-11-01T09:00:00.000Z'));
    recordUsage(db, 'records.search', agent, new Date('2026-08-15T09:00:00.000Z'));
    recordUsage(db, 'records.view', californiaUser, new Date('2026-08-01T09:00:00.000Z'));
    recordUsage(db, 'records.print', texasUser, new Date('2026-12-01T09:00:00.000Z'));

    // Uploads by finished quarter. TX Q3: u1 (10 students, score 80). TX Q4: u2 (20 students, score 90) and
    // u3 rejected whole (5 students, no score). CA Q4: u4 (40 students, score 70) and u6 (0 students, score
    // 40); u5 is still processing. uploads: TX 1 / 2, CA 0 / 2, US 1 / 4. students: TX 10 / 25, CA 40, US 10 / 65.
    // Quality Q4: TX 90 (1), CA (70 + 40) / 2 = 55 (2), US (90 + 70 + 40) / 3 = 66.67 (3), not the mean of
    // the state means (72.5). Completeness: u1 9 of 10 = 90 % (10); u2 (15 + 5) of (20 + 10) = 66.67 % (30);
    // u4 40 of 40 = 100 % (40); US Q4 60 of 70 = 85.71 % (70).
    const upload = (
      state: string,
      status: 'completed' | 'rejected' | 'processing',
      finishedAt: string | null,
      received: number,
      score: number | null,
    ) =>
      db
        .insert(recordUploads)
        .values({
          state,
          source: 'command_line',
          fileNames: '["students.csv"]',
          filesSha256: `sha-upload-${(sequence += 1)}`,
          status,
          studentsReceived: received,
          qualityScore: score,
          startedAt: '2026-07-01T00:00:00.000Z',
          finishedAt,
        })
        .returning({ id: recordUploads.id })
        .get().id;
    const u1 = upload('TX', 'completed', '2026-09-30T23:59:59.999Z', 10, 80);
    const u2 = upload('TX', 'completed', '2026-10-01T00:00:00.000Z', 20, 90);
    upload('TX', 'rejected', '2026-10-15T12:00:00.000Z', 5, null);
    const u4 = upload('CA', 'completed', '2026-11-01T12:00:00.000Z', 40, 70);
    upload('CA', 'processing', null, 12, null);
    upload('CA', 'completed', '2026-11-20T12:00:00.000Z', 0, 40);
    db.insert(recordUploadCompleteness)
      .values([
        { uploadId: u1, element: 'birth_date_verification', applicable: 10, supplied: 9 },
        { uploadId: u2, element: 'birth_date_verification', applicable: 20, supplied: 15 },
        { uploadId: u2, element: 'courses', applicable: 10, supplied: 5 },
        { uploadId: u4, element: 'birth_date_verification', applicable: 40, supplied: 40 },
      ])
      .run();

    // Move notices. n1 TX→CA sent Q3, acknowledged Q3 in 2 h. n2 TX→CA sent Q3, acknowledged Q4 in 6 h.
    // n3 FL→CA Q4 24 h. n4 national staff→CA Q4 1 h. n5 CA→TX Q4 not acknowledged. n6 FL→TX Q4 10 h.
    // n7 CA→TX Q4 3 h. Sent: TX Q3 2; FL Q4 2; CA Q4 2; US Q3 2, Q4 5. Acknowledged: CA Q3 1, Q4 3; TX Q4 2;
    // US Q4 5. Median hours Q4: CA [1, 6, 24] = 6; TX [3, 10] = 6.5; US [1, 3, 6, 10, 24] = 6.
    const [noticeStudent] = insertChild(db, ['TX']);
    const noticeRecord = recordIdOf(db, noticeStudent!);
    const sender = await createPerson(db, { role: 'state_user', state: 'TX' });
    const notice = (
      fromState: string | null,
      toState: string,
      sentAt: string,
      acknowledgedAt?: string,
      minutes?: number,
    ) =>
      db
        .insert(moveNotices)
        .values({
          consolidatedRecordId: noticeRecord,
          msixId: '200000000001',
          fromState,
          toState,
          expectedArrivalDate: '2026-12-15',
          status: acknowledgedAt ? 'acknowledged' : 'sent',
          sentBy: sender.id,
          sentAt,
          acknowledgedBy: acknowledgedAt ? sender.id : null,
          acknowledgedAt: acknowledgedAt ?? null,
          responseMinutes: minutes ?? null,
        })
        .run();
    notice('TX', 'CA', '2026-08-01T10:00:00.000Z', '2026-08-01T12:00:00.000Z', 120);
    notice('TX', 'CA', '2026-09-30T20:00:00.000Z', '2026-10-01T02:00:00.000Z', 360);
    notice('FL', 'CA', '2026-10-05T10:00:00.000Z', '2026-10-06T10:00:00.000Z', 1440);
    notice(null, 'CA', '2026-10-10T10:00:00.000Z', '2026-10-10T11:00:00.000Z', 60);
    notice('CA', 'TX', '2026-11-01T10:00:00.000Z');
    notice('FL', 'TX', '2026-10-20T10:00:00.000Z', '2026-10-20T20:00:00.000Z', 600);
    notice('CA', 'TX', '2026-11-20T10:00:00.000Z', '2026-11-20T13:00:00.000Z', 180);

    // Near matches by decision quarter. nm1 TX×CA found Jul 1, rejected Jul 11 (10 days, Q3). nm2 TX×FL found
    // Sep 1, confirmed Oct 1 (30 days). nm3 CA×FL Oct 1 to Oct 5 (4 days). nm4 TX×CA still open. nm5 TX×TX
    // Nov 1 to Nov 3 (2 days). Resolved Q3: TX 1, CA 1, US 1. Q4: TX 2 (nm5 once), FL 2, CA 1, US 3 (the
    // states add up to 5). Median days Q4: TX [2, 30] = 16, FL [4, 30] = 17, CA [4] = 4, US [2, 4, 30] = 4.
    const pair = (firstState: string, secondState: string, createdAt: string, decidedAt?: string) => {
      const [first] = insertChild(db, [firstState]);
      const [second] = insertChild(db, [secondState]);
      const match = db
        .insert(recordNearMatches)
        .values({
          studentAId: first!,
          studentBId: second!,
          score: 80,
          reasons: '{}',
          status: decidedAt ? 'rejected' : 'open',
          createdAt,
        })
        .returning({ id: recordNearMatches.id })
        .get();
      if (!decidedAt) return;
      db.insert(nearMatchDecisions)
        .values({
          nearMatchId: match.id,
          decision: 'rejected',
          comment: 'Different children.',
          decidedBy: dataAdministrator.id,
          decidedAt,
        })
        .run();
    };
    pair('TX', 'CA', '2026-07-01T00:00:00.000Z', '2026-07-11T00:00:00.000Z');
    pair('TX', 'FL', '2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z');
    pair('CA', 'FL', '2026-10-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z');
    pair('TX', 'CA', '2026-10-01T00:00:00.000Z');
    pair('TX', 'TX', '2026-11-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z');

    // Plans. TX's current plan (2026-2028): objective O1 with M1 and M2, objective O2 with M3 and M4.
    // M1: update dated Aug 15 on track 40 %, then one dated Nov 10 done 100 %. M2: at risk 20 % since Sep 1.
    // M3: not started, created Jun 1. M4: created Oct 15, off track 10 %, no update.
    // Q3 end: M1 40, M2 20, M3 0, M4 not yet part of the plan. O1 30, O2 0, plan 15; 1 behind (3 milestones).
    // Q4 (current): M1 100, M2 20, M3 0, M4 10. O1 60, O2 5, plan round(32.5) = 33; 2 behind (4 milestones).
    // CA's current plan starts Oct 1: null in Q3; in Q4 its one milestone is on track at 50 %, 0 behind.
    // TX's old plan is not current and is ignored. FL has no plan: null. US Q3: 15 (TX only), 1 behind,
    // sample 3; US Q4: (33 + 50) / 2 = 41.5, 2 behind, sample 5.
    const plan = (state: string, periodStart: string, periodEnd: string, isCurrent: boolean) =>
      db
        .insert(plans)
        .values({
          state,
          title: `${state} plan`,
          periodStart,
          periodEnd,
          isCurrent,
          origin: 'blank',
          createdAt: periodStart,
          updatedAt: periodStart,
        })
        .returning({ id: plans.id })
        .get().id;
    const objective = (planId: number, goalId?: number) => {
      const goal =
        goalId ??
        db.insert(planGoals).values({ planId, position: 1, title: 'Goal' }).returning({ id: planGoals.id }).get().id;
      const id = db
        .insert(planObjectives)
        .values({ goalId: goal, position: 1, title: 'Objective' })
        .returning({ id: planObjectives.id })
        .get().id;
      return { goal, id };
    };
    const milestone = (
      objectiveId: number,
      status: 'not_started' | 'on_track' | 'at_risk' | 'off_track' | 'done',
      percentComplete: number,
      createdAt: string,
      lastProgressAt: string,
    ) =>
      db
        .insert(planMilestones)
        .values({
          objectiveId,
          position: 1,
          title: 'Milestone',
          ownerRole: 'State MSIX coordinator',
          dueDate: '2027-06-30',
          status,
          percentComplete,
          lastProgressAt,
          createdAt,
          updatedAt: lastProgressAt,
        })
        .returning({ id: planMilestones.id })
        .get().id;
    const progressUpdate = (
      milestoneId: number,
      updateDate: string,
      status: 'on_track' | 'at_risk' | 'done',
      percentComplete: number,
      createdAt: string,
    ) =>
      db
        .insert(milestoneUpdates)
        .values({ milestoneId, updateDate, narrative: 'Progress noted.', status, percentComplete, createdAt })
        .run();

    const oldTexasPlan = plan('TX', '2023-01-01', '2025-12-31', false);
    milestone(objective(oldTexasPlan).id, 'done', 100, '2023-01-01T00:00:00.000Z', '2023-06-01T00:00:00.000Z');
    const texasPlan = plan('TX', '2026-01-01', '2028-12-31', true);
    const o1 = objective(texasPlan);
    const o2 = objective(texasPlan, o1.goal);
    const m1 = milestone(o1.id, 'done', 100, '2026-06-01T00:00:00.000Z', '2026-11-10T15:00:00.000Z');
    progressUpdate(m1, '2026-08-15', 'on_track', 40, '2026-08-15T15:00:00.000Z');
    progressUpdate(m1, '2026-11-10', 'done', 100, '2026-11-10T15:00:00.000Z');
    const m2 = milestone(o1.id, 'at_risk', 20, '2026-06-01T00:00:00.000Z', '2026-09-01T12:00:00.000Z');
    progressUpdate(m2, '2026-09-01', 'at_risk', 20, '2026-09-01T12:00:00.000Z');
    milestone(o2.id, 'not_started', 0, '2026-06-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
    milestone(o2.id, 'off_track', 10, '2026-10-15T00:00:00.000Z', '2026-10-15T00:00:00.000Z');
    const californiaPlan = plan('CA', '2026-10-01', '2029-09-30', true);
    milestone(objective(californiaPlan).id, 'on_track', 50, '2026-10-02T00:00:00.000Z', '2026-10-02T00:00:00.000Z');

    // Tickets. t1 TX created on Sep 30's last millisecond, first reply in 2 business hours, on time. t2 TX
    // created Oct 1 00:00, reply in 5 h, late. t3 TX unanswered and overdue (missed). t4 TX unanswered, due
    // tomorrow (not counted yet). t5 CA reply in 1 h, on time. t6 CA merged into t5 (never counts). t7 no
    // state, 0.5 h, on time. t8 TX unanswered, paused before its due time (not counted).
    // Opened: TX Q3 1, Q4 4 (t2, t3, t4, t8); CA Q4 1; US Q3 1, Q4 6. First response Q4: TX [2, 5] = 3.5,
    // CA [1] = 1, US [0.5, 1, 2, 5] = 1.5. SLA Q4: TX 1 of 3 = 33.33 %, CA 1 of 1 = 100 %, US 3 of 5 = 60 %.
    // Satisfaction Q4: TX (5 + 2) / 2 = 3.5, CA 4, US (5 + 2 + 4 + 3) / 4 = 3.5 (mean of state means: 3.75).
    const ticket = (values: Partial<typeof tickets.$inferInsert> & { createdAt: string }) =>
      db
        .insert(tickets)
        .values({
          subject: 'Question',
          requesterEmail: 'requester@district.example.gov',
          requesterName: 'Requester',
          category: 'other',
          channel: 'web',
          status: 'open',
          updatedAt: values.createdAt,
          ...values,
        })
        .returning({ id: tickets.id })
        .get().id;
    const survey = (ticketId: number, answeredAt: string | null, rating: number | null) =>
      db
        .insert(ticketSurveys)
        .values({ ticketId, tokenHash: `survey-${ticketId}`, sentAt: '2026-10-02T00:00:00.000Z', answeredAt, rating })
        .run();
    const t1 = ticket({
      state: 'TX',
      createdAt: '2026-09-30T23:59:59.999Z',
      firstResponseAt: '2026-10-01T14:00:00.000Z',
      firstResponseMinutes: 120,
      firstResponseDueAt: '2026-10-01T16:00:00.000Z',
    });
    const t2 = ticket({
      state: 'TX',
      createdAt: '2026-10-01T00:00:00.000Z',
      firstResponseAt: '2026-10-02T15:00:00.000Z',
      firstResponseMinutes: 300,
      firstResponseDueAt: '2026-10-01T20:00:00.000Z',
    });
    const t3 = ticket({
      state: 'TX',
      createdAt: '2026-10-10T12:00:00.000Z',
      firstResponseDueAt: '2026-10-11T00:00:00.000Z',
    });
    ticket({ state: 'TX', createdAt: '2026-12-04T14:00:00.000Z', firstResponseDueAt: '2026-12-05T00:00:00.000Z' });
    const t5 = ticket({
      state: 'CA',
      createdAt: '2026-11-01T12:00:00.000Z',
      firstResponseAt: '2026-11-01T13:00:00.000Z',
      firstResponseMinutes: 60,
      firstResponseDueAt: '2026-11-01T17:00:00.000Z',
    });
    ticket({
      state: 'CA',
      createdAt: '2026-11-02T12:00:00.000Z',
      mergedIntoId: t5,
      status: 'closed',
      firstResponseAt: '2026-11-05T12:00:00.000Z',
      firstResponseMinutes: 999,
      firstResponseDueAt: '2026-11-02T17:00:00.000Z',
    });
    const t7 = ticket({
      state: null,
      createdAt: '2026-11-05T09:30:00.000Z',
      firstResponseAt: '2026-11-05T10:00:00.000Z',
      firstResponseMinutes: 30,
      firstResponseDueAt: '2026-11-05T12:00:00.000Z',
    });
    ticket({
      state: 'TX',
      createdAt: '2026-11-10T12:00:00.000Z',
      firstResponseDueAt: '2026-11-11T00:00:00.000Z',
      status: 'pending',
      slaPausedAt: '2026-11-10T20:00:00.000Z',
    });
    survey(t1, '2026-10-05T12:00:00.000Z', 5);
    survey(t2, '2026-10-06T12:00:00.000Z', 2);
    survey(t3, null, null);
    survey(t5, '2026-11-03T12:00:00.000Z', 4);
    survey(t7, '2026-11-06T12:00:00.000Z', 3);

    // Subscribers at each quarter's end. s1 TX since Aug. s2 TX confirmed on Sep 30's last millisecond. s3 TX
    // confirmed Oct 1 00:00. s4 CA unsubscribed Nov 1. s5 CA unsubscribed Oct 1 00:00, so still counted at the
    // end of Q3. s6 has no state. s7 FL is pending. TX Q3 2, Q4 3; CA Q3 2, Q4 0; FL 0; US Q3 5, Q4 4.
    const subscriber = (
      email: string,
      state: string | null,
      confirmedAt: string | null,
      unsubscribedAt: string | null = null,
    ) => {
      let status: 'pending' | 'confirmed' | 'unsubscribed' = 'pending';
      if (confirmedAt) status = 'confirmed';
      if (unsubscribedAt) status = 'unsubscribed';
      return db
        .insert(subscribers)
        .values({
          email,
          state,
          status,
          confirmedAt,
          unsubscribedAt,
          source: 'signup',
          createdAt: '2026-07-01T00:00:00.000Z',
          updatedAt: '2026-07-01T00:00:00.000Z',
        })
        .returning({ id: subscribers.id })
        .get().id;
    };
    const s1 = subscriber('s1@district.example.gov', 'TX', '2026-08-01T00:00:00.000Z');
    subscriber('s2@district.example.gov', 'TX', '2026-09-30T23:59:59.999Z');
    const s3 = subscriber('s3@district.example.gov', 'TX', '2026-10-01T00:00:00.000Z');
    const s4 = subscriber('s4@district.example.gov', 'CA', '2026-07-05T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
    subscriber('s5@district.example.gov', 'CA', '2026-07-05T00:00:00.000Z', '2026-10-01T00:00:00.000Z');
    const s6 = subscriber('s6@district.example.gov', null, '2026-08-01T00:00:00.000Z');
    subscriber('s7@district.example.gov', 'FL', null);

    // Campaign deliveries sent: campaign 1 in Aug to s1 (TX), s4 (CA) and s6 (no state), and a failed one to
    // s3; campaign 2 in Oct to s1. An invitation is no campaign delivery. Reach: TX Q3 1, Q4 1; CA Q3 1;
    // US Q3 3, Q4 1.
    const delivery = (
      campaignId: number | null,
      subscriberId: number | null,
      status: 'sent' | 'failed',
      sentAt: string | null,
    ) =>
      db
        .insert(outboxMessages)
        .values({
          kind: campaignId ? 'campaign' : 'invitation',
          messageId: `<m${(sequence += 1)}@msix-assist.test>`,
          recipient: 'someone@district.example.gov',
          subject: 'News',
          textBody: 'News',
          status,
          nextAttemptAt: '2026-07-01T00:00:00.000Z',
          createdAt: '2026-07-01T00:00:00.000Z',
          sentAt,
          campaignId,
          subscriberId,
        })
        .run();
    delivery(1, s1, 'sent', '2026-08-10T12:00:00.000Z');
    delivery(1, s4, 'sent', '2026-08-10T12:00:00.000Z');
    delivery(1, s6, 'sent', '2026-08-10T12:00:00.000Z');
    delivery(1, s3, 'failed', null);
    delivery(2, s1, 'sent', '2026-10-10T12:00:00.000Z');
    delivery(null, null, 'sent', '2026-10-10T12:00:00.000Z');

    // Webinar registrations by the quarter they were made. r1 TX Q3 attended; r2 TX Q4 did not attend; r3 TX
    // Q4 cancelled; r4 CA Q4 attended; r5 no state Q4 attended. Registrations: TX 1 / 1, CA 0 / 1, US 1 / 3.
    // Attendance: TX 1 / 0, CA 0 / 1, US 1 / 2.
    const registration = (
      state: string | null,
      createdAt: string,
      status: 'registered' | 'cancelled',
      attended: boolean | null,
    ) =>
      db
        .insert(eventRegistrations)
        .values({
          eventSlug: 'webinar',
          name: 'Registrant',
          email: `r${(sequence += 1)}@district.example.gov`,
          state,
          status,
          cancelTokenHash: `cancel-${sequence}`,
          attended,
          createdAt,
        })
        .run();
    registration('TX', '2026-09-01T12:00:00.000Z', 'registered', true);
    registration('TX', '2026-10-02T12:00:00.000Z', 'registered', false);
    registration('TX', '2026-10-03T12:00:00.000Z', 'cancelled', null);
    registration('CA', '2026-10-04T12:00:00.000Z', 'registered', true);
    registration(null, '2026-10-05T12:00:00.000Z', 'registered', true);

    counted = computeFigures(db, { from: '2026-Q3', to: '2026-Q4', now, usageSource: 'counts' });
  });

  afterAll(() => testApp.cleanup());

  test('one figure per metric, scope and quarter', () => {
    expect(counted).toHaveLength(metricIds.length * (stateCodes.length + 1) * 2);
    const keys = new Set(counted.map((row) => `${row.metric}|${row.state}|${row.quarter}`));
    expect(keys.size).toBe(counted.length);
  });

  test('counts are 0 and other figures null when nothing happened', () => {
    expect(figureOf(counted, 'searches', 'WY', '2026-Q3')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'tickets_opened', 'FL', '2026-Q4')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'quality_score', 'FL', '2026-Q4')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'first_response_hours', 'WY', '2026-Q4')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'sla_compliance', 'FL', '2026-Q3')).toEqual({ value: null, sample: 0 });
  });

  test('records use by state and quarter boundary', () => {
    expect(figureOf(counted, 'searches', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'searches', 'TX', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'searches', 'US', '2026-Q3')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'searches', 'US', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'records_viewed', 'CA', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'records_viewed', 'US', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'records_printed', 'TX', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'records_printed', 'TX', '2026-Q3')).toEqual({ value: 0, sample: 0 });
  });

  test('usage from events equals usage from counts', () => {
    const fromEvents = computeFigures(db, { from: '2026-Q3', to: '2026-Q4', now, usageSource: 'events' });
    expect(fromEvents).toEqual(counted);
  });

  test('one scope equals its rows of every scope', () => {
    for (const usageSource of ['counts', 'events'] as const) {
      for (const scope of ['US', 'TX'] as const) {
        expect(computeFigures(db, { from: '2026-Q3', to: '2026-Q4', now, usageSource, scope })).toEqual(
          counted.filter((row) => row.state === scope),
        );
      }
    }
  });

  test('uploads and students submitted', () => {
    expect(figureOf(counted, 'uploads', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'uploads', 'TX', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'uploads', 'CA', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'uploads', 'US', '2026-Q4')).toEqual({ value: 4, sample: 4 });
    expect(figureOf(counted, 'students_submitted', 'TX', '2026-Q3')).toEqual({ value: 10, sample: 10 });
    expect(figureOf(counted, 'students_submitted', 'TX', '2026-Q4')).toEqual({ value: 25, sample: 25 });
    expect(figureOf(counted, 'students_submitted', 'US', '2026-Q4')).toEqual({ value: 65, sample: 65 });
  });

  test('quality score and MDE completeness', () => {
    expect(figureOf(counted, 'quality_score', 'TX', '2026-Q3')).toEqual({ value: 80, sample: 1 });
    expect(figureOf(counted, 'quality_score', 'TX', '2026-Q4')).toEqual({ value: 90, sample: 1 });
    expect(figureOf(counted, 'quality_score', 'CA', '2026-Q4')).toEqual({ value: 55, sample: 2 });
    const national = figureOf(counted, 'quality_score', 'US', '2026-Q4');
    expect(national.value).toBeCloseTo(66.667, 3);
    expect(national.sample).toBe(3);

    expect(figureOf(counted, 'mde_completeness', 'TX', '2026-Q3')).toEqual({ value: 90, sample: 10 });
    const texas = figureOf(counted, 'mde_completeness', 'TX', '2026-Q4');
    expect(texas.value).toBeCloseTo(66.667, 3);
    expect(texas.sample).toBe(30);
    expect(figureOf(counted, 'mde_completeness', 'CA', '2026-Q4')).toEqual({ value: 100, sample: 40 });
    const nation = figureOf(counted, 'mde_completeness', 'US', '2026-Q4');
    expect(nation.value).toBeCloseTo(85.714, 3);
    expect(nation.sample).toBe(70);
  });

  test('move notices sent, acknowledged and median response', () => {
    expect(figureOf(counted, 'move_notices_sent', 'TX', '2026-Q3')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'move_notices_sent', 'FL', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'move_notices_sent', 'CA', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'move_notices_sent', 'US', '2026-Q3')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'move_notices_sent', 'US', '2026-Q4')).toEqual({ value: 5, sample: 5 });
    expect(figureOf(counted, 'move_notices_acknowledged', 'CA', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'move_notices_acknowledged', 'CA', '2026-Q4')).toEqual({ value: 3, sample: 3 });
    expect(figureOf(counted, 'move_notices_acknowledged', 'US', '2026-Q4')).toEqual({ value: 5, sample: 5 });
    expect(figureOf(counted, 'move_notice_response_hours', 'CA', '2026-Q3')).toEqual({ value: 2, sample: 1 });
    expect(figureOf(counted, 'move_notice_response_hours', 'CA', '2026-Q4')).toEqual({ value: 6, sample: 3 });
    expect(figureOf(counted, 'move_notice_response_hours', 'TX', '2026-Q4')).toEqual({ value: 6.5, sample: 2 });
    expect(figureOf(counted, 'move_notice_response_hours', 'US', '2026-Q4')).toEqual({ value: 6, sample: 5 });
  });

  test('near matches count for both states and once nationally', () => {
    expect(figureOf(counted, 'near_matches_resolved', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'near_matches_resolved', 'CA', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'near_matches_resolved', 'US', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'near_matches_resolved', 'TX', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'near_matches_resolved', 'FL', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'near_matches_resolved', 'CA', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'near_matches_resolved', 'US', '2026-Q4')).toEqual({ value: 3, sample: 3 });

    expect(figureOf(counted, 'near_match_age_days', 'TX', '2026-Q3')).toEqual({ value: 10, sample: 1 });
    expect(figureOf(counted, 'near_match_age_days', 'TX', '2026-Q4')).toEqual({ value: 16, sample: 2 });
    expect(figureOf(counted, 'near_match_age_days', 'FL', '2026-Q4')).toEqual({ value: 17, sample: 2 });
    expect(figureOf(counted, 'near_match_age_days', 'CA', '2026-Q4')).toEqual({ value: 4, sample: 1 });
    expect(figureOf(counted, 'near_match_age_days', 'US', '2026-Q4')).toEqual({ value: 4, sample: 3 });
  });

  test('plan progress from milestone history', () => {
    expect(figureOf(counted, 'plan_progress', 'TX', '2026-Q3')).toEqual({ value: 15, sample: 3 });
    expect(figureOf(counted, 'milestones_behind', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'plan_progress', 'TX', '2026-Q4')).toEqual({ value: 33, sample: 4 });
    expect(figureOf(counted, 'milestones_behind', 'TX', '2026-Q4')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'plan_progress', 'CA', '2026-Q3')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'milestones_behind', 'CA', '2026-Q3')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'plan_progress', 'CA', '2026-Q4')).toEqual({ value: 50, sample: 1 });
    expect(figureOf(counted, 'milestones_behind', 'CA', '2026-Q4')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'plan_progress', 'FL', '2026-Q4')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'milestones_behind', 'FL', '2026-Q4')).toEqual({ value: null, sample: 0 });
    expect(figureOf(counted, 'plan_progress', 'US', '2026-Q3')).toEqual({ value: 15, sample: 3 });
    expect(figureOf(counted, 'plan_progress', 'US', '2026-Q4')).toEqual({ value: 41.5, sample: 5 });
    expect(figureOf(counted, 'milestones_behind', 'US', '2026-Q4')).toEqual({ value: 2, sample: 2 });
  });

  test('support desk tickets, response time, SLA and satisfaction', () => {
    expect(figureOf(counted, 'tickets_opened', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'tickets_opened', 'TX', '2026-Q4')).toEqual({ value: 4, sample: 4 });
    expect(figureOf(counted, 'tickets_opened', 'CA', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'tickets_opened', 'US', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'tickets_opened', 'US', '2026-Q4')).toEqual({ value: 6, sample: 6 });

    expect(figureOf(counted, 'first_response_hours', 'TX', '2026-Q4')).toEqual({ value: 3.5, sample: 2 });
    expect(figureOf(counted, 'first_response_hours', 'CA', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'first_response_hours', 'US', '2026-Q4')).toEqual({ value: 1.5, sample: 4 });

    const texas = figureOf(counted, 'sla_compliance', 'TX', '2026-Q4');
    expect(texas.value).toBeCloseTo(33.333, 3);
    expect(texas.sample).toBe(3);
    expect(figureOf(counted, 'sla_compliance', 'CA', '2026-Q4')).toEqual({ value: 100, sample: 1 });
    expect(figureOf(counted, 'sla_compliance', 'US', '2026-Q4')).toEqual({ value: 60, sample: 5 });

    expect(figureOf(counted, 'satisfaction', 'TX', '2026-Q4')).toEqual({ value: 3.5, sample: 2 });
    expect(figureOf(counted, 'satisfaction', 'CA', '2026-Q4')).toEqual({ value: 4, sample: 1 });
    expect(figureOf(counted, 'satisfaction', 'US', '2026-Q4')).toEqual({ value: 3.5, sample: 4 });
  });

  test('outreach subscribers, reach and webinars', () => {
    expect(figureOf(counted, 'subscribers', 'TX', '2026-Q3')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'subscribers', 'TX', '2026-Q4')).toEqual({ value: 3, sample: 3 });
    expect(figureOf(counted, 'subscribers', 'CA', '2026-Q3')).toEqual({ value: 2, sample: 2 });
    expect(figureOf(counted, 'subscribers', 'CA', '2026-Q4')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'subscribers', 'FL', '2026-Q4')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'subscribers', 'US', '2026-Q3')).toEqual({ value: 5, sample: 5 });
    expect(figureOf(counted, 'subscribers', 'US', '2026-Q4')).toEqual({ value: 4, sample: 4 });

    expect(figureOf(counted, 'campaign_reach', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'campaign_reach', 'TX', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'campaign_reach', 'CA', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'campaign_reach', 'US', '2026-Q3')).toEqual({ value: 3, sample: 3 });
    expect(figureOf(counted, 'campaign_reach', 'US', '2026-Q4')).toEqual({ value: 1, sample: 1 });

    expect(figureOf(counted, 'webinar_registrations', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'webinar_registrations', 'TX', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'webinar_registrations', 'CA', '2026-Q4')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'webinar_registrations', 'US', '2026-Q4')).toEqual({ value: 3, sample: 3 });
    expect(figureOf(counted, 'webinar_attendance', 'TX', '2026-Q3')).toEqual({ value: 1, sample: 1 });
    expect(figureOf(counted, 'webinar_attendance', 'TX', '2026-Q4')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(counted, 'webinar_attendance', 'US', '2026-Q4')).toEqual({ value: 2, sample: 2 });
  });

  test('refresh stores the figures and is idempotent', () => {
    // The earliest item on file is TX's current plan, whose period starts on 2026-01-01: four quarters.
    const first = refreshDashboard(db, { now });
    expect(first.quarters).toBe(4);
    expect(first.figures).toBe(metricIds.length * (stateCodes.length + 1) * 4);
    const stored = db.select().from(dashboardFigures).all();
    expect(stored).toHaveLength(first.figures);
    expect(stored).toContainEqual({
      metric: 'near_matches_resolved',
      state: 'US',
      quarter: '2026-Q4',
      value: 3,
      sample: 3,
    });
    // No milestone of TX's plan existed by the end of March.
    expect(stored).toContainEqual({ metric: 'plan_progress', state: 'TX', quarter: '2026-Q1', value: null, sample: 0 });
    expect(db.select().from(appMeta).where(eq(appMeta.key, refreshedAtKey)).get()?.value).toBe(now.toISOString());

    const sorted = (rows: typeof stored) =>
      [...rows].sort((a, b) =>
        `${a.metric}|${a.state}|${a.quarter}`.localeCompare(`${b.metric}|${b.state}|${b.quarter}`),
      );
    const second = refreshDashboard(db, { now });
    expect(second.figures).toBe(first.figures);
    expect(sorted(db.select().from(dashboardFigures).all())).toEqual(sorted(stored));
  });

  test('recent-only refresh keeps older quarters', () => {
    refreshDashboard(db, { now });
    // Stand-ins for a changed older figure and a changed recent one: only the recent one is recomputed.
    db.update(dashboardFigures)
      .set({ value: 999 })
      .where(and(eq(dashboardFigures.metric, 'searches'), eq(dashboardFigures.state, 'US')))
      .run();

    const recent = refreshDashboard(db, { now, recentOnly: true });

    expect(recent.quarters).toBe(2);
    expect(recent.figures).toBe(metricIds.length * (stateCodes.length + 1) * 2);
    expect(db.select().from(dashboardFigures).all()).toHaveLength(metricIds.length * (stateCodes.length + 1) * 4);
    const searches = db
      .select({ quarter: dashboardFigures.quarter, value: dashboardFigures.value })
      .from(dashboardFigures)
      .where(and(eq(dashboardFigures.metric, 'searches'), eq(dashboardFigures.state, 'US')))
      .orderBy(dashboardFigures.quarter)
      .all();
    expect(searches.slice(0, 2).map((row) => row.value)).toEqual([999, 999]);
    expect(searches.slice(2).map((row) => row.value)).not.toContain(999);
  });

  test('refresh removes figures outside the period', () => {
    db.insert(dashboardFigures)
      .values({ metric: 'searches', state: 'TX', quarter: '2019-Q1', value: 4, sample: 4 })
      .run();
    refreshDashboard(db, { now });
    expect(db.select().from(dashboardFigures).where(eq(dashboardFigures.quarter, '2019-Q1')).all()).toEqual([]);
  });
});

describe('plan progress at a quarter boundary', () => {
  let testApp: TestApp;

  beforeAll(() => {
    testApp = createTestApp({ clock: () => now });
  });

  afterAll(() => testApp.cleanup());

  test('update dated on the last day counts', () => {
    // One milestone: an update dated Sep 30 (on track 30 %), then one dated Oct 1 (at risk 60 %), entered in
    // December. At the end of Q3 the plan is 30 % with none behind; in Q4 it is 60 % with one behind.
    const db = testApp.database.db;
    const planId = db
      .insert(plans)
      .values({
        state: 'NM',
        title: 'NM plan',
        periodStart: '2026-01-01',
        periodEnd: '2028-12-31',
        isCurrent: true,
        origin: 'blank',
        createdAt: '2026-01-05T00:00:00.000Z',
        updatedAt: '2026-12-01T00:00:00.000Z',
      })
      .returning({ id: plans.id })
      .get().id;
    const goalId = db.insert(planGoals).values({ planId, position: 1, title: 'Goal' }).returning().get().id;
    const objectiveId = db
      .insert(planObjectives)
      .values({ goalId, position: 1, title: 'Objective' })
      .returning()
      .get().id;
    const milestoneId = db
      .insert(planMilestones)
      .values({
        objectiveId,
        position: 1,
        title: 'Milestone',
        ownerRole: 'State MSIX coordinator',
        dueDate: '2027-06-30',
        status: 'at_risk',
        percentComplete: 60,
        lastProgressAt: '2026-12-01T00:00:00.000Z',
        createdAt: '2026-12-01T00:00:00.000Z',
        updatedAt: '2026-12-01T00:00:00.000Z',
      })
      .returning()
      .get().id;
    for (const [updateDate, status, percentComplete] of [
      ['2026-09-30', 'on_track', 30],
      ['2026-10-01', 'at_risk', 60],
    ] as const) {
      db.insert(milestoneUpdates)
        .values({
          milestoneId,
          updateDate,
          narrative: 'Progress noted.',
          status,
          percentComplete,
          createdAt: '2026-12-01T00:00:00.000Z',
        })
        .run();
    }

    const rows = computeFigures(db, { from: '2026-Q2', to: '2026-Q4', now, usageSource: 'counts', scope: 'NM' });
    expect(figureOf(rows, 'plan_progress', 'NM', '2026-Q2')).toEqual({ value: null, sample: 0 });
    expect(figureOf(rows, 'plan_progress', 'NM', '2026-Q3')).toEqual({ value: 30, sample: 1 });
    expect(figureOf(rows, 'milestones_behind', 'NM', '2026-Q3')).toEqual({ value: 0, sample: 0 });
    expect(figureOf(rows, 'plan_progress', 'NM', '2026-Q4')).toEqual({ value: 60, sample: 1 });
    expect(figureOf(rows, 'milestones_behind', 'NM', '2026-Q4')).toEqual({ value: 1, sample: 1 });
  });
});

describe('first quarter of the refresh', () => {
  let testApp: TestApp;

  beforeAll(() => {
    testApp = createTestApp({ clock: () => now });
  });

  afterAll(() => testApp.cleanup());

  test('current quarter when nothing is on file', () => {
    expect(findFirstQuarter(testApp.database.db, now)).toBe('2026-Q4');
  });

  test('earliest usage sets the first quarter', () => {
    recordUsage(testApp.database.db, 'records.search', texasUser, new Date('2025-02-10T00:00:00.000Z'));
    expect(findFirstQuarter(testApp.database.db, now)).toBe('2025-Q1');
  });

  test('at most 20 quarters back', () => {
    testApp.database.db
      .insert(tickets)
      .values({
        subject: 'Old question',
        requesterEmail: 'requester@district.example.gov',
        requesterName: 'Requester',
        category: 'other',
        channel: 'email',
        createdAt: '2011-03-01T00:00:00.000Z',
        updatedAt: '2011-03-01T00:00:00.000Z',
      })
      .run();
    expect(findFirstQuarter(testApp.database.db, now)).toBe('2022-Q1');
    expect(refreshDashboard(testApp.database.db, { now }).quarters).toBe(20);
  });
});

describe('flows between states', () => {
  let testApp: TestApp;
  let db: AppDatabase;

  const move = (
    studentId: number,
    qad: string,
    fromState: string | null,
    toState: string,
    fromCountry: string | null = null,
  ) =>
    db
      .insert(qualifyingMoves)
      .values({
        studentId,
        qad,
        fromCity: 'Origin',
        fromState,
        fromCountry,
        toCity: 'Destination',
        toState,
        eligibilityExpirationDate: '2029-01-01',
      })
      .run();

  beforeAll(() => {
    testApp = createTestApp({ clock: () => now });
    db = testApp.database.db;

    // Child A: TX and CA both report the move CA→TX of Mar 2025, and A moves CA→TX again in Nov 2025:
    // CA→TX 2025 counts A once. Child B: FL→TX (May 2025) and within TX (Sep 2025). Child C: from Mexico to
    // CA in 2026. Child D, a student linked to no consolidated record: within TX in 2026. Child E: from the
    // unknown code ZZ to TX in 2026.
    // 2025: CA→TX 1, FL→TX 1, TX→TX 1. 2026: abroad→CA 1, abroad→TX 1, TX→TX 1.
    const [childATexas, childACalifornia] = insertChild(db, ['TX', 'CA']);
    move(childATexas!, '2025-03-01', 'CA', 'TX');
    move(childACalifornia!, '2025-03-01', 'CA', 'TX');
    move(childATexas!, '2025-11-01', 'CA', 'TX');
    const [childB] = insertChild(db, ['TX']);
    move(childB!, '2025-05-01', 'FL', 'TX');
    move(childB!, '2025-09-01', 'TX', 'TX');
    const [childC] = insertChild(db, ['CA']);
    move(childC!, '2026-01-15', null, 'CA', 'MEX');
    const [childD] = insertChild(db, ['TX'], { linked: false });
    move(childD!, '2026-02-01', 'TX', 'TX');
    const [childE] = insertChild(db, ['TX']);
    move(childE!, '2026-03-01', 'ZZ', 'TX');
  });

  afterAll(() => testApp.cleanup());

  test('children by year and route', () => {
    expect(computeFlows(db)).toEqual([
      { year: 2025, fromState: 'CA', toState: 'TX', children: 1 },
      { year: 2025, fromState: 'FL', toState: 'TX', children: 1 },
      { year: 2025, fromState: 'TX', toState: 'TX', children: 1 },
      { year: 2026, fromState: '', toState: 'CA', children: 1 },
      { year: 2026, fromState: '', toState: 'TX', children: 1 },
      { year: 2026, fromState: 'TX', toState: 'TX', children: 1 },
    ]);
  });

  test('one year only', () => {
    expect(computeFlows(db, { year: 2026 }).map((flow) => flow.year)).toEqual([2026, 2026, 2026]);
    expect(computeFlows(db, { year: 2019 })).toEqual([]);
  });

  test('refresh rebuilds flows only when moves changed', () => {
    expect(refreshDashboard(db, { now }).flowsRebuilt).toBe(true);
    expect(db.select().from(dashboardFlows).all()).toHaveLength(6);
    expect(db.select().from(appMeta).where(eq(appMeta.key, flowsSourceKey)).get()).toBeDefined();

    expect(refreshDashboard(db, { now }).flowsRebuilt).toBe(false);
    expect(refreshDashboard(db, { now, forceFlows: true }).flowsRebuilt).toBe(true);

    const [childF] = insertChild(db, ['FL']);
    move(childF!, '2026-04-01', 'CA', 'FL');
    expect(refreshDashboard(db, { now }).flowsRebuilt).toBe(true);
    expect(db.select().from(dashboardFlows).where(eq(dashboardFlows.toState, 'FL')).all()).toEqual([
      { year: 2026, fromState: 'CA', toState: 'FL', children: 1 },
    ]);
    expect(refreshDashboard(db, { now }).flowsRebuilt).toBe(false);
  });
});

describe('usage events from the records API', () => {
  let testApp: TestApp;
  let cookie: string;
  const msixId = '300000000001';

  beforeAll(async () => {
    testApp = createTestApp({ clock: () => now });
    const db = testApp.database.db;
    const viewer = await createPerson(db, { role: 'state_user', state: 'CA', recordsAccess: 'viewer' });
    cookie = await signInAs(testApp.app, viewer);
    const stamp = now.toISOString();
    const record = db
      .insert(consolidatedRecords)
      .values({ msixId, createdAt: stamp, updatedAt: stamp })
      .returning()
      .get();
    db.insert(students)
      .values({
        state: 'TX',
        stateStudentId: 'TX-API-1',
        consolidatedRecordId: record.id,
        firstName: 'Synthetic',
        lastName1: 'Learner',
        sex: 'Male',
        birthDate: '2013-05-05',
        multipleBirth: false,
        contentSha256: 'sha-api-1',
        createdAt: stamp,
        updatedAt: stamp,
      })
      .run();
  });

  afterAll(() => testApp.cleanup());

  test('search writes one usage event', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie,
      body: { purpose: 'enrollment', lastName: 'Learner' },
    });
    expect(response.status).toBe(200);
    const events = testApp.database.db.select().from(usageEvents).all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'records.search',
      state: 'CA',
      role: 'state_user',
      occurredAt: now.toISOString(),
    });
    expect(testApp.database.db.select().from(usageCounts).all()).toEqual([
      { event: 'records.search', quarter: '2026-Q4', state: 'CA', count: 1 },
    ]);
  });

  test('rejected search writes no usage event', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie,
      body: { purpose: 'enrollment', firstName: 'Synthetic' },
    });
    expect(response.status).toBe(400);
    expect(testApp.database.db.select().from(usageEvents).all()).toHaveLength(1);
  });

  test('view and print write one usage event each', async () => {
    for (const use of ['view', 'print'] as const) {
      const response = await sendJson(testApp.app, 'POST', `/api/records/${msixId}/${use}`, {
        cookie,
        body: { purpose: 'enrollment' },
      });
      expect(response.status).toBe(200);
    }
    const missing = await sendJson(testApp.app, 'POST', '/api/records/399999999999/view', {
      cookie,
      body: { purpose: 'enrollment' },
    });
    expect(missing.status).toBe(404);
    const events = testApp.database.db
      .select()
      .from(usageEvents)
      .all()
      .map((row) => row.event);
    expect(events).toEqual(['records.search', 'records.view', 'records.print']);
  });
});
