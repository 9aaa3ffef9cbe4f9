/** GET /api/dashboard/flows: children who moved between, within and into states in one year. */
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import type { StateCode } from '../../shared/states';
import type { FlowsResponse } from '../contract';
import { loadViewContext } from './context';
import { stateName } from './names';
import { isStateCode, parseYear, type DashboardQuery } from './query';
import { loadFlowYears, loadFlows, type StoredFlow } from './store';
import { countChildren } from './summaries';
import { describeViewer, restrictedState } from './viewer';

type Route = FlowsResponse['flows'][number];
type StateRow = FlowsResponse['withinStates'][number];

/** Routes of one year, split by kind, in the order of the stored rows (most children first). */
export interface SplitFlows {
  between: Route[];
  within: StateRow[];
  fromOutside: StateRow[];
}

/**
 * Reads the flows of `year` (default: the newest year on file). Everyone
 * allowed gets the national totals; a coordinator gets only the routes into
 * or out of their state and their own within-state and from-outside rows.
 */
export function readFlows(db: AppDatabase, actor: Actor, query: DashboardQuery, now: Date): FlowsResponse {
  const viewer = describeViewer(actor);
  const { refreshedAt } = loadViewContext(db, now);
  const years = loadFlowYears(db);
  const currentYear = now.getUTCFullYear();
  const year = parseYear(query, years[0] ?? currentYear, currentYear);

  // The running year's moves are still arriving, so its sentences say "so far".
  const yearName = year === currentYear ? `${year} so far` : `${year}`;
  const all = splitFlows(loadFlows(db, year));
  const totals = {
    betweenStates: sumChildren(all.between),
    withinStates: sumChildren(all.within),
    fromOutside: sumChildren(all.fromOutside),
  };

  const own = restrictedState(viewer);
  const visible: SplitFlows =
    viewer.reach === 'national'
      ? all
      : {
          between: all.between.filter((route) => route.from === own || route.to === own),
          within: all.within.filter((row) => row.state === own),
          fromOutside: all.fromOutside.filter((row) => row.state === own),
        };

  return {
    year,
    years,
    refreshedAt,
    viewer,
    totals,
    flows: visible.between,
    withinStates: visible.within,
    fromOutside: visible.fromOutside,
    summary: own
      ? summarizeStateFlows(yearName, own, visible, totals)
      : summarizeNationalFlows(yearName, visible, totals),
  };
}

/**
 * Sorts stored routes into moves between two states, moves within one state,
 * and arrivals from outside (an empty or unknown leaving state). Rows whose
 * receiving state is not a known state are left out.
 */
export function splitFlows(rows: readonly StoredFlow[]): SplitFlows {
  const split: SplitFlows = { between: [], within: [], fromOutside: [] };
  const outside = new Map<StateCode, number>();

  for (const row of rows) {
    if (!isStateCode(row.toState)) continue;
    const to = row.toState;
    if (!isStateCode(row.fromState)) {
      outside.set(to, (outside.get(to) ?? 0) + row.children);
    } else if (row.fromState === to) {
      split.within.push({ state: to, name: stateName(to), children: row.children });
    } else {
      split.between.push({
        from: row.fromState,
        fromName: stateName(row.fromState),
        to,
        toName: stateName(to),
        children: row.children,
      });
    }
  }

  split.fromOutside = [...outside]
    .map(([state, children]) => ({ state, name: stateName(state), children }))
    .sort((a, b) => b.children - a.children || a.state.localeCompare(b.state));
  return split;
}

function sumChildren(rows: readonly { children: number }[]): number {
  return rows.reduce((total, row) => total + row.children, 0);
}

function summarizeNationalFlows(yearName: string, visible: SplitFlows, totals: FlowsResponse['totals']): string {
  if (totals.betweenStates + totals.withinStates + totals.fromOutside === 0) {
    return `No qualifying moves are on file for ${yearName}.`;
  }
  const overview =
    `In ${yearName}, ${countChildren(totals.betweenStates)} moved from one state to another, ` +
    `${countChildren(totals.withinStates)} moved within a state, and ` +
    `${countChildren(totals.fromOutside)} arrived from another country or an unknown state.`;
  const busiest = visible.between[0];
  if (!busiest) return overview;
  return `${overview} The busiest route was ${busiest.fromName} to ${busiest.toName}, with ${countChildren(busiest.children)}.`;
}

function summarizeStateFlows(
  yearName: string,
  own: StateCode,
  visible: SplitFlows,
  totals: FlowsResponse['totals'],
): string {
  const name = stateName(own);
  const arrived = sumChildren(visible.between.filter((route) => route.to === own));
  const left = sumChildren(visible.between.filter((route) => route.from === own));
  const within = sumChildren(visible.within);
  const outside = sumChildren(visible.fromOutside);
  return (
    `In ${yearName}, ${countChildren(arrived)} moved to ${name} from other states, ` +
    `${countChildren(left)} moved from ${name} to other states, ` +
    `${countChildren(within)} moved within ${name}, and ${countChildren(outside)} arrived from another country or an unknown state. ` +
    `Nationally, ${countChildren(totals.betweenStates)} moved from one state to another.`
  );
}
