/**
 * Move notices for the moves between states on file. The state a child left
 * sent a notice to the state the child moved to, 2 to 21 days before the
 * qualifying arrival date, for about half of the moves in the first quarter
 * and three quarters by the current one. Receiving states acknowledge them faster each year (a median of about two
 * days at first, under a day by the end), and the notices of the last days
 * stay unacknowledged, as they would be.
 */
import { stateCodes } from '../../shared/states';
import { isoOf, logNormal, randomWorkTime, trend, type DemoContext, type DemoQuarter } from './context';

const dayMs = 86_400_000;

/** A child's move between two states, once per child, route and year. */
interface MoveBetweenStates {
  recordId: number;
  msixId: string;
  fromState: string;
  toState: string;
  /** Qualifying arrival date, YYYY-MM-DD. */
  qad: string;
}

/** Inserts the move notices and returns how many; none when no child moved between states. */
export function seedMoveNotices(context: DemoContext): number {
  const { random } = context;
  const insert = context.sqlite.prepare(
    `INSERT INTO move_notices (consolidated_record_id, msix_id, from_state, to_state, to_city, expected_arrival_date,
       comment, status, sent_by, sent_at, acknowledged_by, acknowledged_at, acknowledgement_note, response_minutes)
     VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const nowMs = context.now.getTime();
  const notices: unknown[][] = [];

  for (const move of readMovesBetweenStates(context)) {
    const arrivalMs = Date.parse(`${move.qad}T00:00:00Z`);
    const arrivalQuarter = findQuarter(context, arrivalMs);
    if (!arrivalQuarter || !random.chance(trend(arrivalQuarter, 0.5, 0.75))) continue;

    const sentMs = pickSentTime(context, arrivalMs);
    if (sentMs === null) continue;
    const sentQuarter = findQuarter(context, sentMs) ?? arrivalQuarter;
    const medianHours = trend(sentQuarter, 50, 18);
    const responseMinutes = Math.max(15, Math.round(logNormal(random, medianHours, 0.8) * 60));
    const acknowledgedMs = sentMs + responseMinutes * 60_000;
    const acknowledged = acknowledgedMs <= nowMs && random.chance(trend(sentQuarter, 0.9, 0.98));
    notices.push([
      move.recordId,
      move.msixId,
      move.fromState,
      move.toState,
      move.qad,
      acknowledged ? 'acknowledged' : 'sent',
      context.accounts.coordinator(move.fromState),
      isoOf(sentMs),
      acknowledged ? context.accounts.coordinator(move.toState) : null,
      acknowledged ? isoOf(acknowledgedMs) : null,
      acknowledged ? responseMinutes : null,
    ]);
  }

  notices.sort((a, b) => String(a[7]).localeCompare(String(b[7])));
  for (const notice of notices) insert.run(...notice);
  return notices.length;
}

/**
 * Picks when the notice went out: a working time 2 to 21 days before the
 * arrival, but not before the first demo quarter and not after now. It stays
 * in the year of the arrival, so each year's notices stay within that year's
 * moves. Returns null when no such time exists.
 */
function pickSentTime(context: DemoContext, arrivalMs: number): number | null {
  const { random } = context;
  const yearStartMs = Date.UTC(new Date(arrivalMs).getUTCFullYear(), 0, 1);
  const startMs = Math.max(arrivalMs - random.integer(2, 21) * dayMs, yearStartMs, context.quarters[0]!.startMs);
  const endMs = Math.min(Math.max(arrivalMs - dayMs, startMs + dayMs), context.now.getTime());
  if (endMs <= startMs) return null;
  const window: DemoQuarter = { ...context.quarters[0]!, startMs, endMs };
  return randomWorkTime(random, window);
}

function findQuarter(context: DemoContext, ms: number): DemoQuarter | undefined {
  return context.quarters.find((quarter, index) => {
    const next = context.quarters[index + 1];
    return ms >= quarter.startMs && (next === undefined ? ms < quarter.endMs : ms < next.startMs);
  });
}

/**
 * Reads the moves from one state to another in the qualifying moves on file,
 * counted the way the dashboard's flows count them: by the child's
 * consolidated record, from a U.S. state with no foreign country, once per
 * route and year (at the first arrival that year). Children not linked to a
 * consolidated record get no notice.
 */
function readMovesBetweenStates(context: DemoContext): MoveBetweenStates[] {
  return context.sqlite
    .prepare(
      `SELECT s.consolidated_record_id AS recordId, c.msix_id AS msixId, m.from_state AS fromState,
              m.to_state AS toState, min(m.qad) AS qad
         FROM qualifying_moves m
         JOIN students s ON s.id = m.student_id
         JOIN consolidated_records c ON c.id = s.consolidated_record_id
        WHERE m.from_state IN (SELECT value FROM json_each(@states))
          AND m.to_state IN (SELECT value FROM json_each(@states))
          AND m.from_state <> m.to_state
          AND upper(trim(coalesce(m.from_country, ''))) IN ('', 'US', 'USA')
          AND m.qad IS NOT NULL
        GROUP BY s.consolidated_record_id, m.from_state, m.to_state, substr(m.qad, 1, 4)
        ORDER BY qad, recordId, fromState, toState`,
    )
    .all({ states: JSON.stringify(stateCodes) }) as MoveBetweenStates[];
}
