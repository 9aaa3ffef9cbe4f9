/**
 * Support-desk history: closed tickets from the states' staff with a first
 * reply from the demo support agent, SLA due times computed with the desk's
 * own business-hours rules (default hours, Mon-Fri 08:00-17:00 in the
 * requester's time zone), and answered satisfaction surveys. Replies get
 * faster and ratings better over the three years. Every demo ticket is
 * closed, so no SLA warning or survey mail can follow.
 */
import type { TicketCategory, TicketChannel, TicketPriority } from '../../../db/schema';
import { addBusinessMinutes, parseBusinessHours } from '../../desk/sla/business-hours';
import { timeZoneOfState } from '../../desk/sla/time-zones';
import { demoMailDomain } from './accounts';
import {
  isoOf,
  logNormal,
  noisyCount,
  pickState,
  pickWeighted,
  randomHex64,
  randomWorkTime,
  trend,
  type DemoContext,
  type DemoQuarter,
} from './context';

/** The desk's default BUSINESS_HOURS; the demo does not know the configured value. */
const demoBusinessHours = parseBusinessHours('Mon-Fri 08:00-17:00');
/** National tickets in a quarter at the start of the three years, before the season and the growth. */
const baseTicketsPerQuarter = 60;
/** Share of tickets from requesters who gave no state. */
const noStateShare = 0.08;
/** Days from solved to closed. */
const closeAfterDays = 4;

const firstResponseTargets: Record<TicketPriority, number> = { urgent: 60, high: 240, normal: 480, low: 960 };

const topics: Record<TicketCategory, { subject: string; question: string; answer: string }> = {
  account_access: {
    subject: 'Cannot sign in after the password change',
    question: 'I changed my password last week and now the sign-in page says my account is locked.',
    answer: 'Your account was locked after several attempts. It is unlocked now; please sign in again.',
  },
  records_search: {
    subject: 'Search finds no record for a student who moved from another state',
    question: 'A family arrived from another state but the search finds nothing for the child.',
    answer: 'The sending state uploads monthly; the record appeared after its last upload. Please search again.',
  },
  data_submission: {
    subject: 'Upload rejected because of the file encoding',
    question: 'Our upload was rejected with a message about the file encoding.',
    answer: 'Save the file as CSV UTF-8 from your spreadsheet program and upload it again.',
  },
  data_quality: {
    subject: 'Why did our data-quality score drop this month?',
    question: 'Our score went down although we sent the same files as before.',
    answer: 'Fewer enrollments had a residency date this time; the report lists the districts concerned.',
  },
  move_notices: {
    subject: 'Move notice sent to the wrong state',
    question: 'We sent a move notice to the wrong state by mistake. Can it be withdrawn?',
    answer: 'A notice cannot be withdrawn; send a new one to the right state and tell the other state by a comment.',
  },
  reports: {
    subject: 'Question about the quarterly child count report',
    question: 'Which children does the quarterly child count include?',
    answer: 'It counts children with an eligibility that had not expired on the last day of the quarter.',
  },
  training: {
    subject: 'Training for new district registrars',
    question: 'We have five new registrars. Is there a recorded training we can use?',
    answer: 'The onboarding webinar recording is in the webinar archive, with the slides.',
  },
  other: {
    subject: 'General question about the records exchange',
    question: 'Who in our state approves new MSIX accounts?',
    answer: 'Your state coordinator approves them; their name is on the state page.',
  },
};

const categoryMix: readonly [TicketCategory, number][] = [
  ['account_access', 0.24],
  ['records_search', 0.18],
  ['data_submission', 0.16],
  ['data_quality', 0.1],
  ['move_notices', 0.1],
  ['reports', 0.08],
  ['training', 0.08],
  ['other', 0.06],
];

const channelMix: readonly [TicketChannel, number][] = [
  ['web', 0.6],
  ['email', 0.3],
  ['phone', 0.1],
];

const priorityMix: readonly [TicketPriority, number][] = [
  ['normal', 0.7],
  ['high', 0.15],
  ['low', 0.1],
  ['urgent', 0.05],
];

/** Inserts the tickets with their messages, history and surveys; returns how many tickets. */
export function seedTickets(context: DemoContext): number {
  const planned = context.quarters.flatMap((quarter) => planQuarter(context, quarter));
  planned.sort((a, b) => a.createdMs - b.createdMs);
  const statements = prepareStatements(context);
  for (const ticket of planned) insertTicket(context, statements, ticket);
  return planned.length;
}

interface PlannedTicket {
  createdMs: number;
  state: string | null;
  category: TicketCategory;
  priority: TicketPriority;
  channel: TicketChannel;
  firstResponseMinutes: number;
  firstResponseMs: number;
  firstResponseDueMs: number;
  resolutionMinutes: number;
  solvedMs: number;
  closedMs: number;
  rating: number | null;
  answeredMs: number | null;
}

function planQuarter(context: DemoContext, quarter: DemoQuarter): PlannedTicket[] {
  const { random } = context;
  const nowMs = context.now.getTime();
  const count = noisyCount(
    random,
    baseTicketsPerQuarter * Math.sqrt(quarter.growth) * quarter.season * quarter.elapsed,
  );
  const medianResponseMinutes = trend(quarter, 330, 140);
  const meanRating = trend(quarter, 3.9, 4.5);
  const planned: PlannedTicket[] = [];

  for (let index = 0; index < count; index += 1) {
    const state = random.chance(noStateShare) ? null : pickState(context).code;
    const timeZone = timeZoneOfState(state);
    const priority = pickWeighted(random, priorityMix);
    const createdMs = randomWorkTime(random, quarter);
    const created = new Date(createdMs);
    const firstResponseMinutes = Math.max(
      5,
      Math.round(logNormal(random, medianResponseMinutes, 0.75) * targetScale(priority)),
    );
    const firstResponseMs = addBusinessMinutes(created, firstResponseMinutes, demoBusinessHours, timeZone).getTime();
    const firstResponseDueMs = addBusinessMinutes(
      created,
      firstResponseTargets[priority],
      demoBusinessHours,
      timeZone,
    ).getTime();
    const resolutionMinutes = firstResponseMinutes + Math.round(logNormal(random, 900, 0.8));
    const solvedMs = addBusinessMinutes(created, resolutionMinutes, demoBusinessHours, timeZone).getTime();
    const closedMs = solvedMs + closeAfterDays * 86_400_000;
    // Every demo ticket is closed by now, so none can trigger an SLA warning or a survey.
    if (closedMs > nowMs) continue;

    const answeredMs = solvedMs + random.integer(2, 72) * 3_600_000;
    const answered = random.chance(0.45) && answeredMs <= nowMs;
    planned.push({
      createdMs,
      state,
      category: pickWeighted(random, categoryMix),
      priority,
      channel: pickWeighted(random, channelMix),
      firstResponseMinutes,
      firstResponseMs,
      firstResponseDueMs,
      resolutionMinutes,
      solvedMs,
      closedMs,
      rating: answered ? drawRating(random.next(), meanRating) : null,
      answeredMs: answered ? answeredMs : null,
    });
  }
  return planned;
}

/** Returns the factor on the median first-response time: urgent tickets get replies sooner, low ones later. */
function targetScale(priority: TicketPriority): number {
  return { urgent: 0.2, high: 0.5, normal: 1, low: 1.6 }[priority];
}

/** Draws a rating from 1 to 5 whose average moves from about 3.9 to about 4.5 as `mean` does. */
function drawRating(draw: number, mean: number): number {
  const weight = Math.min(1, Math.max(0, (mean - 3.9) / 0.6));
  const early = [0.04, 0.06, 0.14, 0.38, 0.38];
  const late = [0.02, 0.02, 0.06, 0.28, 0.62];
  let remaining = draw;
  for (let rating = 1; rating <= 5; rating += 1) {
    remaining -= early[rating - 1]! * (1 - weight) + late[rating - 1]! * weight;
    if (remaining < 0) return rating;
  }
  return 5;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(context: DemoContext) {
  const { sqlite } = context;
  return {
    ticket: sqlite.prepare(
      `INSERT INTO tickets (subject, requester_email, requester_name, state, category, priority, status, channel,
         assignee_id, created_at, updated_at, first_response_at, solved_at, closed_at, first_response_due_at,
         first_response_minutes, resolution_minutes)
       VALUES (@subject, @requesterEmail, @requesterName, @state, @category, @priority, 'closed', @channel,
         @assigneeId, @createdAt, @closedAt, @firstResponseAt, @solvedAt, @closedAt, @firstResponseDueAt,
         @firstResponseMinutes, @resolutionMinutes)`,
    ),
    participant: sqlite.prepare(
      `INSERT INTO ticket_participants (ticket_id, email, person_id, role) VALUES (?, ?, NULL, 'requester')`,
    ),
    message: sqlite.prepare(
      `INSERT INTO ticket_messages (ticket_id, visibility, author_type, author_id, author_email, author_name, channel,
         body_text, body_html, created_at)
       VALUES (?, 'public', ?, ?, ?, ?, ?, ?, NULL, ?)`,
    ),
    event: sqlite.prepare(
      'INSERT INTO ticket_events (ticket_id, actor_id, type, from_value, to_value, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    survey: sqlite.prepare(
      'INSERT INTO ticket_surveys (ticket_id, token_hash, sent_at, answered_at, rating, comment) VALUES (?, ?, ?, ?, ?, NULL)',
    ),
  };
}

function insertTicket(context: DemoContext, statements: Statements, ticket: PlannedTicket): void {
  const { random } = context;
  const agentId = context.accounts.agent();
  const requesterEmail = `demo-requester-${(ticket.state ?? 'national').toLowerCase()}@${demoMailDomain}`;
  const requesterName = `Demo requester (${ticket.state ?? 'no state'})`;
  const topic = topics[ticket.category];
  const createdAt = isoOf(ticket.createdMs);
  const firstResponseAt = isoOf(ticket.firstResponseMs);
  const solvedAt = isoOf(ticket.solvedMs);

  const id = statements.ticket.run({
    subject: topic.subject,
    requesterEmail,
    requesterName,
    state: ticket.state,
    category: ticket.category,
    priority: ticket.priority,
    channel: ticket.channel,
    assigneeId: agentId,
    createdAt,
    firstResponseAt,
    solvedAt,
    closedAt: isoOf(ticket.closedMs),
    firstResponseDueAt: isoOf(ticket.firstResponseDueMs),
    firstResponseMinutes: ticket.firstResponseMinutes,
    resolutionMinutes: ticket.resolutionMinutes,
  }).lastInsertRowid;

  statements.participant.run(id, requesterEmail);
  statements.message.run(
    id,
    'requester',
    null,
    requesterEmail,
    requesterName,
    ticket.channel,
    topic.question,
    createdAt,
  );
  statements.message.run(id, 'agent', agentId, null, 'Demo support agent', 'web', topic.answer, firstResponseAt);

  const event = (type: string, at: number, actorId: number | null, fromValue: string | null, toValue: string | null) =>
    statements.event.run(id, actorId, type, fromValue, toValue, isoOf(at));
  event('created', ticket.createdMs, null, null, ticket.channel);
  event('replied', ticket.firstResponseMs, agentId, null, null);
  event('status_changed', ticket.firstResponseMs, agentId, 'new', 'open');
  event('status_changed', ticket.solvedMs, agentId, 'open', 'solved');
  event('status_changed', ticket.closedMs, null, 'solved', 'closed');

  const answeredAt = ticket.answeredMs === null ? null : isoOf(ticket.answeredMs);
  statements.survey.run(id, randomHex64(random), solvedAt, answeredAt, ticket.rating);
  if (ticket.rating !== null && ticket.answeredMs !== null) {
    event('survey_answered', ticket.answeredMs, null, null, String(ticket.rating));
  }
}
