/**
 * Move notices between states on the demo consolidated records, most of
 * them in July to September. Receiving states acknowledge them faster each
 * year (a median of about two days at first, under a day by the end), and
 * the notices of the last days stay unacknowledged, as they would be.
 */
import { isoOf, logNormal, noisyCount, pickState, randomWorkTime, trend, type DemoContext } from './context';

/** National notices in a quarter at the start of the three years, before the season and the growth. */
const baseNoticesPerQuarter = 55;
/** Move notices follow the summer moves more sharply than records use does. */
const extraSummerPeak = 1.25;

interface RecordRef {
  id: number;
  msixId: string;
}

/** Inserts the move notices and returns how many; none when no consolidated record exists. */
export function seedMoveNotices(context: DemoContext): number {
  const { random } = context;
  const recordsByState = readRecordsByState(context);
  const everyRecord = [...recordsByState.values()].flat();
  if (everyRecord.length === 0) return 0;

  const insert = context.sqlite.prepare(
    `INSERT INTO move_notices (consolidated_record_id, msix_id, from_state, to_state, to_city, expected_arrival_date,
       comment, status, sent_by, sent_at, acknowledged_by, acknowledged_at, acknowledgement_note, response_minutes)
     VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const nowMs = context.now.getTime();
  let total = 0;

  for (const quarter of context.quarters) {
    const summer = quarter.quarter.endsWith('Q3') ? extraSummerPeak : 1;
    const count = noisyCount(
      random,
      baseNoticesPerQuarter * quarter.growth * quarter.season * summer * quarter.elapsed,
    );
    const medianHours = trend(quarter, 50, 18);
    const notices: unknown[][] = [];
    for (let index = 0; index < count; index += 1) {
      const from = pickState(context);
      const to = pickState(context, from.code);
      const record: RecordRef = random.pick(recordsByState.get(from.code) ?? everyRecord);
      const sentMs = randomWorkTime(random, quarter);
      const arrival = isoOf(sentMs + random.integer(2, 21) * 86_400_000).slice(0, 10);
      const responseMinutes = Math.max(15, Math.round(logNormal(random, medianHours, 0.8) * 60));
      const acknowledgedMs = sentMs + responseMinutes * 60_000;
      const acknowledged = acknowledgedMs <= nowMs && random.chance(trend(quarter, 0.9, 0.98));
      notices.push([
        record.id,
        record.msixId,
        from.code,
        to.code,
        arrival,
        acknowledged ? 'acknowledged' : 'sent',
        context.accounts.coordinator(from.code),
        isoOf(sentMs),
        acknowledged ? context.accounts.coordinator(to.code) : null,
        acknowledged ? isoOf(acknowledgedMs) : null,
        acknowledged ? responseMinutes : null,
      ]);
    }
    notices.sort((a, b) => String(a[7]).localeCompare(String(b[7])));
    for (const notice of notices) insert.run(...notice);
    total += notices.length;
  }
  return total;
}

/** Consolidated records by the states that reported one of their students. */
function readRecordsByState(context: DemoContext): Map<string, RecordRef[]> {
  const rows = context.sqlite
    .prepare(
      `SELECT DISTINCT s.state AS state, c.id AS id, c.msix_id AS msixId
       FROM students s JOIN consolidated_records c ON c.id = s.consolidated_record_id
       ORDER BY c.id, s.state`,
    )
    .all() as { state: string; id: number; msixId: string }[];
  const byState = new Map<string, RecordRef[]>();
  for (const row of rows) {
    const list = byState.get(row.state) ?? [];
    list.push({ id: row.id, msixId: row.msixId });
    byState.set(row.state, list);
  }
  return byState;
}
