/**
 * Name normalization and phonetic keys for the names of migratory children:
 * mostly Spanish and English names, often with two surnames, written
 * differently by each state that reports the same child.
 *
 * Linking (compare.ts, link.ts) and the records search use these functions,
 * so a name that links also finds the child in search.
 */

/**
 * Particles dropped from names before comparison: "de la Cruz" and "Cruz",
 * "García y López" and "García López", "van der Berg" and "Berg" compare equal.
 */
export const nameParticles: ReadonlySet<string> = new Set([
  'de',
  'del',
  'la',
  'las',
  'los',
  'y',
  'e',
  'da',
  'das',
  'do',
  'dos',
  'di',
  'du',
  'van',
  'von',
  'der',
  'den',
  'le',
  'st',
  'san',
  'mc',
]);

/**
 * Folds accents and case and turns every character that is not a letter or a
 * digit into a space: "Peña-Núñez" becomes "pena nunez". The result keeps
 * single spaces and no leading or trailing space.
 */
export function foldText(text: string | null | undefined): string {
  if (!text) return '';
  if (/^[a-z]+$/.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Splits a name into folded tokens, dropping particles. Hyphens, apostrophes
 * and spaces all separate tokens. When the name is made of particles only
 * (a surname "De", say), the particles are kept so the name is not lost.
 */
export function nameTokens(text: string | null | undefined): string[] {
  const tokens = foldText(text).split(' ').filter(Boolean);
  const kept = tokens.filter((token) => !nameParticles.has(token));
  return kept.length > 0 ? kept : tokens;
}

/**
 * Normalizes a name for comparison: accents and case folded, punctuation
 * turned into spaces, particles dropped. "María de la Luz" becomes
 * "maria luz"; "O'Brien" becomes "o brien".
 */
export function normalizeName(text: string | null | undefined): string {
  return nameTokens(text).join(' ');
}

const vowels = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Returns a phonetic key for one name token. The key folds the spelling
 * variants of Spanish and of Spanish names written by English speakers:
 * b/v; s/z/c before e or i; g before e or i, j and x; ll and y; silent h;
 * qu, k and c before a, o or u; gu before e or i and g; gu or hu before a
 * vowel and w; ñ and n; ph and f; doubled letters.
 * Vowels stay, because they tell names like Mario and María apart.
 * "Jiménez", "Ximenez" and "Gimenes" all give "jimenes"; "Villalobos" and
 * "Biyalobos" both give "biyalobos".
 */
export function phoneticKey(token: string): string {
  const cached = phoneticKeyCache.get(token);
  if (cached !== undefined) return cached;
  const key = computePhoneticKey(token);
  // Names repeat a lot, so a small cache saves most of the work when linking large batches.
  if (phoneticKeyCache.size >= maxCachedKeys) phoneticKeyCache.clear();
  phoneticKeyCache.set(token, key);
  return key;
}

const phoneticKeyCache = new Map<string, string>();
const maxCachedKeys = 50_000;

function computePhoneticKey(token: string): string {
  const word = foldText(token).replace(/ /g, '');
  let key = '';
  let index = 0;
  while (index < word.length) {
    const letter = word[index] ?? '';
    const next = word[index + 1] ?? '';
    const afterNext = word[index + 2] ?? '';
    let sound: string;
    let width = 1;
    switch (letter) {
      case 'b':
      case 'v':
        sound = 'b';
        break;
      case 'z':
      case 's':
        sound = 's';
        break;
      case 'c':
        if (next === 'h') {
          sound = 'C';
          width = 2;
        } else if (next === 'e' || next === 'i' || next === 'y') {
          sound = 's';
        } else {
          sound = 'k';
        }
        break;
      case 'k':
        sound = 'k';
        break;
      case 'q':
        sound = 'k';
        if (next === 'u') width = 2;
        break;
      case 'g':
        if (next === 'e' || next === 'i' || next === 'y') {
          sound = 'j';
        } else if (next === 'u' && (afterNext === 'e' || afterNext === 'i')) {
          // "gue", "gui": the u is silent (Guillermo, Miguel).
          sound = 'g';
          width = 2;
        } else if (next === 'u' && (afterNext === 'a' || afterNext === 'o')) {
          // "gua", "guo" sound like w: Guadalupe is also written Wadalupe.
          sound = 'w';
          width = 2;
        } else {
          sound = 'g';
        }
        break;
      case 'j':
      case 'x':
        sound = 'j';
        break;
      case 'l':
        if (next === 'l' && vowels.has(afterNext)) {
          // Spanish ll before a vowel sounds like y (Villa, Biya); elsewhere (Nelly) it is an l.
          sound = 'y';
          width = 2;
        } else {
          sound = 'l';
        }
        break;
      case 'y':
        // A y before a vowel is a consonant (Yolanda, Maya); elsewhere it is the vowel i (Nelly, Eloy).
        sound = vowels.has(next) ? 'y' : 'i';
        break;
      case 'h':
        // "hu" before a vowel sounds like w (Huerta, Werta); otherwise h is silent.
        if (next === 'u' && vowels.has(afterNext)) {
          sound = 'w';
          width = 2;
        } else {
          sound = '';
        }
        break;
      case 'p':
        if (next === 'h') {
          sound = 'f';
          width = 2;
        } else {
          sound = 'p';
        }
        break;
      case 't':
        sound = 't';
        if (next === 'h') width = 2;
        break;
      case 'w':
        sound = 'w';
        break;
      default:
        sound = letter;
    }
    if (sound && !key.endsWith(sound)) key += sound;
    index += width;
  }
  return key;
}

/** Phonetic keys of every token of a name, particles dropped. */
export function phoneticTokens(text: string | null | undefined): string[] {
  return nameTokens(text).map(phoneticKey).filter(Boolean);
}

/** The name fields of a student that name keys are built from. */
export interface StudentName {
  firstName: string;
  middleName?: string | null;
  lastName1: string;
  lastName2?: string | null;
}

/**
 * Returns the folded surname tokens of both surname fields, as one set,
 * because states put the two surnames in either field, swap them, hyphenate
 * them or join them in one field.
 */
export function surnameTokens(student: Pick<StudentName, 'lastName1' | 'lastName2'>): string[] {
  return unique([...nameTokens(student.lastName1), ...nameTokens(student.lastName2)]);
}

/** Returns the folded given-name tokens of the first and middle names, first name first. */
export function givenNameTokens(student: Pick<StudentName, 'firstName' | 'middleName'>): string[] {
  return unique([...nameTokens(student.firstName), ...nameTokens(student.middleName)]);
}

/**
 * Returns the search and blocking keys of a student's name: `g:` plus the
 * phonetic key of each given-name token, and `s:` plus the phonetic key of
 * each surname token and of the two surnames joined ("garcialopez"). The
 * joined key lets a surname joined in one word by one state find the child
 * reported with two surnames by another. Pass `canonicalFirstName` (from the nickname table) to
 * add `g:` keys for the full forms of nicknames.
 */
export function nameKeys(student: StudentName, canonicalFirstName?: (token: string) => readonly string[]): string[] {
  const keys = new Set<string>();
  for (const token of givenNameTokens(student)) {
    keys.add(`g:${phoneticKey(token)}`);
    for (const full of canonicalFirstName?.(token) ?? []) keys.add(`g:${phoneticKey(full)}`);
  }
  const surnames = surnameTokens(student);
  for (const token of surnames) keys.add(`s:${phoneticKey(token)}`);
  if (surnames.length === 2) keys.add(`s:${phoneticKey(surnames.join(''))}`);
  keys.delete('g:');
  keys.delete('s:');
  return [...keys];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
