/**
 * Synthetic records for all states: children who move between states, each
 * reported by every state they lived in, with the naming variation that
 * states really produce between them, twins, siblings and common names. The
 * true identity of each report is kept apart, for measuring linking.
 */
import {
  femaleFirstNames,
  foreignBirthPlaces,
  maleFirstNames,
  surnames,
  stateTowns,
  usBirthPlaces,
  courseTitles,
} from './name-lists';
import { SeededRandom, WeightedPicker } from './random';
import { stateWeights } from './state-weights';
import { applyVariation, dropAccents, type ReportedIdentity, type VariationKind } from './variations';

export type UploadFile =
  'students.csv' | 'qualifying_moves.csv' | 'enrollments.csv' | 'courses.csv' | 'assessments.csv';

/** The columns the generator writes, in order, for each upload file. */
export const generatedColumns: Readonly<Record<UploadFile, readonly string[]>> = {
  'students.csv': [
    'state_student_id',
    'state_student_id_type',
    'first_name',
    'middle_name',
    'last_name_1',
    'last_name_2',
    'suffix',
    'sex',
    'birth_date',
    'birth_date_verification',
    'multiple_birth',
    'birth_city',
    'birth_state',
    'birth_country',
    'parent1_first_name',
    'parent1_last_name',
    'parent2_first_name',
    'parent2_last_name',
    'parent1_email',
    'parent1_phone',
    'parent2_email',
    'parent2_phone',
  ],
  'qualifying_moves.csv': [
    'state_student_id',
    'qad',
    'from_city',
    'from_state',
    'from_country',
    'to_city',
    'to_state',
    'eligibility_expiration_date',
  ],
  'enrollments.csv': [
    'state_student_id',
    'enrollment_date',
    'enrollment_type',
    'school_or_project_name',
    'school_id',
    'district_id',
    'district_name',
    'facility_city',
    'facility_state',
    'grade_level',
    'withdrawal_date',
    'english_learner',
    'iep',
    'priority_for_services',
    'immunization_record',
    'med_alert',
    'residency_date',
    'graduation_hse',
    'graduation_hse_date',
    'comment',
  ],
  'courses.csv': [
    'state_student_id',
    'school_id',
    'course_title',
    'subject_area',
    'course_type',
    'begin_year',
    'end_year',
    'course_section',
    'term_type',
    'clock_hours',
    'grade_to_date',
    'credits_granted',
    'final_grade',
  ],
  'assessments.csv': [
    'state_student_id',
    'assessment_title',
    'assessment_content',
    'assessment_type',
    'administration_date',
    'reporting_method',
    'score',
    'interpretation',
  ],
};

/** Destination of generated rows: files on disk (writer.ts) or memory (the linking benchmark). */
export interface RecordSink {
  row(state: string, file: UploadFile, values: Readonly<Record<string, string>>): void;
  truth(state: string, stateStudentId: string, trueChildId: number): void;
}

export interface GenerateOptions {
  /** Number of distinct children (true identities); each is reported by one to four states. */
  children: number;
  seed: number;
  /** The day the data is generated for: birth dates, moves and enrollments fall before it. */
  today: Date;
}

export interface GenerateSummary {
  children: number;
  /** students.csv rows over all states. */
  reports: number;
  /** Children reported by two states or more. */
  childrenInSeveralStates: number;
  twinPairs: number;
  states: string[];
}

interface TrueChild {
  id: number;
  sex: 'Female' | 'Male';
  firstName: string;
  middleName: string;
  paternalSurname: string;
  maternalSurname: string;
  birthDate: string;
  multipleBirth: boolean;
  birthCity: string;
  birthState: string;
  birthCountry: string;
  parent1FirstName: string;
  parent2FirstName: string;
  parent2MaternalSurname: string;
  states: string[];
}

/** Share of children reported by 1, 2, 3 and 4 states. */
const stateCountWeights = [0.55, 0.3, 0.11, 0.04];
const twinShare = 0.02;
const siblingShare = 0.12;
/** Share of each number of variations in a report by a second or later state. */
const variationCountWeights = [0.3, 0.4, 0.22, 0.08];

/** Variations and how often each is chosen, when a report gets one. */
const variationKinds: readonly VariationKind[] = [
  'surnames_swapped',
  'one_surname',
  'hyphenated',
  'joined',
  'spelling_variant',
  'nickname',
  'typo',
  'day_month_swapped',
  'upper_case',
];
const variationWeights = [1.2, 1.5, 0.7, 0.4, 1.5, 1, 1.2, 0.7, 0.4];

const compoundFirstNames: Readonly<Record<'Female' | 'Male', readonly string[]>> = {
  Female: ['María Guadalupe', 'María José', 'Ana María', 'María Fernanda', 'Rosa María', 'María de los Ángeles'],
  Male: ['José Luis', 'Juan Carlos', 'Luis Ángel', 'José Manuel', 'Juan Pablo', 'Jesús Alberto'],
};

const interpretations = ['Advanced', 'Proficient', 'Basic', 'Below Basic', 'Not Proficient', 'Proficient or Above'];

const dayMs = 24 * 60 * 60 * 1000;

/** Generates the children and writes every state's reports into the sink; deterministic for a seed. */
export function generateRecords(options: GenerateOptions, sink: RecordSink): GenerateSummary {
  const generator = new Generator(options, sink);
  return generator.run();
}

class Generator {
  private readonly random: SeededRandom;
  private readonly female = WeightedPicker.zipf(femaleFirstNames, 0.9);
  private readonly male = WeightedPicker.zipf(maleFirstNames, 0.9);
  private readonly surname = WeightedPicker.zipf(surnames, 0.85);
  private readonly state: WeightedPicker<string>;
  private readonly stateCount = new WeightedPicker([1, 2, 3, 4], stateCountWeights);
  private readonly variationCount = new WeightedPicker([0, 1, 2, 3], variationCountWeights);
  private readonly variation = new WeightedPicker(variationKinds, variationWeights);
  private readonly nextId = new Map<string, number>();
  private readonly today: string;
  private readonly summary: GenerateSummary;

  constructor(
    private readonly options: GenerateOptions,
    private readonly sink: RecordSink,
  ) {
    this.random = new SeededRandom(options.seed);
    const states = Object.keys(stateWeights);
    this.state = new WeightedPicker(
      states,
      states.map((code) => stateWeights[code] ?? 0),
    );
    this.today = isoDate(options.today);
    this.summary = { children: 0, reports: 0, childrenInSeveralStates: 0, twinPairs: 0, states: [] };
  }

  run(): GenerateSummary {
    const states = new Set<string>();
    while (this.summary.children < this.options.children) {
      const family = this.family();
      for (const child of family) {
        if (this.summary.children >= this.options.children) break;
        this.summary.children++;
        child.id = this.summary.children;
        if (child.states.length > 1) this.summary.childrenInSeveralStates++;
        this.report(child);
        for (const state of child.states) states.add(state);
      }
    }
    this.summary.states = [...states].sort();
    return this.summary;
  }

  /** Creates one child, twins, or a child and a sibling, who share surnames, parents and moves. */
  private family(): TrueChild[] {
    const first = this.child();
    if (this.random.chance(twinShare)) {
      first.multipleBirth = true;
      const twin = { ...this.child(), ...sharedFamily(first), birthDate: first.birthDate, multipleBirth: true };
      twin.birthCity = first.birthCity;
      twin.birthState = first.birthState;
      twin.birthCountry = first.birthCountry;
      while (dropAccents(twin.firstName) === dropAccents(first.firstName)) twin.firstName = this.firstName(twin.sex);
      this.summary.twinPairs++;
      return [first, twin];
    }
    if (this.random.chance(siblingShare)) {
      const sibling = { ...this.child(), ...sharedFamily(first) };
      sibling.birthDate = addDays(first.birthDate, this.random.integer(500, 2000));
      if (sibling.birthDate >= addDays(this.today, -3 * 365)) sibling.birthDate = addDays(first.birthDate, -600);
      return [first, sibling];
    }
    return [first];
  }

  private child(): TrueChild {
    const sex = this.random.chance(0.5) ? 'Female' : 'Male';
    const compound = this.random.chance(0.15);
    const firstName = compound ? this.random.pick(compoundFirstNames[sex]) : this.firstName(sex);
    const middleName = !compound && this.random.chance(0.3) ? this.firstName(sex) : '';
    const ageDays = this.random.integer(3 * 365 + 30, 18 * 365);
    const abroad = this.random.chance(0.4);
    const [birthCity, region] = abroad ? this.random.pick(foreignBirthPlaces) : this.random.pick(usBirthPlaces);
    const stateCount = this.stateCount.pick(this.random);
    const states: string[] = [];
    while (states.length < stateCount) {
      const state = this.state.pick(this.random);
      if (!states.includes(state)) states.push(state);
    }
    const paternalSurname = this.surname.pick(this.random);
    let maternalSurname = this.surname.pick(this.random);
    while (maternalSurname === paternalSurname) maternalSurname = this.surname.pick(this.random);
    return {
      id: 0,
      sex,
      firstName,
      middleName: middleName === firstName ? '' : middleName,
      paternalSurname,
      maternalSurname,
      birthDate: addDays(this.today, -ageDays),
      multipleBirth: false,
      birthCity,
      birthState: abroad ? '' : region,
      birthCountry: abroad ? region : '',
      parent1FirstName: this.male.pick(this.random),
      parent2FirstName: this.female.pick(this.random),
      parent2MaternalSurname: this.surname.pick(this.random),
      states,
    };
  }

  private firstName(sex: 'Female' | 'Male'): string {
    return (sex === 'Female' ? this.female : this.male).pick(this.random);
  }

  /** Writes one report of the child per state it lived in, oldest stay first. */
  private report(child: TrueChild): void {
    // Each stay starts with a qualifying move; the last one ended within the past ten months.
    const arrivals: string[] = [];
    let arrival = addDays(this.today, -this.random.integer(20, 300));
    for (let index = child.states.length - 1; index >= 0; index--) {
      arrivals[index] = arrival;
      arrival = addDays(arrival, -this.random.integer(120, 420));
    }
    const earliestArrival = addDays(child.birthDate, 30);
    for (let index = 0; index < child.states.length; index++) {
      const state = child.states[index] as string;
      const qad = maxDate(arrivals[index] as string, earliestArrival);
      const nextArrival = arrivals[index + 1];
      const departure =
        nextArrival && nextArrival > addDays(qad, 14) ? addDays(nextArrival, -this.random.integer(1, 10)) : '';
      const previous = index > 0 ? child.states[index - 1] : undefined;
      this.writeReport(child, state, index, qad, departure, previous);
    }
  }

  private writeReport(
    child: TrueChild,
    state: string,
    index: number,
    qad: string,
    departure: string,
    previousState: string | undefined,
  ): void {
    const id = this.stateStudentId(state);
    this.summary.reports++;
    this.sink.truth(state, id, child.id);

    const identity: ReportedIdentity = {
      firstName: child.firstName,
      middleName: child.middleName,
      lastName1: child.paternalSurname,
      lastName2: child.maternalSurname,
      birthDate: child.birthDate,
    };
    if (this.random.chance(0.45)) applyVariation(identity, 'accents_dropped', this.random);
    if (this.random.chance(0.12)) applyVariation(identity, 'one_surname', this.random);
    // The first state to report a child is the reference; later states add the variations linking must handle.
    let variations = this.variationCount.pick(this.random);
    if (index === 0) variations = this.random.chance(0.15) ? 1 : 0;
    for (let applied = 0, tries = 0; applied < variations && tries < 10; tries++) {
      if (applyVariation(identity, this.variation.pick(this.random), this.random)) applied++;
    }

    const parentsKnown = this.random.chance(0.7);
    const birthPlaceKnown = this.random.chance(0.75);
    this.sink.row(state, 'students.csv', {
      state_student_id: id,
      state_student_id_type: this.random.chance(0.7) ? '01' : '02',
      first_name: identity.firstName,
      middle_name: identity.middleName,
      last_name_1: identity.lastName1,
      last_name_2: identity.lastName2,
      suffix: '',
      sex: this.random.chance(0.8) ? child.sex : child.sex.slice(0, 1),
      birth_date: identity.birthDate,
      birth_date_verification: this.random.pick(['1004', '1004', '1003', '1007', '1010']),
      multiple_birth: child.multipleBirth ? 'Yes' : 'No',
      birth_city: birthPlaceKnown ? child.birthCity : '',
      birth_state: birthPlaceKnown ? child.birthState : '',
      birth_country: birthPlaceKnown ? child.birthCountry : '',
      parent1_first_name: parentsKnown ? child.parent1FirstName : '',
      parent1_last_name: parentsKnown ? child.paternalSurname : '',
      parent2_first_name: parentsKnown && this.random.chance(0.8) ? child.parent2FirstName : '',
      parent2_last_name: parentsKnown ? child.maternalSurname : '',
      parent1_email: '',
      parent1_phone:
        parentsKnown && this.random.chance(0.5)
          ? `555${String(this.random.integer(0, 9_999_999)).padStart(7, '0')}`
          : '',
      parent2_email: '',
      parent2_phone: '',
    });

    const toCity = this.random.pick(townsIn(state));
    const [fromCity, fromRegion] = previousState
      ? [this.random.pick(townsIn(previousState)), previousState]
      : this.random.pick(foreignBirthPlaces);
    this.sink.row(state, 'qualifying_moves.csv', {
      state_student_id: id,
      qad,
      from_city: fromCity,
      from_state: previousState ? fromRegion : '',
      from_country: previousState ? '' : fromRegion,
      to_city: toCity,
      to_state: state,
      eligibility_expiration_date: addMonths(qad, 36),
    });

    const enrolled = minDate(addDays(qad, this.random.integer(1, 14)), this.today);
    const grade = gradeLevel(child.birthDate, enrolled);
    const schoolId = this.digits(12);
    const withdrawal = departure && departure >= enrolled ? departure : '';
    this.sink.row(state, 'enrollments.csv', {
      state_student_id: id,
      enrollment_date: enrolled,
      enrollment_type: this.random.chance(0.85) ? '01' : '02',
      school_or_project_name: `${toCity} ${schoolKind(grade)}`,
      school_id: schoolId,
      district_id: this.digits(7),
      district_name: `${toCity} Unified School District`,
      facility_city: toCity,
      facility_state: state,
      grade_level: grade,
      withdrawal_date: withdrawal,
      english_learner: this.random.chance(0.6) ? 'Yes' : 'No',
      iep: this.random.chance(0.1) ? 'Yes' : 'No',
      priority_for_services: this.random.chance(0.3) ? 'Yes' : 'No',
      immunization_record: this.random.chance(0.8) ? 'Yes' : 'No',
      med_alert: this.random.pick(['None', 'None', 'None', 'Chronic', 'Acute']),
      residency_date: qad,
      graduation_hse: '',
      graduation_hse_date: '',
      comment: '',
    });

    if (['09', '10', '11', '12'].includes(grade)) this.writeCourses(id, state, schoolId, enrolled, withdrawal);
    if (ageOn(child.birthDate, enrolled) >= 8) this.writeAssessment(id, state, enrolled);
  }

  /** Courses of a secondary student: in progress at this school (clock hours, grade to date) and one finished earlier. */
  private writeCourses(id: string, state: string, schoolId: string, enrolled: string, withdrawal: string): void {
    const year = Number(enrolled.slice(0, 4));
    const beginYear = Number(enrolled.slice(5, 7)) >= 8 ? year : year - 1;
    const titles = new Set<number>();
    while (titles.size < 3) titles.add(this.random.integer(0, courseTitles.length - 1));
    for (const titleIndex of titles) {
      const [title, subject] = courseTitles[titleIndex] as readonly [string, string];
      this.sink.row(state, 'courses.csv', {
        state_student_id: id,
        school_id: schoolId,
        course_title: title,
        subject_area: subject,
        course_type: 'Regular',
        begin_year: String(beginYear),
        end_year: String(beginYear + 1),
        course_section: 'FY',
        term_type: '0827',
        clock_hours: String(this.random.integer(withdrawal ? 20 : 40, 130)),
        grade_to_date: this.random.pick(['A', 'B', 'C', 'D']),
        credits_granted: '',
        final_grade: '',
      });
    }
    const [title, subject] = this.random.pick(courseTitles);
    this.sink.row(state, 'courses.csv', {
      state_student_id: id,
      school_id: '',
      course_title: title,
      subject_area: subject,
      course_type: this.random.chance(0.9) ? 'Regular' : 'Honors',
      begin_year: String(beginYear - 1),
      end_year: String(beginYear),
      course_section: this.random.pick(['FY', 'A', 'B']),
      term_type: '0828',
      clock_hours: '',
      grade_to_date: '',
      credits_granted: this.random.pick(['0.50', '1.00', '1.00']),
      final_grade: this.random.pick(['A', 'B', 'C', 'D']),
    });
  }

  private writeAssessment(id: string, state: string, enrolled: string): void {
    const month = minDate(addMonths(enrolled, 1), this.today).slice(0, 7);
    const subject = this.random.pick(['Reading', 'Mathematics']);
    this.sink.row(state, 'assessments.csv', {
      state_student_id: id,
      assessment_title: `${state} State ${subject} Assessment`,
      assessment_content: subject,
      assessment_type: '01',
      administration_date: month,
      reporting_method: '3479',
      score: String(this.random.integer(250, 550)),
      interpretation: this.random.pick(interpretations),
    });
  }

  /**
   * Returns a new state student ID: the state code and nine digits, unique within the state and not in
   * generation order. The seed shifts the numbers, so files generated with another seed (the demo data
   * uses its own) rarely reuse an ID on file, which would replace that student.
   */
  private stateStudentId(state: string): string {
    const sequence = (this.nextId.get(state) ?? 0) + 1;
    this.nextId.set(state, sequence);
    // Multiplying by a number prime to 10^9 spreads the sequence over nine digits without repeats.
    const stateOffset = state.charCodeAt(0) * 7919 + state.charCodeAt(1) * 104_729;
    const offset = (stateOffset + (this.options.seed % 1_000_000_000) * 7_777_777) % 1_000_000_000;
    const spread = (sequence * 387_420_489 + offset) % 1_000_000_000;
    return `${state}${String(spread).padStart(9, '0')}`;
  }

  private digits(length: number): string {
    let value = String(this.random.integer(1, 9));
    while (value.length < length) value += String(this.random.integer(0, 9));
    return value;
  }
}

function sharedFamily(child: TrueChild): Partial<TrueChild> {
  return {
    paternalSurname: child.paternalSurname,
    maternalSurname: child.maternalSurname,
    parent1FirstName: child.parent1FirstName,
    parent2FirstName: child.parent2FirstName,
    parent2MaternalSurname: child.parent2MaternalSurname,
    states: child.states,
  };
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs));
}

function addMonths(date: string, months: number): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  const day = parsed.getUTCDate();
  parsed.setUTCDate(1);
  parsed.setUTCMonth(parsed.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(parsed.getUTCFullYear(), parsed.getUTCMonth() + 1, 0)).getUTCDate();
  parsed.setUTCDate(Math.min(day, lastDay));
  return isoDate(parsed);
}

function maxDate(left: string, right: string): string {
  return left > right ? left : right;
}

function minDate(left: string, right: string): string {
  return left < right ? left : right;
}

function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function gradeLevel(birthDate: string, day: string): string {
  const age = ageOn(birthDate, day);
  if (age <= 4) return 'PK';
  if (age === 5) return 'KG';
  return String(Math.min(12, age - 5)).padStart(2, '0');
}

function schoolKind(grade: string): string {
  if (grade === 'PK' || grade === 'KG' || Number(grade) <= 5) return 'Elementary School';
  if (Number(grade) <= 8) return 'Middle School';
  return 'High School';
}

/** Lists the towns of a state for its qualifying moves; a state without towns on the list gets the birthplaces' cities. */
function townsIn(state: string): readonly string[] {
  return stateTowns[state] ?? usBirthPlaces.map(([city]) => city);
}
