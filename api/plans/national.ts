/** The national roll-up of strategic plans, for agents and admins. */
import { asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { milestoneStatuses, plans, programStates, type MilestoneStatus } from '../../db/schema';
import { renderCsv } from '../shared/csv';
import { loadPlanTree } from './read';

export interface StateRow {
  state: string;
  name: string;
  participating: boolean;
  planId: number | null;
  planTitle: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  status: MilestoneStatus | null;
  percentComplete: number | null;
  milestones: Record<MilestoneStatus, number>;
  overdue: number;
  stale: number;
  updatedAt: string | null;
}

function emptyCounts(): Record<MilestoneStatus, number> {
  return Object.fromEntries(milestoneStatuses.map((status) => [status, 0])) as Record<MilestoneStatus, number>;
}

/**
 * Figures over the current plans: a plan counts as current when it is marked
 * current and its period has not ended. Counts of plans are over
 * participating states only; every state still appears in the table.
 */
export function buildNationalRollup(db: AppDatabase, now: Date) {
  const today = now.toISOString().slice(0, 10);
  const states = db.select().from(programStates).orderBy(asc(programStates.code)).all();
  const currentPlans = db
    .select()
    .from(plans)
    .where(eq(plans.isCurrent, true))
    .all()
    .filter((plan) => plan.periodEnd >= today);
  const overdueItems: {
    state: string;
    planId: number;
    milestoneId: number;
    title: string;
    dueDate: string;
    owner: string;
    status: MilestoneStatus;
  }[] = [];
  const staleItems: {
    state: string;
    planId: number;
    milestoneId: number;
    title: string;
    lastProgressAt: string;
    status: MilestoneStatus;
  }[] = [];
  const totals = emptyCounts();

  const rows: StateRow[] = states.map((state) => {
    const plan = currentPlans.find((candidate) => candidate.state === state.code);
    const counts = emptyCounts();
    if (!plan) {
      return {
        state: state.code,
        name: state.name,
        participating: state.participating,
        planId: null,
        planTitle: null,
        periodStart: null,
        periodEnd: null,
        status: null,
        percentComplete: null,
        milestones: counts,
        overdue: 0,
        stale: 0,
        updatedAt: null,
      };
    }

    const tree = loadPlanTree(db, plan.id, now);
    const own = tree.goals.flatMap((goal) => goal.objectives.flatMap((objective) => objective.milestones));
    let overdue = 0;
    let stale = 0;
    for (const milestone of own) {
      counts[milestone.status] += 1;
      totals[milestone.status] += 1;
      if (milestone.overdue) {
        overdue += 1;
        overdueItems.push({
          state: state.code,
          planId: plan.id,
          milestoneId: milestone.id,
          title: milestone.title,
          dueDate: milestone.dueDate,
          owner: milestone.owner,
          status: milestone.status,
        });
      }
      if (milestone.stale) {
        stale += 1;
        staleItems.push({
          state: state.code,
          planId: plan.id,
          milestoneId: milestone.id,
          title: milestone.title,
          lastProgressAt: milestone.lastProgressAt,
          status: milestone.status,
        });
      }
    }
    const progress = tree.progress;
    return {
      state: state.code,
      name: state.name,
      participating: state.participating,
      planId: plan.id,
      planTitle: plan.title,
      periodStart: plan.periodStart,
      periodEnd: plan.periodEnd,
      ...progress,
      milestones: counts,
      overdue,
      stale,
      updatedAt: plan.updatedAt,
    };
  });

  const participating = rows.filter((row) => row.participating);
  return {
    asOf: today,
    participatingStates: participating.length,
    statesWithCurrentPlan: participating.filter((row) => row.planId !== null).length,
    milestoneStatusCounts: totals,
    overdueCount: overdueItems.length,
    staleCount: staleItems.length,
    overdueItems: overdueItems.sort((a, b) => a.dueDate.localeCompare(b.dueDate)).slice(0, 50),
    staleItems: staleItems.sort((a, b) => a.lastProgressAt.localeCompare(b.lastProgressAt)).slice(0, 50),
    states: rows,
  };
}

export function renderNationalCsv(rollup: ReturnType<typeof buildNationalRollup>): string {
  return renderCsv(
    [
      'state',
      'name',
      'participating',
      'has_current_plan',
      'plan_title',
      'period_start',
      'period_end',
      'status',
      'percent_complete',
      ...milestoneStatuses.map((status) => `milestones_${status}`),
      'overdue',
      'stale',
      'last_updated',
    ],
    rollup.states.map((row) => [
      row.state,
      row.name,
      row.participating ? 'yes' : 'no',
      row.planId === null ? 'no' : 'yes',
      row.planTitle,
      row.periodStart,
      row.periodEnd,
      row.status,
      row.percentComplete,
      ...milestoneStatuses.map((status) => row.milestones[status]),
      row.overdue,
      row.stale,
      row.updatedAt,
    ]),
  );
}
