/**
 * Password rules for accounts, modelled on NIST SP 800-63B section 5.1.1.2.
 * Length is counted in Unicode code points after NFKC normalization: at least
 * 12 for every role and 15 for admins, at most 128. Any character is allowed,
 * spaces and emoji included, and there are no composition rules.
 *
 * The guessability check is offline, because deployments cannot reach a breach
 * service. It splits the password into the pieces an attacker would guess and
 * adds up an estimate of the guesses each piece takes:
 * - entries of data/common-passwords.txt, product and program words from
 *   data/product-words.txt, and the person's email local part and name parts,
 *   also with leetspeak (0/o, 1/i/l, 3/e, 4/a, 5/s, 7/t, @/a, $/s);
 * - alphabet, digit and keyboard sequences, in either direction;
 * - a chunk that repeats the chunk just before it, such as "dragondragon"
 *   or "aaaa";
 * - years 1950-2039 and dates of 6 or 8 digits;
 * - any other character, guessed by brute force.
 * Case and accents are ignored. A password whose cheapest split takes fewer
 * than 2^35 guesses is rejected, which catches list entries that are joined,
 * repeated or padded with digits, years and symbols. A password is rejected
 * too when every letter belongs to a listed word, sequence or repeat and
 * product words or personal details cover at least three characters, whatever
 * digits and symbols surround them. A phrase that contains such a word among
 * other words passes.
 *
 * NOTE: the piece costs and the 2^35 threshold are estimates, tuned by hand so
 * that the stretched forms above fail while a phrase of four words from the
 * common list, or of any words missing from the lists, passes. The check does not catch reversed words, words missing from both lists,
 * personal details other than the name and email (birthdays, pets, towns) or
 * keyboard layouts other than US QWERTY.
 */
import { readFileSync } from 'node:fs';
import type { Role } from '../../db/schema/people';

export type PasswordProblemCode = 'too_short' | 'too_long' | 'common' | 'product_words' | 'personal_details';

export interface PasswordProblem {
  code: PasswordProblemCode;
  /** A sentence for the user that says what is wrong and what to do. It never contains the password. */
  message: string;
}

export interface PasswordContext {
  role: Role;
  email?: string;
  displayName?: string;
}

export const minimumPasswordLength: Readonly<Record<Role, number>> = {
  state_user: 12,
  state_coordinator: 12,
  agent: 12,
  admin: 15,
};

export const maximumPasswordLength = 128;

/**
 * Checks a password against the length rules, then against guessable
 * patterns. Returns the first problem found, or null when it is acceptable.
 */
export function checkPassword(password: string, context: PasswordContext): PasswordProblem | null {
  const lengthProblem = checkLength(password, context.role);
  if (lengthProblem) return lengthProblem;

  const weakness = findWeakness(password.normalize('NFKC'), buildPersonalDictionary(context));
  if (weakness === null) return null;
  return { code: weakness, message: weaknessMessages[weakness] };
}

// Length

/**
 * Inputs longer than this many UTF-16 code units are rejected without being
 * normalized. Such an input has at least 2048 code points. NFKC shrinks a
 * string at most fourfold, because the longest canonical decomposition (of
 * U+1F82, for example) has four code points, so more than 128 remain.
 */
const maximumInputCodeUnits = 4096;

function checkLength(password: string, role: Role): PasswordProblem | null {
  const tooLong: PasswordProblem = {
    code: 'too_long',
    message: `Your password is longer than the maximum of ${maximumPasswordLength} characters. Choose a shorter one.`,
  };
  if (password.length > maximumInputCodeUnits) return tooLong;

  const count = countCharacters(password);
  if (count > maximumPasswordLength) return tooLong;

  const minimum = minimumPasswordLength[role];
  if (count >= minimum) return null;

  const requirement = role === 'admin' ? `admins need at least ${minimum}` : `it needs at least ${minimum}`;
  return {
    code: 'too_short',
    message:
      `Your password has ${count} ${count === 1 ? 'character' : 'characters'}, but ${requirement}. ` +
      'A phrase of several words is easier to remember.',
  };
}

/** Counts Unicode code points after NFKC normalization, so an emoji or an accented letter is one character. */
function countCharacters(password: string): number {
  let count = 0;
  for (const _codePoint of password.normalize('NFKC')) count++;
  return count;
}

// Messages

type Weakness = Exclude<PasswordProblemCode, 'too_short' | 'too_long'>;

const weaknessMessages: Readonly<Record<Weakness, string>> = {
  common:
    'This password is too easy to guess. It is a common or breached password or a keyboard or number pattern, ' +
    'possibly with small changes such as added digits, a year or symbols in place of letters. ' +
    'Choose a phrase of several unrelated words instead.',
  product_words:
    'This password is too easy to guess because it is built from words about MSIX, the Migrant Education Program ' +
    'or a state, which attackers try first. Choose a phrase of several unrelated words instead.',
  personal_details:
    'This password is too easy to guess because it is built from your name or email address. ' +
    'Choose a phrase of several unrelated words that has nothing to do with you.',
};

// Word lists

type WordKind = 'common' | 'product' | 'personal';

interface WordEntry {
  kind: WordKind;
  /** Estimated guesses, as a base-2 logarithm, to pick this word from its list. */
  bits: number;
}

/** A trie of words, one node per character, so a scan stops as soon as no word can match. */
interface Dictionary {
  children: Map<string, Dictionary>;
  /** Set when the characters on the path to this node form a word. */
  entry?: WordEntry;
}

interface PolicyData {
  /** Common passwords and product words. A word on both lists counts as common. */
  dictionary: Dictionary;
  /** Every substring of every sequence in `sequenceTracks`, in both directions. */
  sequences: Set<string>;
  sequenceBits: number;
}

let policyData: PolicyData | undefined;

/** Loads the word lists on first use and keeps them for the life of the process. */
function loadPolicyData(): PolicyData {
  policyData ??= buildPolicyData();
  return policyData;
}

function buildPolicyData(): PolicyData {
  const commonPasswords = new Set(readWordList('common-passwords.txt'));
  const productWords = new Set(readWordList('product-words.txt'));

  const dictionary = createDictionary();
  addWords(dictionary, productWords, { kind: 'product', bits: pieceBits + Math.log2(productWords.size) });
  addWords(dictionary, commonPasswords, { kind: 'common', bits: pieceBits + Math.log2(commonPasswords.size) });

  const sequences = new Set<string>();
  for (const track of sequenceTracks) {
    addSubstrings(sequences, track);
    addSubstrings(sequences, [...track].reverse().join(''));
  }
  const trackCharacters = sequenceTracks.reduce((sum, track) => sum + track.length, 0);

  return { dictionary, sequences, sequenceBits: pieceBits + Math.log2(2 * trackCharacters) };
}

/** Reads a list under data/ with one entry a line. Lines starting with "#" are comments. */
function readWordList(fileName: string): string[] {
  const text = readFileSync(new URL(`./data/${fileName}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .map((line) => foldForMatching(line.trim()))
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function createDictionary(): Dictionary {
  return { children: new Map() };
}

/** Adds words to a dictionary. A later call replaces the entry of a word that is already there. */
function addWords(dictionary: Dictionary, words: Iterable<string>, entry: WordEntry): void {
  for (const word of words) {
    let node = dictionary;
    for (const character of word) {
      let child = node.children.get(character);
      if (!child) {
        child = createDictionary();
        node.children.set(character, child);
      }
      node = child;
    }
    node.entry = entry;
  }
}

function addSubstrings(target: Set<string>, track: string): void {
  for (let start = 0; start < track.length; start++) {
    for (let end = start + 1; end <= track.length; end++) target.add(track.slice(start, end));
  }
}

/**
 * Builds the person's own words: the email local part whole and split at
 * punctuation and digits, the display name parts, all name parts joined, and
 * the first initial joined with each later part ("jdoe"). Parts shorter than
 * two letters are left out.
 */
function buildPersonalDictionary(context: PasswordContext): Dictionary {
  const words = new Set<string>();
  const addWord = (word: string): void => {
    if ([...word].length >= 2) words.add(word);
  };

  if (context.email) {
    const at = context.email.lastIndexOf('@');
    const localPart = foldForMatching(at === -1 ? context.email : context.email.slice(0, at));
    addWord(localPart);
    addWord(localPart.replace(/[^\p{L}\p{N}]+/gu, ''));
    for (const part of localPart.split(/[^\p{L}\p{N}]+/u)) addWord(part);
    for (const part of localPart.split(/[^\p{L}]+/u)) addWord(part);
  }

  if (context.displayName) {
    const nameParts = foldForMatching(context.displayName)
      .split(/[^\p{L}]+/u)
      .filter((part) => part !== '');
    for (const part of nameParts) addWord(part);
    addWord(nameParts.join(''));
    const initial = nameParts[0]?.[0];
    if (initial) for (const part of nameParts.slice(1)) addWord(initial + part);
  }

  const dictionary = createDictionary();
  addWords(dictionary, words, { kind: 'personal', bits: pieceBits + Math.log2(words.size + 1) });
  return dictionary;
}

/**
 * Lowercases and removes accents, so "José" and "JOSE" match the same entry.
 * The final NFC composes Hangul syllables again after NFD split them.
 */
function foldForMatching(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

// Guess estimate

/** A password whose cheapest split into pieces takes fewer guesses than 2 to this power is rejected. */
const weakGuessBits = 35;

/** Cost of choosing which kind of piece comes next. */
const pieceBits = 1;
const leetSwapBits = 1;
const repeatBits = pieceBits + 1;
const yearBits = pieceBits + Math.log2(2039 - 1950 + 1);
/** A day of the year, a year from 1950 to 2039, and one of three digit orders. */
const dateBits = pieceBits + Math.log2(366 * 90 * 3);
/** Product words or personal details name the weakness only when they cover at least this many characters. */
const minimumCharactersToNameWeakness = 3;

/** Letters that a leetspeak character may stand for. */
const leetLetters: ReadonlyMap<string, readonly string[]> = new Map([
  ['0', ['o']],
  ['1', ['i', 'l']],
  ['3', ['e']],
  ['4', ['a']],
  ['5', ['s']],
  ['7', ['t']],
  ['@', ['a']],
  ['$', ['s']],
]);

/**
 * Character orders that people walk along: digits (wrapping from 0 back to 1),
 * the alphabet, and the rows, columns and zigzags of a US QWERTY keyboard.
 */
const sequenceTracks: readonly string[] = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyz',
  '1234567890-=',
  '!@#$%^&*()_+',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
  'zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0',
  'qazwsxedcrfvtgbyhnujmikolp',
  '1q2w3e4r5t6y7u8i9o0p',
  'q1w2e3r4t5y6u7i8o9p0',
  'a1b2c3d4e5f6g7h8i9j0',
];

interface Piece {
  length: number;
  bits: number;
  /** The list of a word, 'pattern' for sequences, repeats, years and dates, or 'brute_force' for one character. */
  source: WordKind | 'pattern' | 'brute_force';
}

interface Split {
  bits: number;
  /** Letters that no word, sequence or repeat covers. */
  bruteForcedLetters: number;
  /** Characters covered by personal details. */
  personalCharacters: number;
  /** Characters covered by product words. */
  productCharacters: number;
}

function findWeakness(normalized: string, personal: Dictionary): Weakness | null {
  const data = loadPolicyData();
  const characters = Array.from(foldForMatching(normalized));
  const commonExtensions = measureCommonExtensions(characters);
  const piecesByStart: Piece[][] = [];
  for (let start = 0; start < characters.length; start++) {
    piecesByStart.push(findPieces(characters, start, data, personal, commonExtensions));
  }

  const cheapest = findBestSplit(characters, piecesByStart, 'fewest_bits');
  if (cheapest.bits < weakGuessBits) return nameWeakness(cheapest) ?? 'common';

  const fewestBruteForced = findBestSplit(characters, piecesByStart, 'fewest_brute_forced_letters');
  if (fewestBruteForced.bruteForcedLetters === 0) return nameWeakness(fewestBruteForced);
  return null;
}

/** Returns the more specific weakness of a split: personal details before product words. */
function nameWeakness(split: Split): Weakness | null {
  if (split.personalCharacters >= minimumCharactersToNameWeakness) return 'personal_details';
  if (split.productCharacters >= minimumCharactersToNameWeakness) return 'product_words';
  return null;
}

/**
 * Finds the split of the whole password with the fewest estimated guesses, or
 * with the fewest brute-forced letters and then the fewest guesses, using
 * dynamic programming over end positions. Typed arrays keep the hot loop free
 * of allocations.
 */
function findBestSplit(
  characters: string[],
  piecesByStart: Piece[][],
  order: 'fewest_bits' | 'fewest_brute_forced_letters',
): Split {
  const size = characters.length + 1;
  const bits = new Float64Array(size).fill(Infinity);
  const bruteForcedLetters = new Float64Array(size).fill(Infinity);
  const personalCharacters = new Uint16Array(size);
  const productCharacters = new Uint16Array(size);
  bits[0] = 0;
  bruteForcedLetters[0] = 0;

  for (let start = 0; start < characters.length; start++) {
    const bitsBefore = bits[start] ?? Infinity;
    if (bitsBefore === Infinity) continue;
    const lettersBefore = bruteForcedLetters[start] ?? Infinity;
    const isLetter = /\p{L}/u.test(characters[start] ?? '');

    for (const piece of piecesByStart[start] ?? []) {
      const end = start + piece.length;
      const candidateBits = bitsBefore + piece.bits;
      const candidateLetters = lettersBefore + (piece.source === 'brute_force' && isLetter ? 1 : 0);
      const currentBits = bits[end] ?? Infinity;
      const currentLetters = bruteForcedLetters[end] ?? Infinity;
      const better =
        order === 'fewest_bits'
          ? candidateBits < currentBits
          : candidateLetters < currentLetters || (candidateLetters === currentLetters && candidateBits < currentBits);
      if (!better) continue;

      bits[end] = candidateBits;
      bruteForcedLetters[end] = candidateLetters;
      personalCharacters[end] = (personalCharacters[start] ?? 0) + (piece.source === 'personal' ? piece.length : 0);
      productCharacters[end] = (productCharacters[start] ?? 0) + (piece.source === 'product' ? piece.length : 0);
    }
  }

  const end = characters.length;
  return {
    bits: bits[end] ?? Infinity,
    bruteForcedLetters: bruteForcedLetters[end] ?? Infinity,
    personalCharacters: personalCharacters[end] ?? 0,
    productCharacters: productCharacters[end] ?? 0,
  };
}

/** Lists every piece that starts at `start`. A brute-forced single character is always one of them. */
function findPieces(
  characters: string[],
  start: number,
  data: PolicyData,
  personal: Dictionary,
  commonExtensions: CommonExtensions,
): Piece[] {
  const pieces: Piece[] = [{ length: 1, bits: bruteForceBits(characters[start] ?? ''), source: 'brute_force' }];

  findWordPieces(characters, start, data.dictionary, pieces);
  findWordPieces(characters, start, personal, pieces);
  findSequencePieces(characters, start, data, pieces);
  findRepeatPieces(characters.length, start, commonExtensions, pieces);
  findNumberPieces(characters, start, pieces);
  return pieces;
}

/** Estimated guesses, as a base-2 logarithm, for one character that matches no pattern. */
function bruteForceBits(character: string): number {
  if (/^[a-z]$/.test(character)) return Math.log2(26);
  if (/^[0-9]$/.test(character)) return Math.log2(10);
  if (/^[\s._-]$/u.test(character)) return Math.log2(4);
  if (/^[\x21-\x7e]$/.test(character)) return Math.log2(33);
  // NOTE: an estimate for characters outside ASCII, because scripts differ widely in size.
  return 6;
}

/**
 * Adds the dictionary words that start at `start`, trying the leetspeak
 * readings of each character. Each reading costs one bit per swapped character.
 */
function findWordPieces(characters: string[], start: number, dictionary: Dictionary, pieces: Piece[]): void {
  let readings: Reading[] = [{ node: dictionary, swaps: 0 }];

  for (let end = start; end < characters.length && readings.length > 0; end++) {
    const character = characters[end] ?? '';
    const swapped = leetLetters.get(character) ?? [];
    const next: Reading[] = [];
    for (const reading of readings) {
      addReading(next, reading.node.children.get(character), reading.swaps);
      for (const letter of swapped) addReading(next, reading.node.children.get(letter), reading.swaps + 1);
    }
    readings = next;

    for (const { node, swaps } of readings) {
      if (!node.entry) continue;
      pieces.push({ length: end - start + 1, bits: node.entry.bits + swaps * leetSwapBits, source: node.entry.kind });
    }
  }
}

/** A reading of the characters scanned so far: the trie node reached and the count of leetspeak characters. */
interface Reading {
  node: Dictionary;
  swaps: number;
}

/** Adds a reading unless the trie has no such node, keeping the fewest swaps for each node. */
function addReading(readings: Reading[], node: Dictionary | undefined, swaps: number): void {
  if (!node) return;
  const known = readings.find((reading) => reading.node === node);
  if (!known) readings.push({ node, swaps });
  else if (swaps < known.swaps) known.swaps = swaps;
}

/** Adds the sequences of three or more characters that start at `start`. */
function findSequencePieces(characters: string[], start: number, data: PolicyData, pieces: Piece[]): void {
  let text = '';
  for (let end = start; end < characters.length; end++) {
    text += characters[end];
    if (!data.sequences.has(text)) return;
    if (end - start >= 2) pieces.push({ length: end - start + 1, bits: data.sequenceBits, source: 'pattern' });
  }
}

/**
 * Lengths of the longest common prefix of the suffixes at `left` and `right`,
 * for every pair of positions, so repeats are found in quadratic time.
 */
interface CommonExtensions {
  size: number;
  lengths: Uint16Array;
}

function measureCommonExtensions(characters: string[]): CommonExtensions {
  const size = characters.length + 1;
  const lengths = new Uint16Array(size * size);
  for (let left = characters.length - 1; left >= 0; left--) {
    for (let right = characters.length - 1; right > left; right--) {
      if (characters[left] === characters[right]) {
        lengths[left * size + right] = (lengths[(left + 1) * size + right + 1] ?? 0) + 1;
      }
    }
  }
  return { size, lengths };
}

/** Adds each chunk starting at `start` that repeats the chunk of the same length just before it. */
function findRepeatPieces(total: number, start: number, extensions: CommonExtensions, pieces: Piece[]): void {
  for (let length = 1; length <= start && start + length <= total; length++) {
    const shared = extensions.lengths[(start - length) * extensions.size + start] ?? 0;
    if (shared >= length) pieces.push({ length, bits: repeatBits, source: 'pattern' });
  }
}

/** Adds a year from 1950 to 2039 and a date of 6 or 8 digits that start at `start`. */
function findNumberPieces(characters: string[], start: number, pieces: Piece[]): void {
  let digits = '';
  for (let end = start; end < characters.length && digits.length < 8 && /^[0-9]$/.test(characters[end] ?? ''); end++) {
    digits += characters[end];
  }

  if (digits.length >= 4 && isYear(digits.slice(0, 4))) pieces.push({ length: 4, bits: yearBits, source: 'pattern' });
  if (digits.length >= 6 && isDate(digits.slice(0, 6))) pieces.push({ length: 6, bits: dateBits, source: 'pattern' });
  if (digits.length === 8 && isDate(digits)) pieces.push({ length: 8, bits: dateBits, source: 'pattern' });
}

function isYear(digits: string): boolean {
  const year = Number(digits);
  return year >= 1950 && year <= 2039;
}

/** Accepts MMDDYY, DDMMYY, MMDDYYYY, DDMMYYYY and YYYYMMDD, without checking month lengths. */
function isDate(digits: string): boolean {
  const first = Number(digits.slice(0, 2));
  const second = Number(digits.slice(2, 4));
  const startsWithMonthAndDay = (isMonth(first) && isDay(second)) || (isDay(first) && isMonth(second));

  if (digits.length === 6) return startsWithMonthAndDay;
  if (startsWithMonthAndDay && isYear(digits.slice(4))) return true;
  return isYear(digits.slice(0, 4)) && isMonth(Number(digits.slice(4, 6))) && isDay(Number(digits.slice(6)));
}

function isMonth(value: number): boolean {
  return value >= 1 && value <= 12;
}

function isDay(value: number): boolean {
  return value >= 1 && value <= 31;
}
