/**
 * Milestone reminders and the coordinators' weekly summary, meant to run
 * every hour. Each reminder is recorded in plan_reminders in the same
 * transaction as its outbox message, and the table's unique index lets only
 * one of any number of runs or processes queue it.
 *
 * Rules, over the milestones not done of every current plan (marked current,
 * period not ended, as in the national roll-up):
 * - due soon: due today or within the next 14 days; once per milestone and due date.
 * - overdue: due before today; once per milestone and due date.
 * - stale: no change or progress update for 90 days; once per milestone and
 *   last-progress time, so a new update starts the count again.
 * Recipients: the owner when the owner is an active person; when a role owns
 * the milestone, every active state coordinator of the plan's state.
 * Weekly summary: each active state coordinator whose state has a current
 * plan gets one per ISO week, on the first run at or after Monday 08:00 UTC.
 */
import { and, eq, gte, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { people, planReminders, plans, programStates } from '../../db/schema';
import {
  renderDueSoonReminder,
  renderOverdueReminder,
  renderStaleReminder,
  renderWeeklyDigest,
  type MilestoneFacts,
  type ReminderReason,
} from '../../emails/templates/plans';
import type { RenderedMessage } from '../../emails/templates/blocks';
import { OutboxMessageError } from '../../emails/addresses';
import type { Logger } from '../logger';
import type { MailQueue } from '../shared/action-context';
import type { Clock } from '../shared/clock';
import { isStale, loadPlanTree, staleAfterDays } from './read';
import { addDays, daysBetween } from './template';

/** A milestone due within this many days from today (today included) is due soon. */
export const dueSoonDays = 14;

/** Hour of Monday, UTC, from which the week's summary goes out. */
export const digestHourUtc = 8;

type ReminderKind = (typeof planReminders.$inferInsert)['kind'];

export interface PlanReminderOptions {
  db: AppDatabase;
  clock: Clock;
  mail: Pick<MailQueue, 'queue'>;
  /** Public address of the site, used for the plan links. */
  siteUrl: string;
  /** Receives one summary line per run and each reminder that could not be queued, with ids only. */
  logger?: Pick<Logger, 'info' | 'error'>;
}

/** Messages queued by one run, by kind, and reminders that failed to queue. */
export interface PlanReminderCounts {
  dueSoon: number;
  overdue: number;
  stale: number;
  weeklyDigests: number;
  failed: number;
}

interface Recipient {
  id: number;
  email: string;
  displayName: string;
}

interface PendingReminder {
  kind: ReminderKind;
  subjectKey: string;
  reference: string;
  recipient: Recipient;
  render: () => RenderedMessage;
  /** Ids for the log when queuing fails. */
  logIds: Record<string, number | string>;
}

const mailKinds: Record<ReminderKind, string> = {
  due_soon: 'plan_milestone_due_soon',
  overdue: 'plan_milestone_overdue',
  stale: 'plan_milestone_stale',
  weekly_digest: 'plan_weekly_digest',
};

/** Queues every reminder and weekly summary that is due and not yet queued, and returns what this run queued. */
export function runPlanReminders(options: PlanReminderOptions): PlanReminderCounts {
  const { db, clock, logger } = options;
  const now = clock();
  const today = now.toISOString().slice(0, 10);
  const counts: PlanReminderCounts = { dueSoon: 0, overdue: 0, stale: 0, weeklyDigests: 0, failed: 0 };

  const currentPlans = db
    .select({ plan: plans, stateName: programStates.name })
    .from(plans)
    .innerJoin(programStates, eq(programStates.code, plans.state))
    .where(and(eq(plans.isCurrent, true), gte(plans.periodEnd, today)))
    .all();
  const coordinators = loadCoordinators(db, [...new Set(currentPlans.map((row) => row.plan.state))]);
  const digestWeek = digestWeekDue(now);

  for (const { plan, stateName } of currentPlans) {
    const tree = loadPlanTree(db, plan.id, now);
    const stateCoordinators = coordinators.get(plan.state) ?? [];
    const planFacts = { stateName, planTitle: plan.title, link: planLink(options.siteUrl, plan.state) };
    const open = tree.goals.flatMap((goal) =>
      goal.objectives.flatMap((objective) =>
        objective.milestones
          .filter((milestone) => milestone.status !== 'done')
          .map((milestone) => ({ milestone, facts: toFacts(milestone, goal.title, objective.title) })),
      ),
    );
    const owners = loadActiveOwners(
      db,
      open.map(({ milestone }) => milestone.ownerPersonId),
    );

    const pending: PendingReminder[] = [];
    for (const { milestone, facts } of open) {
      const owner = milestone.ownerPersonId === null ? undefined : owners.get(milestone.ownerPersonId);
      // A milestone whose owner is no longer active sends no reminder, but it still appears in the weekly summary.
      const recipients: { recipient: Recipient; reason: ReminderReason }[] =
        milestone.ownerPersonId !== null
          ? owner
            ? [{ recipient: owner, reason: 'owner' }]
            : []
          : stateCoordinators.map((recipient) => ({ recipient, reason: 'coordinator' as const }));
      const subjectKey = `milestone:${milestone.id}`;
      const logIds = { planId: plan.id, milestoneId: milestone.id };

      for (const { recipient, reason } of recipients) {
        const base = { recipientName: recipient.displayName, plan: planFacts, milestone: facts, reason };
        if (milestone.dueDate < today) {
          const daysOverdue = daysBetween(milestone.dueDate, today);
          pending.push({
            kind: 'overdue',
            subjectKey,
            reference: milestone.dueDate,
            recipient,
            render: () => renderOverdueReminder({ ...base, daysOverdue }),
            logIds,
          });
        } else if (milestone.dueDate <= addDays(today, dueSoonDays)) {
          const daysUntilDue = daysBetween(today, milestone.dueDate);
          pending.push({
            kind: 'due_soon',
            subjectKey,
            reference: milestone.dueDate,
            recipient,
            render: () => renderDueSoonReminder({ ...base, daysUntilDue }),
            logIds,
          });
        }
        if (isStale(milestone, now)) {
          const daysWithoutProgress = Math.floor((now.getTime() - Date.parse(milestone.lastProgressAt)) / 86_400_000);
          pending.push({
            kind: 'stale',
            subjectKey,
            reference: milestone.lastProgressAt,
            recipient,
            render: () => renderStaleReminder({ ...base, daysWithoutProgress }),
            logIds,
          });
        }
      }
    }

    if (digestWeek) {
      const overdue = open.filter(({ milestone }) => milestone.dueDate < today).map(({ facts }) => facts);
      const dueSoon = open
        .filter(({ milestone }) => milestone.dueDate >= today && milestone.dueDate <= addDays(today, dueSoonDays))
        .map(({ facts }) => facts);
      const stale = open.filter(({ milestone }) => isStale(milestone, now)).map(({ facts }) => facts);
      for (const recipient of stateCoordinators) {
        pending.push({
          kind: 'weekly_digest',
          subjectKey: `coordinator:${recipient.id}`,
          reference: digestWeek,
          recipient,
          render: () =>
            renderWeeklyDigest({
              recipientName: recipient.displayName,
              plan: {
                ...planFacts,
                periodStart: plan.periodStart,
                periodEnd: plan.periodEnd,
                percentComplete: tree.progress.percentComplete,
              },
              isoWeek: digestWeek,
              overdue,
              dueSoon,
              stale,
              dueSoonDays,
              staleDays: staleAfterDays,
            }),
          logIds: { planId: plan.id, week: digestWeek },
        });
      }
    }

    queuePending(options, pending, now, counts);
  }

  logger?.info({ ...counts }, 'plan reminders run finished');
  return counts;
}

/** Returns the ISO week key, such as 2026-W49, whose summary is due at `now`, or undefined before Monday 08:00 UTC. */
export function digestWeekDue(now: Date): string | undefined {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysSinceMonday, digestHourUtc),
  );
  if (now < monday) return undefined;
  return isoWeekKey(monday);
}

/** Formats the ISO 8601 week of a date, such as 2026-W49. Weeks start on Monday, and week 1 contains the year's first Thursday. */
export function isoWeekKey(date: Date): string {
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysSinceMonday + 3),
  );
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Skips reminders already recorded, then queues each new one in its own
 * transaction: the insert-or-ignore into plan_reminders decides, so when
 * another run recorded it first, no mail is queued.
 */
function queuePending(
  options: PlanReminderOptions,
  pending: PendingReminder[],
  now: Date,
  counts: PlanReminderCounts,
): void {
  const { db, mail, logger } = options;
  const subjectKeys = [...new Set(pending.map((item) => item.subjectKey))];
  const recorded = new Set<string>();
  for (let start = 0; start < subjectKeys.length; start += 500) {
    const rows = db
      .select()
      .from(planReminders)
      .where(inArray(planReminders.subjectKey, subjectKeys.slice(start, start + 500)))
      .all();
    for (const row of rows) recorded.add(reminderKey(row.kind, row.subjectKey, row.reference, row.recipientId));
  }

  for (const item of pending) {
    if (recorded.has(reminderKey(item.kind, item.subjectKey, item.reference, item.recipient.id))) continue;
    try {
      const queued = db.transaction(
        (tx) => {
          const inserted = tx
            .insert(planReminders)
            .values({
              kind: item.kind,
              subjectKey: item.subjectKey,
              reference: item.reference,
              recipientId: item.recipient.id,
              queuedAt: now.toISOString(),
            })
            .onConflictDoNothing()
            .run();
          if (inserted.changes === 0) return false;
          mail.queue(tx, { kind: mailKinds[item.kind], to: item.recipient.email, message: item.render(), now });
          return true;
        },
        { behavior: 'immediate' },
      );
      if (queued) incrementCount(counts, item.kind);
    } catch (error) {
      counts.failed += 1;
      // The outbox's messages can quote the address, so only the error's type and the ids are logged.
      logger?.error(
        {
          ...item.logIds,
          kind: item.kind,
          recipientId: item.recipient.id,
          error:
            error instanceof OutboxMessageError
              ? `invalid ${error.field}`
              : error instanceof Error
                ? error.name
                : 'unknown',
        },
        'plan reminder could not be queued',
      );
    }
  }
}

function incrementCount(counts: PlanReminderCounts, kind: ReminderKind): void {
  if (kind === 'due_soon') counts.dueSoon += 1;
  else if (kind === 'overdue') counts.overdue += 1;
  else if (kind === 'stale') counts.stale += 1;
  else counts.weeklyDigests += 1;
}

function reminderKey(kind: string, subjectKey: string, reference: string, recipientId: number | null): string {
  return [kind, subjectKey, reference, recipientId ?? ''].join('\u0000');
}

function loadCoordinators(db: AppDatabase, states: string[]): Map<string, Recipient[]> {
  const byState = new Map<string, Recipient[]>();
  if (states.length === 0) return byState;
  const rows = db
    .select({ id: people.id, email: people.email, displayName: people.displayName, state: people.state })
    .from(people)
    .where(and(eq(people.role, 'state_coordinator'), eq(people.status, 'active'), inArray(people.state, states)))
    .all();
  for (const { state, ...recipient } of rows) {
    if (!state) continue;
    byState.set(state, [...(byState.get(state) ?? []), recipient]);
  }
  return byState;
}

function loadActiveOwners(db: AppDatabase, ids: (number | null)[]): Map<number, Recipient> {
  const ownerIds = [...new Set(ids.filter((id): id is number => id !== null))];
  if (ownerIds.length === 0) return new Map();
  const rows = db
    .select({ id: people.id, email: people.email, displayName: people.displayName })
    .from(people)
    .where(and(inArray(people.id, ownerIds), eq(people.status, 'active')))
    .all();
  return new Map(rows.map((row) => [row.id, row]));
}

function toFacts(
  milestone: {
    title: string;
    owner: string;
    dueDate: string;
    status: string;
    percentComplete: number;
    lastProgressAt: string;
  },
  goalTitle: string,
  objectiveTitle: string,
): MilestoneFacts {
  return {
    title: milestone.title,
    goalTitle,
    objectiveTitle,
    owner: milestone.owner,
    dueDate: milestone.dueDate,
    status: milestone.status,
    percentComplete: milestone.percentComplete,
    lastProgressDate: milestone.lastProgressAt.slice(0, 10),
  };
}

function planLink(siteUrl: string, state: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/plans/?state=${encodeURIComponent(state)}`;
}
