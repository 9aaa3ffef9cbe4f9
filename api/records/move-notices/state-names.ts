import { eq } from 'drizzle-orm';
import { programStates } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';

/** Returns "Texas (TX)" for a USPS code, or the code alone when the state table lacks it. */
export function describeStateCode(db: DatabaseOrTransaction, code: string): string {
  const row = db.select({ name: programStates.name }).from(programStates).where(eq(programStates.code, code)).get();
  return row ? `${row.name} (${code})` : code;
}
