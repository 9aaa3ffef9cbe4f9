/**
 * Admin import of subscribers from CSV with a validation report. Only valid
 * rows are imported, all in one transaction. Suppressed and unsubscribed
 * addresses are reported and never re-subscribed. Rows are imported as
 * pending with a confirmation email, unless the admin states that the list
 * opted in (consentConfirmed) and imports them as confirmed.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { subscribers } from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { parseInput, ValidationError } from '../../shared/validation';
import { isConfirmationCurrent, sendConfirmation } from './confirmation';
import { serializeTopics, type SubscriberRow } from './fields';
import { parseImportFile, type ImportProblem, type ImportRow } from './import-rows';
import { findSuppression } from './suppress';

/** Largest CSV text one import reads, in bytes of UTF-8. */
export const maxImportBytes = 1024 * 1024;
/** Most problems one report lists; errorCount still counts them all. */
const maxReportedErrors = 1000;

const importInput = z.object({
  csv: z.string({
    required_error: 'is required: the text of a CSV file with the header email,name,state,role,topics',
  }),
  confirmed: z.boolean().default(false),
  consentConfirmed: z.boolean().optional(),
});

export interface ImportReport {
  /** New subscribers. */
  imported: number;
  /** Existing subscribers whose details or status changed. */
  updated: number;
  /** Existing subscribers the file matched without changing anything. */
  unchanged: number;
  /** Rows not imported: invalid rows and suppressed or unsubscribed addresses. */
  skipped: number;
  errors: ImportProblem[];
  /** Every problem found, when the errors list was cut at 1000. */
  errorCount: number;
  /** Problems that skipped no row, such as an unknown column. */
  warnings: ImportProblem[];
}

type RowOutcome = 'imported' | 'updated' | 'unchanged' | ImportProblem;

export function importSubscribers(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext): ImportReport {
  const data = parseInput(importInput, input);
  if (Buffer.byteLength(data.csv, 'utf8') > maxImportBytes) {
    throw new ValidationError([
      { field: 'csv', message: 'is larger than 1 MB; split the file and import the parts one after the other.' },
    ]);
  }
  if (data.confirmed && data.consentConfirmed !== true) {
    throw new ValidationError([
      {
        field: 'consentConfirmed',
        message:
          'must be true to import addresses as confirmed: it states that everyone on the list agreed to receive the newsletter. Otherwise import with confirmed false, and each new address gets a confirmation email.',
      },
    ]);
  }

  const parsed = parseImportFile(data.csv);
  const errors = [...parsed.errors];
  const counts = { imported: 0, updated: 0, unchanged: 0, skipped: parsed.invalidLines };

  db.transaction((tx) => {
    for (const row of parsed.rows) {
      const outcome = importRow(tx, actor, row, data.confirmed, context);
      if (typeof outcome === 'string') counts[outcome] += 1;
      else {
        errors.push(outcome);
        counts.skipped += 1;
      }
    }

    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'subscriber.import',
      outcome: 'success',
      detail: `${data.confirmed ? 'confirmed, opt-in stated by admin' : 'pending'}; imported ${counts.imported}, updated ${counts.updated}, unchanged ${counts.unchanged}, skipped ${counts.skipped}`,
      requestId: context.requestId,
      at: context.now,
    });
  });

  errors.sort((first, second) => first.line - second.line);
  return {
    ...counts,
    errors: errors.slice(0, maxReportedErrors),
    errorCount: errors.length,
    warnings: parsed.warnings,
  };
}

function importRow(
  tx: DatabaseOrTransaction,
  actor: Actor,
  row: ImportRow,
  confirmed: boolean,
  context: ActionContext,
): RowOutcome {
  const suppression = findSuppression(tx, row.email);
  if (suppression) {
    return {
      line: row.line,
      column: 'email',
      value: row.email,
      problem: `is on the suppression list (reason ${suppression.reason}), so it was not imported or re-subscribed`,
    };
  }

  const existing = tx.select().from(subscribers).where(eq(subscribers.email, row.email)).get();
  if (existing?.status === 'unsubscribed') {
    return {
      line: row.line,
      column: 'email',
      value: row.email,
      problem: 'unsubscribed, so it was not re-subscribed; only the person can subscribe again from the site',
    };
  }

  const outcome = existing
    ? updateExisting(tx, existing, row, confirmed, context)
    : createNew(tx, row, confirmed, context);
  if (outcome.action) {
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: outcome.action,
      objectType: 'subscriber',
      objectId: outcome.subscriberId,
      outcome: 'success',
      detail: outcome.detail,
      requestId: context.requestId,
      at: context.now,
    });
  }
  return outcome.result;
}

interface AppliedRow {
  result: 'imported' | 'updated' | 'unchanged';
  subscriberId: number;
  action?: 'subscriber.imported' | 'subscriber.updated_by_import';
  detail?: string;
}

function createNew(tx: DatabaseOrTransaction, row: ImportRow, confirmed: boolean, context: ActionContext): AppliedRow {
  const now = context.now.toISOString();
  const created = tx
    .insert(subscribers)
    .values({
      email: row.email,
      name: row.name ?? null,
      state: row.state ?? null,
      role: row.role ?? null,
      topics: serializeTopics(row.topics ?? []),
      status: confirmed ? 'confirmed' : 'pending',
      confirmedAt: confirmed ? now : null,
      source: 'import',
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  if (!confirmed) sendConfirmation(tx, created, context);

  return {
    result: 'imported',
    subscriberId: created.id,
    action: 'subscriber.imported',
    detail: confirmed ? 'confirmed, opt-in stated by admin' : 'pending, confirmation sent',
  };
}

/**
 * Cells that are empty keep the stored value. A confirmed import confirms a
 * pending subscriber; a pending import sends a new confirmation only when the
 * last link has expired.
 */
function updateExisting(
  tx: DatabaseOrTransaction,
  existing: SubscriberRow,
  row: ImportRow,
  confirmed: boolean,
  context: ActionContext,
): AppliedRow {
  const now = context.now.toISOString();
  const changes: Partial<SubscriberRow> = {};
  const changedFields: string[] = [];

  if (row.name !== undefined && row.name !== existing.name) changes.name = row.name;
  if (row.state !== undefined && row.state !== existing.state) changes.state = row.state;
  if (row.role !== undefined && row.role !== existing.role) changes.role = row.role;
  if (row.topics !== undefined) {
    const topics = serializeTopics(row.topics);
    if (topics !== existing.topics) changes.topics = topics;
  }
  changedFields.push(...Object.keys(changes));

  if (existing.status === 'pending' && confirmed) {
    Object.assign(changes, { status: 'confirmed', confirmedAt: now, confirmTokenHash: null });
    changedFields.push('status confirmed, opt-in stated by admin');
  }
  const resend =
    existing.status === 'pending' && !confirmed && !isConfirmationCurrent(existing.confirmSentAt, context.now);

  if (changedFields.length === 0 && !resend) return { result: 'unchanged', subscriberId: existing.id };

  tx.update(subscribers)
    .set({ ...changes, updatedAt: now })
    .where(eq(subscribers.id, existing.id))
    .run();
  if (resend) {
    sendConfirmation(tx, existing, context);
    changedFields.push('confirmation resent');
  }
  return {
    result: 'updated',
    subscriberId: existing.id,
    action: 'subscriber.updated_by_import',
    detail: `changed: ${changedFields.join(', ')}`,
  };
}
