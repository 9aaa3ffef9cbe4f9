import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Case-insensitive "contains" for ASCII text, with %, _ and \ in the search text matched literally. */
export function containsText(column: SQLiteColumn, text: string): SQL {
  const pattern = `%${text.replace(/[%_\\]/g, (character) => `\\${character}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
