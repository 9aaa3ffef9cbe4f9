import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  compareStudents,
  linkThreshold,
  missingFieldAllowance,
  type StudentIdentity,
  type ValueFrequencies,
} from '../api/records/linking/compare';
import { linkStudents, minStudentsForFrequencies, sqliteOf } from '../api/records/linking/link';
import { phoneticKey } from '../api/records/linking/names';
import { createFakeClock } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

const jose: StudentIdentity = {
  firstName: 'José',
  lastName1: 'García',
  lastName2: 'López',
  sex: 'Male',
  birthDate: '2012-03-04',
};

/** The same child's name with another day of the same month: a pair that the birth date alone does not settle. */
const joseOtherDay: StudentIdentity = { ...jose, birthDate: '2012-03-19' };

/** Frequencies where every name and birth date has the given share of the students on file. */
function everyValue(share: number): ValueFrequencies {
  return { firstName: () => share, surname: () => share, birthDate: () => share };
}

const field = (comparison: ReturnType<typeof compareStudents>, name: string) =>
  comparison.fields.find((entry) => entry.field === name);

describe('agreement weighted by how common the value is', () => {
  test('common name counts less than rare', () => {
    const fixed = compareStudents(jose, joseOtherDay);
    const common = compareStudents(jose, joseOtherDay, { frequencies: everyValue(1 / 15) });
    const rare = compareStudents(jose, joseOtherDay, { frequencies: everyValue(1 / 20_000) });
    expect(common.score).toBeLessThan(fixed.score);
    expect(rare.score).toBeGreaterThan(fixed.score);
    expect(fixed.decision).toBe('near_match');
    expect(common.decision).toBe('separate');
    expect(field(common, 'first_name')?.frequencyAdjustment).toBeLessThan(0);
    expect(field(rare, 'surnames')?.frequencyAdjustment).toBeGreaterThan(0);
  });

  test('reasons explain common value in words', () => {
    const common = compareStudents(jose, joseOtherDay, { frequencies: everyValue(1 / 15) });
    expect(field(common, 'first_name')?.detail).toBe(
      'First names are the same. It is a common value, so the agreement counts less.',
    );
    expect(JSON.stringify(common)).not.toMatch(/jos|garc|2012/i);
  });

  test('unknown frequency keeps fixed points', () => {
    const fixed = compareStudents(jose, jose);
    const unknown = compareStudents(jose, jose, {
      frequencies: { firstName: () => null, surname: () => null, birthDate: () => null },
    });
    expect(unknown.score).toBe(fixed.score);
    expect(fixed.score).toBe(14.5);
  });

  test('typo and nickname not weighted', () => {
    const pepe = { ...jose, firstName: 'Pepe' };
    const typo = { ...jose, firstName: 'Jsoé' };
    for (const other of [typo, pepe]) {
      const fixed = field(compareStudents(jose, other), 'first_name');
      const weighted = field(compareStudents(jose, other, { frequencies: everyValue(1 / 15) }), 'first_name');
      expect(weighted?.weight).toBe(fixed?.weight);
      expect(weighted?.frequencyAdjustment).toBeUndefined();
    }
  });
});

describe("near matches worth a person's time", () => {
  const oneSurnameDigitOff: StudentIdentity = { ...jose, lastName2: null, birthDate: '2012-03-05' };
  const common = { frequencies: everyValue(1 / 15) };

  test('one agreeing field alone stays separate', () => {
    const comparison = compareStudents(jose, oneSurnameDigitOff, common);
    expect(comparison.score).toBeGreaterThanOrEqual(comparison.thresholds.nearMatch);
    expect(comparison.decision).toBe('separate');
  });

  test('same mother makes it a near match', () => {
    const mother = { parent1FirstName: 'Rosa' };
    const comparison = compareStudents({ ...jose, ...mother }, { ...oneSurnameDigitOff, ...mother }, common);
    expect(comparison.decision).toBe('near_match');
  });
});

describe('missing values are neutral', () => {
  test('missing first name scores zero', () => {
    const noFirstName = { ...jose, firstName: '' };
    const comparison = compareStudents(jose, noFirstName);
    expect(field(comparison, 'first_name')).toMatchObject({ outcome: 'missing', weight: 0 });
    expect(comparison.score).toBe(10.5);
    expect(comparison.thresholds.link).toBe(linkThreshold - missingFieldAllowance);
    expect(comparison.decision).toBe('link');
  });

  test('different first name unlike missing', () => {
    const comparison = compareStudents(jose, { ...jose, firstName: 'Tomás' });
    expect(comparison.decision).not.toBe('link');
    expect(comparison.thresholds.link).toBe(linkThreshold);
  });

  test('missing birth date, common names separate', () => {
    const comparison = compareStudents(jose, { ...jose, birthDate: null }, { frequencies: everyValue(1 / 15) });
    expect(field(comparison, 'birth_date')?.outcome).toBe('missing');
    expect(comparison.decision).toBe('separate');
  });

  test('two missing fields keep threshold', () => {
    const comparison = compareStudents(jose, { ...jose, firstName: '', birthDate: null });
    expect(comparison.thresholds.link).toBe(linkThreshold);
    expect(comparison.decision).toBe('separate');
  });

  test('multiple birth without first name flagged', () => {
    const twin = { ...jose, multipleBirth: true };
    const comparison = compareStudents(twin, { ...twin, firstName: '' });
    expect(comparison.flags).toContain('possible_twin');
    expect(comparison.decision).toBe('near_match');
  });
});

describe('value counts kept by linking', () => {
  let testApp: TestApp;
  const clock = createFakeClock(new Date('2026-12-04T15:00:00Z'));
  let sequence = 0;

  beforeEach(() => {
    testApp = createTestApp({ clock });
  });
  afterEach(() => testApp.cleanup());

  function insertStudents(state: string, students: StudentIdentity[]): number[] {
    const insert = sqliteOf(testApp.database.db).prepare(
      `INSERT INTO students (state, state_student_id, first_name, last_name_1, last_name_2, sex, birth_date,
         multiple_birth, content_sha256, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'test', ?, ?)`,
    );
    const at = clock().toISOString();
    return sqliteOf(testApp.database.db).transaction(() =>
      students.map((student) => {
        sequence += 1;
        const result = insert.run(
          state,
          `${state}${sequence}`,
          student.firstName,
          student.lastName1,
          student.lastName2 ?? null,
          student.sex ?? 'Male',
          student.birthDate,
          at,
          at,
        );
        return Number(result.lastInsertRowid);
      }),
    )();
  }

  /** Builds a name of letters only, different for every number, so it is rare. */
  function rareName(index: number): string {
    let name = 'Q';
    for (let rest = index + 1; rest > 0; rest = Math.floor(rest / 20)) name += 'abdefgiklmnoprstuwyz'[rest % 20];
    return name;
  }

  function recordOf(studentId: number): number | null {
    const row = sqliteOf(testApp.database.db)
      .prepare('SELECT consolidated_record_id AS record FROM students WHERE id = ?')
      .get(studentId) as { record: number | null };
    return row.record;
  }

  function nearMatchCount(studentId: number): number {
    const row = sqliteOf(testApp.database.db)
      .prepare('SELECT count(*) AS n FROM record_near_matches WHERE student_a_id = ? OR student_b_id = ?')
      .get(studentId, studentId) as { n: number };
    return row.n;
  }

  test('large database weighs common names less', () => {
    // One student in eight is José García López; the rest have rare names. Birth years differ from the pair below.
    const onFile = Array.from({ length: minStudentsForFrequencies }, (_, index) =>
      index % 8 === 0
        ? { ...jose, birthDate: `2005-01-${String((index % 28) + 1).padStart(2, '0')}` }
        : {
            ...jose,
            firstName: rareName(index),
            lastName1: rareName(index + 50_000),
            lastName2: null,
            birthDate: '2004-06-01',
          },
    );
    linkStudents(testApp.database.db, insertStudents('OR', onFile), clock());

    const [californiaJose, californiaRare] = insertStudents('CA', [
      jose,
      { ...jose, firstName: 'Xochiquetzal', lastName1: 'Tzompaxtle', lastName2: 'Ixcamparij' },
    ]);
    const [texasJose, texasRare] = insertStudents('TX', [
      joseOtherDay,
      { ...joseOtherDay, firstName: 'Xochiquetzal', lastName1: 'Tzompaxtle', lastName2: 'Ixcamparij' },
    ]);
    linkStudents(testApp.database.db, [californiaJose as number, californiaRare as number], clock());
    linkStudents(testApp.database.db, [texasJose as number, texasRare as number], clock());

    expect(nearMatchCount(texasJose as number)).toBe(0);
    expect(recordOf(texasJose as number)).not.toBe(recordOf(californiaJose as number));
    // The same agreement on rare names is strong enough to link despite the other day.
    expect(recordOf(texasRare as number)).toBe(recordOf(californiaRare as number));
    const keys = sqliteOf(testApp.database.db)
      .prepare("SELECT count(*) AS n FROM record_blocking_keys WHERE key = 'fq:f:' || ?")
      .get(phoneticKey('jose')) as { n: number };
    expect(keys.n).toBe(minStudentsForFrequencies / 8 + 2);
  });
});
