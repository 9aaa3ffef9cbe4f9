import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../shared/csv';

/** The plan template that the portal offers as a TA tool; plans started "from the template" copy it. */
export const planTemplatePath = fileURLToPath(
  new URL('../../site/public/downloads/strategic-plan-template.csv', import.meta.url),
);

export interface TemplateGoal {
  title: string;
  objectives: { title: string; milestones: { title: string; ownerRole: string; monthsFromStart: number }[] }[];
}

/** Reads the template CSV (goal, objective, milestone, owner_role, months_from_start, notes) into a goal tree. */
export function readPlanTemplate(file = planTemplatePath): TemplateGoal[] {
  const goals: TemplateGoal[] = [];
  for (const record of parseCsvRecords(readFileSync(file, 'utf8'))) {
    const goalTitle = record.goal?.trim() ?? '';
    const objectiveTitle = record.objective?.trim() ?? '';
    const milestoneTitle = record.milestone?.trim() ?? '';
    if (!goalTitle || !objectiveTitle || !milestoneTitle) continue;

    let goal = goals.find((candidate) => candidate.title === goalTitle);
    if (!goal) goals.push((goal = { title: goalTitle, objectives: [] }));
    let objective = goal.objectives.find((candidate) => candidate.title === objectiveTitle);
    if (!objective) goal.objectives.push((objective = { title: objectiveTitle, milestones: [] }));
    objective.milestones.push({
      title: milestoneTitle,
      ownerRole: record.owner_role?.trim() || 'State MSIX coordinator',
      monthsFromStart: Math.max(0, Number.parseInt(record.months_from_start ?? '0', 10) || 0),
    });
  }
  return goals;
}

/** Adds whole months to a YYYY-MM-DD date, keeping the day where the month has it and using the month's last day otherwise. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00.000Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / 86_400_000);
}
