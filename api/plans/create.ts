import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { planGoals, planMilestones, planObjectives, plans } from '../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { stateCodes } from '../shared/states';
import { parseInput } from '../shared/validation';
import { findPlan, requireStateAccess } from './access';
import { addDays, addMonths, daysBetween, readPlanTemplate } from './template';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'is not a real date');

const createInput = z
  .object({
    state: z.enum(stateCodes),
    title: z.string().trim().min(3, 'must have at least 3 characters').max(200),
    periodStart: isoDate,
    periodEnd: isoDate,
    origin: z.enum(['blank', 'template', 'copy']),
    copyFromPlanId: z.number().int().positive().optional(),
  })
  .refine((input) => input.periodEnd > input.periodStart, { message: 'must be after periodStart', path: ['periodEnd'] })
  .refine((input) => input.origin !== 'copy' || input.copyFromPlanId !== undefined, {
    message: 'is required when origin is copy',
    path: ['copyFromPlanId'],
  });

/**
 * Starts a new current plan for a state: blank, from the TA template, or as a
 * copy of one of the state's earlier plans. The state's previous current plan
 * stays as history.
 */
export function createPlan(db: AppDatabase, actor: Actor, input: unknown, context: Omit<ActionContext, 'mail'>) {
  const data = parseInput(createInput, input);
  requireStateAccess(db, actor, data.state, 'edit');
  const source = data.origin === 'copy' ? findPlan(db, actor, data.copyFromPlanId ?? 0, 'read') : undefined;
  if (source && source.state !== data.state) {
    throw new AppError(
      400,
      'invalid_input',
      `copyFromPlanId: plan ${source.id} belongs to ${source.state}; copy a plan of ${data.state}.`,
    );
  }

  const now = context.now.toISOString();
  return db.transaction((tx) => {
    tx.update(plans)
      .set({ isCurrent: false, updatedAt: now })
      .where(and(eq(plans.state, data.state), eq(plans.isCurrent, true)))
      .run();
    const plan = tx
      .insert(plans)
      .values({
        state: data.state,
        title: data.title,
        periodStart: data.periodStart,
        periodEnd: data.periodEnd,
        isCurrent: true,
        origin: data.origin,
        copiedFromPlanId: source?.id ?? null,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();

    if (data.origin === 'template') copyTemplate(tx, plan.id, data.periodStart, data.periodEnd, now);
    if (source) copyPlan(tx, source.id, plan.id, daysBetween(source.periodStart, data.periodStart), now);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'plan.created',
      objectType: 'plan',
      objectId: plan.id,
      outcome: 'success',
      detail: `state ${plan.state}, origin ${plan.origin}${source ? ` from plan ${source.id}` : ''}`,
      requestId: context.requestId,
      at: context.now,
    });
    return plan;
  });
}

export function copyTemplate(
  tx: DatabaseOrTransaction,
  planId: number,
  periodStart: string,
  periodEnd: string,
  now: string,
): void {
  readPlanTemplate().forEach((goal, goalIndex) => {
    const goalRow = tx
      .insert(planGoals)
      .values({ planId, position: goalIndex + 1, title: goal.title })
      .returning()
      .get();
    goal.objectives.forEach((objective, objectiveIndex) => {
      const objectiveRow = tx
        .insert(planObjectives)
        .values({ goalId: goalRow.id, position: objectiveIndex + 1, title: objective.title })
        .returning()
        .get();
      objective.milestones.forEach((milestone, milestoneIndex) => {
        const due = addMonths(periodStart, milestone.monthsFromStart);
        tx.insert(planMilestones)
          .values({
            objectiveId: objectiveRow.id,
            position: milestoneIndex + 1,
            title: milestone.title,
            ownerRole: milestone.ownerRole,
            dueDate: due > periodEnd ? periodEnd : due,
            lastProgressAt: now,
            createdAt: now,
            updatedAt: now,
          })
          .run();
      });
    });
  });
}

/** Copies goals, objectives and milestones, moving due dates by the shift between the periods; progress starts over. */
function copyPlan(
  tx: DatabaseOrTransaction,
  sourcePlanId: number,
  planId: number,
  shiftDays: number,
  now: string,
): void {
  const goals = tx
    .select()
    .from(planGoals)
    .where(eq(planGoals.planId, sourcePlanId))
    .orderBy(asc(planGoals.position))
    .all();
  for (const goal of goals) {
    const goalRow = tx
      .insert(planGoals)
      .values({ planId, position: goal.position, title: goal.title })
      .returning()
      .get();
    const objectives = tx
      .select()
      .from(planObjectives)
      .where(eq(planObjectives.goalId, goal.id))
      .orderBy(asc(planObjectives.position))
      .all();
    for (const objective of objectives) {
      const objectiveRow = tx
        .insert(planObjectives)
        .values({ goalId: goalRow.id, position: objective.position, title: objective.title })
        .returning()
        .get();
      const milestones = tx
        .select()
        .from(planMilestones)
        .where(inArray(planMilestones.objectiveId, [objective.id]))
        .orderBy(asc(planMilestones.position))
        .all();
      for (const milestone of milestones) {
        tx.insert(planMilestones)
          .values({
            objectiveId: objectiveRow.id,
            position: milestone.position,
            title: milestone.title,
            ownerPersonId: milestone.ownerPersonId,
            ownerRole: milestone.ownerRole,
            dueDate: addDays(milestone.dueDate, shiftDays),
            lastProgressAt: now,
            createdAt: now,
            updatedAt: now,
          })
          .run();
      }
    }
  }
}
