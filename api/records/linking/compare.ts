/**
 * Compares two students reported by different states and decides whether
 * they are the same child: link, near match or separate. Each field adds
 * or removes points (a hand-set weight in the spirit of Fellegi-Sunter
 * record linkage), and each field's outcome is kept as a reason.
 */
import { foldText, givenNameTokens, nameTokens, phoneticKey, surnameTokens } from './names';
import { NicknameIndex } from './nickname-index';
import { damerauLevenshtein, jaroWinkler } from './similarity';

/** The identity fields of a student that linking compares. Empty values count as missing. */
export interface StudentIdentity {
  firstName: string;
  middleName?: string | null;
  lastName1: string;
  lastName2?: string | null;
  /** `Female` or `Male`; null when the source has no sex (benchmark data). */
  sex?: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  multipleBirth?: boolean | null;
  birthCity?: string | null;
  birthState?: string | null;
  birthCountry?: string | null;
  parent1FirstName?: string | null;
  parent1LastName?: string | null;
  parent2FirstName?: string | null;
  parent2LastName?: string | null;
}

/**
 * Score at or above which two students are linked automatically. A child
 * whose first name, surnames, birth date and sex agree scores 14.5 before
 * birth place and parents, give or take the points for common or rare
 * values. Without frequency weighting, 11 was needed to keep precision on
 * generated data. With it, common names lose points, so 10.5 is enough. On
 * 10,000 generated children (npm run bench -- linking), 10.5 instead of 11
 * gave precision 0.9973 instead of 0.9981 and recall 0.982 instead of 0.975.
 */
export const linkThreshold = 10.5;

/**
 * Score at or above which two students that do not link become a near
 * match for the data administrators; below it, they stay separate. On 2,000
 * generated children, pairs scoring 6 to 8 were the same child 4 times in 58,
 * so the worklist starts at 8. Possible twins and pairs whose first names
 * differ outright reach the worklist only when the rest of the identity
 * brings them to 8.
 */
export const nearMatchThreshold = 8;

/**
 * How much lower the link threshold is when exactly one of first name,
 * surnames and birth date is missing on either side (never when two are).
 * A missing first name leaves 10 points for agreeing surnames and birth
 * date, above the lowered threshold of 9.5. A missing birth date or surname
 * leaves 9, which links only with the points of uncommon names or dates. On
 * FEBRL 4 (4b has empty given names, surnames and birth dates) it linked 92
 * more true pairs and no false one. An allowance of 1.5 linked 21 more, but
 * would let a pair of typical names link on first name and surnames alone.
 * Uploads require all three fields, so this matters for other data only.
 */
export const missingFieldAllowance = 1;

/**
 * Shares of the students on file (0 to 1) that have a value, or null when the
 * database is too small to tell (minStudentsForFrequencies in link.ts). Names
 * are looked up by the phonetic key of a name token, dates as YYYY-MM-DD.
 */
export interface ValueFrequencies {
  firstName(key: string): number | null;
  surname(key: string): number | null;
  birthDate(date: string): number | null;
}

/**
 * Frequency weighting, in the spirit of Fellegi-Sunter: agreeing on a value
 * that a share p of children have is evidence worth log2(1 / p) bits, so
 * agreement on a rare value counts more than on a common one. A value as
 * common as the reference share keeps the fixed points above. Each bit more
 * or less of evidence adds or removes `pointsPerBit`, within the bounds. The
 * references were set on 50,000 generated children (npm run bench -- linking
 * with BENCH_LINKING_CHILDREN=50000): a first name given to 1 child in 100, a
 * surname borne by 1 in 200 and a birth date shared by 1 in 5,000 (children
 * of school age are born over about 18 years). In that data José (1 in 16
 * students) and García (1 in 5) lose the most allowed, 1 point each. The
 * bounds of −1.5 per name cost 0.011 of recall on 10,000 generated children,
 * which −1 does not.
 */
export const frequencyWeighting = {
  pointsPerBit: 0.5,
  firstName: { reference: 1 / 100, least: -1, most: 1 },
  /** Per agreeing surname; with two surnames the two adjustments add up. */
  surname: { reference: 1 / 200, least: -1, most: 1 },
  birthDate: { reference: 1 / 5000, least: -1, most: 1 },
} as const;

/** Points to add to an agreement on a value with the given share (null: unknown, no change). */
function frequencyAdjustment(share: number | null, bounds: { reference: number; least: number; most: number }): number {
  if (share === null || share <= 0) return 0;
  const points = frequencyWeighting.pointsPerBit * Math.log2(bounds.reference / share);
  return Math.round(Math.min(bounds.most, Math.max(bounds.least, points)) * 100) / 100;
}

/** Words for the reasons: how an adjustment changed the weight of an agreement. */
function frequencyNote(adjustment: number): string {
  if (adjustment <= -0.25) return ' It is a common value, so the agreement counts less.';
  if (adjustment >= 0.25) return ' It is a rare value, so the agreement counts more.';
  return '';
}

export type FieldOutcome = 'agree' | 'partial' | 'disagree' | 'missing';
export type LinkDecision = 'link' | 'near_match' | 'separate';

/** The comparison of one field (or group of fields) of two students. */
export interface FieldComparison {
  field:
    'first_name' | 'middle_name' | 'surnames' | 'birth_date' | 'sex' | 'multiple_birth' | 'birth_place' | 'parents';
  outcome: FieldOutcome;
  /** Short name of how the values were found equal or different, such as `nickname` or `day_month_swapped`. */
  method: string;
  /** The same in a plain sentence for the record page. It never contains the compared values. */
  detail: string;
  /** Points this field added to (or removed from) the score. */
  weight: number;
  /** Points of `weight` that come from how common the agreeing value is (negative: common); absent when none. */
  frequencyAdjustment?: number;
}

/** The result of comparing two students: the reasons that LinkDecisionReasons and near matches store. */
export interface StudentComparison {
  score: number;
  decision: LinkDecision;
  /** `possible_twin`: multiple birth and different first names; `first_name_differs`: no automatic link. */
  flags: string[];
  fields: FieldComparison[];
  thresholds: { link: number; nearMatch: number };
}

export interface CompareOptions {
  nicknames?: NicknameIndex;
  /** Shares of names and birth dates on file. Without them, every agreement has its fixed points. */
  frequencies?: ValueFrequencies;
}

/** A student with its names folded once, so that comparing it with many candidates stays fast. */
export interface PreparedStudent {
  identity: StudentIdentity;
  firstName: string;
  firstTokens: string[];
  givenTokens: string[];
  middleName: string;
  surnames: string[];
  /** Each surname field folded with its spaces and particles kept out: "De la Cruz" gives "delacruz". */
  surnameFields: string[];
  birthDate: string | null;
}

/** Folds the names of a student for comparePrepared. */
export function prepareStudent(identity: StudentIdentity): PreparedStudent {
  const firstTokens = nameTokens(identity.firstName);
  return {
    identity,
    firstName: firstTokens.join(' '),
    firstTokens,
    givenTokens: givenNameTokens(identity),
    middleName: nameTokens(identity.middleName).join(' '),
    surnames: surnameTokens(identity),
    surnameFields: [identity.lastName1, identity.lastName2]
      .map((value) => foldText(value).replace(/ /g, ''))
      .filter(Boolean),
    birthDate: identity.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(identity.birthDate) ? identity.birthDate : null,
  };
}

/** Compares two students; see comparePrepared. */
export function compareStudents(
  left: StudentIdentity,
  right: StudentIdentity,
  options: CompareOptions = {},
): StudentComparison {
  return comparePrepared(prepareStudent(left), prepareStudent(right), options);
}

/**
 * Compares two prepared students field by field and decides. Twins are never
 * linked automatically: when either student is of a multiple birth and the
 * first names differ after nickname and phonetic folding, the pair is at most
 * a near match, flagged `possible_twin`. A pair whose first names disagree
 * outright is not linked automatically either.
 */
export function comparePrepared(
  left: PreparedStudent,
  right: PreparedStudent,
  options: CompareOptions = {},
): StudentComparison {
  const nicknames = options.nicknames ?? emptyNicknames;
  const frequencies = options.frequencies;
  const fields: FieldComparison[] = [
    weighByFrequency(compareFirstNames(left, right, nicknames), () =>
      frequencyAdjustment(
        frequencies?.firstName(phoneticKey(left.firstTokens.join(''))) ?? null,
        frequencyWeighting.firstName,
      ),
    ),
    compareMiddleNames(left, right, nicknames),
    weighByFrequency(compareSurnames(left, right), () => surnameAdjustment(left, right, frequencies)),
    weighByFrequency(compareBirthDates(left.birthDate, right.birthDate), () =>
      left.birthDate
        ? frequencyAdjustment(frequencies?.birthDate(left.birthDate) ?? null, frequencyWeighting.birthDate)
        : 0,
    ),
    compareSex(left.identity.sex, right.identity.sex),
    compareMultipleBirth(left.identity.multipleBirth, right.identity.multipleBirth),
    compareBirthPlaces(left.identity, right.identity),
    compareParents(left.identity, right.identity, nicknames),
  ];
  const score = Math.round(fields.reduce((sum, field) => sum + field.weight, 0) * 100) / 100;

  const flags: string[] = [];
  const firstName = fields[0] as FieldComparison;
  const sameFirstName = firstName.outcome === 'agree' && firstName.method !== 'typo';
  const multipleBirth = left.identity.multipleBirth === true || right.identity.multipleBirth === true;
  // Without a first name, twins cannot be distinguished, so a multiple birth with a missing first name is a possible twin too.
  if (multipleBirth && !sameFirstName) flags.push('possible_twin');
  if (firstName.outcome === 'disagree') flags.push('first_name_differs');

  // A missing value is neutral: it neither adds nor removes points. So that one missing field does not rule out a link
  // the other fields would have made, the link threshold drops by the allowance when exactly one of them is missing.
  const missingCore = fields.filter(
    (entry) =>
      (entry.field === 'first_name' || entry.field === 'surnames' || entry.field === 'birth_date') &&
      entry.outcome === 'missing',
  ).length;
  const link = missingCore === 1 ? linkThreshold - missingFieldAllowance : linkThreshold;
  let decision: LinkDecision = 'separate';
  if (score >= link) decision = 'link';
  else if (score >= nearMatchThreshold) decision = 'near_match';
  if (decision === 'link' && flags.length > 0) decision = 'near_match';
  // With common names, children born months apart share first name and surnames by chance. A different birth date is
  // worth a person's time only when the family (parents or birth place) also agrees.
  const birthDate = fields.find((entry) => entry.field === 'birth_date');
  const familyAgrees = fields.some(
    (entry) => (entry.field === 'parents' || entry.field === 'birth_place') && entry.outcome === 'agree',
  );
  if (decision === 'near_match' && birthDate?.outcome === 'disagree' && !familyAgrees) decision = 'separate';
  // Likewise, a near match needs two of first name, surnames and birth date to agree, or the family to agree. On
  // 20,000 generated children, near matches with only one of the three agreeing and no family were the same child
  // 1 time in 441. A typical one: a common first name, one surname of two and a birth date one digit off.
  const agreeing = fields.filter(
    (entry) =>
      (entry.field === 'first_name' || entry.field === 'surnames' || entry.field === 'birth_date') &&
      entry.outcome === 'agree',
  ).length;
  if (decision === 'near_match' && agreeing < 2 && !familyAgrees) decision = 'separate';
  return { score, decision, flags, fields, thresholds: { link, nearMatch: nearMatchThreshold } };
}

const emptyNicknames = new NicknameIndex();

/** Methods whose agreement is on the value itself, so the value's frequency measures how strong it is. */
const frequencyWeightedMethods = new Set([
  'exact',
  'phonetic',
  'swapped',
  'day_month_swapped',
  'one_surname',
  'joined',
]);

/** Adds the frequency adjustment to an agreement on the value itself; other outcomes keep their points. */
function weighByFrequency(comparison: FieldComparison, adjustment: () => number): FieldComparison {
  if (comparison.outcome === 'missing' || comparison.outcome === 'disagree') return comparison;
  if (!frequencyWeightedMethods.has(comparison.method)) return comparison;
  const points = adjustment();
  if (points === 0) return comparison;
  return {
    ...comparison,
    detail: comparison.detail + frequencyNote(points),
    weight: Math.round((comparison.weight + points) * 100) / 100,
    frequencyAdjustment: points,
  };
}

/** Sums the adjustments of the surnames both students share (by phonetic key), within the surname bounds. */
function surnameAdjustment(left: PreparedStudent, right: PreparedStudent, frequencies?: ValueFrequencies): number {
  if (!frequencies) return 0;
  const rightKeys = new Set(right.surnames.map(phoneticKey));
  let total = 0;
  let shared = 0;
  for (const key of new Set(left.surnames.map(phoneticKey))) {
    if (!rightKeys.has(key)) continue;
    shared++;
    total += frequencyAdjustment(frequencies.surname(key), frequencyWeighting.surname);
  }
  if (shared === 0) return 0;
  const bounds = frequencyWeighting.surname;
  return Math.round(Math.min(bounds.most * 2, Math.max(bounds.least * 2, total)) * 100) / 100;
}

/** Returns whether two folded name tokens are the same name written differently (phonetic key). */
function soundsAlike(left: string, right: string): boolean {
  if (phoneticKey(left) === phoneticKey(right)) return true;
  // English names read a double l as l (Allen, Russell), where the Spanish key reads it as y.
  return left.includes('ll') || right.includes('ll')
    ? phoneticKey(left.replace(/ll/g, 'l')) === phoneticKey(right.replace(/ll/g, 'l'))
    : false;
}

/**
 * Returns whether two folded name tokens differ by a typo: lengths within two
 * characters and a Jaro-Winkler similarity of at least 0.9, or one edit in a name of five letters or more.
 */
function isTypo(left: string, right: string): boolean {
  if (Math.min(left.length, right.length) < 3 || Math.abs(left.length - right.length) > 2) return false;
  return (
    jaroWinkler(left, right) >= 0.9 ||
    (Math.min(left.length, right.length) >= 5 && damerauLevenshtein(left, right) <= 1)
  );
}

function field(
  name: FieldComparison['field'],
  outcome: FieldOutcome,
  method: string,
  detail: string,
  weight: number,
): FieldComparison {
  return { field: name, outcome, method, detail, weight };
}

function compareFirstNames(left: PreparedStudent, right: PreparedStudent, nicknames: NicknameIndex): FieldComparison {
  const name = 'first_name';
  if (!left.firstName || !right.firstName) return field(name, 'missing', 'missing', 'A first name is missing.', 0);
  if (left.firstName === right.firstName) return field(name, 'agree', 'exact', 'First names are the same.', 4);
  const joinedLeft = left.firstTokens.join('');
  const joinedRight = right.firstTokens.join('');
  if (joinedLeft === joinedRight) {
    return field(name, 'agree', 'exact', 'First names are the same, written with and without a space or hyphen.', 4);
  }
  if (phoneticKey(joinedLeft) === phoneticKey(joinedRight)) {
    return field(name, 'agree', 'phonetic', 'First names are spelling variants of each other.', 3.5);
  }
  if (left.firstTokens.length === 1 && right.firstTokens.length === 1) {
    if (nicknames.areEquivalent(left.firstName, right.firstName)) {
      return field(name, 'agree', 'nickname', 'One first name is a nickname of the other (nickname table).', 3.5);
    }
  }
  const leftFirst = left.firstTokens[0] ?? '';
  const rightFirst = right.firstTokens[0] ?? '';
  if (
    left.firstTokens.length !== right.firstTokens.length &&
    (leftFirst === rightFirst || soundsAlike(leftFirst, rightFirst))
  ) {
    return field(
      name,
      'partial',
      'compound_first_name',
      'One state gave a compound first name, the other its first part.',
      2,
    );
  }
  if (isTypo(joinedLeft, joinedRight) || isTypo(phoneticKey(joinedLeft), phoneticKey(joinedRight))) {
    return field(name, 'agree', 'typo', 'First names differ by a typo.', 2.5);
  }
  for (const leftToken of left.givenTokens) {
    for (const rightToken of right.givenTokens) {
      if (leftToken.length < 2 || rightToken.length < 2) continue;
      if (
        leftToken === rightToken ||
        soundsAlike(leftToken, rightToken) ||
        nicknames.areEquivalent(leftToken, rightToken)
      ) {
        return field(
          name,
          'partial',
          'middle_name',
          'The first name of one state is a first or middle name of the other.',
          1.5,
        );
      }
    }
  }
  if (leftFirst.length === 1 || rightFirst.length === 1) {
    if (leftFirst[0] === rightFirst[0]) return field(name, 'partial', 'initial', 'One state gave only the initial.', 1);
  }
  if (namesSwapped(left, right)) {
    return field(name, 'agree', 'swapped_with_surname', 'First name and surname were swapped between the fields.', 3);
  }
  const similarity = jaroWinkler(joinedLeft, joinedRight);
  if (similarity >= 0.84 && Math.min(joinedLeft.length, joinedRight.length) >= 4) {
    return field(name, 'partial', 'similar', 'First names are similar but differ by more than a typo.', 0.5);
  }
  return field(name, 'disagree', 'different', 'First names are different.', -3);
}

/** Compares middle names when both records have one; a different middle name is a sign of another child. */
function compareMiddleNames(left: PreparedStudent, right: PreparedStudent, nicknames: NicknameIndex): FieldComparison {
  const name = 'middle_name';
  if (!left.middleName || !right.middleName) return field(name, 'missing', 'missing', 'A middle name is missing.', 0);
  const leftMiddle = left.middleName.replace(/ /g, '');
  const rightMiddle = right.middleName.replace(/ /g, '');
  if (
    leftMiddle === rightMiddle ||
    soundsAlike(leftMiddle, rightMiddle) ||
    isTypo(leftMiddle, rightMiddle) ||
    nicknames.areEquivalent(left.middleName, right.middleName)
  ) {
    return field(name, 'agree', 'same', 'Middle names agree.', 0.5);
  }
  if (leftMiddle[0] === rightMiddle[0] && (leftMiddle.length === 1 || rightMiddle.length === 1)) {
    return field(name, 'agree', 'initial', 'Middle names agree on the initial.', 0);
  }
  return field(name, 'disagree', 'different', 'Middle names are different.', -1.5);
}

/** Returns whether the first name of each student is a surname of the other (the fields were swapped). */
function namesSwapped(left: PreparedStudent, right: PreparedStudent): boolean {
  const leftFirst = left.firstTokens[0];
  const rightFirst = right.firstTokens[0];
  if (!leftFirst || !rightFirst) return false;
  const inSurnames = (token: string, surnames: string[]) =>
    surnames.some((surname) => matchToken(token, surname, false) !== null);
  return inSurnames(leftFirst, right.surnames) && inSurnames(rightFirst, left.surnames);
}

type TokenMatch = 'exact' | 'phonetic' | 'typo' | 'part_of_joined';

function matchToken(left: string, right: string, allowPart = true): TokenMatch | null {
  if (left === right) return 'exact';
  if (soundsAlike(left, right)) return 'phonetic';
  if (isTypo(left, right)) return 'typo';
  if (allowPart && (isPartOfJoined(left, right) || isPartOfJoined(right, left))) return 'part_of_joined';
  return null;
}

/** Returns whether `part` begins or ends the longer surname `joined`, as "maldonado" does "maldonadoduarte". */
function isPartOfJoined(part: string, joined: string): boolean {
  return part.length >= 4 && joined.length >= part.length + 3 && (joined.startsWith(part) || joined.endsWith(part));
}

const tokenMatchPenalty: Record<TokenMatch, number> = { exact: 0, phonetic: 0.5, typo: 1.5, part_of_joined: 0.5 };

/**
 * Compares surnames as a set across both surname fields, so swapped fields,
 * hyphenated surnames and one surname only are recognized. A surname joined
 * in one field ("garcialopez") is matched against the two surnames joined.
 */
function compareSurnames(leftStudent: PreparedStudent, rightStudent: PreparedStudent): FieldComparison {
  const name = 'surnames';
  const left = leftStudent.surnames;
  const right = rightStudent.surnames;
  if (left.length === 0 || right.length === 0) return field(name, 'missing', 'missing', 'A surname is missing.', 0);

  const joined =
    matchJoinedSurname(left, right) ??
    matchJoinedSurname(right, left) ??
    matchJoinedSurname(leftStudent.surnameFields, rightStudent.surnameFields) ??
    matchJoinedSurname(rightStudent.surnameFields, leftStudent.surnameFields);
  if (joined) {
    return field(
      name,
      'agree',
      'joined',
      'Both surnames agree; one state wrote them joined in one word.',
      5 - tokenMatchPenalty[joined],
    );
  }

  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  const used = new Set<number>();
  let matched = 0;
  let penalty = 0;
  let worst: TokenMatch = 'exact';
  for (const token of shorter) {
    let best: { index: number; match: TokenMatch } | null = null;
    longer.forEach((candidate, index) => {
      if (used.has(index)) return;
      const match = matchToken(token, candidate);
      if (match && (!best || tokenMatchPenalty[match] < tokenMatchPenalty[best.match])) best = { index, match };
    });
    if (best === null) continue;
    const found: { index: number; match: TokenMatch } = best;
    used.add(found.index);
    matched++;
    penalty += tokenMatchPenalty[found.match];
    if (tokenMatchPenalty[found.match] > tokenMatchPenalty[worst]) worst = found.match;
  }

  const variant = variantNotes[worst];
  if (matched === 0) {
    if (namesSwapped(leftStudent, rightStudent)) {
      return field(
        name,
        'agree',
        'swapped_with_first_name',
        'Surname and first name were swapped between the fields.',
        3,
      );
    }
    const similar = shorter.some((token) =>
      longer.some((other) => Math.min(token.length, other.length) >= 4 && jaroWinkler(token, other) >= 0.84),
    );
    if (similar) return field(name, 'partial', 'similar', 'Surnames are similar but differ by more than a typo.', 0);
    return field(name, 'disagree', 'different', 'Surnames are different.', -4);
  }
  if (matched === shorter.length && shorter.length === longer.length) {
    const swapped = shorter.length > 1 && matchToken(left[0] ?? '', right[0] ?? '') === null;
    const method = swapped ? 'swapped' : worst;
    const detail = swapped ? `Both surnames agree, in swapped order${variant}.` : `All surnames agree${variant}.`;
    return field(name, 'agree', method, detail, 5 - Math.min(penalty, 2));
  }
  if (matched === shorter.length) {
    return field(
      name,
      'partial',
      'one_surname',
      `One state gave one surname of the two, and it agrees${variant}.`,
      4 - Math.min(penalty, 1.5),
    );
  }
  return field(name, 'partial', 'one_of_two', `One surname agrees and the other differs${variant}.`, 0.5);
}

const variantNotes: Record<TokenMatch, string> = {
  exact: '',
  phonetic: ' (spelling variant)',
  typo: ' (typo)',
  part_of_joined: ' (part of surnames joined in one word)',
};

/** Matches one side's surname against the other side's two surnames joined in either order. */
function matchJoinedSurname(single: string[], pair: string[]): TokenMatch | null {
  const [only] = single;
  const [first, second] = pair;
  if (single.length !== 1 || !only || pair.length !== 2 || !first || !second) return null;
  for (const joined of [first + second, second + first]) {
    const match = matchToken(only, joined, false);
    if (match) return match;
  }
  return null;
}

/** Compares birth dates: exact, day and month swapped, one digit off, year off, or different. */
function compareBirthDates(left: string | null, right: string | null): FieldComparison {
  const name = 'birth_date';
  if (!left || !right) return field(name, 'missing', 'missing', 'A birth date is missing.', 0);
  if (left === right) return field(name, 'agree', 'exact', 'Birth dates are the same.', 5);
  const [leftYear, leftMonth, leftDay] = left.split('-');
  const [rightYear, rightMonth, rightDay] = right.split('-');
  if (leftYear === rightYear && leftMonth === rightDay && leftDay === rightMonth) {
    return field(name, 'agree', 'day_month_swapped', 'Birth dates agree with day and month swapped.', 4);
  }
  // A wrong year makes a child of another age, which is more often another child (a sibling) than a typo,
  // so only a year off by one with the same day and month counts for the match.
  if (leftYear === rightYear && damerauLevenshtein(left, right) === 1) {
    return field(
      name,
      'partial',
      'one_digit_off',
      'Birth dates differ by one digit, or two neighboring digits swapped, in the day or month.',
      2.5,
    );
  }
  if (leftMonth === rightMonth && leftDay === rightDay && Math.abs(Number(leftYear) - Number(rightYear)) === 1) {
    return field(name, 'partial', 'year_off', 'Birth dates agree on day and month; the year is off by one.', 1);
  }
  if (leftYear === rightYear && leftMonth === rightMonth) {
    return field(name, 'partial', 'same_month', 'Birth dates agree on the year and month; the day differs.', 0.5);
  }
  if (leftYear === rightYear && leftDay === rightDay) {
    return field(name, 'partial', 'same_year_and_day', 'Birth dates agree on the year and day; the month differs.', 0);
  }
  const daysApart = Math.abs(Date.parse(left) - Date.parse(right)) / 86_400_000;
  if (daysApart <= 400) {
    return field(name, 'disagree', 'within_a_year', 'Birth dates are different but less than about a year apart.', -2);
  }
  return field(name, 'disagree', 'different', 'Birth dates are different.', -5);
}

function compareSex(left: string | null | undefined, right: string | null | undefined): FieldComparison {
  const name = 'sex';
  if (!left || !right) return field(name, 'missing', 'missing', 'Sex is missing.', 0);
  if (left === right) return field(name, 'agree', 'exact', 'Sex is the same.', 0.5);
  return field(name, 'disagree', 'different', 'Sex is different.', -2.5);
}

function compareMultipleBirth(left: boolean | null | undefined, right: boolean | null | undefined): FieldComparison {
  const name = 'multiple_birth';
  if (left == null || right == null) return field(name, 'missing', 'missing', 'The multiple-birth flag is missing.', 0);
  if (left === right)
    return field(
      name,
      'agree',
      'exact',
      left ? 'Both records say multiple birth.' : 'Neither record says multiple birth.',
      0,
    );
  return field(name, 'disagree', 'different', 'One record says multiple birth, the other does not.', -0.5);
}

/** Compares birth city (phonetically), state and country together. */
function compareBirthPlaces(left: StudentIdentity, right: StudentIdentity): FieldComparison {
  const name = 'birth_place';
  let weight = 0;
  const agreed: string[] = [];
  const differed: string[] = [];

  const leftCity = foldText(left.birthCity).replace(/ /g, '');
  const rightCity = foldText(right.birthCity).replace(/ /g, '');
  if (leftCity && rightCity) {
    if (leftCity === rightCity || soundsAlike(leftCity, rightCity) || isTypo(leftCity, rightCity)) {
      weight += 1;
      agreed.push('city');
    } else {
      weight -= 0.5;
      differed.push('city');
    }
  }
  const leftCountry = foldText(left.birthCountry) || (left.birthState ? 'us' : '');
  const rightCountry = foldText(right.birthCountry) || (right.birthState ? 'us' : '');
  if (leftCountry && rightCountry) {
    if (leftCountry === rightCountry) {
      weight += 0.5;
      agreed.push('country');
    } else {
      weight -= 1;
      differed.push('country');
    }
  }
  if (left.birthState && right.birthState) {
    if (left.birthState.toUpperCase() === right.birthState.toUpperCase()) {
      weight += 0.3;
      agreed.push('state');
    } else {
      weight -= 0.3;
      differed.push('state');
    }
  }

  if (agreed.length === 0 && differed.length === 0)
    return field(name, 'missing', 'missing', 'Birth place is missing.', 0);
  let outcome: FieldOutcome = 'partial';
  if (differed.length === 0) outcome = 'agree';
  else if (agreed.length === 0) outcome = 'disagree';
  const parts = [
    agreed.length ? `agrees on ${agreed.join(', ')}` : '',
    differed.length ? `differs on ${differed.join(', ')}` : '',
  ];
  return field(
    name,
    outcome,
    'place',
    `Birth place ${parts.filter(Boolean).join(' and ')}.`,
    Math.round(weight * 10) / 10,
  );
}

/** Compares the parents' names: a parent of one record found among the parents of the other. */
function compareParents(left: StudentIdentity, right: StudentIdentity, nicknames: NicknameIndex): FieldComparison {
  const name = 'parents';
  const leftParents = parentsOf(left);
  const rightParents = parentsOf(right);
  if (leftParents.length === 0 || rightParents.length === 0) {
    return field(name, 'missing', 'missing', "Parents' names are missing.", 0);
  }
  let matchedParents = 0;
  let matchedSurnames = 0;
  for (const parent of leftParents) {
    const firstMatch = rightParents.some(
      (other) =>
        parent.first !== '' &&
        other.first !== '' &&
        (parent.first === other.first ||
          soundsAlike(parent.first, other.first) ||
          nicknames.areEquivalent(parent.first, other.first)),
    );
    const surnameMatch = rightParents.some((other) =>
      parent.surnames.some((token) => other.surnames.some((o) => matchToken(token, o))),
    );
    if (firstMatch) matchedParents++;
    if (surnameMatch) matchedSurnames++;
  }
  if (matchedParents > 0) {
    const weight = Math.min(matchedParents, 2) * 1 + (matchedSurnames > 0 ? 0.5 : 0);
    return field(
      name,
      'agree',
      'parent_name',
      `${matchedParents === 1 ? 'One parent' : 'Both parents'} found in both records.`,
      weight,
    );
  }
  if (matchedSurnames > 0)
    return field(name, 'partial', 'parent_surname', 'A parent surname agrees; first names differ.', 0);
  return field(name, 'disagree', 'different', "Parents' names are different.", -1.5);
}

function parentsOf(student: StudentIdentity): { first: string; surnames: string[] }[] {
  const parents = [
    { first: student.parent1FirstName, last: student.parent1LastName },
    { first: student.parent2FirstName, last: student.parent2LastName },
  ];
  return parents
    .filter((parent) => parent.first || parent.last)
    .map((parent) => ({ first: nameTokens(parent.first)[0] ?? '', surnames: nameTokens(parent.last) }));
}
