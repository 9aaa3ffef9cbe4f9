/**
 * Computes the dashboard's figures and flows from the product's own tables.
 * The refresh (../refresh.ts) stores them in `dashboard_figures` and
 * `dashboard_flows`; the benchmark calls these directly as its baseline.
 * docs/dashboard-figures.md states each metric's rule for program staff.
 */
import type { AppDatabase } from '../../../db/client';
import { connectionOf } from '../../records/search/connection';
import { stateCodes } from '../../shared/states';
import { metricList, nationalScope } from '../metrics';
import { quartersBetween, type Quarter } from '../quarters';
import { computeDataQuality } from './data-quality';
import { computeFlowRows } from './flows';
import { computeOutreach } from './outreach';
import { computePlans } from './plans';
import { computeRecordsUse } from './records-use';
import { computeSupportDesk } from './support-desk';
import type { ComputeOptions, ComputedFigure, FigureRow, FlowRow, GroupContext } from './types';

export type { ComputeOptions, FigureRow, FlowRow, UsageSource } from './types';

const metricGroups = [computeRecordsUse, computeDataQuality, computePlans, computeSupportDesk, computeOutreach];

/**
 * Returns one figure for every metric, scope ("US" and every state, or only
 * `options.scope`) and quarter from `from` to `to`, in that order. A count
 * with nothing to count is 0; any other figure with nothing to measure is
 * null with a sample of 0. Empty when `to` is before `from`.
 */
export function computeFigures(db: AppDatabase, options: ComputeOptions): FigureRow[] {
  const quarters = quartersBetween(options.from, options.to);
  if (quarters.length === 0) return [];
  const scopes: string[] = options.scope ? [options.scope] : [nationalScope, ...stateCodes];
  const context: GroupContext = {
    sqlite: connectionOf(db),
    from: options.from,
    to: options.to,
    quarters,
    now: options.now,
    usageSource: options.usageSource,
    states: scopes.filter((scope) => scope !== nationalScope),
    national: scopes.includes(nationalScope),
  };

  const computed = new Map<string, ComputedFigure>();
  for (const computeGroup of metricGroups) {
    for (const figure of computeGroup(context)) {
      computed.set(`${figure.metric}|${figure.state}|${figure.quarter}`, figure);
    }
  }

  const rows: FigureRow[] = [];
  for (const metric of metricList) {
    for (const state of scopes) {
      for (const quarter of quarters) {
        const figure = computed.get(`${metric.id}|${state}|${quarter}`);
        rows.push(figure ? { ...figure, quarter } : emptyFigure(metric.id, metric.unit, state, quarter));
      }
    }
  }
  return rows;
}

/** Returns the children by year and route, for one year or every year with qualifying moves. */
export function computeFlows(db: AppDatabase, options: { year?: number } = {}): FlowRow[] {
  return computeFlowRows(connectionOf(db), options.year);
}

function emptyFigure(metric: FigureRow['metric'], unit: string, state: string, quarter: Quarter): FigureRow {
  return unit === 'count'
    ? { metric, state, quarter, value: 0, sample: 0 }
    : { metric, state, quarter, value: null, sample: 0 };
}
