import type { auditLog } from '../../db/schema';

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

/** Renders audit rows as RFC 4180 CSV with CRLF line ends. */
export function renderAuditCsv(rows: AuditRow[]): string {
  const lines = [columns.map((column) => column.header).join(',')];
  for (const row of rows) lines.push(columns.map((column) => toCsvCell(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Quotes one cell. A text cell that a spreadsheet would read as a formula
 * (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe.
 */
export function toCsvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);

  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
