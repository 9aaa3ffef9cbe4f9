/**
 * Ranks a student against a search: each field the person gave is compared,
 * scored from 0 to 1 and explained in a sentence, and the weighted fields
 * make a score from 0 to 100.
 */
import { minimumTypoLength } from './keys';
import type { NicknameEquivalents } from './nicknames';
import { cachedNameTokens, cachedPhoneticKey } from './token-cache';

/** The search in the form the ranking uses: folded name tokens and the other fields as entered. */
export interface RankQuery {
  givenTokens: string[];
  surnameTokens: string[];
  birthDate?: string | undefined;
  sex?: 'Female' | 'Male' | undefined;
}

export interface RankedStudent {
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  sex: string;
  birthDate: string;
}

export interface FieldScore {
  /** 0 (no agreement) to 1 (the same). */
  score: number;
  reason: string;
}

/** Weight of each field in the total score. */
const weights = { surname: 40, given: 25, birthDate: 30, sex: 5 } as const;

/** Results below this score (of 100) are left out of name and birth-date searches. */
export const minimumScore = 50;

type TokenAgreement = 'exact' | 'nickname' | 'variant' | 'typo' | 'initial' | 'none';

const agreementScores: Record<TokenAgreement, number> = {
  exact: 1,
  nickname: 0.9,
  variant: 0.9,
  typo: 0.75,
  initial: 0.5,
  none: 0,
};

/** Returns the score of 0 to 100 and one reason per compared field. */
export function rankStudent(
  query: RankQuery,
  student: RankedStudent,
  nicknames: NicknameEquivalents,
): { score: number; reasons: string[] } {
  const fields: { weight: number; result: FieldScore }[] = [];
  if (query.surnameTokens.length > 0) {
    fields.push({ weight: weights.surname, result: compareSurnames(query.surnameTokens, student) });
  }
  if (query.givenTokens.length > 0) {
    fields.push({ weight: weights.given, result: compareGivenNames(query.givenTokens, student, nicknames) });
  }
  if (query.birthDate) {
    fields.push({ weight: weights.birthDate, result: compareBirthDates(query.birthDate, student.birthDate) });
  }
  if (query.sex) {
    const same = query.sex === student.sex;
    fields.push({ weight: weights.sex, result: { score: same ? 1 : 0, reason: same ? 'Sex matches' : 'Sex differs' } });
  }
  if (fields.length === 0) return { score: 100, reasons: [] };

  const totalWeight = fields.reduce((sum, field) => sum + field.weight, 0);
  const weighted = fields.reduce((sum, field) => sum + field.weight * field.result.score, 0);
  return { score: Math.round((100 * weighted) / totalWeight), reasons: fields.map((field) => field.result.reason) };
}

function compareTokens(query: string, candidate: string, nicknames?: NicknameEquivalents): TokenAgreement {
  if (query === candidate) return 'exact';
  if (nicknames?.get(query)?.has(candidate)) return 'nickname';
  const queryKey = cachedPhoneticKey(query);
  const candidateKey = cachedPhoneticKey(candidate);
  if (queryKey === candidateKey) return 'variant';
  if (
    Math.min(query.length, candidate.length) >= minimumTypoLength &&
    (isWithinOneEdit(query, candidate) || isWithinOneEdit(queryKey, candidateKey))
  ) {
    return 'typo';
  }
  if (nicknames && query.length === 1 && candidate.startsWith(query)) return 'initial';
  return 'none';
}

/**
 * Returns whether two strings are at most one edit apart: one insertion,
 * deletion or substitution, or one swap of neighbouring letters (the
 * optimal-string-alignment distance is 0 or 1). Runs in linear time without
 * allocating, because ranking calls it thousands of times per search.
 */
export function isWithinOneEdit(left: string, right: string): boolean {
  if (left === right) return true;
  const lengthDifference = left.length - right.length;
  if (lengthDifference > 1 || lengthDifference < -1) return false;

  let start = 0;
  while (start < left.length && start < right.length && left[start] === right[start]) start += 1;
  let leftEnd = left.length - 1;
  let rightEnd = right.length - 1;
  while (leftEnd >= start && rightEnd >= start && left[leftEnd] === right[rightEnd]) {
    leftEnd -= 1;
    rightEnd -= 1;
  }
  const leftRest = leftEnd - start + 1;
  const rightRest = rightEnd - start + 1;
  // One substitution, insertion or deletion leaves at most one letter on each side.
  if (leftRest <= 1 && rightRest <= 1) return true;
  // A swap of neighbours leaves "ab" against "ba".
  return leftRest === 2 && rightRest === 2 && left[start] === right[start + 1] && left[start + 1] === right[start];
}

interface TokenMatch {
  agreement: TokenAgreement;
  /** Index of the matched token in the candidate's list, or -1. */
  position: number;
}

function bestMatch(query: string, candidates: readonly string[], nicknames?: NicknameEquivalents): TokenMatch {
  let best: TokenMatch = { agreement: 'none', position: -1 };
  candidates.forEach((candidate, position) => {
    const agreement = compareTokens(query, candidate, nicknames);
    if (agreementScores[agreement] > agreementScores[best.agreement]) best = { agreement, position };
  });
  return best;
}

function weakestAgreement(matches: readonly TokenMatch[]): TokenAgreement {
  return matches.reduce<TokenAgreement>(
    (weakest, match) => (agreementScores[match.agreement] < agreementScores[weakest] ? match.agreement : weakest),
    'exact',
  );
}

const surnameReasons: Record<TokenAgreement, string> = {
  exact: 'Last name matches',
  nickname: 'Last name matches',
  variant: 'Last name matches a spelling variant',
  typo: 'Last name matches with one typo',
  initial: 'Last name matches its initial',
  none: 'Last name differs',
};

/**
 * Compares the query's surname tokens with the student's, in any order and
 * in either surname field, and also with both surnames joined in one word.
 */
export function compareSurnames(queryTokens: readonly string[], student: RankedStudent): FieldScore {
  const first = cachedNameTokens(student.lastName1);
  const second = cachedNameTokens(student.lastName2);
  const candidates = [...first, ...second];

  const joinedQuery = queryTokens.join('');
  const joinedCandidate = candidates.join('');
  if (queryTokens.length !== candidates.length && (queryTokens.length > 1 || candidates.length > 1)) {
    const joined = compareTokens(joinedQuery, joinedCandidate);
    if (joined !== 'none' && joined !== 'initial') {
      let suffix = '';
      if (joined === 'variant') suffix = ', as a spelling variant';
      if (joined === 'typo') suffix = ', with one typo';
      return { score: agreementScores[joined], reason: `Last names match when written as one word${suffix}` };
    }
  }

  const matches = queryTokens.map((token) => bestMatch(token, candidates));
  const score = matches.reduce((sum, match) => sum + agreementScores[match.agreement], 0) / matches.length;
  if (score === 0) return { score, reason: surnameReasons.none };

  const weakest = weakestAgreement(matches);
  let reason = weakest === 'none' ? 'Only some of the last names match' : surnameReasons[weakest];
  const positions = matches.map((match) => match.position).filter((position) => position >= 0);
  const swapped =
    positions.length >= 2 && positions.some((position, index) => index > 0 && position < positions[index - 1]!);
  if (swapped) reason += ', in the other order';
  else if (queryTokens.length === 1 && first.length > 0 && second.length > 0 && weakest !== 'none') {
    reason += matches[0]!.position >= first.length ? ' (the second last name)' : ' (the first of two last names)';
  }
  return { score, reason };
}

const givenReasons: Record<TokenAgreement, string> = {
  exact: 'First name matches',
  nickname: 'First name matches as a nickname',
  variant: 'First name matches a spelling variant',
  typo: 'First name matches with one typo',
  initial: 'First name matches its initial',
  none: 'First name differs',
};

/** Compares the query's given-name tokens with the student's first and middle names. */
export function compareGivenNames(
  queryTokens: readonly string[],
  student: RankedStudent,
  nicknames: NicknameEquivalents,
): FieldScore {
  const first = cachedNameTokens(student.firstName);
  const candidates = [...first, ...cachedNameTokens(student.middleName)];
  const matches = queryTokens.map((token) => bestMatch(token, candidates, nicknames));
  const score = matches.reduce((sum, match) => sum + agreementScores[match.agreement], 0) / matches.length;
  if (score === 0) return { score, reason: givenReasons.none };

  const weakest = weakestAgreement(matches);
  let reason = weakest === 'none' ? 'Only some of the given names match' : givenReasons[weakest];
  if (matches.every((match) => match.position < 0 || match.position >= first.length)) reason += ' (the middle name)';
  return { score, reason };
}

/** Compares birth dates (YYYY-MM-DD), allowing day and month swapped and one mistyped digit. */
export function compareBirthDates(query: string, candidate: string): FieldScore {
  if (query === candidate) return { score: 1, reason: 'Birth date matches' };
  if (swapDayAndMonth(query) === candidate)
    return { score: 0.8, reason: 'Birth date matches with day and month swapped' };
  let differences = 0;
  for (let index = 0; index < Math.max(query.length, candidate.length); index += 1) {
    if (query[index] !== candidate[index]) differences += 1;
  }
  if (differences === 1) return { score: 0.5, reason: 'Birth date differs by one digit' };
  return { score: 0, reason: 'Birth date differs' };
}

/** Returns the date with day and month swapped (2014-03-07 to 2014-07-03), or undefined when that is no date. */
export function swapDayAndMonth(date: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (month === day || Number(day) > 12) return undefined;
  const swapped = `${year}-${day}-${month}`;
  return isCalendarDate(swapped) ? swapped : undefined;
}

/** Returns whether a YYYY-MM-DD string is a real calendar date. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
