/** SLA targets per ticket priority: read by the SLA clocks, listed for desk staff, changed by admins. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { deskSlaTargets, ticketPriorities, type TicketPriority } from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';

export interface SlaTarget {
  priority: TicketPriority;
  /** Business minutes from creation to the first public reply. */
  firstResponseMinutes: number;
  /** Business minutes from creation to solved, not counting time pending on the requester. */
  resolutionMinutes: number;
  updatedAt: string | null;
}

/** The targets the migration seeds, also used for a priority whose row is missing. */
export const defaultSlaTargets: Record<TicketPriority, { firstResponseMinutes: number; resolutionMinutes: number }> = {
  urgent: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  normal: { firstResponseMinutes: 8 * 60, resolutionMinutes: 40 * 60 },
  low: { firstResponseMinutes: 16 * 60, resolutionMinutes: 80 * 60 },
};

export function readSlaTarget(db: DatabaseOrTransaction, priority: TicketPriority): SlaTarget {
  const row = db.select().from(deskSlaTargets).where(eq(deskSlaTargets.priority, priority)).get();
  return row ?? { priority, ...defaultSlaTargets[priority], updatedAt: null };
}

/** Lists the targets from urgent to low. */
export function listSlaTargets(db: DatabaseOrTransaction): SlaTarget[] {
  return [...ticketPriorities].reverse().map((priority) => readSlaTarget(db, priority));
}

/** About one year of business minutes at 9 hours a day (140,000), so longer targets are taken as typing mistakes. */
const maximumTargetMinutes = 150_000;

const targetInput = z
  .object({
    firstResponseMinutes: z.number().int().min(1).max(maximumTargetMinutes),
    resolutionMinutes: z.number().int().min(1).max(maximumTargetMinutes),
  })
  .strict()
  .refine((value) => value.resolutionMinutes >= value.firstResponseMinutes, {
    path: ['resolutionMinutes'],
    message: 'must be at least the first-response target',
  });

/**
 * Changes the targets of one priority. Tickets already on file keep their due
 * times until their next change (status, priority, state or first response).
 */
export function updateSlaTarget(
  db: AppDatabase,
  actor: Actor,
  priorityText: string,
  body: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
): SlaTarget {
  if (!(ticketPriorities as readonly string[]).includes(priorityText)) {
    throw new AppError(
      404,
      'not_found',
      `No SLA target for priority ${JSON.stringify(priorityText)}; use urgent, high, normal or low.`,
    );
  }
  const priority = priorityText as TicketPriority;
  const input = parseInput(targetInput, body);
  const updatedAt = context.now.toISOString();

  return db.transaction((tx) => {
    const before = readSlaTarget(tx, priority);
    tx.insert(deskSlaTargets)
      .values({ priority, ...input, updatedAt, updatedBy: actor.id })
      .onConflictDoUpdate({ target: deskSlaTargets.priority, set: { ...input, updatedAt, updatedBy: actor.id } })
      .run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      requestId: context.requestId,
      action: 'desk.sla_target.update',
      objectType: 'desk_sla_target',
      objectId: priority,
      outcome: 'success',
      detail: `first_response ${before.firstResponseMinutes}->${input.firstResponseMinutes}; resolution ${before.resolutionMinutes}->${input.resolutionMinutes}`,
      at: context.now,
    });
    return { priority, ...input, updatedAt };
  });
}
