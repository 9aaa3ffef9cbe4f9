/** CSV downloads of the desk reports, rendered through renderCsv so no cell starts a spreadsheet formula. */
import { and, gte, lt } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { tickets, type TicketCategory, type TicketChannel } from '../../../db/schema';
import { renderCsv } from '../../shared/csv';
import { AppError } from '../../errors';
import type { ReportFilters } from './period';
import { backlogStatuses, buildDeskReport, filterConditions } from './reports';

export const csvReports = ['volume', 'times', 'compliance', 'backlog', 'satisfaction', 'tickets'] as const;
export type CsvReport = (typeof csvReports)[number];

export const categoryLabels: Record<TicketCategory, string> = {
  account_access: 'Account access',
  records_search: 'Records search',
  data_submission: 'Data submission and MDEs',
  data_quality: 'Data quality',
  move_notices: 'Move notices',
  reports: 'Reports',
  training: 'Training',
  other: 'Other',
};

export const channelLabels: Record<TicketChannel, string> = { web: 'Web form', email: 'Email', phone: 'Phone' };

const bandLabels: Record<string, string> = {
  under_1_day: 'Under 1 day',
  '1_to_3_days': '1 to 3 days',
  '3_to_7_days': '3 to 7 days',
  '7_to_30_days': '7 to 30 days',
  '30_days_or_more': '30 days or more',
};

export function readCsvReportName(text: string): CsvReport {
  if ((csvReports as readonly string[]).includes(text)) return text as CsvReport;
  throw new AppError(404, 'not_found', `No report named ${JSON.stringify(text)}; use one of ${csvReports.join(', ')}.`);
}

export function renderReportCsv(db: AppDatabase, name: CsvReport, filters: ReportFilters, now: Date): string {
  if (name === 'tickets') return renderTicketsCsv(db, filters, now);
  const report = buildDeskReport(db, filters, now);

  switch (name) {
    case 'volume':
      return renderCsv(
        ['group', 'value', 'tickets'],
        [
          ['Total', 'All tickets', report.volume.total],
          ...report.volume.byState.map((row) => ['State', row.key === 'none' ? 'No state' : row.key, row.count]),
          ...report.volume.byCategory.map((row) => ['Category', categoryLabels[row.key], row.count]),
          ...report.volume.byChannel.map((row) => ['Channel', channelLabels[row.key], row.count]),
          ...report.volume.byWeek.map((row) => ['ISO week', `${row.week} (from ${row.weekStart})`, row.count]),
        ],
      );
    case 'times':
      return renderCsv(
        ['measure', 'tickets', 'median_business_minutes', 'p90_business_minutes'],
        [
          ['First response', ...timeCells(report.responseTimes.firstResponse)],
          ['Resolution', ...timeCells(report.responseTimes.resolution)],
        ],
      );
    case 'compliance':
      return renderCsv(
        ['clock', 'counted', 'met', 'missed', 'percent_met'],
        [
          ['First response', ...complianceCells(report.compliance.firstResponse)],
          ['Resolution', ...complianceCells(report.compliance.resolution)],
        ],
      );
    case 'backlog':
      return renderCsv(
        ['age', ...backlogStatuses, 'total'],
        [
          ...report.backlog.rows.map((row) => [
            bandLabels[row.band],
            ...backlogStatuses.map((status) => row.byStatus[status]),
            row.total,
          ]),
          [
            'All ages',
            ...backlogStatuses.map((status) => sumStatus(report.backlog.rows, status)),
            report.backlog.total,
          ],
        ],
      );
    case 'satisfaction':
      return renderCsv(
        ['rating', 'answers'],
        [
          ...report.satisfaction.distribution.map((row) => [String(row.rating), row.count]),
          ['All answers', report.satisfaction.answers],
          ['Average rating', report.satisfaction.averageRating],
          ['Surveys sent', report.satisfaction.surveysSent],
        ],
      );
  }
}

function timeCells(summary: { tickets: number; medianMinutes: number | null; p90Minutes: number | null }) {
  return [summary.tickets, summary.medianMinutes, summary.p90Minutes];
}

function complianceCells(summary: { counted: number; met: number; missed: number; percentMet: number | null }) {
  return [summary.counted, summary.met, summary.missed, summary.percentMet];
}

function sumStatus(rows: ReadonlyArray<{ byStatus: Record<string, number> }>, status: string): number {
  return rows.reduce((sum, row) => sum + row.byStatus[status]!, 0);
}

/**
 * Renders one line per ticket created in the period, with its SLA figures.
 * Subjects are included because analysts need them, but requester names and
 * addresses are not.
 */
function renderTicketsCsv(db: AppDatabase, filters: ReportFilters, now: Date): string {
  const rows = db
    .select()
    .from(tickets)
    .where(
      and(
        ...filterConditions(filters),
        gte(tickets.createdAt, filters.fromInstant),
        lt(tickets.createdAt, filters.toInstant),
      ),
    )
    .orderBy(tickets.id)
    .all();
  const nowIso = now.toISOString();

  const met = (doneAt: string | null, dueAt: string | null, pausedAt: string | null) => {
    if (dueAt === null) return '';
    if (doneAt !== null) return doneAt <= dueAt ? 'yes' : 'no';
    return dueAt < (pausedAt ?? nowIso) ? 'no' : 'not yet due';
  };

  return renderCsv(
    [
      'ticket',
      'created_at',
      'state',
      'category',
      'channel',
      'priority',
      'status',
      'subject',
      'first_response_due_at',
      'first_response_at',
      'first_response_business_minutes',
      'first_response_met',
      'resolution_due_at',
      'resolved_at',
      'resolution_business_minutes',
      'resolution_met',
    ],
    rows.map((ticket) => {
      const resolvedAt =
        ticket.status === 'solved' || ticket.status === 'closed' ? (ticket.solvedAt ?? ticket.closedAt) : null;
      return [
        ticket.id,
        ticket.createdAt,
        ticket.state,
        categoryLabels[ticket.category],
        channelLabels[ticket.channel],
        ticket.priority,
        ticket.status,
        ticket.subject,
        ticket.firstResponseDueAt,
        ticket.firstResponseAt,
        ticket.firstResponseMinutes,
        met(ticket.firstResponseAt, ticket.firstResponseDueAt, ticket.slaPausedAt),
        ticket.resolutionDueAt,
        resolvedAt,
        ticket.resolutionMinutes,
        met(resolvedAt, ticket.resolutionDueAt, ticket.slaPausedAt),
      ];
    }),
  );
}
