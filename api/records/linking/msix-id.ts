/** MSIX IDs: the 12-digit numbers that identify consolidated records. */
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';

/** Returns a random 12-digit MSIX ID whose first digit is not 0, so it keeps 12 digits in a spreadsheet. */
export function randomMsixId(): string {
  const first = randomInt(1, 10);
  const rest = String(randomInt(0, 100_000_000_000)).padStart(11, '0');
  return `${first}${rest}`;
}

/** Checks the MSIX ID format: exactly 12 digits. */
export function isMsixId(value: string): boolean {
  return /^[1-9]\d{11}$/.test(value);
}

const maxAttempts = 20;

/**
 * Inserts a consolidated record with a new random MSIX ID and returns its id
 * and MSIX ID. IDs are random, not sequential, so they reveal nothing about
 * when or where a child was first reported. The unique index rejects a
 * collision with an existing ID, and the insert is retried with a new number.
 */
export function createConsolidatedRecord(sqlite: Database.Database, now: Date): { id: number; msixId: string } {
  const insert = sqlite.prepare(
    'INSERT INTO consolidated_records (msix_id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (msix_id) DO NOTHING',
  );
  const at = now.toISOString();
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const msixId = randomMsixId();
    const result = insert.run(msixId, at, at);
    if (result.changes === 1) return { id: Number(result.lastInsertRowid), msixId };
  }
  throw new Error(`Could not find an unused MSIX ID after ${maxAttempts} attempts.`);
}
