/**
 * Synthetic demo data for a first run, so a newcomer finds a working product:
 * strategic plans with progress, planning sessions and crosswalk entries for a
 * few states. It creates no account: the first admin still comes from
 * `npm run accounts -- create-admin`. Everything here is invented.
 */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import {
  appMeta,
  crosswalkEntries,
  milestoneUpdates,
  planGoals,
  planMilestones,
  planObjectives,
  plans,
  planningSessions,
  sessionRecommendations,
  type MilestoneStatus,
} from '../../db/schema';
import { recordAudit } from '../audit/record';
import { copyTemplate } from '../plans/create';
import { readMdeList } from '../plans/crosswalk';
import { addDays } from '../plans/template';

const seededKey = 'demo_data_seeded_at';

/** States with a demo plan, how far along each is, and how many days ago it was last updated. */
const demoStates: {
  state: string;
  name: string;
  progress: number;
  trouble: MilestoneStatus | null;
  quietDays: number;
}[] = [
  { state: 'TX', name: 'Texas', progress: 0.55, trouble: 'at_risk', quietDays: 5 },
  { state: 'CA', name: 'California', progress: 0.7, trouble: null, quietDays: 12 },
  { state: 'FL', name: 'Florida', progress: 0.35, trouble: 'off_track', quietDays: 40 },
  { state: 'WA', name: 'Washington', progress: 0.45, trouble: null, quietDays: 120 },
  { state: 'NC', name: 'North Carolina', progress: 0.25, trouble: 'at_risk', quietDays: 20 },
  { state: 'MI', name: 'Michigan', progress: 0.6, trouble: null, quietDays: 8 },
  { state: 'ID', name: 'Idaho', progress: 0.15, trouble: null, quietDays: 95 },
];

const systemLike = [
  'State records system',
  'State MEP database',
  'District student information system',
  'Migrant recruiter certificate of eligibility forms',
];

/** Seeds the demo data once, on a database that has never held it and has no plans. Returns whether it seeded. */
export function seedDemoData(db: AppDatabase, now: Date): boolean {
  const seeded = db.select().from(appMeta).where(eq(appMeta.key, seededKey)).get();
  const anyPlan = db.select({ id: plans.id }).from(plans).limit(1).get();
  if (seeded || anyPlan) return false;

  db.transaction((tx) => {
    const today = now.toISOString().slice(0, 10);
    const periodStart = `${now.getUTCFullYear() - 1}-07-01`;
    const periodEnd = `${now.getUTCFullYear() + 2}-06-30`;

    demoStates.forEach((demo, index) => {
      const stamp = new Date(now.getTime() - demo.quietDays * 86_400_000).toISOString();
      const plan = tx
        .insert(plans)
        .values({
          state: demo.state,
          title: `${demo.name} records exchange plan`,
          periodStart,
          periodEnd,
          isCurrent: true,
          origin: 'template',
          createdAt: stamp,
          updatedAt: stamp,
        })
        .returning()
        .get();
      copyTemplate(tx, plan.id, periodStart, periodEnd, stamp);
      advanceMilestones(tx, plan.id, demo, today, stamp);
      addSession(tx, demo.state, addDays(periodStart, 20 + index * 3), now);
      addCrosswalk(tx, demo.state, index, now);
    });

    recordAudit(tx, {
      actorEmail: 'demo data',
      ip: 'local',
      action: 'demo.seeded',
      outcome: 'success',
      detail: `${demoStates.length} states`,
      at: now,
    });
    tx.insert(appMeta).values({ key: seededKey, value: now.toISOString(), updatedAt: now.toISOString() }).run();
  });
  return true;
}

/** Marks the earliest milestones done and the next few in progress, so the plan's share done matches `progress`. */
function advanceMilestones(
  tx: Parameters<typeof recordAudit>[0],
  planId: number,
  demo: (typeof demoStates)[number],
  today: string,
  stamp: string,
): void {
  const milestones = tx
    .select({ id: planMilestones.id, dueDate: planMilestones.dueDate })
    .from(planMilestones)
    .innerJoin(planObjectives, eq(planObjectives.id, planMilestones.objectiveId))
    .innerJoin(planGoals, eq(planGoals.id, planObjectives.goalId))
    .where(eq(planGoals.planId, planId))
    .all()
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const doneCount = Math.round(milestones.length * demo.progress);

  milestones.forEach((milestone, position) => {
    let status: MilestoneStatus = 'not_started';
    let percent = 0;
    if (position < doneCount) [status, percent] = ['done', 100];
    else if (position < doneCount + 3)
      [status, percent] = [
        position === doneCount && demo.trouble ? demo.trouble : 'on_track',
        30 + 15 * (position - doneCount),
      ];
    if (status === 'not_started') return;

    const updateDate = milestone.dueDate < today ? milestone.dueDate : stamp.slice(0, 10);
    tx.update(planMilestones)
      .set({ status, percentComplete: percent, lastProgressAt: stamp, updatedAt: stamp })
      .where(eq(planMilestones.id, milestone.id))
      .run();
    tx.insert(milestoneUpdates)
      .values({
        milestoneId: milestone.id,
        updateDate,
        narrative: narrativeFor(status),
        status,
        percentComplete: percent,
        createdAt: stamp,
      })
      .run();
  });
}

function narrativeFor(status: MilestoneStatus): string {
  switch (status) {
    case 'done':
      return 'Completed and confirmed with the regional data administrators.';
    case 'at_risk':
      return 'Two districts have not sent their lists yet; the coordinator is following up.';
    case 'off_track':
      return 'Staff turnover in the state office has stopped this work; a new owner is being named.';
    default:
      return 'Work is under way and on schedule.';
  }
}

function addSession(tx: Parameters<typeof recordAudit>[0], state: string, sessionDate: string, now: Date): void {
  const session = tx
    .insert(planningSessions)
    .values({
      state,
      sessionDate,
      place: 'State education agency offices',
      participants: JSON.stringify([
        'State MEP director',
        'State MSIX coordinator',
        'State data administrator',
        'MSIX technical-assistance specialist',
      ]),
      findings:
        'Most districts search MSIX at enrollment, but course history for secondary students arrives late after the end of term.',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .returning()
    .get();
  [
    'Add an end-of-term course submission step to the state calendar.',
    'Train counselors to read partial credit in the consolidated record.',
  ].forEach((text, index) =>
    tx
      .insert(sessionRecommendations)
      .values({ sessionId: session.id, position: index + 1, text })
      .run(),
  );
}

/** Fills part of the crosswalk: students.csv fully, other files partly, to show completeness below 100 percent. */
function addCrosswalk(tx: Parameters<typeof recordAudit>[0], state: string, index: number, now: Date): void {
  readMdeList().forEach((mde, position) => {
    if (mde.file !== 'students.csv' && (position + index) % 3 === 0) return;
    const status = mde.file === 'courses.csv' && position % 2 === 0 ? 'partly' : 'collected';
    tx.insert(crosswalkEntries)
      .values({
        state,
        mdeFile: mde.file,
        mdeColumn: mde.column,
        sourceSystem: systemLike[(position + index) % systemLike.length] ?? '',
        owningOffice: mde.file === 'students.csv' ? 'Migrant Education office' : 'Data and accountability office',
        collectionStatus: status,
        notes: '',
        updatedAt: now.toISOString(),
      })
      .run();
  });
}
