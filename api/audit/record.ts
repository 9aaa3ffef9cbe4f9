import type { AppDatabase } from '../../db/client';
import { auditLog } from '../../db/schema';
import type { Actor } from '../auth/actor';

/** A drizzle database or an open transaction on it; audit rows join the caller's transaction. */
export type DatabaseOrTransaction = Pick<AppDatabase, 'insert' | 'select' | 'update' | 'delete'>;

export interface AuditEntry {
  actor?: Pick<Actor, 'id' | 'email' | 'role'> | undefined;
  /** For actions without a signed-in actor, such as a failed sign-in, the email address that was tried. */
  actorEmail?: string | undefined;
  ip: string;
  action: string;
  objectType?: string | undefined;
  objectId?: string | number | undefined;
  outcome: 'success' | 'failure' | 'denied';
  /** A short machine-readable reason, never a secret or a student's personal detail. */
  detail?: string | undefined;
  requestId?: string | undefined;
  at: Date;
}

/** Appends one row to the audit log. */
export function recordAudit(db: DatabaseOrTransaction, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      occurredAt: entry.at.toISOString(),
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? entry.actorEmail ?? null,
      actorRole: entry.actor?.role ?? null,
      ip: entry.ip,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId === undefined ? null : String(entry.objectId),
      outcome: entry.outcome,
      detail: entry.detail ?? null,
      requestId: entry.requestId ?? null,
    })
    .run();
}
