/**
 * Caches of folded name tokens and phonetic keys. Names repeat heavily
 * (thousands of children named José García), so indexing and ranking
 * compute each distinct name once. Each cache is emptied when it reaches
 * its limit, which bounds memory.
 */
import { nameTokens, phoneticKey } from '../linking/names';

const cacheLimit = 50_000;
const phoneticKeys = new Map<string, string>();
const tokensByText = new Map<string, string[]>();

export function cachedPhoneticKey(token: string): string {
  let key = phoneticKeys.get(token);
  if (key === undefined) {
    if (phoneticKeys.size >= cacheLimit) phoneticKeys.clear();
    key = phoneticKey(token);
    phoneticKeys.set(token, key);
  }
  return key;
}

/** Returns the folded tokens of a name, particles dropped; callers must not change the returned array. */
export function cachedNameTokens(text: string | null | undefined): readonly string[] {
  if (!text) return [];
  let tokens = tokensByText.get(text);
  if (tokens === undefined) {
    if (tokensByText.size >= cacheLimit) tokensByText.clear();
    tokens = nameTokens(text);
    tokensByText.set(text, tokens);
  }
  return tokens;
}
