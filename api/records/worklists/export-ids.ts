/**
 * A state's crosswalk of state student IDs to MSIX IDs, so the state can
 * store MSIX IDs in its own systems. The command line and the download use
 * the same rows.
 */
import type Database from 'better-sqlite3';
import { toCsvCell } from '../../shared/csv';

export const crosswalkHeader = 'state_student_id,msix_id';

/**
 * Yields one CSV line (without line end) per student of the state that has a
 * consolidated record, sorted by state student ID. It reads row by row from
 * the students_state_id_unique index, so memory stays flat for any count.
 * Raw SQL on the better-sqlite3 handle because drizzle 0.45 offers no row
 * iterator for this driver.
 */
export function* iterateCrosswalkLines(sqlite: Database.Database, state: string): Generator<string> {
  const statement = sqlite.prepare<[string], { stateStudentId: string; msixId: string }>(
    `SELECT s.state_student_id AS stateStudentId, c.msix_id AS msixId
       FROM students s
       JOIN consolidated_records c ON c.id = s.consolidated_record_id
      WHERE s.state = ?
      ORDER BY s.state_student_id`,
  );
  for (const row of statement.iterate(state)) {
    yield `${toCrosswalkCell(row.stateStudentId)},${toCrosswalkCell(row.msixId)}`;
  }
}

/** Writes letters and digits as they are, so other systems read the IDs unchanged; anything else is quoted safely. */
function toCrosswalkCell(value: string): string {
  return /^[A-Za-z0-9]+$/.test(value) ? value : toCsvCell(value);
}
