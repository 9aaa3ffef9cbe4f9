import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import type { ActionContext } from '../../shared/action-context';
import { parseInput, ValidationError } from '../../shared/validation';
import type { CampaignView } from './campaign';
import { applyTransition } from './transition';

const scheduleInput = z
  .object({
    scheduledAt: z.string({ invalid_type_error: 'must be text' }).datetime({
      offset: true,
      message: 'must be an ISO 8601 date and time with a time zone, such as 2027-01-20T14:00:00Z',
    }),
  })
  .strict();

/**
 * Schedules a draft, scheduled or missed campaign for a time in the future.
 * The campaign scheduler starts it at that time, and marks it missed when the
 * server was not running then (see scheduler.ts).
 */
export function scheduleCampaign(
  db: AppDatabase,
  actor: Actor,
  id: number,
  input: unknown,
  context: Pick<ActionContext, 'ip' | 'requestId' | 'now'>,
  siteUrl: string,
): CampaignView {
  const data = parseInput(scheduleInput, input);
  const scheduledAt = new Date(data.scheduledAt);
  if (scheduledAt.getTime() <= context.now.getTime()) {
    throw new ValidationError([
      {
        field: 'scheduledAt',
        message: `must be in the future; ${scheduledAt.toISOString()} is not later than now (${context.now.toISOString()}). To send at once, use send instead.`,
      },
    ]);
  }

  return applyTransition(
    db,
    actor,
    id,
    {
      from: ['draft', 'scheduled', 'missed'],
      action: 'be scheduled',
      auditAction: 'campaign.scheduled',
      changes: () => ({ status: 'scheduled', scheduledAt: scheduledAt.toISOString() }),
    },
    context,
    siteUrl,
  );
}
