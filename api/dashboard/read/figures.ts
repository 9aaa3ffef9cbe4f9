/** GET /api/dashboard/figures: every metric for one scope, by quarter and for the period. */
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import type { FiguresResponse } from '../contract';
import { metricIds, metricList, nationalScope } from '../metrics';
import { combineQuarters } from './combine';
import { loadViewContext, metricInfo } from './context';
import { scopeName } from './names';
import { parsePeriod, parseScope, type DashboardQuery } from './query';
import { loadFigures, seriesOf } from './store';
import { describeSeries } from './summaries';
import { describeViewer, requireScope } from './viewer';

/** Reads the figures of `scope` (default "US") from `from` to `to`; a 403 for a scope the actor may not open. */
export function readFigures(db: AppDatabase, actor: Actor, query: DashboardQuery, now: Date): FiguresResponse {
  const viewer = describeViewer(actor);
  const scope = parseScope(query);
  requireScope(actor, viewer, scope);
  const { periods, refreshedAt } = loadViewContext(db, now);
  const period = parsePeriod(query, periods);

  const table = loadFigures(db, { metrics: metricIds, scopes: [scope], from: period.from, to: period.to });
  const placeName = scope === nationalScope ? null : scopeName(scope);

  return {
    scope,
    scopeName: scopeName(scope),
    from: period.from,
    to: period.to,
    quarters: period.quarters,
    refreshedAt,
    viewer,
    periods,
    metrics: metricList.map((definition) => {
      const values = seriesOf(table, definition.id, scope, period.quarters);
      return {
        ...metricInfo(definition),
        values,
        period: combineQuarters(definition, values),
        summary: describeSeries(definition, placeName, period.quarters, values, periods.currentQuarter),
      };
    }),
  };
}
