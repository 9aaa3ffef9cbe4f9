/** In-memory lookup of the nickname table, used by the comparison of first names. */
import { foldText } from './names';

export interface NicknamePair {
  fullName: string;
  nickname: string;
}

/**
 * Nickname lookup. Two first names are nickname equivalents when one is a
 * nickname of the other (Lupe, Guadalupe) or both are nicknames of the same
 * full name (Pepe and Chepe for José). Names are compared folded.
 */
export class NicknameIndex {
  private readonly fullNamesByNickname = new Map<string, Set<string>>();

  constructor(pairs: Iterable<NicknamePair> = []) {
    for (const pair of pairs) {
      const nickname = foldText(pair.nickname);
      const fullName = foldText(pair.fullName);
      if (!nickname || !fullName || nickname === fullName) continue;
      let fullNames = this.fullNamesByNickname.get(nickname);
      if (!fullNames) {
        fullNames = new Set();
        this.fullNamesByNickname.set(nickname, fullNames);
      }
      fullNames.add(fullName);
    }
  }

  /** Returns the full names that a folded name is a nickname of (an empty list for a name that is no nickname). */
  fullNamesOf(name: string): readonly string[] {
    return [...(this.fullNamesByNickname.get(name) ?? [])];
  }

  /** Returns whether two different folded first names are nickname equivalents. */
  areEquivalent(left: string, right: string): boolean {
    if (left === right) return false;
    const leftFull = this.fullNamesByNickname.get(left);
    const rightFull = this.fullNamesByNickname.get(right);
    if (leftFull?.has(right) || rightFull?.has(left)) return true;
    if (!leftFull || !rightFull) return false;
    for (const name of leftFull) if (rightFull.has(name)) return true;
    return false;
  }
}
