/**
 * Returns the count with the noun in singular or plural, such as "1 open ticket" or
 * "9 near matches". Nouns ending in s, x, z, ch or sh take "es". Pass `pluralNoun` for other irregular nouns.
 */
export function plural(count: number, noun: string, pluralNoun?: string): string {
  const many = pluralNoun ?? (/(s|x|z|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`);
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : many}`;
}
