/**
 * Who may read and change a state's plan, planning sessions and crosswalk:
 * state users and coordinators read their own state, coordinators also edit
 * it; agents and admins read every state, and admins also edit. Anything
 * outside the actor's reach answers 404, like a missing object.
 */
import { eq } from 'drizzle-orm';
import { planGoals, planMilestones, planObjectives, plans, programStates } from '../../db/schema';
import type { DatabaseOrTransaction } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';

export function canReadState(actor: Actor, state: string): boolean {
  if (actor.role === 'admin' || actor.role === 'agent') return true;
  return actor.state === state;
}

export function canEditState(actor: Actor, state: string): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'state_coordinator' && actor.state === state;
}

export function notFound(kind: string, id: number | string): AppError {
  return new AppError(404, 'not_found', `No ${kind} with id ${id} was found.`);
}

/** Checks that the state exists and the actor may read (or edit) it; otherwise answers 404 or 403. */
export function requireStateAccess(
  db: DatabaseOrTransaction,
  actor: Actor,
  state: string,
  mode: 'read' | 'edit',
): void {
  const known = db.select({ code: programStates.code }).from(programStates).where(eq(programStates.code, state)).get();
  if (!known || !canReadState(actor, state))
    throw new AppError(404, 'not_found', `No state with code ${state} was found.`);
  if (mode === 'edit' && !canEditState(actor, state)) {
    throw new AppError(
      403,
      'forbidden',
      'You can read this plan but not change it. State coordinators edit their own state; admins edit every state.',
    );
  }
}

export function findPlan(db: DatabaseOrTransaction, actor: Actor, id: number, mode: 'read' | 'edit') {
  const plan = db.select().from(plans).where(eq(plans.id, id)).get();
  if (!plan || !canReadState(actor, plan.state)) throw notFound('plan', id);
  if (mode === 'edit') requireStateAccess(db, actor, plan.state, 'edit');
  return plan;
}

export function findGoal(db: DatabaseOrTransaction, actor: Actor, id: number, mode: 'read' | 'edit') {
  const row = db
    .select({ goal: planGoals, plan: plans })
    .from(planGoals)
    .innerJoin(plans, eq(plans.id, planGoals.planId))
    .where(eq(planGoals.id, id))
    .get();
  if (!row || !canReadState(actor, row.plan.state)) throw notFound('goal', id);
  if (mode === 'edit') requireStateAccess(db, actor, row.plan.state, 'edit');
  return row;
}

export function findObjective(db: DatabaseOrTransaction, actor: Actor, id: number, mode: 'read' | 'edit') {
  const row = db
    .select({ objective: planObjectives, plan: plans })
    .from(planObjectives)
    .innerJoin(planGoals, eq(planGoals.id, planObjectives.goalId))
    .innerJoin(plans, eq(plans.id, planGoals.planId))
    .where(eq(planObjectives.id, id))
    .get();
  if (!row || !canReadState(actor, row.plan.state)) throw notFound('objective', id);
  if (mode === 'edit') requireStateAccess(db, actor, row.plan.state, 'edit');
  return row;
}

export function findMilestone(db: DatabaseOrTransaction, actor: Actor, id: number, mode: 'read' | 'edit') {
  const row = db
    .select({ milestone: planMilestones, plan: plans })
    .from(planMilestones)
    .innerJoin(planObjectives, eq(planObjectives.id, planMilestones.objectiveId))
    .innerJoin(planGoals, eq(planGoals.id, planObjectives.goalId))
    .innerJoin(plans, eq(plans.id, planGoals.planId))
    .where(eq(planMilestones.id, id))
    .get();
  if (!row || !canReadState(actor, row.plan.state)) throw notFound('milestone', id);
  if (mode === 'edit') requireStateAccess(db, actor, row.plan.state, 'edit');
  return row;
}
