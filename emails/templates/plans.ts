/**
 * Reminders about strategic-plan milestones and the coordinators' weekly
 * summary. Plain text first, and the HTML part has the same content. Messages
 * contain milestone titles, owners (a role or a staff member's name) and
 * dates, and no field of a student record.
 */
import { oneLine, paragraph, render, subjectTitle, type Block, type RenderedMessage } from './blocks';

export interface MilestoneFacts {
  title: string;
  goalTitle: string;
  objectiveTitle: string;
  /** The owning person's name or the owning role. */
  owner: string;
  dueDate: string;
  status: string;
  percentComplete: number;
  /** Day of the last change or progress update, YYYY-MM-DD. */
  lastProgressDate: string;
}

export interface PlanFacts {
  stateName: string;
  planTitle: string;
  /** The plan page, such as https://assist.example.gov/plans/?state=TX. */
  link: string;
}

/** Why the recipient gets a milestone reminder: they own it, or they coordinate the state and a role owns it. */
export type ReminderReason = 'owner' | 'coordinator';

const statusLabels: Record<string, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
};

/** Maximum items per section of the weekly summary. The rest are counted and left to the plan page. */
const digestListLength = 25;

const signature = 'MSIX Assist, the MSIX technical-assistance portal';

export function renderDueSoonReminder(options: {
  recipientName: string;
  plan: PlanFacts;
  milestone: MilestoneFacts;
  daysUntilDue: number;
  reason: ReminderReason;
}): RenderedMessage {
  const { recipientName, plan, milestone, daysUntilDue, reason } = options;
  const when = describeDaysUntil(daysUntilDue);
  const subject = `Milestone due ${when}: ${subjectTitle(milestone.title)}`;
  return render(subject, [
    paragraph(`Hello ${recipientName},`),
    paragraph(`A milestone in the ${plan.stateName} strategic plan is due ${when}, on ${milestone.dueDate}:`),
    milestoneBlock(milestone),
    paragraph('Open the plan to record progress, mark the milestone done or change its due date:'),
    { kind: 'link', href: plan.link },
    paragraph(`${reasonLine(reason, plan.stateName)} It is sent once for each due date.`),
    paragraph(signature),
  ]);
}

export function renderOverdueReminder(options: {
  recipientName: string;
  plan: PlanFacts;
  milestone: MilestoneFacts;
  daysOverdue: number;
  reason: ReminderReason;
}): RenderedMessage {
  const { recipientName, plan, milestone, daysOverdue, reason } = options;
  const subject = `Milestone overdue since ${milestone.dueDate}: ${subjectTitle(milestone.title)}`;
  return render(subject, [
    paragraph(`Hello ${recipientName},`),
    paragraph(
      `A milestone in the ${plan.stateName} strategic plan was due on ${milestone.dueDate}, ${plural(daysOverdue, 'day')} ago, and is not marked done:`,
    ),
    milestoneBlock(milestone),
    paragraph('Open the plan to record progress, mark the milestone done or set a new due date:'),
    { kind: 'link', href: plan.link },
    paragraph(`${reasonLine(reason, plan.stateName)} It is sent once for each due date.`),
    paragraph(signature),
  ]);
}

export function renderStaleReminder(options: {
  recipientName: string;
  plan: PlanFacts;
  milestone: MilestoneFacts;
  daysWithoutProgress: number;
  reason: ReminderReason;
}): RenderedMessage {
  const { recipientName, plan, milestone, daysWithoutProgress, reason } = options;
  const subject = `No progress for ${daysWithoutProgress} days: ${subjectTitle(milestone.title)}`;
  return render(subject, [
    paragraph(`Hello ${recipientName},`),
    paragraph(
      `A milestone in the ${plan.stateName} strategic plan has had no progress update or change since ${milestone.lastProgressDate}, ${daysWithoutProgress} days ago:`,
    ),
    milestoneBlock(milestone),
    paragraph(
      'Open the plan and add a progress update, even a short one, so the state and the TA team see where it stands:',
    ),
    { kind: 'link', href: plan.link },
    paragraph(
      `${reasonLine(reason, plan.stateName)} It is sent once, and the next progress update starts the count again.`,
    ),
    paragraph(signature),
  ]);
}

export function renderWeeklyDigest(options: {
  recipientName: string;
  plan: PlanFacts & { periodStart: string; periodEnd: string; percentComplete: number };
  isoWeek: string;
  overdue: MilestoneFacts[];
  dueSoon: MilestoneFacts[];
  stale: MilestoneFacts[];
  dueSoonDays: number;
  staleDays: number;
}): RenderedMessage {
  const { recipientName, plan, isoWeek, overdue, dueSoon, stale } = options;
  const counts =
    overdue.length + dueSoon.length + stale.length === 0
      ? 'nothing overdue'
      : `${overdue.length} overdue, ${dueSoon.length} due soon, ${stale.length} without progress`;
  const subject = `Weekly plan summary for ${plan.stateName}, ${isoWeek}: ${counts}`;

  const blocks: Block[] = [
    paragraph(`Hello ${recipientName},`),
    paragraph(
      `This is the weekly summary of the ${plan.stateName} strategic plan "${oneLine(plan.planTitle)}" (${plan.periodStart} to ${plan.periodEnd}). The plan is ${plan.percentComplete}% complete.`,
    ),
    ...digestSection(`Overdue (${overdue.length}):`, overdue, (item) => `due ${item.dueDate}`),
    ...digestSection(
      `Due in the next ${options.dueSoonDays} days (${dueSoon.length}):`,
      dueSoon,
      (item) => `due ${item.dueDate}`,
    ),
    ...digestSection(
      `No progress for ${options.staleDays} days or more (${stale.length}):`,
      stale,
      (item) => `last progress ${item.lastProgressDate}`,
    ),
    paragraph('Open the plan:'),
    { kind: 'link', href: plan.link },
    paragraph(
      `You receive this summary once a week, from Monday 08:00 UTC, because you are a state coordinator for ${plan.stateName}.`,
    ),
    paragraph(signature),
  ];
  return render(subject, blocks);
}

function digestSection(heading: string, items: MilestoneFacts[], dateText: (item: MilestoneFacts) => string): Block[] {
  if (items.length === 0) return [paragraph(heading.replace(/ \(0\):$/, ': none.'))];

  const listed = items.slice(0, digestListLength).map((item) => {
    const progress = `${statusLabels[item.status] ?? item.status}, ${item.percentComplete}%`;
    return `${oneLine(item.title)} (${dateText(item)}; owner ${oneLine(item.owner)}; ${progress})`;
  });
  const hidden = items.length - listed.length;
  if (hidden > 0) listed.push(`and ${hidden} more on the plan page`);
  return [paragraph(heading), { kind: 'list', items: listed }];
}

function milestoneBlock(milestone: MilestoneFacts): Block {
  return {
    kind: 'list',
    items: [
      `Milestone: ${oneLine(milestone.title)}`,
      `Goal: ${oneLine(milestone.goalTitle)}`,
      `Objective: ${oneLine(milestone.objectiveTitle)}`,
      `Owner: ${oneLine(milestone.owner)}`,
      `Due: ${milestone.dueDate}`,
      `Status: ${statusLabels[milestone.status] ?? milestone.status}, ${milestone.percentComplete}% complete`,
    ],
  };
}

function reasonLine(reason: ReminderReason, stateName: string): string {
  return reason === 'owner'
    ? 'You receive this reminder because you own the milestone.'
    : `You receive this reminder because you are a state coordinator for ${stateName} and the milestone is owned by a role, not a person.`;
}

function describeDaysUntil(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
