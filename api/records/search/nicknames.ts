/**
 * Nickname equivalents for search, read from the nickname table that admins
 * extend. Search expands the query's first name instead of indexing
 * nicknames, so a pair added today also finds children indexed before.
 */
import type { Database } from 'better-sqlite3';
import { foldText } from '../linking/names';

/** Folded first names to the other names that mean the same person's name. */
export type NicknameEquivalents = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Reads the nickname table and groups each name with its equivalents: a
 * nickname with its full names, a full name with its nicknames, and two
 * nicknames of the same full name with each other (Pepe, Chepe and José).
 */
export function loadNicknameEquivalents(sqlite: Database): NicknameEquivalents {
  const rows = sqlite.prepare('SELECT full_name AS fullName, nickname FROM record_nicknames').all() as {
    fullName: string;
    nickname: string;
  }[];

  const nicknamesByFullName = new Map<string, Set<string>>();
  for (const row of rows) {
    const fullName = foldText(row.fullName);
    const nickname = foldText(row.nickname);
    if (!fullName || !nickname || fullName === nickname) continue;
    const group = nicknamesByFullName.get(fullName) ?? new Set<string>();
    group.add(nickname);
    nicknamesByFullName.set(fullName, group);
  }

  const equivalents = new Map<string, Set<string>>();
  const link = (left: string, right: string) => {
    if (left === right) return;
    const set = equivalents.get(left) ?? new Set<string>();
    set.add(right);
    equivalents.set(left, set);
  };
  for (const [fullName, nicknames] of nicknamesByFullName) {
    for (const nickname of nicknames) {
      link(fullName, nickname);
      link(nickname, fullName);
      for (const sibling of nicknames) link(nickname, sibling);
    }
  }
  return equivalents;
}
