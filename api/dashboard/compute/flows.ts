/**
 * Migratory flows: children by year of the qualifying arrival date (QAD) and
 * route, from the qualifying moves on file.
 */
import type { Database } from 'better-sqlite3';
import { stateCodes } from '../../shared/states';
import type { FlowRow } from './types';

/**
 * Counts children by year and route. A child is a consolidated record, and a
 * student not linked to one counts as itself under its negated id, so the two
 * kinds of id never collide. A child counts once per route and year, however
 * many states reported the move. A move counts from a state only when
 * `from_state` is a U.S. code and no foreign `from_country` is given. Any other
 * origin is abroad or unknown, stored as ''. Moves to a code that is not a
 * state are skipped.
 */
export function computeFlowRows(sqlite: Database, year?: number): FlowRow[] {
  return sqlite
    .prepare(
      `SELECT year, from_state AS fromState, to_state AS toState, count(DISTINCT child) AS children
         FROM (SELECT CAST(substr(m.qad, 1, 4) AS INTEGER) AS year,
                      CASE WHEN m.from_state IN (SELECT value FROM json_each(@states))
                                AND upper(trim(coalesce(m.from_country, ''))) IN ('', 'US', 'USA')
                           THEN m.from_state ELSE '' END AS from_state,
                      m.to_state,
                      coalesce(s.consolidated_record_id, -s.id) AS child
                 FROM qualifying_moves m JOIN students s ON s.id = m.student_id
                WHERE m.to_state IN (SELECT value FROM json_each(@states))
                  AND (@year IS NULL OR (m.qad >= @yearStart AND m.qad < @yearEnd)))
        GROUP BY year, from_state, to_state
        ORDER BY year, from_state, to_state`,
    )
    .all({
      states: JSON.stringify(stateCodes),
      year: year ?? null,
      yearStart: year === undefined ? '' : `${year}-01-01`,
      yearEnd: year === undefined ? '' : `${year + 1}-01-01`,
    }) as FlowRow[];
}

/** Reads the qualifying moves' fingerprint. When it changes, the flows may have changed, so the refresh rebuilds them. */
export function readFlowsSourceMarker(sqlite: Database): string {
  const moves = sqlite
    .prepare('SELECT coalesce(max(id), 0) AS lastId, count(*) AS total FROM qualifying_moves')
    .get() as {
    lastId: number;
    total: number;
  };
  // A validated merge or split changes which students are one child, so it changes the counts too.
  const changes = sqlite
    .prepare("SELECT count(*) AS total FROM record_change_requests WHERE status = 'validated'")
    .get() as { total: number };
  return `moves ${moves.lastId}/${moves.total}, record changes ${changes.total}`;
}
