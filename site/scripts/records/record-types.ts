/** Shapes of the records search and consolidated record API responses, as the pages use them. */

export interface SearchResult {
  msixId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  birthDate: string;
  sex: string;
  states: string[];
  score: number;
  reasons: string[];
}

export interface SearchResponse {
  total: number;
  tooBroad: boolean;
  results: SearchResult[];
}

export interface ReportedIdentity {
  studentId: number;
  state: string;
  stateStudentId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  suffix: string | null;
  sex: string;
  birthDate: string;
  birthDateVerification: string | null;
  multipleBirth: boolean;
  birthCity: string | null;
  birthState: string | null;
  birthCountry: string | null;
  parent1FirstName: string | null;
  parent1LastName: string | null;
  parent2FirstName: string | null;
  parent2LastName: string | null;
  updatedAt: string;
}

export type MergedIdentity = Omit<ReportedIdentity, 'studentId' | 'state' | 'stateStudentId' | 'updatedAt'>;

export type Row = Record<string, string | number | boolean | null>;

export interface FieldComparison {
  field: string;
  outcome: 'agree' | 'partial' | 'disagree' | 'missing';
  detail: string;
}

export interface StudentComparison {
  score: number;
  decision: 'link' | 'near_match' | 'separate';
  flags: string[];
  fields: FieldComparison[];
  thresholds: { link: number; nearMatch: number };
}

export interface LinkReasons {
  students: {
    studentId: number;
    state: string;
    stateStudentId: string;
    score: number | null;
    decidedAt: string;
    reasons: { outcome: 'new_record' | 'linked'; summary: string; comparison: StudentComparison | null };
  }[];
  nearMatches: {
    id: number;
    studentAId: number;
    studentBId: number;
    status: 'open' | 'confirmed' | 'rejected';
    score: number;
    createdAt: string;
    reasons: StudentComparison;
  }[];
}

export interface ConsolidatedRecord {
  msixId: string;
  requestedMsixId: string | null;
  states: string[];
  identity: { merged: MergedIdentity; reported: ReportedIdentity[] };
  qualifyingMoves: Row[];
  enrollments: Row[];
  courses: Row[];
  assessments: Row[];
  linkReasons: LinkReasons;
}

export interface AccessLogEntry {
  at: string;
  action: 'records.view' | 'records.print';
  personName: string | null;
  personEmail: string | null;
  personRole: string | null;
  personState: string | null;
  purpose: string;
  purposeText: string | null;
  msixId: string;
}
