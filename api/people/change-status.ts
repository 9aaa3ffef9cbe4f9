import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { people, type PersonStatus } from '../../db/schema';
import { renderInvitation } from '../../emails/templates/accounts';
import { recordAudit } from '../audit/record';
import { issueAccountToken, retireAccountTokens, tokenValidityMs } from '../auth/account-tokens';
import type { Actor } from '../auth/actor';
import { endAllSessions } from '../auth/sessions';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { findManagedPerson } from './scope';
import { roleLabels, serializePerson } from './serialize';

export type StatusChange = 'disable' | 'enable' | 'deactivate';

/** Which statuses each change starts from, and where it leads. */
const transitions: Record<StatusChange, { from: readonly PersonStatus[]; to: PersonStatus }> = {
  disable: { from: ['active'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'active' },
  deactivate: { from: ['invited', 'active', 'disabled'], to: 'deactivated' },
};

/**
 * Disables (temporary), enables, or deactivates (permanent) an account.
 * Disabling and deactivating end the person's sessions at once.
 */
export function changePersonStatus(
  db: AppDatabase,
  actor: Actor,
  id: number,
  change: StatusChange,
  context: Omit<ActionContext, 'mail'>,
) {
  const person = findManagedPerson(db, actor, id);
  const transition = transitions[change];
  if (person.id === actor.id)
    throw new AppError(403, 'forbidden', `You cannot ${change} your own account. Ask another admin.`);
  if (!transition.from.includes(person.status)) {
    throw new AppError(409, 'invalid_status', `This account is ${person.status}, so it cannot be ${change}d.`);
  }

  const updated = db.transaction((tx) => {
    const row = tx
      .update(people)
      .set({ status: transition.to, updatedAt: context.now.toISOString() })
      .where(eq(people.id, person.id))
      .returning()
      .get();
    if (transition.to !== 'active') {
      endAllSessions(tx, person.id);
      retireAccountTokens(tx, person.id, 'password_reset', context.now);
    }
    if (transition.to === 'deactivated') retireAccountTokens(tx, person.id, 'invitation', context.now);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: `person.${change}d`,
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      detail: `${person.status} -> ${transition.to}`,
      requestId: context.requestId,
      at: context.now,
    });
    return row;
  });
  return serializePerson(updated);
}

/** Sends a new invitation link to a person who has not set a password yet; earlier links stop working. */
export function resendInvitation(db: AppDatabase, actor: Actor, id: number, context: ActionContext) {
  const person = findManagedPerson(db, actor, id);
  if (person.status !== 'invited') {
    throw new AppError(
      409,
      'invalid_status',
      'This person has already set a password, so there is no invitation to send again.',
    );
  }

  db.transaction((tx) => {
    const token = issueAccountToken(tx, {
      personId: person.id,
      purpose: 'invitation',
      createdBy: actor.id,
      now: context.now,
    });
    const message = renderInvitation({
      displayName: person.displayName,
      inviterName: actor.displayName,
      link: context.mail.link(`/invitation/#token=${token}`),
      roleLabel: roleLabels[person.role],
      validHours: tokenValidityMs.invitation / 3_600_000,
    });
    context.mail.queue(tx, { kind: 'invitation', to: person.email, message, now: context.now });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'person.invitation_resent',
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });
  });
  return serializePerson(person);
}
