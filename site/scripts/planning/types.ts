/** The JSON the planning-session and crosswalk API returns, as the planning pages read it. */
import type { MilestoneStatus } from '../plans/types';

/** One onsite planning session; participants are roles, not names. */
export interface PlanningSession {
  id: number;
  state: string;
  /** YYYY-MM-DD */
  sessionDate: string;
  place: string;
  participants: string[];
  findings: string;
  createdAt: string;
  updatedAt: string;
}

/** One session as GET /api/planning-sessions lists it. */
export interface SessionSummary extends PlanningSession {
  recommendationCount: number;
  /** How many of its recommendations became milestones. */
  convertedCount: number;
}

/** GET /api/planning-sessions?state=XX */
export interface SessionList {
  state: string;
  canEdit: boolean;
  sessions: SessionSummary[];
}

/** The milestone a recommendation became. */
export interface LinkedMilestone {
  id: number;
  title: string;
  dueDate: string;
  status: MilestoneStatus;
  planId: number;
}

export interface Recommendation {
  id: number;
  sessionId: number;
  position: number;
  text: string;
  milestoneId: number | null;
  /** Null while the recommendation is open. Deleting the milestone from the plan opens the recommendation again. */
  milestone: LinkedMilestone | null;
}

/** GET, POST and PATCH of /api/planning-sessions(/:id) */
export interface SessionView {
  session: PlanningSession;
  recommendations: Recommendation[];
  canEdit: boolean;
}

/** The body of POST /api/planning-sessions; PATCH takes any part of it. */
export interface SessionInput {
  state: string;
  sessionDate: string;
  place: string;
  participants: string[];
  findings: string;
  recommendations: string[];
}

export type CollectionStatus = 'collected' | 'partly' | 'not_collected' | 'not_applicable';

export interface CrosswalkEntry {
  file: string;
  column: string;
  description: string;
  /** "Yes" or "No", as the crosswalk template writes it. */
  required: string;
  sourceSystem: string;
  owningOffice: string;
  /** Null while the MDE is not yet documented. */
  collectionStatus: CollectionStatus | null;
  notes: string;
  updatedAt: string | null;
}

export interface Completeness {
  total: number;
  documented: number;
  undocumented: number;
  collected: number;
  partly: number;
  notCollected: number;
  notApplicable: number;
  percentDocumented: number;
  /** Null when every MDE is marked not applicable. */
  percentCollected: number | null;
}

/** GET /api/crosswalk/:state; PUT adds `changed`. */
export interface CrosswalkView {
  state: string;
  stateName: string;
  canEdit: boolean;
  entries: CrosswalkEntry[];
  completeness: Completeness;
  /** Sentence for the page that explains how the percentages are computed. */
  completenessRule: string;
  dataQuality: { available: boolean; message: string; link: string | null };
  changed?: number;
}

/** One entry of PUT /api/crosswalk/:state; every field except file and column may be left out. */
export interface CrosswalkEntryInput {
  file: string;
  column: string;
  sourceSystem: string;
  owningOffice: string;
  collectionStatus: CollectionStatus | null;
  notes: string;
}
