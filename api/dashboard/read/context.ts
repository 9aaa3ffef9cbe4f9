/** The period choices and the last refresh time, which every dashboard view reads first. */
import type { AppDatabase } from '../../../db/client';
import type { DashboardPeriods, MetricInfo } from '../contract';
import type { MetricDefinition } from '../metrics';
import { quarterOf } from '../quarters';
import { describePeriods } from './query';
import { loadFirstQuarter, loadRefreshedAt } from './store';

export interface ViewContext {
  periods: DashboardPeriods;
  refreshedAt: string | null;
}

export function loadViewContext(db: AppDatabase, now: Date): ViewContext {
  const currentQuarter = quarterOf(now.toISOString());
  return { periods: describePeriods(loadFirstQuarter(db), currentQuarter), refreshedAt: loadRefreshedAt(db) };
}

/** The metric's description as the API returns it, without the `public` flag. */
export function metricInfo(definition: MetricDefinition): MetricInfo {
  return {
    metric: definition.id,
    group: definition.group,
    label: definition.label,
    description: definition.description,
    unit: definition.unit,
    combine: definition.combine,
    better: definition.better,
  };
}
