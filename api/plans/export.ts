import { renderCsv } from '../shared/csv';
import type { readPlan } from './read';

/** Renders one row per milestone, with its goal and objective, for spreadsheets and printing. */
export function renderPlanCsv(view: ReturnType<typeof readPlan>): string {
  const rows = view.goals.flatMap((goal) =>
    goal.objectives.flatMap((objective) =>
      objective.milestones.map((milestone) => [
        view.plan.state,
        goal.title,
        objective.title,
        milestone.title,
        milestone.owner,
        milestone.dueDate,
        milestone.status,
        milestone.percentComplete,
        milestone.overdue ? 'yes' : 'no',
        milestone.stale ? 'yes' : 'no',
        milestone.lastProgressAt.slice(0, 10),
        milestone.updates[0]?.narrative ?? '',
      ]),
    ),
  );
  return renderCsv(
    [
      'state',
      'goal',
      'objective',
      'milestone',
      'owner',
      'due_date',
      'status',
      'percent_complete',
      'overdue',
      'stale',
      'last_progress',
      'latest_update',
    ],
    rows,
  );
}
