/**
 * First-run demo activity for the dashboard. It writes three years (twelve
 * calendar quarters through the current one) of synthetic records-exchange
 * use, uploads, move notices, near matches, plan progress, support tickets
 * and outreach into the product's own tables, so that every dashboard metric
 * shows a believable trend out of the box. Everything is invented and names
 * no student. None of it queues mail: demo addresses are at example.org and
 * suppressed, deliveries are already sent, tickets are closed, and the demo
 * accounts are deactivated without a password.
 */
import { eq, isNotNull, lt, ne, or } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import {
  appMeta,
  campaigns,
  eventRegistrations,
  milestoneUpdates,
  moveNotices,
  nearMatchDecisions,
  people,
  recordUploads,
  subscribers,
  tickets,
  usageEvents,
} from '../../db/schema';
import { recordAudit } from '../audit/record';
import { addQuarters, quarterOf, quarterStart } from '../dashboard/quarters';
import { DemoAccounts } from './activity/accounts';
import { createDemoContext, demoQuarterCount, type DemoContext, type DemoTransaction } from './activity/context';
import { seedTickets } from './activity/desk';
import { seedMoveNotices } from './activity/move-notices';
import { seedNearMatches } from './activity/near-matches';
import { seedNewsletter, seedWebinars } from './activity/outreach';
import { seedPlanHistory } from './activity/plans';
import { seedUploads } from './activity/uploads';
import { seedUsageEvents } from './activity/usage';

/** The app_meta key that records when the demo activity was seeded. */
export const demoActivitySeededKey = 'demo_activity_seeded_at';

/** How many rows of each kind the demo activity wrote; a part skipped because its tables held data is absent. */
export type DemoActivitySummary = Partial<
  Record<
    | 'usageEvents'
    | 'uploads'
    | 'moveNotices'
    | 'nearMatches'
    | 'milestoneUpdates'
    | 'tickets'
    | 'subscribers'
    | 'campaigns'
    | 'deliveries'
    | 'registrations'
    | 'accounts',
    number
  >
>;

/**
 * Seeds the demo activity once, in one transaction, and returns whether it
 * seeded. It does nothing when it ran before, when the database already
 * contains a usage event, or when anyone has an account that is not
 * deactivated, because then the product is in use. Each part is skipped
 * when its tables already contain someone's data (see `skippedParts`). The
 * output is the same for the same `now` and the same demo plans and records.
 */
export function seedDemoActivity(db: AppDatabase, now: Date): boolean {
  return seedDemoActivityWithSummary(db, now) !== null;
}

/** Seeds like seedDemoActivity and returns how many rows of each kind it wrote, or null when it did nothing. */
export function seedDemoActivityWithSummary(db: AppDatabase, now: Date): DemoActivitySummary | null {
  const seeded = db.select().from(appMeta).where(eq(appMeta.key, demoActivitySeededKey)).get();
  const anyUsage = db.select({ id: usageEvents.id }).from(usageEvents).limit(1).get();
  // A database on which someone has an account is in use: its figures must stay its own.
  const anyAccount = db.select({ id: people.id }).from(people).where(ne(people.status, 'deactivated')).limit(1).get();
  if (seeded || anyUsage || anyAccount) return null;

  return db.transaction((tx) => {
    const firstQuarter = addQuarters(quarterOf(now.toISOString()), 1 - demoQuarterCount);
    const accounts = new DemoAccounts(tx, quarterStart(firstQuarter));
    const context = createDemoContext(tx, db, now, accounts);
    const skipped = skippedParts(tx, now);
    const summary = seedParts(context, skipped);
    summary.accounts = accounts.count();

    recordAudit(tx, {
      actorEmail: 'demo data',
      ip: 'local',
      action: 'demo.activity_seeded',
      outcome: 'success',
      detail: Object.entries(summary)
        .map(([part, count]) => `${part}=${count}`)
        .join(' '),
      at: now,
    });
    tx.insert(appMeta)
      .values({ key: demoActivitySeededKey, value: now.toISOString(), updatedAt: now.toISOString() })
      .run();
    return summary;
  });
}

type DemoPart = 'uploads' | 'moveNotices' | 'nearMatches' | 'plans' | 'desk' | 'newsletter' | 'webinars';

/**
 * Returns the parts whose tables already contain someone's data, so that
 * the demo leaves them alone. The demo records seed imports one upload per state just
 * before this runs, so uploads count as someone's only when one was made in
 * the browser or before the current quarter. The demo plans seed writes
 * milestone updates without an author, so plans count only when an update
 * has one.
 */
function skippedParts(tx: DemoTransaction, now: Date): Set<DemoPart> {
  const exists = (query: { get: () => unknown }) => query.get() !== undefined;
  const currentQuarterStart = quarterStart(quarterOf(now.toISOString()));
  const skipped = new Set<DemoPart>();

  const uploadsInUse = tx
    .select({ id: recordUploads.id })
    .from(recordUploads)
    .where(or(isNotNull(recordUploads.uploadedBy), lt(recordUploads.startedAt, currentQuarterStart)))
    .limit(1);
  if (exists(uploadsInUse)) skipped.add('uploads');
  if (exists(tx.select({ id: moveNotices.id }).from(moveNotices).limit(1))) skipped.add('moveNotices');
  if (exists(tx.select({ id: nearMatchDecisions.nearMatchId }).from(nearMatchDecisions).limit(1))) {
    skipped.add('nearMatches');
  }
  if (
    exists(
      tx
        .select({ id: milestoneUpdates.id })
        .from(milestoneUpdates)
        .where(isNotNull(milestoneUpdates.authorId))
        .limit(1),
    )
  ) {
    skipped.add('plans');
  }
  if (exists(tx.select({ id: tickets.id }).from(tickets).limit(1))) skipped.add('desk');
  const newsletterInUse =
    exists(tx.select({ id: subscribers.id }).from(subscribers).limit(1)) ||
    exists(tx.select({ id: campaigns.id }).from(campaigns).limit(1));
  if (newsletterInUse) skipped.add('newsletter');
  if (exists(tx.select({ id: eventRegistrations.id }).from(eventRegistrations).limit(1))) skipped.add('webinars');
  return skipped;
}

function seedParts(context: DemoContext, skipped: ReadonlySet<DemoPart>): DemoActivitySummary {
  const summary: DemoActivitySummary = { usageEvents: seedUsageEvents(context) };
  if (!skipped.has('uploads')) summary.uploads = seedUploads(context);
  if (!skipped.has('moveNotices')) summary.moveNotices = seedMoveNotices(context);
  if (!skipped.has('nearMatches')) summary.nearMatches = seedNearMatches(context);
  if (!skipped.has('plans')) summary.milestoneUpdates = seedPlanHistory(context);
  if (!skipped.has('desk')) summary.tickets = seedTickets(context);
  if (!skipped.has('newsletter')) {
    const newsletter = seedNewsletter(context);
    summary.subscribers = newsletter.subscribers;
    summary.campaigns = newsletter.campaigns;
    summary.deliveries = newsletter.deliveries;
  }
  if (!skipped.has('webinars')) summary.registrations = seedWebinars(context);
  return summary;
}
