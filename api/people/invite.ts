import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { people, recordsAccessLevels, roles } from '../../db/schema';
import { renderInvitation } from '../../emails/templates/accounts';
import { recordAudit } from '../audit/record';
import { issueAccountToken, tokenValidityMs } from '../auth/account-tokens';
import type { Actor } from '../auth/actor';
import { countAttempt, throttleRules } from '../auth/throttle';
import { AppError } from '../errors';
import type { ActionContext } from '../shared/action-context';
import { stateCodes } from '../shared/states';
import { parseInput } from '../shared/validation';
import { canManage } from './scope';
import { roleLabels, serializePerson } from './serialize';

export const invitationInput = z.object({
  email: z.string().trim().toLowerCase().email('must be a valid email address, such as name@agency.gov').max(254),
  displayName: z.string().trim().min(2, 'must have at least 2 characters').max(100, 'must have at most 100 characters'),
  role: z.enum(roles),
  state: z.enum(stateCodes).nullable().optional(),
  recordsAccess: z.enum(recordsAccessLevels).default('none'),
});

/** Creates an invited person, a 72-hour invitation link and its email, in one transaction with the audit row. */
export function invitePerson(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext) {
  const data = parseInput(invitationInput, input);
  const state = resolveState(actor, data.role, data.state ?? null);
  if (!canManage(actor, { role: data.role, state })) {
    throw new AppError(
      403,
      'forbidden',
      'State coordinators can invite state users and state coordinators of their own state only.',
    );
  }

  countAttempt(db, `invite:actor:${actor.id}`, throttleRules.invitationsPerInviter, context.now);
  countAttempt(db, `invite:ip:${context.ip}`, throttleRules.invitationsPerIp, context.now);
  rejectTakenEmail(db, data.email);

  const now = context.now.toISOString();
  const person = db.transaction((tx) => {
    const created = tx
      .insert(people)
      .values({
        email: data.email,
        displayName: data.displayName,
        role: data.role,
        state,
        recordsAccess: data.recordsAccess,
        status: 'invited',
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const token = issueAccountToken(tx, {
      personId: created.id,
      purpose: 'invitation',
      createdBy: actor.id,
      now: context.now,
    });
    const message = renderInvitation({
      displayName: created.displayName,
      inviterName: actor.displayName,
      link: context.mail.link(`/invitation/#token=${token}`),
      roleLabel: roleLabels[created.role],
      validHours: tokenValidityMs.invitation / 3_600_000,
    });
    context.mail.queue(tx, { kind: 'invitation', to: created.email, message, now: context.now });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'person.invited',
      objectType: 'person',
      objectId: created.id,
      outcome: 'success',
      detail: `role ${created.role}${state ? `, state ${state}` : ''}, records access ${created.recordsAccess}`,
      requestId: context.requestId,
      at: context.now,
    });
    return created;
  });

  return serializePerson(person);
}

/** State roles need a state; agents and admins are national. A coordinator's invitations are always for their own state. */
export function resolveState(actor: Actor, role: (typeof roles)[number], requested: string | null): string | null {
  const national = role === 'agent' || role === 'admin';
  if (national) {
    if (requested)
      throw new AppError(400, 'invalid_input', 'state: must be empty for agents and admins, who are national.');
    return null;
  }
  if (actor.role === 'state_coordinator') {
    if (requested && requested !== actor.state) {
      throw new AppError(
        403,
        'forbidden',
        `State coordinators can invite people of their own state (${actor.state}) only.`,
      );
    }
    return actor.state;
  }
  if (!requested)
    throw new AppError(400, 'invalid_input', 'state: is required for state users and state coordinators.');
  return requested;
}

function rejectTakenEmail(db: AppDatabase, email: string): void {
  const existing = db.select({ status: people.status }).from(people).where(eq(people.email, email)).get();
  if (!existing) return;
  if (existing.status === 'deactivated') {
    throw new AppError(
      409,
      'email_retired',
      `${email} belonged to an account that was deactivated. A deactivated address cannot be used again.`,
    );
  }
  throw new AppError(409, 'email_taken', `${email} already has an account.`);
}
