/**
 * Progress history of the demo strategic plans (api/demo/seed.ts), so that
 * plan progress climbs quarter by quarter from the start of each plan. Every
 * milestone started or done now gets one or two earlier progress updates, and
 * some finished milestones went through an "at risk" spell on the way. The
 * demo plans and their milestones are dated from the start of the plan
 * period, because the history begins there.
 */
import type { MilestoneStatus } from '../../../db/schema';
import type { DemoContext } from './context';

interface MilestoneRow {
  id: number;
  status: MilestoneStatus;
  percentComplete: number;
  periodStart: string;
  /** The earliest update on file, written by the demo plans seed; null when the milestone has not started. */
  firstUpdate: string | null;
}

const narratives: Record<MilestoneStatus, string> = {
  not_started: 'Not started yet.',
  on_track: 'Work is under way and on schedule.',
  at_risk: 'Two districts are late with their lists; the coordinator is following up.',
  off_track: 'The work has stopped for now; a new owner is being named.',
  done: 'Completed and confirmed with the regional data administrators.',
};

/** Inserts the earlier progress updates of the demo plans' milestones; returns how many. */
export function seedPlanHistory(context: DemoContext): number {
  const { random, sqlite } = context;
  const today = context.now.toISOString().slice(0, 10);
  const demoPlans = `SELECT id FROM plans WHERE created_by IS NULL AND origin = 'template' AND is_current = 1`;
  const milestones = sqlite
    .prepare(
      `SELECT m.id, m.status, m.percent_complete AS percentComplete, p.period_start AS periodStart,
              (SELECT min(u.update_date) FROM milestone_updates u WHERE u.milestone_id = m.id) AS firstUpdate
         FROM plan_milestones m
         JOIN plan_objectives o ON o.id = m.objective_id
         JOIN plan_goals g ON g.id = o.goal_id
         JOIN plans p ON p.id = g.plan_id
        WHERE p.id IN (${demoPlans})
        ORDER BY m.id`,
    )
    .all() as MilestoneRow[];
  if (milestones.length === 0) return 0;

  sqlite.prepare(`UPDATE plans SET created_at = period_start || 'T00:00:00.000Z' WHERE id IN (${demoPlans})`).run();
  sqlite
    .prepare(
      `UPDATE plan_milestones SET created_at = (SELECT p.period_start || 'T00:00:00.000Z'
          FROM plan_objectives o JOIN plan_goals g ON g.id = o.goal_id JOIN plans p ON p.id = g.plan_id
         WHERE o.id = plan_milestones.objective_id)
        WHERE objective_id IN (SELECT o.id FROM plan_objectives o JOIN plan_goals g ON g.id = o.goal_id
                                WHERE g.plan_id IN (${demoPlans}))`,
    )
    .run();

  const insert = sqlite.prepare(
    `INSERT INTO milestone_updates (milestone_id, update_date, narrative, status, percent_complete, author_id, created_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?)`,
  );
  let total = 0;
  for (const milestone of milestones) {
    if (milestone.firstUpdate === null || milestone.status === 'not_started') continue;
    for (const step of earlierSteps(milestone, random.next.bind(random))) {
      const date = daysBefore(milestone.firstUpdate, step.daysBefore);
      if (date <= milestone.periodStart || date > today) continue;
      insert.run(milestone.id, date, narratives[step.status], step.status, step.percent, `${date}T16:00:00.000Z`);
      total += 1;
    }
  }
  return total;
}

/** Returns the updates that come before the first one on file, oldest first. */
function earlierSteps(
  milestone: MilestoneRow,
  draw: () => number,
): { daysBefore: number; status: MilestoneStatus; percent: number }[] {
  if (milestone.status !== 'done') {
    return [
      {
        daysBefore: 40 + Math.round(draw() * 60),
        status: 'on_track',
        percent: Math.max(10, Math.round(milestone.percentComplete / 2)),
      },
    ];
  }
  const spell: MilestoneStatus = draw() < 0.15 ? 'at_risk' : 'on_track';
  return [
    { daysBefore: 110 + Math.round(draw() * 50), status: 'on_track', percent: 20 + Math.round(draw() * 10) },
    { daysBefore: 20 + Math.round(draw() * 25), status: spell, percent: 55 + Math.round(draw() * 15) },
  ];
}

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
