/**
 * Keeps the records search index current. The import calls `indexStudents`
 * for the students it added or changed. The index contains student ids only, so
 * a merge or split of consolidated records needs no reindexing.
 */
import type { Database, Statement } from 'better-sqlite3';
import { connectionOf } from './connection';
import type { AppDatabase } from '../../../db/client';
import { deletionVariants, givenPhoneticKeys, studentSearchKeys, surnamePhoneticKeys } from './keys';

/** Students read and indexed per statement batch; bounds memory for imports of any size. */
const chunkSize = 500;

interface StudentNameRow {
  id: number;
  stateStudentId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  birthDate: string;
}

interface IndexStatements {
  deleteKeys: Statement<[string]>;
  readStudents: Statement<[string], StudentNameRow>;
  insertKey: Statement<[string, number]>;
  insertTerm: Statement<[string, string]>;
}

const statementsByConnection = new WeakMap<Database, IndexStatements>();

function prepareStatements(sqlite: Database): IndexStatements {
  const cached = statementsByConnection.get(sqlite);
  if (cached) return cached;
  const statements: IndexStatements = {
    deleteKeys: sqlite.prepare('DELETE FROM record_search_keys WHERE student_id IN (SELECT value FROM json_each(?))'),
    readStudents: sqlite.prepare(
      `SELECT id, state_student_id AS stateStudentId, first_name AS firstName, middle_name AS middleName,
              last_name_1 AS lastName1, last_name_2 AS lastName2, birth_date AS birthDate
         FROM students WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    insertKey: sqlite.prepare('INSERT OR IGNORE INTO record_search_keys (key, student_id) VALUES (?, ?)'),
    insertTerm: sqlite.prepare('INSERT OR IGNORE INTO record_search_terms (variant, term) VALUES (?, ?)'),
  };
  statementsByConnection.set(sqlite, statements);
  return statements;
}

/**
 * Replaces the search keys of the given students with keys built from their
 * current names and state student IDs. Ids of students that no longer exist
 * lose their keys. Each chunk of students is one transaction, or a savepoint
 * when the caller has a transaction open.
 */
export function indexStudents(db: AppDatabase, studentIds: readonly number[]): void {
  if (studentIds.length === 0) return;
  const sqlite = connectionOf(db);
  const statements = prepareStatements(sqlite);
  const knownTerms = new Set<string>();

  const indexChunk = sqlite.transaction((ids: readonly number[]) => {
    const idsJson = JSON.stringify(ids);
    statements.deleteKeys.run(idsJson);
    for (const student of statements.readStudents.all(idsJson)) {
      for (const key of studentSearchKeys(student)) statements.insertKey.run(key, student.id);
      for (const term of [...givenPhoneticKeys(student), ...surnamePhoneticKeys(student)]) {
        if (knownTerms.has(term)) continue;
        knownTerms.add(term);
        for (const variant of deletionVariants(term)) statements.insertTerm.run(variant, term);
      }
    }
  });

  for (let start = 0; start < studentIds.length; start += chunkSize) {
    indexChunk(studentIds.slice(start, start + chunkSize));
  }
}

/** Students read per page while the whole index is rebuilt. */
const rebuildPageSize = 10_000;

/**
 * Rebuilds the whole search index from the students table, for a first load
 * of a large data set. It writes the keys to a temporary table, then inserts
 * them sorted by key and builds the student index afterwards, which is many
 * times faster than `indexStudents` on millions of students. It holds the
 * write lock for the final copy; searches wait for it, so run it when no
 * import is running.
 */
export function rebuildSearchIndex(db: AppDatabase): { students: number; keys: number } {
  const sqlite = connectionOf(db);
  const statements = prepareStatements(sqlite);
  sqlite.exec('DROP TABLE IF EXISTS temp.record_search_key_load');
  sqlite.exec('CREATE TEMP TABLE record_search_key_load (key TEXT NOT NULL, student_id INTEGER NOT NULL)');
  const insertLoad = sqlite.prepare<[string, number]>(
    'INSERT INTO temp.record_search_key_load (key, student_id) VALUES (?, ?)',
  );
  const readPage = sqlite.prepare<[number, number], StudentNameRow>(
    `SELECT id, state_student_id AS stateStudentId, first_name AS firstName, middle_name AS middleName,
            last_name_1 AS lastName1, last_name_2 AS lastName2, birth_date AS birthDate
       FROM students WHERE id > ? ORDER BY id LIMIT ?`,
  );
  const knownTerms = new Set<string>();
  let students = 0;
  let keys = 0;

  const loadPage = sqlite.transaction((rows: StudentNameRow[]) => {
    for (const student of rows) {
      for (const key of studentSearchKeys(student)) {
        insertLoad.run(key, student.id);
        keys += 1;
      }
      for (const term of [...givenPhoneticKeys(student), ...surnamePhoneticKeys(student)]) {
        if (knownTerms.has(term)) continue;
        knownTerms.add(term);
        for (const variant of deletionVariants(term)) statements.insertTerm.run(variant, term);
      }
    }
  });
  for (let lastId = 0; ;) {
    const rows = readPage.all(lastId, rebuildPageSize);
    if (rows.length === 0) break;
    loadPage(rows);
    students += rows.length;
    lastId = rows[rows.length - 1]!.id;
  }

  sqlite.transaction(() => {
    sqlite.exec('DROP INDEX IF EXISTS record_search_keys_student_idx');
    sqlite.exec('DELETE FROM record_search_keys');
    sqlite.exec(
      'INSERT INTO record_search_keys (key, student_id) SELECT key, student_id FROM temp.record_search_key_load ORDER BY key, student_id',
    );
    sqlite.exec('CREATE INDEX record_search_keys_student_idx ON record_search_keys (student_id)');
  })();
  sqlite.exec('DROP TABLE temp.record_search_key_load');
  return { students, keys };
}
