/**
 * The access log of a consolidated record: who opened or printed it, when
 * and for what purpose, read from the audit log. Data administrators of the states that reported
 * the child see it, and admins with the data-administrator grant.
 */
import { connectionOf } from './connection';
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { requireRecordsAccess } from '../access';
import { findRecord, requireMsixIdFormat } from './consolidated-record';
import { readPurpose } from './purpose';

/** Most entries returned, newest first. */
export const accessLogLimit = 500;

export interface AccessLogEntry {
  at: string;
  action: 'records.view' | 'records.print';
  personName: string | null;
  personEmail: string | null;
  personRole: string | null;
  personState: string | null;
  purpose: string;
  purposeText: string | null;
  /** The MSIX ID used, which differs from the record's when a merge retired it. */
  msixId: string;
}

export function readAccessLog(
  db: AppDatabase,
  actor: Actor,
  msixId: string,
): { msixId: string; entries: AccessLogEntry[]; limited: boolean } {
  requireMsixIdFormat(msixId);
  requireRecordsAccess(actor, 'data_administrator');
  const sqlite = connectionOf(db);
  const record = findRecord(sqlite, msixId);

  const states = (
    sqlite
      .prepare('SELECT DISTINCT state FROM students WHERE consolidated_record_id = ? ORDER BY state')
      .all(record.id) as {
      state: string;
    }[]
  ).map((row) => row.state);
  if (actor.role !== 'admin' && !(actor.state && states.includes(actor.state))) {
    throw new AppError(
      403,
      'other_state',
      `Only data administrators of the states that reported this child (${states.join(', ')}) can see who opened the record.`,
    );
  }

  const msixIds = [
    record.msixId,
    ...(
      sqlite.prepare('SELECT msix_id AS msixId FROM retired_msix_ids WHERE successor_record_id = ?').all(record.id) as {
        msixId: string;
      }[]
    ).map((row) => row.msixId),
  ];
  const rows = sqlite
    .prepare(
      `SELECT a.occurred_at AS at, a.action, a.detail, a.object_id AS msixId, a.actor_email AS personEmail,
              a.actor_role AS personRole, p.display_name AS personName, p.state AS personState
         FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id
        WHERE a.object_type = 'consolidated_record' AND a.action IN ('records.view', 'records.print')
          AND a.object_id IN (SELECT value FROM json_each(?))
        ORDER BY a.occurred_at DESC, a.id DESC LIMIT ?`,
    )
    .all(JSON.stringify(msixIds), accessLogLimit + 1) as (Omit<AccessLogEntry, 'purpose' | 'purposeText'> & {
    detail: string | null;
  })[];

  const entries = rows.slice(0, accessLogLimit).map(({ detail, ...row }) => ({ ...row, ...readPurpose(detail) }));
  return { msixId: record.msixId, entries, limited: rows.length > accessLogLimit };
}
