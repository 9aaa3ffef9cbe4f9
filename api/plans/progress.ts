import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import { milestoneStatuses, milestoneUpdates, planMilestones, plans } from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from '../auth/actor';
import type { ActionContext } from '../shared/action-context';
import { parseInput } from '../shared/validation';
import { findMilestone } from './access';
import { isoDate } from './create';
import { checkProgress } from './edit';

const progressInput = z.object({
  updateDate: isoDate,
  narrative: z.string().trim().min(3, 'must have at least 3 characters').max(5000, 'must have at most 5000 characters'),
  status: z.enum(milestoneStatuses),
  percentComplete: z.number().int().min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100'),
});

/** Records a dated progress update on a milestone, keeps it as history, and sets the milestone's status and percent. */
export function addProgressUpdate(
  db: AppDatabase,
  actor: Actor,
  milestoneId: number,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(progressInput, input);
  const { plan } = findMilestone(db, actor, milestoneId, 'edit');
  checkProgress(data.status, data.percentComplete);
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const update = tx
      .insert(milestoneUpdates)
      .values({ milestoneId, ...data, authorId: actor.id, createdAt: now })
      .returning()
      .get();
    tx.update(planMilestones)
      .set({ status: data.status, percentComplete: data.percentComplete, lastProgressAt: now, updatedAt: now })
      .where(eq(planMilestones.id, milestoneId))
      .run();
    tx.update(plans).set({ updatedAt: now }).where(eq(plans.id, plan.id)).run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'plan.progress_updated',
      objectType: 'milestone',
      objectId: milestoneId,
      outcome: 'success',
      detail: `${data.status}, ${data.percentComplete}%`,
      requestId: context.requestId,
      at: context.now,
    });
    return update;
  });
}
