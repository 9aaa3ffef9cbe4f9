/**
 * GET /api/dashboard/public: the public metrics for everyone, signed in or
 * not, for one calendar year, with small numbers suppressed (./suppress.ts).
 */
import type { AppDatabase } from '../../../db/client';
import { stateCodes } from '../../shared/states';
import type { FigureValue, PublicSummaryResponse } from '../contract';
import {
  metricList,
  nationalScope,
  publicSuppressionThreshold,
  type MetricDefinition,
  type MetricId,
} from '../metrics';
import type { Quarter } from '../quarters';
import { combineQuarters } from './combine';
import { loadViewContext, metricInfo } from './context';
import { splitFlows } from './flows';
import { stateName } from './names';
import { parsePublicYear, type DashboardQuery } from './query';
import { loadFigures, loadFlows, seriesOf, type FigureTable } from './store';
import { describeSeries } from './summaries';
import { suppressFigure, suppressGroup } from './suppress';

/** The busiest routes shown to visitors. */
export const publicCorridorCount = 10;

export const publicMetrics: readonly MetricDefinition[] = metricList.filter((definition) => definition.public);

/**
 * Reads the public summary of `year` (default: the latest calendar year that
 * has ended). `from` and `to` get a 400, because two overlapping periods could
 * reveal a hidden count by difference.
 */
export function readPublicSummary(db: AppDatabase, query: DashboardQuery, now: Date): PublicSummaryResponse {
  const { periods, refreshedAt } = loadViewContext(db, now);
  const { year, years, yearEnded, period } = parsePublicYear(query, periods);
  const table = loadFigures(db, {
    metrics: publicMetrics.map((definition) => definition.id),
    from: period.from,
    to: period.to,
  });

  return {
    year,
    years,
    yearEnded,
    from: period.from,
    to: period.to,
    quarters: period.quarters,
    refreshedAt,
    periods,
    national: publicMetrics.map((definition) => {
      const raw = seriesOf(table, definition.id, nationalScope, period.quarters);
      // The period figure of a sum or a weighted mean rests on every quarter, so a lone hidden
      // quarter could be worked out from it. A last-quarter figure reveals no other quarter.
      const values =
        definition.combine === 'last'
          ? raw.map((figure) => suppressFigure(definition, figure))
          : suppressGroup(definition, raw);
      return {
        ...metricInfo(definition),
        values,
        period: suppressFigure(definition, combineQuarters(definition, raw)),
        summary: describeSeries(definition, null, period.quarters, values, periods.currentQuarter),
      };
    }),
    states: readStateColumns(table, period.quarters),
    corridors: readCorridors(db, year),
  };
}

/** Combines each state's period figure for every public metric and suppresses them column by column. */
function readStateColumns(table: FigureTable, quarters: readonly Quarter[]): PublicSummaryResponse['states'] {
  const columns = new Map<MetricId, FigureValue[]>();
  for (const definition of publicMetrics) {
    const periodFigures = stateCodes.map((state) =>
      combineQuarters(definition, seriesOf(table, definition.id, state, quarters)),
    );
    columns.set(definition.id, suppressGroup(definition, periodFigures));
  }

  return stateCodes.map((state, index) => {
    const figures: Partial<Record<MetricId, FigureValue>> = {};
    for (const definition of publicMetrics) {
      const figure = columns.get(definition.id)?.[index];
      if (figure) figures[definition.id] = figure;
    }
    return { state, name: stateName(state), figures };
  });
}

/** Lists the busiest routes between two states in `year` that have at least 10 children. */
function readCorridors(db: AppDatabase, year: number): PublicSummaryResponse['corridors'] {
  // Routes under 10 children are left out rather than listed as hidden, because their order would hint at their size.
  const routes = splitFlows(loadFlows(db, year))
    .between.filter((route) => route.children >= publicSuppressionThreshold)
    .slice(0, publicCorridorCount);
  return {
    year,
    routes: routes.map((route) => ({
      from: route.from,
      fromName: route.fromName,
      to: route.to,
      toName: route.toName,
      children: { value: route.children, sample: route.children, suppressed: false },
    })),
  };
}
