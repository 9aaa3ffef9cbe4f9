/**
 * Blocking keys: linking compares a student only with students that share a
 * key, so each new student meets a few hundred candidates instead of
 * everyone on file. The keys are chosen so that every variant the
 * comparison accepts as a link still shares at least one key.
 */
import { phoneticKey } from './names';
import type { PreparedStudent } from './compare';
import type { NicknameIndex } from './nickname-index';

/**
 * Returns the blocking keys of a student:
 * - `b:` birth date with day and month in sorted order, so a swapped day and month shares the key;
 * - `m:` each surname's phonetic key, the first name's initial sound, and birth year and month (a typo in the day);
 * - `y:` each surname's phonetic key, the first name's initial sound, and birth month and day (a typo in the year);
 * - `n:` each first-name and surname phonetic pair with the birth year (a birth date with two errors).
 * Surnames include both surnames joined in either order, to meet a state that joins them in one field.
 * First names include the full names of a nickname.
 */
export function blockingKeys(student: PreparedStudent, nicknames?: NicknameIndex): string[] {
  const keys = new Set<string>();
  const surnames = surnameKeys(student.surnames);
  const date = student.birthDate;
  if (date) {
    const [year = '', month = '', day = ''] = date.split('-');
    const [low, high] = month <= day ? [month, day] : [day, month];
    keys.add(`b:${year}-${low}-${high}`);
    // The initial keeps these blocks small for common surnames; a nickname with a date typo still meets through `n:`.
    const initial = phoneticKey(student.firstTokens[0] ?? '').slice(0, 1);
    for (const surname of surnames) {
      keys.add(`m:${surname}:${initial}:${year}-${month}`);
      keys.add(`y:${surname}:${initial}:${month}-${day}`);
    }
  }
  const year = date ? date.slice(0, 4) : '';
  const firstNames = new Set<string>();
  for (const token of student.firstTokens) {
    firstNames.add(phoneticKey(token));
    for (const full of nicknames?.fullNamesOf(token) ?? []) firstNames.add(phoneticKey(full));
  }
  if (student.firstTokens.length > 1) firstNames.add(phoneticKey(student.firstTokens.join('')));
  for (const first of firstNames) {
    if (!first) continue;
    for (const surname of surnames) keys.add(`n:${first}:${surname}:${year}`);
  }
  return [...keys];
}

function surnameKeys(surnames: string[]): string[] {
  const keys = new Set(surnames.map(phoneticKey));
  const [first, second] = surnames;
  if (surnames.length === 2 && first && second) {
    keys.add(phoneticKey(first + second));
    keys.add(phoneticKey(second + first));
  }
  keys.delete('');
  return [...keys];
}

/**
 * Returns the frequency keys of a student, stored beside the blocking keys but
 * never used to find candidates: counting the students that have a key measures
 * how common the value is (see ValueFrequencies in compare.ts). `fq:f:` the first
 * name's phonetic key, `fq:s:` each surname's, `fq:d:` the birth date.
 */
export function frequencyKeys(student: PreparedStudent): string[] {
  const keys = new Set<string>();
  const first = phoneticKey(student.firstTokens.join(''));
  if (first) keys.add(`${frequencyKeyPrefix.firstName}${first}`);
  for (const surname of student.surnames) {
    const key = phoneticKey(surname);
    if (key) keys.add(`${frequencyKeyPrefix.surname}${key}`);
  }
  if (student.birthDate) keys.add(`${frequencyKeyPrefix.birthDate}${student.birthDate}`);
  return [...keys];
}

export const frequencyKeyPrefix = { firstName: 'fq:f:', surname: 'fq:s:', birthDate: 'fq:d:' } as const;
