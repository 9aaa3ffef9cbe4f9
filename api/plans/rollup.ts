/**
 * Roll-up of milestone status and percent complete to objectives, goals and
 * the plan. The rule, also shown on the plan pages:
 *
 * - Percent complete is the average of the parts' percent complete, each part
 *   counting equally (milestones for an objective, objectives for a goal,
 *   goals for the plan), rounded to a whole number.
 * - Status is "done" when every part is done. Otherwise it is the most serious
 *   status among the parts that are not done, in the order off track, at risk,
 *   on track, not started.
 * - An item with no parts is "not started" at 0 percent.
 */
import type { MilestoneStatus } from '../../db/schema';

export interface Progress {
  status: MilestoneStatus;
  percentComplete: number;
}

const seriousness: Record<Exclude<MilestoneStatus, 'done'>, number> = {
  off_track: 3,
  at_risk: 2,
  on_track: 1,
  not_started: 0,
};

export const rollupRule =
  'Percent complete is the average of the parts below it, each counting equally. Status is Done when every part is done; otherwise it is the most serious status among the parts not yet done (off track, then at risk, then on track, then not started).';

export function rollUp(parts: readonly Progress[]): Progress {
  if (parts.length === 0) return { status: 'not_started', percentComplete: 0 };

  const percentComplete = Math.round(parts.reduce((sum, part) => sum + part.percentComplete, 0) / parts.length);
  const open = parts.filter((part) => part.status !== 'done');
  if (open.length === 0) return { status: 'done', percentComplete };

  const worst = open.reduce((current, part) =>
    seriousness[part.status as keyof typeof seriousness] > seriousness[current.status as keyof typeof seriousness]
      ? part
      : current,
  );
  return { status: worst.status, percentComplete };
}
