import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { compareStudents, type StudentComparison, type StudentIdentity } from '../api/records/linking/compare';
import { nameKeys, normalizeName, phoneticKey } from '../api/records/linking/names';
import { NicknameIndex } from '../api/records/linking/nickname-index';
import { loadNicknameIndex } from '../api/records/linking/nicknames';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

/** One child as the first state reported it; each test changes what a second state wrote differently. */
const reference: StudentIdentity = {
  firstName: 'José',
  middleName: null,
  lastName1: 'Hernández',
  lastName2: 'López',
  sex: 'Male',
  birthDate: '2012-03-07',
  multipleBirth: false,
  birthCity: 'Salinas',
  birthState: 'CA',
  birthCountry: null,
  parent1FirstName: 'Rafael',
  parent1LastName: 'Hernández',
  parent2FirstName: 'Rosa',
  parent2LastName: 'López',
};

let testApp: TestApp;
let nicknames: NicknameIndex;

beforeEach(() => {
  testApp = createTestApp();
  nicknames = loadNicknameIndex(testApp.database.db);
});

afterEach(() => testApp.cleanup());

function compareWithReference(changes: Partial<StudentIdentity>): StudentComparison {
  return compareStudents(reference, { ...reference, ...changes }, { nicknames });
}

function fieldOf(comparison: StudentComparison, name: string) {
  const found = comparison.fields.find((field) => field.field === name);
  if (!found) throw new Error(`no ${name} in the comparison`);
  return found;
}

describe('surnames', () => {
  test('two surnames in the first field', () => {
    const comparison = compareWithReference({ lastName1: 'Hernández López', lastName2: null });
    expect(fieldOf(comparison, 'surnames').outcome).toBe('agree');
    expect(comparison.decision).toBe('link');
  });

  test('two surnames in the second field', () => {
    const comparison = compareWithReference({ lastName1: 'Hernández', lastName2: 'López' });
    const other = compareStudents(
      reference,
      { ...reference, lastName1: 'Hernández López', lastName2: null },
      { nicknames },
    );
    expect(fieldOf(comparison, 'surnames').outcome).toBe('agree');
    expect(fieldOf(other, 'surnames').outcome).toBe('agree');
  });

  test('surnames swapped between the fields', () => {
    const comparison = compareWithReference({ lastName1: 'López', lastName2: 'Hernández' });
    expect(fieldOf(comparison, 'surnames').method).toBe('swapped');
    expect(comparison.decision).toBe('link');
  });

  test('hyphenated surnames in one field', () => {
    const comparison = compareWithReference({ lastName1: 'Hernández-López', lastName2: null });
    expect(fieldOf(comparison, 'surnames').outcome).toBe('agree');
    expect(comparison.decision).toBe('link');
  });

  test('surnames joined in one word', () => {
    const comparison = compareWithReference({ lastName1: 'HERNANDEZLOPEZ', lastName2: null });
    expect(fieldOf(comparison, 'surnames').method).toBe('joined');
    expect(comparison.decision).toBe('link');
  });

  test('surnames joined with a particle', () => {
    const child = { ...reference, lastName1: 'Pérez', lastName2: 'de la Cruz' };
    const comparison = compareStudents(child, { ...child, lastName1: 'Delacruzperez', lastName2: null }, { nicknames });
    expect(fieldOf(comparison, 'surnames').method).toBe('joined');
  });

  test('only one surname given', () => {
    const comparison = compareWithReference({ lastName2: null });
    expect(fieldOf(comparison, 'surnames').method).toBe('one_surname');
    expect(comparison.decision).toBe('link');
  });

  test('only the maternal surname given', () => {
    const comparison = compareWithReference({ lastName1: 'Lopez', lastName2: null });
    expect(fieldOf(comparison, 'surnames').method).toBe('one_surname');
    expect(comparison.decision).toBe('link');
  });

  test('one surname joined, the other given alone', () => {
    const comparison = compareStudents(
      { ...reference, lastName1: 'Hernandezlopez', lastName2: null },
      { ...reference, lastName2: null },
      { nicknames },
    );
    expect(fieldOf(comparison, 'surnames').outcome).not.toBe('disagree');
  });

  test('different maternal surname prevents a link', () => {
    const unknownFamily = { birthCity: null, birthState: null, parent1FirstName: null, parent1LastName: null };
    const child = { ...reference, ...unknownFamily, parent2FirstName: null, parent2LastName: null };
    const comparison = compareStudents(child, { ...child, lastName2: 'Galván' }, { nicknames });
    expect(fieldOf(comparison, 'surnames').method).toBe('one_of_two');
    expect(comparison.decision).not.toBe('link');
  });
});

describe('normalization', () => {
  test('accents and case folded', () => {
    expect(normalizeName('JOSÉ')).toBe('jose');
    expect(normalizeName('Núñez-Peña')).toBe('nunez pena');
    const comparison = compareWithReference({ firstName: 'JOSE', lastName1: 'HERNANDEZ', lastName2: 'LOPEZ' });
    expect(fieldOf(comparison, 'first_name').method).toBe('exact');
    expect(fieldOf(comparison, 'surnames').method).toBe('exact');
  });

  test('particles de, del, de la, de los and y', () => {
    expect(normalizeName('de la Cruz')).toBe('cruz');
    expect(normalizeName('Del Río')).toBe('rio');
    expect(normalizeName('de los Santos')).toBe('santos');
    expect(normalizeName('García y López')).toBe('garcia lopez');
    expect(normalizeName('van der Berg')).toBe('berg');
    const comparison = compareWithReference({ lastName1: 'Hernández y López', lastName2: null });
    expect(fieldOf(comparison, 'surnames').outcome).toBe('agree');
  });

  test('a name made only of particles is kept', () => {
    expect(normalizeName('De')).toBe('de');
  });

  test('name keys agree across variants', () => {
    const keys = nameKeys({ firstName: 'Jose', lastName1: 'Hernandez-Lopez' });
    expect(keys).toEqual(
      expect.arrayContaining(nameKeys({ firstName: 'JOSÉ', lastName1: 'Ernández', lastName2: 'Lópes' })),
    );
  });
});

describe('Spanish spelling variants', () => {
  const cases: [string, string, string][] = [
    ['b and v', 'Valverde', 'Balberde'],
    ['s and z', 'González', 'Gonsales'],
    ['c before e or i and s', 'Cecilia', 'Sesilia'],
    ['g before e or i and j', 'Gimena', 'Jimena'],
    ['x and j', 'Ximénez', 'Jiménez'],
    ['ll and y', 'Castillo', 'Castiyo'],
    ['silent h', 'Hernández', 'Ernandez'],
    ['qu and k', 'Quintero', 'Kintero'],
    ['gu and w', 'Guadalupe', 'Wadalupe'],
    ['hu and w', 'Huerta', 'Werta'],
    ['ñ and n', 'Peña', 'Pena'],
  ];

  for (const [label, written, variant] of cases) {
    test(`${label}: ${written} and ${variant}`, () => {
      expect(phoneticKey(variant)).toBe(phoneticKey(written));
    });
  }

  test('variant surname still links', () => {
    const comparison = compareWithReference({ lastName1: 'Ernandes', lastName2: 'Lopes' });
    expect(fieldOf(comparison, 'surnames').method).toBe('phonetic');
    expect(comparison.decision).toBe('link');
  });

  test('variant first name still links', () => {
    const child = { ...reference, firstName: 'Xavier' };
    const comparison = compareStudents(child, { ...child, firstName: 'Javier' }, { nicknames });
    expect(fieldOf(comparison, 'first_name').method).toBe('phonetic');
    expect(comparison.decision).toBe('link');
  });

  test('gu before e or i and a misspelled g', () => {
    const child = { ...reference, firstName: 'Guillermo' };
    const comparison = compareStudents(child, { ...child, firstName: 'Gillermo' }, { nicknames });
    expect(fieldOf(comparison, 'first_name').outcome).toBe('agree');
  });
});

describe('nicknames', () => {
  test('seeded nickname José and Pepe', () => {
    const comparison = compareWithReference({ firstName: 'Pepe' });
    expect(fieldOf(comparison, 'first_name').method).toBe('nickname');
    expect(comparison.decision).toBe('link');
  });

  test('seeded nicknames Guadalupe and Lupe, Francisco and Paco, Jesús and Chuy', () => {
    for (const [full, nickname] of [
      ['Guadalupe', 'Lupe'],
      ['Francisco', 'Paco'],
      ['Francisco', 'Pancho'],
      ['Jesús', 'Chuy'],
      ['Ignacio', 'Nacho'],
      ['Elizabeth', 'Liz'],
      ['William', 'Bill'],
    ] as const) {
      const comparison = compareStudents(
        { ...reference, firstName: full },
        { ...reference, firstName: nickname },
        { nicknames },
      );
      expect(fieldOf(comparison, 'first_name').method, `${full} and ${nickname}`).toBe('nickname');
    }
  });

  test('two nicknames of one name', () => {
    const comparison = compareWithReference({ firstName: 'Pepe' });
    const other = compareStudents(
      { ...reference, firstName: 'Chepe' },
      { ...reference, firstName: 'Pepe' },
      { nicknames },
    );
    expect(comparison.decision).toBe('link');
    expect(fieldOf(other, 'first_name').method).toBe('nickname');
  });

  test('nickname added by an admin', async () => {
    const child = { ...reference, firstName: 'Maximiliano' };
    const before = compareStudents(child, { ...child, firstName: 'Chano' }, { nicknames });
    expect(fieldOf(before, 'first_name').outcome).toBe('disagree');

    const db = testApp.database.db;
    const admin = await createPerson(db, { role: 'admin' });
    const cookie = await signInAs(testApp.app, admin);
    const response = await sendJson(testApp.app, 'POST', '/api/record-nicknames', {
      cookie,
      body: { fullName: 'Maximiliano', nickname: 'Chano' },
    });
    expect(response.status).toBe(201);

    const after = compareStudents(child, { ...child, firstName: 'Chano' }, { nicknames: loadNicknameIndex(db) });
    expect(fieldOf(after, 'first_name').method).toBe('nickname');
    expect(after.decision).toBe('link');
  });
});

describe('typos', () => {
  test('typo in the first name', () => {
    const comparison = compareWithReference({ firstName: 'Jsoe' });
    expect(fieldOf(comparison, 'first_name').method).toBe('typo');
    expect(comparison.decision).toBe('link');
  });

  test('typo in a surname', () => {
    const comparison = compareWithReference({ lastName1: 'Hernadnez' });
    expect(fieldOf(comparison, 'surnames').outcome).toBe('agree');
    expect(comparison.decision).toBe('link');
  });

  test('different first name is no typo', () => {
    const comparison = compareWithReference({ firstName: 'Pedro' });
    expect(fieldOf(comparison, 'first_name').outcome).toBe('disagree');
    expect(comparison.decision).not.toBe('link');
  });
});

describe('birth dates', () => {
  test('day and month swapped', () => {
    const comparison = compareWithReference({ birthDate: '2012-07-03' });
    expect(fieldOf(comparison, 'birth_date').method).toBe('day_month_swapped');
    expect(comparison.decision).toBe('link');
  });

  test('one digit off in the day', () => {
    const comparison = compareWithReference({ birthDate: '2012-03-08' });
    expect(fieldOf(comparison, 'birth_date').method).toBe('one_digit_off');
  });

  test('year off by several years', () => {
    const comparison = compareWithReference({ birthDate: '2015-03-07' });
    expect(fieldOf(comparison, 'birth_date').outcome).toBe('disagree');
    expect(comparison.decision).not.toBe('link');
  });
});

describe('first names', () => {
  test('compound first name and its first part', () => {
    const child = { ...reference, firstName: 'José Luis' };
    const comparison = compareStudents(child, { ...child, firstName: 'Jose' }, { nicknames });
    expect(fieldOf(comparison, 'first_name').method).toBe('compound_first_name');
    expect(comparison.decision).toBe('link');
  });

  test('middle name used as first name', () => {
    const child = { ...reference, firstName: 'María', middleName: 'Guadalupe', sex: 'Female' };
    const comparison = compareStudents(child, { ...child, firstName: 'Guadalupe', middleName: null }, { nicknames });
    expect(fieldOf(comparison, 'first_name').method).toBe('middle_name');
  });

  test('first name and surname swapped', () => {
    const comparison = compareStudents(
      { firstName: 'Rybak', lastName1: 'Jassim', birthDate: '1984-07-06' },
      { firstName: 'Jassim', lastName1: 'Rybak', birthDate: '1984-07-06' },
    );
    expect(fieldOf(comparison, 'first_name').method).toBe('swapped_with_surname');
    expect(fieldOf(comparison, 'surnames').method).toBe('swapped_with_first_name');
  });
});
