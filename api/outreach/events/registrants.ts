/** Registrant lists for admins: every registration of one event, with counts, and its CSV export. */
import { asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { eventRegistrations } from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { recordAudit } from '../../audit/record';
import type { ActionContext } from '../../shared/action-context';
import { renderCsv } from '../../shared/csv';
import { requireEvent, summarizeEvent, type EventSummary } from './event-content';

export interface Registrant {
  id: number;
  name: string;
  email: string;
  state: string | null;
  role: string | null;
  status: 'registered' | 'cancelled';
  /** From the attendance import; null until a file listed the address. */
  attended: boolean | null;
  registeredAt: string;
  cancelledAt: string | null;
}

export interface RegistrantList {
  event: EventSummary & { registration: string };
  counts: { registered: number; cancelled: number; attended: number };
  registrations: Registrant[];
}

export const registrantCsvColumns = [
  'name',
  'email',
  'state',
  'role',
  'status',
  'attended',
  'registered_at',
  'cancelled_at',
] as const;

export function listRegistrants(db: AppDatabase, slug: string): RegistrantList {
  const event = requireEvent(slug);
  const registrations = readRegistrants(db, event.slug);
  return {
    event: { ...summarizeEvent(event), registration: event.registration },
    counts: {
      registered: registrations.filter((row) => row.status === 'registered').length,
      cancelled: registrations.filter((row) => row.status === 'cancelled').length,
      attended: registrations.filter((row) => row.attended === true).length,
    },
    registrations,
  };
}

/**
 * Renders the event's registrations as CSV, with formula-safe cells, and
 * records the export in the audit log because the file contains names and addresses.
 */
export function exportRegistrants(
  db: AppDatabase,
  actor: Actor,
  slug: string,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
): string {
  const event = requireEvent(slug);
  const registrations = readRegistrants(db, event.slug);
  recordAudit(db, {
    actor,
    ip: context.ip,
    action: 'event_registration.exported',
    objectType: 'event',
    objectId: event.slug,
    outcome: 'success',
    detail: `rows:${registrations.length}`,
    requestId: context.requestId,
    at: context.now,
  });

  return renderCsv(
    registrantCsvColumns,
    registrations.map((row) => [
      row.name,
      row.email,
      row.state,
      row.role,
      row.status,
      attendedCell(row.attended),
      row.registeredAt,
      row.cancelledAt,
    ]),
  );
}

function attendedCell(attended: boolean | null): string {
  if (attended === null) return '';
  return attended ? 'yes' : 'no';
}

function readRegistrants(db: AppDatabase, slug: string): Registrant[] {
  return db
    .select()
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventSlug, slug))
    .orderBy(asc(eventRegistrations.createdAt), asc(eventRegistrations.id))
    .all()
    .map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      state: row.state,
      role: row.role,
      status: row.status,
      attended: row.attended,
      registeredAt: row.createdAt,
      cancelledAt: row.cancelledAt,
    }));
}
