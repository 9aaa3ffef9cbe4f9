/**
 * Turns what an agent types into the search box into an FTS5 query that is
 * always valid. Every word becomes a quoted prefix phrase. So quotes,
 * parentheses, `AND`/`OR`/`NOT`, `NEAR`, `*`, `^` and column filters are
 * searched as text and never parsed as FTS5 syntax.
 */

/** Maximum length of a search text, in characters. */
export const maxSearchLength = 200;

/** Most words used from one search; the rest are ignored. */
const maxSearchWords = 12;

/**
 * Returns the FTS5 query for a search text, or null when the text has no
 * letter or digit to search for. Words inside one whitespace-separated chunk
 * (such as `e-mail` or `o'brien`) form one phrase, as the unicode61 tokenizer
 * splits them the same way, and every phrase matches as a prefix.
 */
export function buildFtsQuery(text: string): string | null {
  const phrases: string[] = [];
  for (const chunk of text.normalize('NFC').split(/\s+/u)) {
    const words = chunk.match(/[\p{L}\p{N}\p{M}]+/gu);
    if (!words) continue;
    // Only letters, digits and combining marks remain, so no double quote can end the phrase early.
    phrases.push(`"${words.join(' ')}"*`);
    if (phrases.length === maxSearchWords) break;
  }
  return phrases.length > 0 ? phrases.join(' ') : null;
}

/** Returns the ticket number when the search is one, such as `123` or `#123`. */
export function readTicketNumber(text: string): number | null {
  const match = /^\s*#?\s*([1-9]\d{0,11})\s*$/.exec(text);
  return match ? Number(match[1]) : null;
}
