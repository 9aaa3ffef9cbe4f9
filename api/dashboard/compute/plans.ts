/**
 * Strategic plans: the progress of each state's current plan at the end of a
 * quarter, and its milestones at risk or off track then, rebuilt from the
 * milestones' history with the plan roll-up rule of api/plans/rollup.ts.
 *
 * Plans are few (at most one current plan a state), so their trees are read
 * whole and rolled up here rather than in SQL.
 */
import type { MilestoneStatus } from '../../../db/schema';
import { rollUp, type Progress } from '../../plans/rollup';
import { nationalScope } from '../metrics';
import { quarterEnd, quarterStart, type Quarter } from '../quarters';
import type { ComputedFigure, GroupContext } from './types';

interface PlanRow {
  id: number;
  state: string;
  periodStart: string;
  periodEnd: string;
}

interface MilestoneRow {
  id: number;
  planId: number;
  goalId: number;
  objectiveId: number;
  status: MilestoneStatus;
  percentComplete: number;
  createdAt: string;
  lastProgressAt: string;
}

interface UpdateRow {
  milestoneId: number;
  updateDate: string;
  status: MilestoneStatus;
  percentComplete: number;
}

/** A plan's figures at one quarter's end. The progress is null when none of its milestones existed yet. */
interface PlanSnapshot {
  progress: number | null;
  behind: number;
  milestones: number;
}

export function computePlans(context: GroupContext): ComputedFigure[] {
  const tree = readCurrentPlans(context);
  const figures: ComputedFigure[] = [];

  for (const quarter of context.quarters) {
    const snapshots = new Map<string, PlanSnapshot>();
    for (const plan of tree.plans) {
      if (!coversQuarter(plan, quarter)) continue;
      snapshots.set(plan.state, snapshotPlanAt(plan, tree, quarter));
    }

    for (const state of context.states) {
      const snapshot = snapshots.get(state);
      figures.push(
        {
          metric: 'plan_progress',
          state,
          quarter,
          value: snapshot?.progress ?? null,
          sample: snapshot?.progress == null ? 0 : snapshot.milestones,
        },
        {
          metric: 'milestones_behind',
          state,
          quarter,
          value: snapshot?.progress == null ? null : snapshot.behind,
          sample: snapshot?.progress == null ? 0 : snapshot.behind,
        },
      );
    }
    if (context.national) figures.push(...nationalFigures(quarter, [...snapshots.values()]));
  }
  return figures;
}

/**
 * Computes the nation's figures: the average of the states' plan progress,
 * each plan counting equally, and every milestone behind in those plans. The
 * sample of the progress is the milestones of all those plans.
 */
function nationalFigures(quarter: Quarter, snapshots: PlanSnapshot[]): ComputedFigure[] {
  const measured = snapshots.filter((snapshot) => snapshot.progress !== null);
  if (measured.length === 0) {
    return [
      { metric: 'plan_progress', state: nationalScope, quarter, value: null, sample: 0 },
      { metric: 'milestones_behind', state: nationalScope, quarter, value: null, sample: 0 },
    ];
  }
  const progressTotal = measured.reduce((total, snapshot) => total + (snapshot.progress ?? 0), 0);
  const behind = measured.reduce((total, snapshot) => total + snapshot.behind, 0);
  const milestones = measured.reduce((total, snapshot) => total + snapshot.milestones, 0);
  return [
    {
      metric: 'plan_progress',
      state: nationalScope,
      quarter,
      value: progressTotal / measured.length,
      sample: milestones,
    },
    { metric: 'milestones_behind', state: nationalScope, quarter, value: behind, sample: behind },
  ];
}

/** Checks whether any day of the quarter falls inside the plan's period. */
function coversQuarter(plan: PlanRow, quarter: Quarter): boolean {
  return quarterStart(quarter).slice(0, 10) <= plan.periodEnd && quarterEnd(quarter).slice(0, 10) > plan.periodStart;
}

/** Rolls the plan up from its milestones as they stood at the quarter's end. */
function snapshotPlanAt(plan: PlanRow, tree: PlanTree, quarter: Quarter): PlanSnapshot {
  const endTime = quarterEnd(quarter);
  let milestones = 0;
  let behind = 0;

  const goals = (tree.goalsByPlan.get(plan.id) ?? []).map((goalId) =>
    rollUp(
      (tree.objectivesByGoal.get(goalId) ?? []).map((objectiveId) => {
        const parts: Progress[] = [];
        for (const milestone of tree.milestonesByObjective.get(objectiveId) ?? []) {
          const progress = milestoneAt(milestone, tree.updatesByMilestone.get(milestone.id) ?? [], endTime);
          if (!progress) continue;
          parts.push(progress);
          milestones += 1;
          if (progress.status === 'at_risk' || progress.status === 'off_track') behind += 1;
        }
        return rollUp(parts);
      }),
    ),
  );
  const progress = milestones === 0 ? null : rollUp(goals).percentComplete;
  return { progress, behind, milestones };
}

/**
 * Returns a milestone's status and percent at `endTime`, or null when it was
 * not part of the plan yet:
 * - not changed since before `endTime` (its last progress time): its current values;
 * - otherwise the last progress update dated before `endTime`'s day;
 * - otherwise, when it was created before `endTime`: not started at 0 percent.
 * Updates carry the day their author gave, which may be earlier than the day they were entered.
 */
function milestoneAt(milestone: MilestoneRow, updates: readonly UpdateRow[], endTime: string): Progress | null {
  if (milestone.lastProgressAt < endTime) {
    return { status: milestone.status, percentComplete: milestone.percentComplete };
  }
  const endDate = endTime.slice(0, 10);
  let latest: UpdateRow | undefined;
  // Updates come sorted by date, then by id, so the last one before the day is the one in force.
  for (const update of updates) {
    if (update.updateDate >= endDate) break;
    latest = update;
  }
  if (latest) return { status: latest.status, percentComplete: latest.percentComplete };
  if (milestone.createdAt < endTime) return { status: 'not_started', percentComplete: 0 };
  return null;
}

interface PlanTree {
  plans: PlanRow[];
  goalsByPlan: Map<number, number[]>;
  objectivesByGoal: Map<number, number[]>;
  milestonesByObjective: Map<number, MilestoneRow[]>;
  updatesByMilestone: Map<number, UpdateRow[]>;
}

/** Reads the current plans of the context's states, or of every state when the context includes the nation. */
function readCurrentPlans(context: GroupContext): PlanTree {
  const parameters = { states: JSON.stringify(context.states), everyState: context.national ? 1 : 0 };
  const currentPlans = `SELECT id FROM plans
                         WHERE is_current = 1 AND (@everyState = 1 OR state IN (SELECT value FROM json_each(@states)))`;
  const plans = context.sqlite
    .prepare(
      `SELECT id, state, period_start AS periodStart, period_end AS periodEnd FROM plans
        WHERE id IN (${currentPlans})`,
    )
    .all(parameters) as PlanRow[];
  const goals = context.sqlite
    .prepare(`SELECT id, plan_id AS planId FROM plan_goals WHERE plan_id IN (${currentPlans}) ORDER BY position, id`)
    .all(parameters) as Array<{ id: number; planId: number }>;
  const objectives = context.sqlite
    .prepare(
      `SELECT o.id, o.goal_id AS goalId FROM plan_objectives o JOIN plan_goals g ON g.id = o.goal_id
        WHERE g.plan_id IN (${currentPlans}) ORDER BY o.position, o.id`,
    )
    .all(parameters) as Array<{ id: number; goalId: number }>;
  const milestones = context.sqlite
    .prepare(
      `SELECT m.id, g.plan_id AS planId, g.id AS goalId, o.id AS objectiveId, m.status,
              m.percent_complete AS percentComplete, m.created_at AS createdAt, m.last_progress_at AS lastProgressAt
         FROM plan_milestones m
         JOIN plan_objectives o ON o.id = m.objective_id
         JOIN plan_goals g ON g.id = o.goal_id
        WHERE g.plan_id IN (${currentPlans})
        ORDER BY m.position, m.id`,
    )
    .all(parameters) as MilestoneRow[];
  const updates = context.sqlite
    .prepare(
      `SELECT u.milestone_id AS milestoneId, u.update_date AS updateDate, u.status, u.percent_complete AS percentComplete
         FROM milestone_updates u
         JOIN plan_milestones m ON m.id = u.milestone_id
         JOIN plan_objectives o ON o.id = m.objective_id
         JOIN plan_goals g ON g.id = o.goal_id
        WHERE g.plan_id IN (${currentPlans})
        ORDER BY u.milestone_id, u.update_date, u.id`,
    )
    .all(parameters) as UpdateRow[];

  return {
    plans,
    goalsByPlan: groupIds(goals, (goal) => goal.planId),
    objectivesByGoal: groupIds(objectives, (objective) => objective.goalId),
    milestonesByObjective: groupRows(milestones, (milestone) => milestone.objectiveId),
    updatesByMilestone: groupRows(updates, (update) => update.milestoneId),
  };
}

function groupRows<Row>(rows: readonly Row[], keyOf: (row: Row) => number): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return groups;
}

function groupIds<Row extends { id: number }>(
  rows: readonly Row[],
  keyOf: (row: Row) => number,
): Map<number, number[]> {
  const groups = groupRows(rows, keyOf);
  return new Map([...groups].map(([key, group]) => [key, group.map((row) => row.id)]));
}
