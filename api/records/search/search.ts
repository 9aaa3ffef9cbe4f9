/**
 * The records search: finds consolidated records by name parts, birth date,
 * sex, state, MSIX ID or state student ID, tolerant of typos and spelling
 * variants, ranked with the reasons for each match. Results carry only what
 * identifies the child. Every search writes a `records.search` audit row with
 * the purpose and the number of results, never the names or dates searched.
 */
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { connectionOf } from './connection';
import type { AppDatabase } from '../../../db/client';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { recordUsage } from '../../dashboard/usage';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { nameTokens, phoneticKey } from '../linking/names';
import { requireRecordsAccess } from '../access';
import {
  deletionVariants,
  givenSurnameKey,
  givenSurnameYearKey,
  minimumTypoLength,
  stateStudentIdKey,
  surnameKey,
  surnameYearKey,
} from './keys';
import { loadNicknameEquivalents, type NicknameEquivalents } from './nicknames';
import { describePurpose, purposeFields, requireOtherText } from './purpose';
import { isCalendarDate, isWithinOneEdit, minimumScore, rankStudent, swapDayAndMonth, type RankQuery } from './score';

/** Maximum number of results returned; `total` reports how many matched. */
export const maximumResults = 50;

/** Most candidate students ranked for one search; broader searches ask the person to add a field. */
export const maximumCandidates = 5000;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalText = (maximum: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(maximum, `must be at most ${maximum} characters`).optional());

export const searchSchema = z
  .object({
    ...purposeFields,
    firstName: optionalText(100),
    lastName: optionalText(101),
    birthDate: z.preprocess(
      blankToUndefined,
      z.string().trim().refine(isCalendarDate, 'must be a date written YYYY-MM-DD, such as 2014-03-27').optional(),
    ),
    sex: z.preprocess(blankToUndefined, z.enum(['Female', 'Male']).optional()),
    state: z.preprocess(
      (value) => (typeof value === 'string' ? blankToUndefined(value.toUpperCase()) : value),
      z.enum(stateCodes).optional(),
    ),
    msixId: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^\d{12}$/, 'must be the 12 digits of an MSIX ID')
        .optional(),
    ),
    stateStudentId: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{1,15}$/, 'must be 1 to 15 letters and digits')
        .optional(),
    ),
  })
  .strict()
  .superRefine(requireOtherText);

export type SearchInput = z.infer<typeof searchSchema>;

export interface SearchResult {
  msixId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  birthDate: string;
  sex: string;
  /** USPS codes of the states that reported the child, sorted. */
  states: string[];
  /** 0 to 100. */
  score: number;
  reasons: string[];
}

export interface SearchResponse {
  total: number;
  /** True when more than `maximumCandidates` students matched, so the total is a lower bound. */
  tooBroad: boolean;
  results: SearchResult[];
}

/** A consolidated record during ranking: its best-scoring student and the states seen so far. */
interface RankedRecord {
  recordId: number;
  best: SearchResult;
  states: Set<string>;
}

interface CandidateRow {
  id: number;
  recordId: number;
  state: string;
  stateStudentId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  sex: string;
  birthDate: string;
}

/** Runs a search for a person with records access and writes its audit row. */
export function searchRecords(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext): SearchResponse {
  // The input is checked first: its problems reveal nothing about the records.
  const search = parseInput(searchSchema, input);
  requireEnoughToSearch(search);
  requireRecordsAccess(actor, 'viewer');

  const response = runSearch(connectionOf(db), search);
  db.transaction((tx) => {
    recordAudit(tx, {
      actor,
      ip: context.ip,
      requestId: context.requestId,
      at: context.now,
      action: 'records.search',
      objectType: 'record_search',
      outcome: 'success',
      detail: `results=${response.total} ${describePurpose(search)}`,
    });
    recordUsage(tx, 'records.search', actor, context.now);
  });
  return response;
}

function requireEnoughToSearch(search: SearchInput): void {
  if (search.lastName || search.birthDate || search.msixId || search.stateStudentId) return;
  throw new AppError(
    400,
    'search_too_broad',
    'Give at least a last name, a birth date, an MSIX ID or a state student ID. A first name, sex or state alone would match too many children.',
  );
}

/**
 * A result at least this good from the birth-date pass means the child was
 * found, so the name words are not expanded to their typo neighbours.
 */
const confidentScore = 75;

/**
 * Finds, ranks and trims the results, and writes nothing. The benchmark calls
 * it directly. With a birth date, the first pass looks up the names as entered
 * (spelling variants and nicknames included) and everyone born that day. That
 * already finds a child whose name has a typo, so the typo neighbours of the
 * name words are added in a second pass only when nothing scores
 * `confidentScore`.
 */
export function runSearch(sqlite: Database, search: Omit<SearchInput, 'purpose' | 'purposeText'>): SearchResponse {
  const nicknames = loadNicknameEquivalents(sqlite);
  const query: RankQuery = {
    givenTokens: nameTokens(search.firstName),
    surnameTokens: nameTokens(search.lastName),
    birthDate: search.birthDate,
    sex: search.sex,
  };

  if (search.birthDate) {
    const first = rankCandidates(sqlite, search, query, nicknames, false);
    if (first.results.some((result) => result.score >= confidentScore)) return first;
  }
  return rankCandidates(sqlite, search, query, nicknames, true);
}

function rankCandidates(
  sqlite: Database,
  search: Omit<SearchInput, 'purpose' | 'purposeText'>,
  query: RankQuery,
  nicknames: NicknameEquivalents,
  expandTypos: boolean,
): SearchResponse {
  const candidateIds = findCandidateStudents(sqlite, search, query, nicknames, expandTypos);
  const tooBroad = candidateIds.length > maximumCandidates;
  const rows = readCandidates(sqlite, candidateIds.slice(0, maximumCandidates));

  const exactLookup = Boolean(search.msixId || search.stateStudentId);
  const byRecord = new Map<number, RankedRecord>();
  for (const row of rows) {
    const ranked = rankStudent(query, row, nicknames);
    if (search.msixId) ranked.reasons.unshift('MSIX ID matches');
    if (search.stateStudentId) ranked.reasons.unshift(`State student ID matches (${row.state})`);
    const entry = byRecord.get(row.recordId);
    if (entry) entry.states.add(row.state);
    if (entry && entry.best.score >= ranked.score) continue;
    const best: SearchResult = {
      // Filled in by completeRecords for the records that are returned.
      msixId: '',
      firstName: row.firstName,
      middleName: row.middleName,
      lastName1: row.lastName1,
      lastName2: row.lastName2,
      birthDate: row.birthDate,
      sex: row.sex,
      states: [],
      score: ranked.score,
      reasons: ranked.reasons,
    };
    byRecord.set(row.recordId, { recordId: row.recordId, best, states: entry?.states ?? new Set([row.state]) });
  }

  let entries = [...byRecord.values()].filter(({ best }) => exactLookup || best.score >= minimumScore);
  if (search.state) {
    // The state filter needs every state of every ranked record.
    completeRecords(sqlite, entries);
    entries = entries.filter(({ states }) => states.has(search.state!));
  }
  entries.sort(compareRecords);
  const shown = entries.slice(0, maximumResults);
  // Without a state filter, only the records shown need their MSIX ID and every state that reported them.
  if (!search.state) completeRecords(sqlite, shown);
  const results = shown.map(({ best, states }) => ({ ...best, states: [...states].sort() }));
  return { total: entries.length, tooBroad, results };
}

function compareRecords(left: RankedRecord, right: RankedRecord): number {
  return (
    right.best.score - left.best.score ||
    left.best.lastName1.localeCompare(right.best.lastName1) ||
    left.best.firstName.localeCompare(right.best.firstName) ||
    left.recordId - right.recordId
  );
}

/**
 * Returns candidate student ids. An MSIX ID or state student ID narrows the
 * search to those students. Otherwise candidates come from the name keys,
 * with each query word expanded to its nicknames and, when `expandTypos` is
 * set, to the indexed words one typo away. Everyone born on the birth date or
 * on the date with day and month swapped is a candidate too, so a child with
 * typos in both names is still found.
 */
function findCandidateStudents(
  sqlite: Database,
  search: Omit<SearchInput, 'purpose' | 'purposeText'>,
  query: RankQuery,
  nicknames: NicknameEquivalents,
  expandTypos: boolean,
): number[] {
  if (search.msixId) {
    const ids = selectIds(sqlite, msixIdSql, [search.msixId, search.msixId]);
    return search.stateStudentId
      ? intersect(ids, selectKeyIds(sqlite, [stateStudentIdKey(search.stateStudentId)]))
      : ids;
  }
  if (search.stateStudentId) return selectKeyIds(sqlite, [stateStudentIdKey(search.stateStudentId)]);

  const ids = new Set<number>();
  if (query.surnameTokens.length > 0) {
    // With a birth date, names are looked up within the birth year; a year off by a typo is left to the date lookup below.
    const year = search.birthDate?.slice(0, 4);
    const surnames = expandSurnames(sqlite, query.surnameTokens, expandTypos);
    const keys: string[] = [];
    if (query.givenTokens.length > 0) {
      const givenNames = expandGivenNames(sqlite, query.givenTokens, nicknames, expandTypos);
      for (const given of givenNames) {
        for (const surname of surnames) {
          keys.push(year ? givenSurnameYearKey(given, surname, year) : givenSurnameKey(given, surname));
        }
      }
    } else {
      for (const surname of surnames) keys.push(year ? surnameYearKey(surname, year) : surnameKey(surname));
    }
    for (const id of selectKeyIds(sqlite, keys)) ids.add(id);
  }
  if (search.birthDate) {
    const dates = [search.birthDate, swapDayAndMonth(search.birthDate)].filter((date): date is string => !!date);
    for (const id of selectIds(sqlite, birthDateSql, [JSON.stringify(dates)])) ids.add(id);
  }
  return [...ids];
}

const msixIdSql = `
  SELECT s.id FROM students s JOIN consolidated_records c ON c.id = s.consolidated_record_id WHERE c.msix_id = ?
  UNION
  SELECT s.id FROM retired_msix_ids r JOIN students s ON s.consolidated_record_id = r.successor_record_id WHERE r.msix_id = ?`;

const birthDateSql = 'SELECT id FROM students WHERE birth_date IN (SELECT value FROM json_each(?))';

/** Returns the phonetic keys of the surname words and their typo neighbours, plus the words joined. */
function expandSurnames(sqlite: Database, tokens: readonly string[], expandTypos: boolean): string[] {
  const keys = tokens.map(phoneticKey);
  if (tokens.length >= 2) keys.push(phoneticKey(tokens.join('')));
  return expandTypos ? expandTerms(sqlite, keys) : [...new Set(keys)].filter(Boolean);
}

/** Returns the phonetic keys of the given-name words, their nickname equivalents and their typo neighbours. */
function expandGivenNames(
  sqlite: Database,
  tokens: readonly string[],
  nicknames: NicknameEquivalents,
  expandTypos: boolean,
): string[] {
  const names = new Set<string>();
  for (const token of tokens) {
    names.add(token);
    for (const equivalent of nicknames.get(token) ?? []) names.add(equivalent);
  }
  const keys = [...names].map(phoneticKey);
  return expandTypos ? expandTerms(sqlite, keys) : [...new Set(keys)].filter(Boolean);
}

/** Adds to each phonetic key the indexed terms at most one edit away from it. */
function expandTerms(sqlite: Database, keys: readonly string[]): string[] {
  const expanded = new Set<string>();
  const statement = prepareCached(
    sqlite,
    'SELECT DISTINCT term FROM record_search_terms WHERE variant IN (SELECT value FROM json_each(?))',
  ) as Statement<[string], { term: string }>;
  for (const key of keys) {
    if (!key) continue;
    expanded.add(key);
    if (key.length < minimumTypoLength) continue;
    for (const { term } of statement.all(JSON.stringify(deletionVariants(key)))) {
      if (term.length >= minimumTypoLength && isWithinOneEdit(term, key)) expanded.add(term);
    }
  }
  return [...expanded];
}

function selectKeyIds(sqlite: Database, keys: readonly string[]): number[] {
  if (keys.length === 0) return [];
  return selectIds(
    sqlite,
    'SELECT DISTINCT student_id AS id FROM record_search_keys WHERE key IN (SELECT value FROM json_each(?))',
    [JSON.stringify(keys)],
  );
}

function selectIds(sqlite: Database, sql: string, parameters: readonly string[]): number[] {
  return (prepareCached(sqlite, sql).all(...parameters) as { id: number }[]).map((row) => row.id);
}

function intersect(left: readonly number[], right: readonly number[]): number[] {
  const wanted = new Set(right);
  return left.filter((id) => wanted.has(id));
}

/**
 * Reads the identifying fields of linked candidate students. The MSIX ID is
 * read later for the returned records only: one lookup fewer per candidate.
 */
function readCandidates(sqlite: Database, ids: readonly number[]): CandidateRow[] {
  if (ids.length === 0) return [];
  return prepareCached(
    sqlite,
    `SELECT s.id, s.consolidated_record_id AS recordId, s.state,
              s.state_student_id AS stateStudentId, s.first_name AS firstName, s.middle_name AS middleName,
              s.last_name_1 AS lastName1, s.last_name_2 AS lastName2, s.sex, s.birth_date AS birthDate
         FROM students s
        WHERE s.id IN (SELECT value FROM json_each(?)) AND s.consolidated_record_id IS NOT NULL`,
  ).all(JSON.stringify(ids)) as CandidateRow[];
}

/**
 * Sets each record's MSIX ID and adds every state that reported it, including
 * states whose report was not a candidate.
 */
function completeRecords(sqlite: Database, entries: readonly RankedRecord[]): void {
  if (entries.length === 0) return;
  const byRecord = new Map(entries.map((entry) => [entry.recordId, entry]));
  const rows = prepareCached(
    sqlite,
    `SELECT c.id AS recordId, c.msix_id AS msixId, s.state
       FROM consolidated_records c JOIN students s ON s.consolidated_record_id = c.id
      WHERE c.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify([...byRecord.keys()])) as { recordId: number; msixId: string; state: string }[];
  for (const row of rows) {
    const entry = byRecord.get(row.recordId);
    if (!entry) continue;
    entry.best.msixId = row.msixId;
    entry.states.add(row.state);
  }
}

const statementsByConnection = new WeakMap<Database, Map<string, Statement>>();

/** Returns the prepared statement for `sql` on this connection, preparing it on first use. */
function prepareCached(sqlite: Database, sql: string): Statement {
  let statements = statementsByConnection.get(sqlite);
  if (!statements) {
    statements = new Map();
    statementsByConnection.set(sqlite, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
