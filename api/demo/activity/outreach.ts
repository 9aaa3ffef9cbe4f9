/**
 * Outreach history: newsletter subscribers who sign up faster each year, a
 * newsletter campaign each quarter plus a summer announcement, delivered to
 * the subscribers of the day, and a webinar each quarter with its
 * registrations and attendance. Every demo address is at example.org and
 * is also on the suppression list, and every delivery is already "sent", so
 * nothing here is ever mailed. The webinars have slugs of their own
 * ("demo-webinar-2025-q3") that match no event page, so no reminder job
 * picks their registrations up.
 */
import { campaigns } from '../../../db/schema';
import { describeQuarter } from '../../dashboard/quarters';
import { demoMailDomain } from './accounts';
import {
  isoOf,
  noisyCount,
  pickState,
  randomHex64,
  randomWorkTime,
  trend,
  type DemoContext,
  type DemoQuarter,
} from './context';

/** Subscribers imported from an earlier mailing list at the start of the three years. */
const initialSubscribers = 150;
/** New subscribers in a quarter at the start of the three years, before the growth. */
const baseNewSubscribersPerQuarter = 40;
/** Share of subscribers who unsubscribe at some point. */
const unsubscribeShare = 0.08;
/** Registrations for a quarter's webinar at the start of the three years, before the growth. */
const baseRegistrationsPerWebinar = 35;
/** Campaign deliveries handed to the mail server per second, the default MAIL_RATE_PER_SECOND. */
const deliveriesPerSecond = 10;

interface DemoSubscriber {
  id: number;
  email: string;
  confirmedMs: number;
  unsubscribedMs: number | null;
}

/** Inserts subscribers, their suppressions, campaigns and deliveries; returns the counts. */
export function seedNewsletter(context: DemoContext): { subscribers: number; campaigns: number; deliveries: number } {
  const list = insertSubscribers(context);
  let campaignCount = 0;
  let deliveries = 0;
  for (const quarter of context.quarters) {
    for (const send of campaignsOfQuarter(quarter)) {
      if (send.startMs > context.now.getTime()) continue;
      deliveries += insertCampaign(context, list, send);
      campaignCount += 1;
    }
  }
  return { subscribers: list.length, campaigns: campaignCount, deliveries };
}

function insertSubscribers(context: DemoContext): DemoSubscriber[] {
  const { random } = context;
  const nowMs = context.now.getTime();
  const first = context.quarters[0]!;
  const signups: { createdMs: number; state: string | null; source: 'signup' | 'import' }[] = [];
  // The first subscribers came from a list imported in the first days, so no figure starts before the first quarter.
  const importedMs = first.startMs + 3 * 86_400_000 + 15 * 3_600_000;
  for (let index = 0; index < initialSubscribers; index += 1) {
    signups.push({ createdMs: importedMs, state: randomState(context), source: 'import' });
  }
  for (const quarter of context.quarters) {
    const count = noisyCount(random, baseNewSubscribersPerQuarter * quarter.growth * quarter.elapsed);
    for (let index = 0; index < count; index += 1) {
      signups.push({ createdMs: randomWorkTime(random, quarter), state: randomState(context), source: 'signup' });
    }
  }
  signups.sort((a, b) => a.createdMs - b.createdMs);

  const insertSubscriber = context.sqlite.prepare(
    `INSERT INTO subscribers (email, name, state, role, topics, status, confirm_token_hash, confirm_sent_at, confirmed_at,
       unsubscribed_at, source, created_at, updated_at)
     VALUES (?, NULL, ?, NULL, '[]', ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSuppression = context.sqlite.prepare(
    'INSERT INTO suppressions (email, reason, campaign_id, created_at) VALUES (?, ?, NULL, ?) ON CONFLICT DO NOTHING',
  );
  const now = context.now.toISOString();
  return signups.map((signup, index) => {
    // An imported subscriber is confirmed on import; one who signs up confirms through the emailed link.
    const confirmationMs = signup.source === 'import' ? 0 : random.integer(5, 1_440) * 60_000;
    const confirmedMs = Math.min(nowMs, signup.createdMs + confirmationMs);
    const unsubscribedMs = random.chance(unsubscribeShare) ? confirmedMs + random.next() * (nowMs - confirmedMs) : null;
    const email = `demo-subscriber-${String(index + 1).padStart(4, '0')}@${demoMailDomain}`;
    const id = Number(
      insertSubscriber.run(
        email,
        signup.state,
        unsubscribedMs === null ? 'confirmed' : 'unsubscribed',
        signup.source === 'import' ? null : isoOf(signup.createdMs),
        isoOf(confirmedMs),
        unsubscribedMs === null ? null : isoOf(unsubscribedMs),
        signup.source,
        isoOf(signup.createdMs),
        isoOf(unsubscribedMs ?? confirmedMs),
      ).lastInsertRowid,
    );
    if (unsubscribedMs === null) insertSuppression.run(email, 'manual', now);
    else insertSuppression.run(email, 'unsubscribed', isoOf(unsubscribedMs));
    return { id, email, confirmedMs, unsubscribedMs };
  });
}

function randomState(context: DemoContext): string | null {
  return context.random.chance(0.08) ? null : pickState(context).code;
}

interface PlannedCampaign {
  slug: string;
  subject: string;
  startMs: number;
}

/** Plans the quarter's newsletter in its second month, and in July to September an announcement early in July. */
function campaignsOfQuarter(quarter: DemoQuarter): PlannedCampaign[] {
  const [year, number] = quarter.quarter.split('-Q');
  const dayMs = 86_400_000;
  const sends: PlannedCampaign[] = [
    {
      slug: `${year}-q${number}`,
      subject: `MSIX Assist newsletter, ${describeQuarter(quarter.quarter)}`,
      startMs: quarter.startMs + (45 + (quarter.index % 5)) * dayMs + 15 * 3_600_000,
    },
  ];
  if (number === '3') {
    sends.unshift({
      slug: `${year}-q${number}`,
      subject: `Summer moves ${year}: send move notices before families leave`,
      startMs: quarter.startMs + (7 + (quarter.index % 3)) * dayMs + 14 * 3_600_000,
    });
  }
  return sends;
}

function insertCampaign(context: DemoContext, list: readonly DemoSubscriber[], send: PlannedCampaign): number {
  const startedAt = isoOf(send.startMs);
  const recipients = list.filter(
    (subscriber) =>
      subscriber.confirmedMs < send.startMs &&
      (subscriber.unsubscribedMs === null || subscriber.unsubscribedMs > send.startMs),
  );
  const finishedMs = send.startMs + (recipients.length / deliveriesPerSecond) * 1000 + 1000;
  const { id } = context.tx
    .insert(campaigns)
    .values({
      newsletterSlug: send.slug,
      subject: send.subject,
      status: 'finished',
      startedAt,
      finishedAt: isoOf(finishedMs),
      htmlBody: '<p>Demo campaign: this message is synthetic demo data and was never mailed.</p>',
      textBody: 'Demo campaign: this message is synthetic demo data and was never mailed.',
      createdAt: isoOf(send.startMs - 3 * 86_400_000),
      updatedAt: isoOf(finishedMs),
    })
    .returning({ id: campaigns.id })
    .get();

  const insert = context.sqlite.prepare(
    `INSERT INTO outbox_messages (kind, message_id, recipient, subject, text_body, html_body, headers, status, attempts,
       next_attempt_at, created_at, sent_at, campaign_id, subscriber_id)
     VALUES ('campaign', ?, ?, ?, '', NULL, '{}', 'sent', 1, ?, ?, ?, ?, ?)`,
  );
  recipients.forEach((subscriber, index) => {
    const sentAt = isoOf(send.startMs + Math.round((index / deliveriesPerSecond) * 1000));
    insert.run(
      `<demo-campaign-${id}-${subscriber.id}@${demoMailDomain}>`,
      subscriber.email,
      send.subject,
      startedAt,
      startedAt,
      sentAt,
      id,
      subscriber.id,
    );
  });
  return recipients.length;
}

/** Inserts a webinar's registrations for each quarter; returns how many registrations. */
export function seedWebinars(context: DemoContext): number {
  const { random } = context;
  const nowMs = context.now.getTime();
  const insert = context.sqlite.prepare(
    `INSERT INTO event_registrations (event_slug, name, email, state, role, status, cancel_token_hash, attended,
       day_reminder_queued_at, hour_reminder_queued_at, created_at, cancelled_at)
     VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let total = 0;
  for (const quarter of context.quarters) {
    const [year, number] = quarter.quarter.split('-Q');
    const slug = `demo-webinar-${year}-q${number}`;
    const eventMs = quarter.startMs + (50 + random.integer(0, 20)) * 86_400_000 + 18 * 3_600_000;
    const held = eventMs <= nowMs;
    const count = noisyCount(random, baseRegistrationsPerWebinar * Math.pow(quarter.growth, 0.8));
    const attendance = trend(quarter, 0.55, 0.68);
    const rows: unknown[][] = [];
    for (let index = 0; index < count; index += 1) {
      const createdMs = eventMs - random.integer(1, 35) * 86_400_000 - random.integer(0, 600) * 60_000;
      if (createdMs > nowMs || createdMs < quarter.startMs) continue;
      const cancelled = random.chance(0.06);
      total += 1;
      const number = String(total).padStart(4, '0');
      rows.push([
        slug,
        `Demo registrant ${total}`,
        `demo-registrant-${number}@${demoMailDomain}`,
        randomState(context),
        cancelled ? 'cancelled' : 'registered',
        randomHex64(random),
        held && !cancelled ? Number(random.chance(attendance)) : null,
        isoOf(Math.min(nowMs, eventMs - 86_400_000)),
        isoOf(Math.min(nowMs, eventMs - 3_600_000)),
        isoOf(createdMs),
        cancelled ? isoOf(Math.min(nowMs, eventMs - 3_600_000, createdMs + random.integer(1, 10) * 86_400_000)) : null,
      ]);
    }
    rows.sort((a, b) => String(a[9]).localeCompare(String(b[9])));
    for (const row of rows) insert.run(...row);
  }
  return total;
}
