import type { auditLog } from '../../db/schema';
import { renderCsv } from '../shared/csv';

type AuditRow = typeof auditLog.$inferSelect;

const columns: { header: string; value: (row: AuditRow) => string | number | null }[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'occurred_at_utc', value: (row) => row.occurredAt },
  { header: 'actor_id', value: (row) => row.actorId },
  { header: 'actor_email', value: (row) => row.actorEmail },
  { header: 'actor_role', value: (row) => row.actorRole },
  { header: 'ip', value: (row) => row.ip },
  { header: 'action', value: (row) => row.action },
  { header: 'object_type', value: (row) => row.objectType },
  { header: 'object_id', value: (row) => row.objectId },
  { header: 'outcome', value: (row) => row.outcome },
  { header: 'detail', value: (row) => row.detail },
  { header: 'request_id', value: (row) => row.requestId },
];

/** Renders audit rows as RFC 4180 CSV, safe to open in a spreadsheet. */
export function renderAuditCsv(rows: AuditRow[]): string {
  return renderCsv(
    columns.map((column) => column.header),
    rows.map((row) => columns.map((column) => column.value(row))),
  );
}
