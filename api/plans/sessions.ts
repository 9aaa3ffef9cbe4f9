/**
 * Onsite planning sessions that the TA team runs with a state, and their
 * recommendations. A recommendation can be turned into a milestone of one of
 * the state's plans in one step, and it then stays linked to that milestone.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, max } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import {
  planGoals,
  planMilestones,
  planObjectives,
  planningSessions,
  plans,
  sessionRecommendations,
} from '../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../audit/record';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { stateCodes } from '../shared/states';
import { parseInput } from '../shared/validation';
import { canEditState, canReadState, findObjective, notFound, requireStateAccess } from './access';
import { isoDate } from './create';
import { checkOwner } from './edit';

type Context = Omit<ActionContext, 'mail'>;

/** Maximum recommendations per session, converted ones included. */
export const maxRecommendations = 50;
export const maxParticipants = 50;

const participantRole = z
  .string()
  .trim()
  .min(2, 'must have at least 2 characters, such as "State MEP director"')
  .max(200, 'must have at most 200 characters');

// A recommendation becomes a milestone title, so it follows the milestone title's length limits.
const recommendationText = z
  .string()
  .trim()
  .min(3, 'must have at least 3 characters')
  .max(500, 'must have at most 500 characters');

const sessionFields = z.object({
  state: z.enum(stateCodes),
  sessionDate: isoDate,
  place: z.string().trim().min(2, 'must have at least 2 characters').max(200, 'must have at most 200 characters'),
  participants: z
    .array(participantRole)
    .min(1, `must list from 1 to ${maxParticipants} participant roles`)
    .max(maxParticipants, `must list from 1 to ${maxParticipants} participant roles`),
  findings: z.string().trim().max(20_000, 'must have at most 20000 characters'),
  recommendations: z
    .array(recommendationText)
    .max(maxRecommendations, `must list at most ${maxRecommendations} recommendations`),
});

const createInput = sessionFields.extend({ recommendations: sessionFields.shape.recommendations.default([]) });
const updateInput = sessionFields
  .partial()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'give at least one of state, sessionDate, place, participants, findings, recommendations',
  });

const convertInput = z.object({
  objectiveId: z.number({ invalid_type_error: 'must be the id of an objective' }).int().positive(),
  dueDate: isoDate,
  ownerPersonId: z.number().int().positive().nullable().optional(),
  ownerRole: z
    .string()
    .trim()
    .min(3, 'must have at least 3 characters')
    .max(100, 'must have at most 100 characters')
    .nullable()
    .optional(),
});

type SessionRow = typeof planningSessions.$inferSelect;

function audit(
  db: DatabaseOrTransaction,
  actor: Actor,
  context: Context,
  action: string,
  objectType: string,
  objectId: number,
  detail: string,
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

/** Finds a session the actor may read (or edit). A session of a state outside the actor's reach raises 404, like a missing one. */
export function findPlanningSession(
  db: DatabaseOrTransaction,
  actor: Actor,
  id: number,
  mode: 'read' | 'edit',
): SessionRow {
  const session = db.select().from(planningSessions).where(eq(planningSessions.id, id)).get();
  if (!session || !canReadState(actor, session.state)) throw notFound('planning session', id);
  if (mode === 'edit') requireStateAccess(db, actor, session.state, 'edit');
  return session;
}

/** Lists a state's planning sessions, newest first, with how many recommendations each has and how many became milestones. */
export function listPlanningSessions(db: AppDatabase, actor: Actor, state: string) {
  requireStateAccess(db, actor, state, 'read');
  const sessions = db
    .select()
    .from(planningSessions)
    .where(eq(planningSessions.state, state))
    .orderBy(desc(planningSessions.sessionDate), desc(planningSessions.id))
    .all();
  const ids = sessions.map((session) => session.id);
  const counts = ids.length
    ? db
        .select({
          sessionId: sessionRecommendations.sessionId,
          total: count(),
          converted: count(sessionRecommendations.milestoneId),
        })
        .from(sessionRecommendations)
        .where(inArray(sessionRecommendations.sessionId, ids))
        .groupBy(sessionRecommendations.sessionId)
        .all()
    : [];

  return {
    state,
    canEdit: canEditState(actor, state),
    sessions: sessions.map((session) => {
      const row = counts.find((candidate) => candidate.sessionId === session.id);
      return { ...toSessionView(session), recommendationCount: row?.total ?? 0, convertedCount: row?.converted ?? 0 };
    }),
  };
}

/** Reads one session with its recommendations and, for converted ones, the milestone each became. */
export function readPlanningSession(db: AppDatabase, actor: Actor, id: number) {
  const session = findPlanningSession(db, actor, id, 'read');
  return buildSessionView(db, actor, session);
}

export function createPlanningSession(db: AppDatabase, actor: Actor, input: unknown, context: Context) {
  const data = parseInput(createInput, input);
  requireStateAccess(db, actor, data.state, 'edit');
  const now = context.now.toISOString();

  const session = db.transaction((tx) => {
    const row = tx
      .insert(planningSessions)
      .values({
        state: data.state,
        sessionDate: data.sessionDate,
        place: data.place,
        participants: JSON.stringify(data.participants),
        findings: data.findings,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    data.recommendations.forEach((text, index) => {
      tx.insert(sessionRecommendations)
        .values({ sessionId: row.id, position: index + 1, text })
        .run();
    });
    audit(
      tx,
      actor,
      context,
      'planning_session.created',
      'planning_session',
      row.id,
      `state ${row.state}, ${data.recommendations.length} recommendations`,
    );
    return row;
  });
  return buildSessionView(db, actor, session);
}

/**
 * Changes a session. A `recommendations` array replaces the recommendations
 * that are not yet milestones. Converted ones are always kept: a given text
 * equal to a converted recommendation's text marks where that one goes, and
 * converted ones not repeated follow the given texts.
 */
export function updatePlanningSession(db: AppDatabase, actor: Actor, id: number, input: unknown, context: Context) {
  const changes = parseInput(updateInput, input);
  const current = findPlanningSession(db, actor, id, 'edit');
  const movesState = changes.state !== undefined && changes.state !== current.state;
  if (movesState && changes.state) requireStateAccess(db, actor, changes.state, 'edit');
  const now = context.now.toISOString();

  const session = db.transaction((tx) => {
    const converted = tx
      .select()
      .from(sessionRecommendations)
      .where(and(eq(sessionRecommendations.sessionId, id), isNotNull(sessionRecommendations.milestoneId)))
      .orderBy(asc(sessionRecommendations.position), asc(sessionRecommendations.id))
      .all();
    if (movesState && converted.length > 0) {
      throw new AppError(
        409,
        'recommendations_converted',
        `state: ${converted.length} of this session's recommendations are already milestones in a ${current.state} plan, so the session must stay with ${current.state}.`,
      );
    }

    const row = tx
      .update(planningSessions)
      .set({
        ...(changes.state !== undefined ? { state: changes.state } : {}),
        ...(changes.sessionDate !== undefined ? { sessionDate: changes.sessionDate } : {}),
        ...(changes.place !== undefined ? { place: changes.place } : {}),
        ...(changes.participants !== undefined ? { participants: JSON.stringify(changes.participants) } : {}),
        ...(changes.findings !== undefined ? { findings: changes.findings } : {}),
        updatedAt: now,
      })
      .where(eq(planningSessions.id, id))
      .returning()
      .get();

    let detail = Object.keys(changes).join(', ');
    if (changes.recommendations !== undefined) {
      const added = replaceOpenRecommendations(tx, id, changes.recommendations, converted);
      detail += ` (${converted.length} kept as milestones, ${added} open)`;
    }
    audit(tx, actor, context, 'planning_session.updated', 'planning_session', id, detail);
    return row;
  });
  return buildSessionView(db, actor, session);
}

/** Deletes the session's open recommendations and writes the given texts in their place. Returns how many open ones it wrote. */
function replaceOpenRecommendations(
  tx: DatabaseOrTransaction,
  sessionId: number,
  texts: string[],
  converted: (typeof sessionRecommendations.$inferSelect)[],
): number {
  const unplaced = [...converted];
  const ordered: ({ kind: 'kept'; id: number } | { kind: 'new'; text: string })[] = [];
  for (const text of texts) {
    const match = unplaced.findIndex((recommendation) => recommendation.text === text);
    if (match >= 0) {
      const [kept] = unplaced.splice(match, 1);
      if (kept) ordered.push({ kind: 'kept', id: kept.id });
    } else {
      ordered.push({ kind: 'new', text });
    }
  }
  for (const kept of unplaced) ordered.push({ kind: 'kept', id: kept.id });

  if (ordered.length > maxRecommendations) {
    throw new AppError(
      400,
      'invalid_input',
      `recommendations: a session holds at most ${maxRecommendations}; ${converted.length} are already milestones and stay, so give at most ${maxRecommendations - converted.length} others.`,
    );
  }

  tx.delete(sessionRecommendations)
    .where(and(eq(sessionRecommendations.sessionId, sessionId), isNull(sessionRecommendations.milestoneId)))
    .run();
  ordered.forEach((item, index) => {
    if (item.kind === 'kept') {
      tx.update(sessionRecommendations)
        .set({ position: index + 1 })
        .where(eq(sessionRecommendations.id, item.id))
        .run();
    } else {
      tx.insert(sessionRecommendations)
        .values({ sessionId, position: index + 1, text: item.text })
        .run();
    }
  });
  return ordered.filter((item) => item.kind === 'new').length;
}

/**
 * Turns a recommendation into a milestone of an objective in one of the
 * session state's plans, with the recommendation's text as its title, and
 * links the two. The owner rules are those of any new milestone.
 */
export function convertRecommendation(
  db: AppDatabase,
  actor: Actor,
  recommendationId: number,
  input: unknown,
  context: Context,
) {
  const data = parseInput(convertInput, input);
  const { recommendation, session } = findRecommendation(db, actor, recommendationId, 'edit');
  if (recommendation.milestoneId !== null) throw alreadyConverted(recommendationId, recommendation.milestoneId);

  const { plan } = findObjective(db, actor, data.objectiveId, 'edit');
  if (plan.state !== session.state) {
    throw new AppError(
      400,
      'invalid_input',
      `objectiveId: objective ${data.objectiveId} belongs to a ${plan.state} plan; the planning session was held with ${session.state}, so pick an objective of a ${session.state} plan.`,
    );
  }
  const owner = checkOwner(db, plan.state, data.ownerPersonId ?? null, data.ownerRole ?? null);
  const now = context.now.toISOString();

  return db.transaction(
    (tx) => {
      const last = tx
        .select({ value: max(planMilestones.position) })
        .from(planMilestones)
        .where(eq(planMilestones.objectiveId, data.objectiveId))
        .get();
      const milestone = tx
        .insert(planMilestones)
        .values({
          objectiveId: data.objectiveId,
          title: recommendation.text,
          position: (last?.value ?? 0) + 1,
          ...owner,
          dueDate: data.dueDate,
          status: 'not_started',
          percentComplete: 0,
          lastProgressAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();

      // The condition on milestone_id makes a second, concurrent conversion change nothing, so it rolls back with a 409.
      const linked = tx
        .update(sessionRecommendations)
        .set({ milestoneId: milestone.id })
        .where(and(eq(sessionRecommendations.id, recommendationId), isNull(sessionRecommendations.milestoneId)))
        .returning()
        .get();
      if (!linked) {
        const latest = tx
          .select()
          .from(sessionRecommendations)
          .where(eq(sessionRecommendations.id, recommendationId))
          .get();
        throw alreadyConverted(recommendationId, latest?.milestoneId ?? null);
      }

      tx.update(plans).set({ updatedAt: now }).where(eq(plans.id, plan.id)).run();
      audit(
        tx,
        actor,
        context,
        'planning_session.recommendation_converted',
        'recommendation',
        recommendationId,
        `milestone ${milestone.id} in plan ${plan.id}`,
      );
      return { milestone, recommendation: linked };
    },
    { behavior: 'immediate' },
  );
}

function findRecommendation(db: DatabaseOrTransaction, actor: Actor, id: number, mode: 'read' | 'edit') {
  const row = db
    .select({ recommendation: sessionRecommendations, session: planningSessions })
    .from(sessionRecommendations)
    .innerJoin(planningSessions, eq(planningSessions.id, sessionRecommendations.sessionId))
    .where(eq(sessionRecommendations.id, id))
    .get();
  if (!row || !canReadState(actor, row.session.state)) throw notFound('recommendation', id);
  if (mode === 'edit') requireStateAccess(db, actor, row.session.state, 'edit');
  return row;
}

function alreadyConverted(recommendationId: number, milestoneId: number | null): AppError {
  const target = milestoneId === null ? 'a milestone' : `milestone ${milestoneId}`;
  return new AppError(
    409,
    'already_converted',
    `Recommendation ${recommendationId} is already ${target}; change that milestone instead.`,
  );
}

function toSessionView(session: SessionRow) {
  return { ...session, participants: JSON.parse(session.participants) as string[] };
}

function buildSessionView(db: AppDatabase, actor: Actor, session: SessionRow) {
  const recommendations = db
    .select({
      recommendation: sessionRecommendations,
      milestone: {
        id: planMilestones.id,
        title: planMilestones.title,
        dueDate: planMilestones.dueDate,
        status: planMilestones.status,
      },
      planId: planGoals.planId,
    })
    .from(sessionRecommendations)
    .leftJoin(planMilestones, eq(planMilestones.id, sessionRecommendations.milestoneId))
    .leftJoin(planObjectives, eq(planObjectives.id, planMilestones.objectiveId))
    .leftJoin(planGoals, eq(planGoals.id, planObjectives.goalId))
    .where(eq(sessionRecommendations.sessionId, session.id))
    .orderBy(asc(sessionRecommendations.position), asc(sessionRecommendations.id))
    .all();

  return {
    session: toSessionView(session),
    recommendations: recommendations.map((row) => ({
      ...row.recommendation,
      milestone: row.milestone && row.planId !== null ? { ...row.milestone, planId: row.planId } : null,
    })),
    canEdit: canEditState(actor, session.state),
  };
}
