/**
 * Starter canned responses, added once so that a new desk has examples to
 * insert and edit. They are added when an agent or admin first lists canned
 * responses and the list is empty. An audit row marks that they were added,
 * so a desk that deletes them all does not get them back.
 */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { auditLog, deskCannedResponses } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import type { ConsoleContext } from './changes';

export const cannedDefaultsAction = 'desk.canned_defaults_added';

export const defaultCannedResponses: readonly { title: string; body: string }[] = [
  {
    title: 'Ask for more details',
    body: [
      'Hello {{requester_name}},',
      '',
      'Thank you for writing to the MSIX help desk. To look into this, we need a little more information:',
      '',
      '- what you were trying to do, and on which MSIX page or report',
      '- what happened instead, with the exact wording of any error message',
      '- when it happened, and whether it happens every time',
      '',
      'Please do not send a child’s name, birth date, MSIX ID or state student ID by email. If we need them, we will ask you to share them in MSIX.',
      '',
      '{{agent_name}}',
      'MSIX help desk, ticket {{ticket_id}}',
    ].join('\n'),
  },
  {
    title: 'Password reset steps',
    body: [
      'Hello {{requester_name}},',
      '',
      'To set a new password, open the MSIX sign-in page, choose the link for a forgotten password, and enter your work email address. The email with the reset link can take a few minutes to arrive. If it is not in your inbox, look in your junk mail folder.',
      '',
      'If the email still does not arrive, reply to this message and we will check your account.',
      '',
      '{{agent_name}}',
      'MSIX help desk, ticket {{ticket_id}}',
    ].join('\n'),
  },
  {
    title: 'Solved: closing the ticket',
    body: [
      'Hello {{requester_name}},',
      '',
      'We believe your question is answered, so we are marking ticket {{ticket_id}} as solved. If something is still not right, reply to this message and the ticket comes back to us.',
      '',
      'Thank you,',
      '{{agent_name}}',
      'MSIX help desk',
    ].join('\n'),
  },
];

/** Adds the starter responses when the table is empty and they were never added before. */
export function addDefaultCannedResponsesOnce(db: AppDatabase, actor: Actor, context: ConsoleContext): void {
  db.transaction((tx) => {
    if (tx.select({ id: deskCannedResponses.id }).from(deskCannedResponses).limit(1).get()) return;
    const marker = tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.action, cannedDefaultsAction))
      .limit(1)
      .get();
    if (marker) return;

    const now = context.now.toISOString();
    tx.insert(deskCannedResponses)
      .values(
        defaultCannedResponses.map((response) => ({
          ...response,
          createdBy: actor.id,
          updatedBy: actor.id,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: cannedDefaultsAction,
      objectType: 'canned_response',
      outcome: 'success',
      detail: `added ${defaultCannedResponses.length}`,
      requestId: context.requestId,
      at: context.now,
    });
  });
}
