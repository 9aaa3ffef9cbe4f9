/**
 * Matches what a requester types against the FAQ index, in the browser, so
 * nothing they type is sent anywhere while they write. A word counts when
 * its stem appears in an FAQ's title (weight 3) or short answer (weight 1).
 */

export interface FaqEntry {
  slug: string;
  title: string;
  summary: string;
  topic: string;
}

/** Words too common to say anything about the question. */
const stopWords = new Set(
  (
    'a an and are as at be but by can cannot could do does for from get got has have how i if in into is it its ' +
    'me my no not of on or our please should so that the their them then there this to us was we what when where ' +
    'which who why will with would you your msix help question thanks thank hello hi'
  ).split(' '),
);

/** Minimum score of a suggestion: one title word, or three words of the short answer. */
const minimumScore = 3;

export function stem(word: string): string {
  return word
    .toLowerCase()
    .replace(/(ies)$/, 'y')
    .replace(/(ing|ed|es|s)$/, '')
    .slice(0, 8);
}

export function significantStems(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return new Set(words.filter((word) => word.length > 2 && !stopWords.has(word)).map(stem));
}

/** Returns up to `limit` FAQs that best match the text, best first. */
export function matchFaqs(entries: readonly FaqEntry[], text: string, limit = 3): FaqEntry[] {
  const query = significantStems(text);
  if (query.size === 0) return [];
  const scored = entries.map((entry) => {
    const title = significantStems(entry.title);
    const summary = significantStems(entry.summary);
    let score = 0;
    for (const word of query) {
      if (title.has(word)) score += 3;
      else if (summary.has(word)) score += 1;
    }
    return { entry, score };
  });
  return scored
    .filter((item) => item.score >= minimumScore)
    .sort((a, b) => b.score - a.score || a.entry.title.localeCompare(b.entry.title))
    .slice(0, limit)
    .map((item) => item.entry);
}
