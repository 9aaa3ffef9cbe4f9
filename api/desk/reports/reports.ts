/**
 * The desk reports for a period: ticket volume, business-hour response
 * times, SLA compliance, the current backlog, satisfaction and FAQ
 * deflections. Counts exclude tickets merged into another ticket.
 */
import { and, eq, gte, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  ticketCategories,
  ticketChannels,
  ticketSurveys,
  tickets,
  type TicketCategory,
  type TicketChannel,
  type TicketStatus,
} from '../../../db/schema';
import { countFaqDeflections, type FaqDeflections } from '../tickets/faq-suggestions';
import { toLocalTime } from '../sla/time-zones';
import { reportTimeZone, shiftDate, type ReportFilters } from './period';
import { isoWeekOf, percentage, quantile } from './statistics';

export interface CountRow<Key extends string> {
  key: Key;
  count: number;
}

export interface TimeSummary {
  /** Tickets that have the time. */
  tickets: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface ComplianceSummary {
  /** Clocks that are done, plus clocks still running past their due time. */
  counted: number;
  met: number;
  missed: number;
  /** met / counted as a percentage, or null when nothing counts. */
  percentMet: number | null;
}

export const backlogStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];
export type BacklogStatus = (typeof backlogStatuses)[number];

/** Age bands of open tickets in calendar days since creation: [key, lower bound included, upper bound excluded]. */
export const backlogBands = [
  ['under_1_day', 0, 1],
  ['1_to_3_days', 1, 3],
  ['3_to_7_days', 3, 7],
  ['7_to_30_days', 7, 30],
  ['30_days_or_more', 30, Number.POSITIVE_INFINITY],
] as const;
export type BacklogBand = (typeof backlogBands)[number][0];

export interface BacklogRow {
  band: BacklogBand;
  byStatus: Record<BacklogStatus, number>;
  total: number;
}

export interface DeskReport {
  filters: ReportFilters & { timeZone: string };
  generatedAt: string;
  volume: {
    total: number;
    /** States with tickets, most first; tickets without a state count under "none". */
    byState: CountRow<string>[];
    byCategory: CountRow<TicketCategory>[];
    byChannel: CountRow<TicketChannel>[];
    /** Every ISO week that overlaps the period, including weeks without tickets. */
    byWeek: Array<{ week: string; weekStart: string; count: number }>;
  };
  /** Business minutes, pauses excluded, of the tickets created in the period. */
  responseTimes: { firstResponse: TimeSummary; resolution: TimeSummary };
  compliance: { firstResponse: ComplianceSummary; resolution: ComplianceSummary };
  /** Open tickets now, whatever the period, with the state, category and channel filters. */
  backlog: { total: number; rows: BacklogRow[] };
  /** Surveys sent and ratings received in the period. */
  satisfaction: {
    surveysSent: number;
    answers: number;
    averageRating: number | null;
    distribution: Array<{ rating: number; count: number }>;
  };
  /** Not filtered by state, category or channel, because a draft has none of them. */
  faqDeflections: FaqDeflections;
}

export function buildDeskReport(db: AppDatabase, filters: ReportFilters, now: Date): DeskReport {
  const scope = filterConditions(filters);
  const inPeriod = db
    .select({
      createdAt: tickets.createdAt,
      state: tickets.state,
      category: tickets.category,
      channel: tickets.channel,
      status: tickets.status,
      firstResponseAt: tickets.firstResponseAt,
      firstResponseDueAt: tickets.firstResponseDueAt,
      firstResponseMinutes: tickets.firstResponseMinutes,
      resolutionDueAt: tickets.resolutionDueAt,
      resolutionMinutes: tickets.resolutionMinutes,
      solvedAt: tickets.solvedAt,
      closedAt: tickets.closedAt,
      slaPausedAt: tickets.slaPausedAt,
    })
    .from(tickets)
    .where(and(...scope, gte(tickets.createdAt, filters.fromInstant), lt(tickets.createdAt, filters.toInstant)))
    .all();

  const nowIso = now.toISOString();
  return {
    filters: { ...filters, timeZone: reportTimeZone },
    generatedAt: nowIso,
    volume: {
      total: inPeriod.length,
      byState: countByState(inPeriod),
      byCategory: countByKey(inPeriod, ticketCategories, (ticket) => ticket.category),
      byChannel: countByKey(inPeriod, ticketChannels, (ticket) => ticket.channel),
      byWeek: countByWeek(inPeriod, filters),
    },
    responseTimes: {
      firstResponse: summarizeTimes(inPeriod.map((ticket) => ticket.firstResponseMinutes)),
      resolution: summarizeTimes(inPeriod.map((ticket) => ticket.resolutionMinutes)),
    },
    compliance: {
      firstResponse: summarizeCompliance(
        inPeriod.map((ticket) => ({
          doneAt: ticket.firstResponseAt,
          dueAt: ticket.firstResponseDueAt,
          pausedAt: ticket.slaPausedAt,
        })),
        nowIso,
      ),
      resolution: summarizeCompliance(
        inPeriod.map((ticket) => ({
          doneAt:
            ticket.status === 'solved' || ticket.status === 'closed' ? (ticket.solvedAt ?? ticket.closedAt) : null,
          dueAt: ticket.resolutionDueAt,
          pausedAt: ticket.slaPausedAt,
        })),
        nowIso,
      ),
    },
    backlog: buildBacklog(db, scope, now),
    satisfaction: buildSatisfaction(db, scope, filters),
    faqDeflections: countFaqDeflections(db, new Date(filters.fromInstant), new Date(filters.toInstant), now),
  };
}

export function filterConditions(filters: ReportFilters): SQL[] {
  const conditions: SQL[] = [isNull(tickets.mergedIntoId)];
  if (filters.state) conditions.push(eq(tickets.state, filters.state));
  if (filters.category) conditions.push(eq(tickets.category, filters.category as TicketCategory));
  if (filters.channel) conditions.push(eq(tickets.channel, filters.channel as TicketChannel));
  return conditions;
}

function countByKey<Key extends string, Row>(
  rows: readonly Row[],
  keys: readonly Key[],
  keyOf: (row: Row) => Key,
): CountRow<Key>[] {
  const counts = new Map<Key, number>(keys.map((key) => [key, 0]));
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  return keys.map((key) => ({ key, count: counts.get(key)! }));
}

function countByState(rows: ReadonlyArray<{ state: string | null }>): CountRow<string>[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = row.state ?? 'none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function localDateParts(iso: string): [number, number, number] {
  const local = toLocalTime(Date.parse(iso), reportTimeZone);
  return [local.year, local.month, local.day];
}

function countByWeek(rows: ReadonlyArray<{ createdAt: string }>, filters: ReportFilters) {
  const weeks = new Map<string, { week: string; weekStart: string; count: number }>();
  for (let date = filters.from; date <= filters.to; date = shiftDate(date, 7)) {
    const entry = isoWeekOf(...(date.split('-').map(Number) as [number, number, number]));
    weeks.set(entry.week, { ...entry, count: 0 });
  }
  const last = isoWeekOf(...(filters.to.split('-').map(Number) as [number, number, number]));
  if (!weeks.has(last.week)) weeks.set(last.week, { ...last, count: 0 });

  for (const row of rows) {
    const { week } = isoWeekOf(...localDateParts(row.createdAt));
    const entry = weeks.get(week);
    if (entry) entry.count += 1;
  }
  return [...weeks.values()];
}

function summarizeTimes(values: ReadonlyArray<number | null>): TimeSummary {
  const present = values.filter((value): value is number => value !== null);
  return { tickets: present.length, medianMinutes: quantile(present, 0.5), p90Minutes: quantile(present, 0.9) };
}

/**
 * Counts met and missed clocks. A clock counts once it is done (met when done
 * by its due time) or once its due time has passed undone (missed). A paused clock counts as missed only
 * when it was already overdue when the pause began, because the pause moves
 * its due time out.
 */
function summarizeCompliance(
  clocks: ReadonlyArray<{ doneAt: string | null; dueAt: string | null; pausedAt: string | null }>,
  nowIso: string,
): ComplianceSummary {
  let met = 0;
  let missed = 0;
  for (const clock of clocks) {
    if (clock.dueAt === null) continue;
    if (clock.doneAt !== null) {
      if (clock.doneAt <= clock.dueAt) met += 1;
      else missed += 1;
    } else if (clock.dueAt < (clock.pausedAt ?? nowIso)) {
      missed += 1;
    }
  }
  return { counted: met + missed, met, missed, percentMet: percentage(met, met + missed) };
}

function buildBacklog(db: AppDatabase, scope: SQL[], now: Date): DeskReport['backlog'] {
  const open = db
    .select({ createdAt: tickets.createdAt, status: tickets.status })
    .from(tickets)
    .where(and(...scope, inArray(tickets.status, backlogStatuses)))
    .all();

  const rows: BacklogRow[] = backlogBands.map(([band]) => ({
    band,
    byStatus: { new: 0, open: 0, pending: 0, on_hold: 0 },
    total: 0,
  }));
  for (const ticket of open) {
    const ageDays = (now.getTime() - Date.parse(ticket.createdAt)) / 86_400_000;
    const index = backlogBands.findIndex(([, lower, upper]) => ageDays >= lower && ageDays < upper);
    const row = rows[Math.max(index, 0)]!;
    row.byStatus[ticket.status as BacklogStatus] += 1;
    row.total += 1;
  }
  return { total: open.length, rows };
}

function buildSatisfaction(db: AppDatabase, scope: SQL[], filters: ReportFilters): DeskReport['satisfaction'] {
  const surveys = db
    .select({ sentAt: ticketSurveys.sentAt, answeredAt: ticketSurveys.answeredAt, rating: ticketSurveys.rating })
    .from(ticketSurveys)
    .innerJoin(tickets, eq(tickets.id, ticketSurveys.ticketId))
    .where(and(...scope, lt(ticketSurveys.sentAt, filters.toInstant)))
    .all();

  const inPeriod = (iso: string | null) => iso !== null && iso >= filters.fromInstant && iso < filters.toInstant;
  const ratings = surveys
    .filter((survey) => inPeriod(survey.answeredAt) && survey.rating !== null)
    .map((survey) => survey.rating!);
  const total = ratings.reduce((sum, rating) => sum + rating, 0);

  return {
    surveysSent: surveys.filter((survey) => inPeriod(survey.sentAt)).length,
    answers: ratings.length,
    averageRating: ratings.length === 0 ? null : Math.round((total / ratings.length) * 100) / 100,
    distribution: [1, 2, 3, 4, 5].map((rating) => ({
      rating,
      count: ratings.filter((value) => value === rating).length,
    })),
  };
}
