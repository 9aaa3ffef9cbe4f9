/**
 * Search keys of a student and the expansion of a query's name words. Both
 * sides use the phonetic keys of the linking names module, so a name that
 * links two records also finds the child in search.
 *
 * Key forms in record_search_keys:
 * - `gs:<given>|<surname>`: one given-name token (first or middle name) with
 *   one surname token, or with both surnames joined ("garsialopes").
 * - `s:<surname>`: one surname token or the joined surnames, for searches
 *   without a first name.
 * - `gsy:<given>|<surname>|<birth year>` and `sy:<surname>|<birth year>`: the
 *   same with the year of birth, so a search that gives a birth date reads
 *   short posting lists even for the most common names.
 * - `id:<STATE STUDENT ID>`: the state student ID in upper case.
 */
import type { StudentName } from '../linking/names';
import { cachedNameTokens, cachedPhoneticKey } from './token-cache';

/** Phonetic keys shorter than this get no typo variants: too many short names are one letter apart. */
export const minimumTypoLength = 4;

export function stateStudentIdKey(stateStudentId: string): string {
  return `id:${stateStudentId.trim().toUpperCase()}`;
}

export function givenSurnameKey(given: string, surname: string): string {
  return `gs:${given}|${surname}`;
}

export function surnameKey(surname: string): string {
  return `s:${surname}`;
}

export function givenSurnameYearKey(given: string, surname: string, year: string): string {
  return `gsy:${given}|${surname}|${year}`;
}

export function surnameYearKey(surname: string, year: string): string {
  return `sy:${surname}|${year}`;
}

/** Returns the phonetic keys of the given names (first and middle), without empty keys. */
export function givenPhoneticKeys(student: Pick<StudentName, 'firstName' | 'middleName'>): string[] {
  return unique(
    [...cachedNameTokens(student.firstName), ...cachedNameTokens(student.middleName)].map(cachedPhoneticKey),
  );
}

/**
 * Returns the phonetic keys of the surname tokens, plus the surnames joined
 * into one word when there are two or more tokens, because one state may
 * write "García López" in two fields and another "Garcialopez" in one.
 */
export function surnamePhoneticKeys(student: Pick<StudentName, 'lastName1' | 'lastName2'>): string[] {
  const tokens = unique([...cachedNameTokens(student.lastName1), ...cachedNameTokens(student.lastName2)]);
  const keys = tokens.map(cachedPhoneticKey);
  if (tokens.length >= 2) keys.push(cachedPhoneticKey(tokens.join('')));
  return unique(keys);
}

/** Returns every search key of one student. */
export function studentSearchKeys(student: StudentName & { stateStudentId: string; birthDate: string }): string[] {
  const given = givenPhoneticKeys(student);
  const surnames = surnamePhoneticKeys(student);
  const year = student.birthDate.slice(0, 4);
  const keys = new Set<string>();
  for (const surname of surnames) {
    keys.add(surnameKey(surname));
    keys.add(surnameYearKey(surname, year));
    for (const name of given) {
      keys.add(givenSurnameKey(name, surname));
      keys.add(givenSurnameYearKey(name, surname, year));
    }
  }
  keys.add(stateStudentIdKey(student.stateStudentId));
  return [...keys];
}

/**
 * Returns the deletion neighbourhood of a phonetic key: the key itself and,
 * for keys of at least `minimumTypoLength` letters, the key with each single
 * letter removed. Keys one insertion, deletion, substitution or swap apart
 * share at least one variant.
 */
export function deletionVariants(term: string): string[] {
  const variants = new Set([term]);
  if (term.length >= minimumTypoLength) {
    for (let position = 0; position < term.length; position += 1) {
      variants.add(term.slice(0, position) + term.slice(position + 1));
    }
  }
  return [...variants];
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
