import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import {
  milestoneUpdates,
  people,
  planGoals,
  planMilestones,
  planObjectives,
  plans,
  programStates,
} from '../../db/schema';
import type { Actor } from '../auth/actor';
import { canEditState, findPlan, requireStateAccess } from './access';
import { rollUp, rollupRule, type Progress } from './rollup';

/** Milestones not done whose last progress is older than this count as stale. */
export const staleAfterDays = 90;

export function isOverdue(milestone: { status: string; dueDate: string }, today: string): boolean {
  return milestone.status !== 'done' && milestone.dueDate < today;
}

export function isStale(milestone: { status: string; lastProgressAt: string }, now: Date): boolean {
  const ageMs = now.getTime() - Date.parse(milestone.lastProgressAt);
  return milestone.status !== 'done' && ageMs >= staleAfterDays * 86_400_000;
}

/** Lists a state's plans, newest period first. */
export function listPlans(db: AppDatabase, actor: Actor, state: string) {
  requireStateAccess(db, actor, state, 'read');
  return db.select().from(plans).where(eq(plans.state, state)).orderBy(desc(plans.periodStart), desc(plans.id)).all();
}

/** Reads the whole plan with goals, objectives, milestones, their progress history and the rolled-up figures. */
export function readPlan(db: AppDatabase, actor: Actor, id: number, now: Date) {
  const plan = findPlan(db, actor, id, 'read');
  const state = db.select().from(programStates).where(eq(programStates.code, plan.state)).get();
  const tree = loadPlanTree(db, id, now);

  return {
    plan: { ...plan, stateName: state?.name ?? plan.state, ...tree.progress },
    goals: tree.goals,
    rollupRule,
    canEdit: canEditState(actor, plan.state),
  };
}

export type PlanTree = ReturnType<typeof loadPlanTree>;

/** Loads a plan's goals, objectives and milestones with history, and rolls progress up; no access check. */
export function loadPlanTree(db: AppDatabase, id: number, now: Date) {
  const goals = db
    .select()
    .from(planGoals)
    .where(eq(planGoals.planId, id))
    .orderBy(asc(planGoals.position), asc(planGoals.id))
    .all();
  const goalIds = goals.map((goal) => goal.id);
  const objectives = goalIds.length
    ? db
        .select()
        .from(planObjectives)
        .where(inArray(planObjectives.goalId, goalIds))
        .orderBy(asc(planObjectives.position), asc(planObjectives.id))
        .all()
    : [];
  const objectiveIds = objectives.map((objective) => objective.id);
  const milestones = objectiveIds.length
    ? db
        .select({ milestone: planMilestones, ownerName: people.displayName })
        .from(planMilestones)
        .leftJoin(people, eq(people.id, planMilestones.ownerPersonId))
        .where(inArray(planMilestones.objectiveId, objectiveIds))
        .orderBy(asc(planMilestones.position), asc(planMilestones.id))
        .all()
    : [];
  const milestoneIds = milestones.map((row) => row.milestone.id);
  const updates = milestoneIds.length
    ? db
        .select()
        .from(milestoneUpdates)
        .where(inArray(milestoneUpdates.milestoneId, milestoneIds))
        .orderBy(desc(milestoneUpdates.updateDate), desc(milestoneUpdates.id))
        .all()
    : [];
  const today = now.toISOString().slice(0, 10);

  const goalViews = goals.map((goal) => {
    const objectiveViews = objectives
      .filter((objective) => objective.goalId === goal.id)
      .map((objective) => {
        const milestoneViews = milestones
          .filter((row) => row.milestone.objectiveId === objective.id)
          .map(({ milestone, ownerName }) => ({
            ...milestone,
            owner: milestone.ownerPersonId ? (ownerName ?? 'Unknown person') : (milestone.ownerRole ?? ''),
            overdue: isOverdue(milestone, today),
            stale: isStale(milestone, now),
            updates: updates.filter((update) => update.milestoneId === milestone.id),
          }));
        return { ...objective, ...rollUp(milestoneViews), milestones: milestoneViews };
      });
    return { ...goal, ...rollUp(objectiveViews), objectives: objectiveViews };
  });
  const progress: Progress = rollUp(goalViews);
  return { goals: goalViews, progress };
}
