/** The JSON the strategic-plan API returns, as the plan pages read it. */
import type { MilestoneStatus } from '../../../db/schema';

export type { MilestoneStatus };

export type PlanOrigin = 'blank' | 'template' | 'copy';

/** One plan as GET /api/plans lists it. */
export interface PlanSummary {
  id: number;
  state: string;
  title: string;
  /** First and last day of the plan period, YYYY-MM-DD. */
  periodStart: string;
  periodEnd: string;
  isCurrent: boolean;
  origin: PlanOrigin;
  copiedFromPlanId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Progress {
  status: MilestoneStatus;
  percentComplete: number;
}

export interface ProgressUpdate extends Progress {
  id: number;
  /** The day the update reports on, YYYY-MM-DD. */
  updateDate: string;
  narrative: string;
  authorId: number | null;
  createdAt: string;
}

export interface Milestone extends Progress {
  id: number;
  title: string;
  position: number;
  /** The owner as display text: a person's name or a role. */
  owner: string;
  ownerPersonId: number | null;
  ownerRole: string | null;
  dueDate: string;
  /** ISO 8601 time of the last progress update or change of status. */
  lastProgressAt: string;
  overdue: boolean;
  /** No progress for 90 days or more while not done. */
  stale: boolean;
  /** Newest first. */
  updates: ProgressUpdate[];
}

export interface Objective extends Progress {
  id: number;
  title: string;
  position: number;
  milestones: Milestone[];
}

export interface Goal extends Progress {
  id: number;
  title: string;
  position: number;
  objectives: Objective[];
}

/** GET /api/plans/:id */
export interface PlanView {
  plan: PlanSummary & Progress & { stateName: string };
  goals: Goal[];
  /** The roll-up rule of status and percent, as a sentence for the page. */
  rollupRule: string;
  canEdit: boolean;
}

export type StatusCounts = Record<MilestoneStatus, number>;

/** One state's row of GET /api/plans/rollup. */
export interface RollupState {
  state: string;
  name: string;
  participating: boolean;
  planId: number | null;
  planTitle: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  status: MilestoneStatus | null;
  percentComplete: number | null;
  milestones: StatusCounts;
  overdue: number;
  stale: number;
  updatedAt: string | null;
}

/** GET /api/plans/rollup */
export interface Rollup {
  /** The day the figures are for, YYYY-MM-DD. */
  asOf: string;
  participatingStates: number;
  statesWithCurrentPlan: number;
  milestoneStatusCounts: StatusCounts;
  overdueCount: number;
  staleCount: number;
  overdueItems: {
    state: string;
    planId: number;
    milestoneId: number;
    title: string;
    dueDate: string;
    owner: string;
    status: MilestoneStatus;
  }[];
  staleItems: {
    state: string;
    planId: number;
    milestoneId: number;
    title: string;
    lastProgressAt: string;
    status: MilestoneStatus;
  }[];
  states: RollupState[];
}
