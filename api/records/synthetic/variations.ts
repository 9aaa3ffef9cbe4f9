/**
 * The ways one state writes a child's name and birth date differently from
 * another: the variations that record linking must see through.
 */
import type { SeededRandom } from './random';

/** The name and birth-date fields of one state's report of a child. */
export interface ReportedIdentity {
  firstName: string;
  middleName: string;
  lastName1: string;
  lastName2: string;
  birthDate: string;
}

export type VariationKind =
  | 'accents_dropped'
  | 'surnames_swapped'
  | 'one_surname'
  | 'hyphenated'
  | 'joined'
  | 'spelling_variant'
  | 'nickname'
  | 'typo'
  | 'day_month_swapped'
  | 'upper_case';

/**
 * Nicknames the generator uses, keyed by full name. Every pair is also in
 * the nickname table that the linking migration seeds, so linking can know them.
 */
export const generatorNicknames: Readonly<Record<string, readonly string[]>> = {
  Guadalupe: ['Lupe', 'Lupita'],
  José: ['Pepe', 'Chepe'],
  Francisco: ['Paco', 'Pancho'],
  Jesús: ['Chuy', 'Chucho'],
  Ignacio: ['Nacho'],
  Alejandro: ['Alex'],
  Roberto: ['Beto'],
  Alberto: ['Beto'],
  Guillermo: ['Memo'],
  Enrique: ['Kike'],
  Rodrigo: ['Rigo'],
  Gregorio: ['Goyo'],
  Dolores: ['Lola'],
  Rosario: ['Chayo'],
  Consuelo: ['Chelo'],
  Concepción: ['Concha'],
  Mercedes: ['Meche'],
  Graciela: ['Chela'],
  Manuel: ['Manolo'],
  Eduardo: ['Lalo'],
  Salvador: ['Chava'],
  Isabel: ['Chabela'],
  Antonio: ['Toño', 'Tony'],
  Fernando: ['Nando'],
  Ramón: ['Moncho'],
  Rafael: ['Rafa'],
  Santiago: ['Santi'],
  Ricardo: ['Ricky'],
  Elizabeth: ['Liz', 'Betty'],
  William: ['Bill'],
  Robert: ['Bob'],
  Michael: ['Mike'],
  Christopher: ['Chris'],
  Joseph: ['Joe'],
  Thomas: ['Tom'],
  Anthony: ['Tony'],
  Katherine: ['Kate'],
  Daniel: ['Danny'],
  Samuel: ['Sam'],
  Patricia: ['Paty'],
  Alfredo: ['Fredy'],
  Beatriz: ['Bea'],
  Cristina: ['Cris'],
  Sebastián: ['Sebas'],
  Leticia: ['Lety'],
};

/** Spanish spelling variants: [pattern, replacement], applied to a lower-case name without accents. */
const spellingRules: readonly (readonly [RegExp, string])[] = [
  [/z/, 's'],
  [/s(?=[aeiou])/, 'z'],
  [/v/, 'b'],
  [/b/, 'v'],
  [/ll/, 'y'],
  [/y(?=[aeiou])/, 'll'],
  [/j(?=[ei])/, 'g'],
  [/g(?=[ei])/, 'j'],
  [/x/, 'j'],
  [/^h/, ''],
  [/^(?=[aeiou])/, 'h'],
  [/c(?=[ei])/, 's'],
  [/qu(?=[ei])/, 'k'],
];

export function dropAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

function capitalize(text: string): string {
  return text.replace(/(^|[\s-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** Applies one spelling variant to a name, or returns null when no rule applies. */
export function spellingVariant(name: string, random: SeededRandom): string | null {
  const plain = dropAccents(name).toLowerCase();
  const applicable = spellingRules.filter(([pattern]) => pattern.test(plain));
  if (applicable.length === 0) return null;
  const [pattern, replacement] = random.pick(applicable);
  const varied = plain.replace(pattern, replacement);
  return varied.length >= 2 ? capitalize(varied) : null;
}

/** Introduces one keyboard typo after the first letter: a swap of two neighbors, a deletion or a doubled letter. */
export function typo(name: string, random: SeededRandom): string | null {
  if (name.length < 4) return null;
  const position = random.integer(1, name.length - 2);
  const kind = random.integer(0, 2);
  if (kind === 0) return name.slice(0, position) + name[position + 1] + name[position] + name.slice(position + 2);
  if (kind === 1) return name.slice(0, position) + name.slice(position + 1);
  return name.slice(0, position) + name[position] + name.slice(position);
}

/**
 * Applies one variation in place when it fits the identity, and returns
 * whether it did (a day and month swap needs a day of 12 or less, a nickname
 * needs a first name with one).
 */
export function applyVariation(identity: ReportedIdentity, kind: VariationKind, random: SeededRandom): boolean {
  switch (kind) {
    case 'accents_dropped': {
      const before = JSON.stringify(identity);
      identity.firstName = dropAccents(identity.firstName);
      identity.middleName = dropAccents(identity.middleName);
      identity.lastName1 = dropAccents(identity.lastName1);
      identity.lastName2 = dropAccents(identity.lastName2);
      return JSON.stringify(identity) !== before;
    }
    case 'upper_case':
      identity.firstName = identity.firstName.toUpperCase();
      identity.middleName = identity.middleName.toUpperCase();
      identity.lastName1 = identity.lastName1.toUpperCase();
      identity.lastName2 = identity.lastName2.toUpperCase();
      return true;
    case 'surnames_swapped':
      if (!identity.lastName2) return false;
      [identity.lastName1, identity.lastName2] = [identity.lastName2, identity.lastName1];
      return true;
    case 'one_surname':
      if (!identity.lastName2) return false;
      identity.lastName2 = '';
      return true;
    case 'hyphenated':
      if (!identity.lastName2) return false;
      identity.lastName1 = `${identity.lastName1}-${identity.lastName2}`;
      identity.lastName2 = '';
      return identity.lastName1.length <= 50;
    case 'joined':
      if (!identity.lastName2) return false;
      identity.lastName1 = capitalize((identity.lastName1 + identity.lastName2).replace(/[\s-]/g, '').toLowerCase());
      identity.lastName2 = '';
      return true;
    case 'spelling_variant': {
      const useSurname = random.chance(0.6);
      const varied = spellingVariant(useSurname ? identity.lastName1 : identity.firstName, random);
      if (!varied) return false;
      if (useSurname) identity.lastName1 = varied;
      else identity.firstName = varied;
      return true;
    }
    case 'nickname': {
      const options = generatorNicknames[identity.firstName];
      if (!options) return false;
      identity.firstName = random.pick(options);
      return true;
    }
    case 'typo': {
      const useSurname = random.chance(0.5);
      const varied = typo(useSurname ? identity.lastName1 : identity.firstName, random);
      if (!varied) return false;
      if (useSurname) identity.lastName1 = varied;
      else identity.firstName = varied;
      return true;
    }
    case 'day_month_swapped': {
      const [year, month, day] = identity.birthDate.split('-');
      if (!year || !month || !day || Number(day) > 12 || month === day) return false;
      identity.birthDate = `${year}-${day}-${month}`;
      return true;
    }
  }
}
