/** Changes to a plan's structure: the plan itself, goals, objectives and milestones. */
import { eq, max } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { milestoneStatuses, people, planGoals, planMilestones, planObjectives, plans } from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { parseInput } from '../shared/validation';
import { findGoal, findMilestone, findObjective, findPlan } from './access';
import { isoDate } from './create';

type Context = Omit<ActionContext, 'mail'>;

const title = z.string().trim().min(3, 'must have at least 3 characters').max(500, 'must have at most 500 characters');
const position = z.number().int().min(1).max(1000);

const planChanges = z
  .object({ title: z.string().trim().min(3).max(200), periodStart: isoDate, periodEnd: isoDate })
  .partial();
const goalChanges = z.object({ title, position }).partial();
const objectiveChanges = z.object({ title, position }).partial();
const milestoneFields = z.object({
  title,
  position,
  ownerPersonId: z.number().int().positive().nullable(),
  ownerRole: z.string().trim().min(3, 'must have at least 3 characters').max(100).nullable(),
  dueDate: isoDate,
  status: z.enum(milestoneStatuses),
  percentComplete: z.number().int().min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100'),
});

function audit(
  db: Parameters<typeof recordAudit>[0],
  actor: Actor,
  context: Context,
  action: string,
  objectType: string,
  objectId: number,
  detail?: string,
): void {
  recordAudit(db, {
    actor,
    ip: context.ip,
    action,
    objectType,
    objectId,
    outcome: 'success',
    detail,
    requestId: context.requestId,
    at: context.now,
  });
}

export function updatePlan(db: AppDatabase, actor: Actor, id: number, input: unknown, context: Context) {
  const changes = parseInput(planChanges, input);
  const plan = findPlan(db, actor, id, 'edit');
  const periodStart = changes.periodStart ?? plan.periodStart;
  const periodEnd = changes.periodEnd ?? plan.periodEnd;
  if (periodEnd <= periodStart) throw new AppError(400, 'invalid_input', 'periodEnd: must be after periodStart.');

  return db.transaction((tx) => {
    const row = tx
      .update(plans)
      .set({ ...changes, updatedAt: context.now.toISOString() })
      .where(eq(plans.id, id))
      .returning()
      .get();
    audit(tx, actor, context, 'plan.updated', 'plan', id, Object.keys(changes).join(', '));
    return row;
  });
}

export function addGoal(db: AppDatabase, actor: Actor, planId: number, input: unknown, context: Context) {
  const data = parseInput(z.object({ title }), input);
  findPlan(db, actor, planId, 'edit');

  return db.transaction((tx) => {
    const last = tx
      .select({ value: max(planGoals.position) })
      .from(planGoals)
      .where(eq(planGoals.planId, planId))
      .get();
    const goal = tx
      .insert(planGoals)
      .values({ planId, title: data.title, position: (last?.value ?? 0) + 1 })
      .returning()
      .get();
    touchPlan(tx, planId, context);
    audit(tx, actor, context, 'plan.goal_added', 'goal', goal.id);
    return goal;
  });
}

export function updateGoal(db: AppDatabase, actor: Actor, id: number, input: unknown, context: Context) {
  const changes = parseInput(goalChanges, input);
  const { plan } = findGoal(db, actor, id, 'edit');

  return db.transaction((tx) => {
    const goal = tx.update(planGoals).set(changes).where(eq(planGoals.id, id)).returning().get();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.goal_updated', 'goal', id, Object.keys(changes).join(', '));
    return goal;
  });
}

export function deleteGoal(db: AppDatabase, actor: Actor, id: number, context: Context): void {
  const { plan } = findGoal(db, actor, id, 'edit');
  db.transaction((tx) => {
    tx.delete(planGoals).where(eq(planGoals.id, id)).run();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.goal_deleted', 'goal', id);
  });
}

export function addObjective(db: AppDatabase, actor: Actor, goalId: number, input: unknown, context: Context) {
  const data = parseInput(z.object({ title }), input);
  const { plan } = findGoal(db, actor, goalId, 'edit');

  return db.transaction((tx) => {
    const last = tx
      .select({ value: max(planObjectives.position) })
      .from(planObjectives)
      .where(eq(planObjectives.goalId, goalId))
      .get();
    const objective = tx
      .insert(planObjectives)
      .values({ goalId, title: data.title, position: (last?.value ?? 0) + 1 })
      .returning()
      .get();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.objective_added', 'objective', objective.id);
    return objective;
  });
}

export function updateObjective(db: AppDatabase, actor: Actor, id: number, input: unknown, context: Context) {
  const changes = parseInput(objectiveChanges, input);
  const { plan } = findObjective(db, actor, id, 'edit');

  return db.transaction((tx) => {
    const objective = tx.update(planObjectives).set(changes).where(eq(planObjectives.id, id)).returning().get();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.objective_updated', 'objective', id, Object.keys(changes).join(', '));
    return objective;
  });
}

export function deleteObjective(db: AppDatabase, actor: Actor, id: number, context: Context): void {
  const { plan } = findObjective(db, actor, id, 'edit');
  db.transaction((tx) => {
    tx.delete(planObjectives).where(eq(planObjectives.id, id)).run();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.objective_deleted', 'objective', id);
  });
}

export function addMilestone(db: AppDatabase, actor: Actor, objectiveId: number, input: unknown, context: Context) {
  const data = parseInput(
    milestoneFields.partial({
      position: true,
      status: true,
      percentComplete: true,
      ownerPersonId: true,
      ownerRole: true,
    }),
    input,
  );
  const { plan } = findObjective(db, actor, objectiveId, 'edit');
  const owner = checkOwner(db, plan.state, data.ownerPersonId ?? null, data.ownerRole ?? null);
  const progress = checkProgress(data.status ?? 'not_started', data.percentComplete ?? 0);
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const last = tx
      .select({ value: max(planMilestones.position) })
      .from(planMilestones)
      .where(eq(planMilestones.objectiveId, objectiveId))
      .get();
    const milestone = tx
      .insert(planMilestones)
      .values({
        objectiveId,
        title: data.title,
        position: data.position ?? (last?.value ?? 0) + 1,
        ...owner,
        dueDate: data.dueDate,
        ...progress,
        lastProgressAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.milestone_added', 'milestone', milestone.id);
    return milestone;
  });
}

export function updateMilestone(db: AppDatabase, actor: Actor, id: number, input: unknown, context: Context) {
  const changes = parseInput(milestoneFields.partial(), input);
  const { milestone, plan } = findMilestone(db, actor, id, 'edit');
  const ownerChanged = changes.ownerPersonId !== undefined || changes.ownerRole !== undefined;
  const owner = ownerChanged
    ? checkOwner(db, plan.state, changes.ownerPersonId ?? null, changes.ownerRole ?? null)
    : {};
  const progressChanged = changes.status !== undefined || changes.percentComplete !== undefined;
  const progress = progressChanged
    ? checkProgress(changes.status ?? milestone.status, changes.percentComplete ?? milestone.percentComplete)
    : {};
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const row = tx
      .update(planMilestones)
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.position !== undefined ? { position: changes.position } : {}),
        ...(changes.dueDate !== undefined ? { dueDate: changes.dueDate } : {}),
        ...owner,
        ...progress,
        ...(progressChanged ? { lastProgressAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(planMilestones.id, id))
      .returning()
      .get();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.milestone_updated', 'milestone', id, Object.keys(changes).join(', '));
    return row;
  });
}

export function deleteMilestone(db: AppDatabase, actor: Actor, id: number, context: Context): void {
  const { plan } = findMilestone(db, actor, id, 'edit');
  db.transaction((tx) => {
    tx.delete(planMilestones).where(eq(planMilestones.id, id)).run();
    touchPlan(tx, plan.id, context);
    audit(tx, actor, context, 'plan.milestone_deleted', 'milestone', id);
  });
}

/** Checks that a milestone has exactly one owner: a person of the plan's state (or national staff), or a role. */
export function checkOwner(db: AppDatabase, state: string, ownerPersonId: number | null, ownerRole: string | null) {
  if ((ownerPersonId === null) === (ownerRole === null)) {
    throw new AppError(
      400,
      'invalid_input',
      'ownerPersonId, ownerRole: give exactly one owner, either a person or a role.',
    );
  }
  if (ownerPersonId !== null) {
    const person = db.select().from(people).where(eq(people.id, ownerPersonId)).get();
    const eligible = person && person.status !== 'deactivated' && (person.state === state || person.state === null);
    if (!eligible)
      throw new AppError(
        400,
        'invalid_input',
        `ownerPersonId: no active person with id ${ownerPersonId} works for ${state} or nationally.`,
      );
  }
  return { ownerPersonId, ownerRole };
}

/** Done means 100 percent, and 100 percent means done. */
export function checkProgress(status: (typeof milestoneStatuses)[number], percentComplete: number) {
  if (status === 'done' && percentComplete !== 100) {
    throw new AppError(400, 'invalid_input', 'percentComplete: must be 100 when status is done.');
  }
  if (status !== 'done' && percentComplete === 100) {
    throw new AppError(400, 'invalid_input', 'status: must be done when percentComplete is 100.');
  }
  return { status, percentComplete };
}

function touchPlan(tx: Parameters<typeof recordAudit>[0], planId: number, context: Context): void {
  tx.update(plans).set({ updatedAt: context.now.toISOString() }).where(eq(plans.id, planId)).run();
}
