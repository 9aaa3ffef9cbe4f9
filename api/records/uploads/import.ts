/**
 * The records import, shared by the browser upload and the command line:
 *
 * 1. Read each file as a stream into the staging table (flat memory); a file
 *    whose structure is broken rejects the whole upload with one message.
 * 2. Check the students in chunks, ordered by state student ID, each with all
 *    its rows from every file. Each chunk's accepted students and the problems
 *    of its rejected ones are written in one transaction, and then the import
 *    yields to the event loop.
 * 3. Link the written students (linkStudents) and index them for search
 *    (indexStudents), then record the data-quality figures and the audit row.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { and, asc, count, countDistinct, eq, gt, gte, lte, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  recordImportStaging,
  recordUploadCompleteness,
  recordUploadProgress,
  recordUploads,
  uploadProblems,
} from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { recordAudit } from '../../audit/record';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { stateCodes } from '../../shared/states';
import { linkStudents } from '../linking/link';
import { indexStudents } from '../search/index-students';
import { CompletenessTally, qualityScore } from '../quality/completeness';
import { columnsByFile, requiredColumns, uploadFileNames, type UploadFileName } from './columns';
import { CsvStructureError, readCsvRows } from './csv-stream';
import type { UploadProblem } from './rules';
import { checkStudent, type StagedRow } from './student-check';
import { createStudentWriter, readStudentsOnFile } from './write-students';

/** Students checked and written per transaction. */
const studentsPerChunk = 500;
/** Staged rows inserted per transaction while the files are read. */
const rowsPerStagingBatch = 2000;
/** Students passed to linking and indexing per call, so the server can serve requests between calls. */
const studentsPerLinkCall = 2000;
/** An upload still "processing" whose progress has not moved for this long was interrupted (the process stopped). */
const staleAfterMs = 10 * 60 * 1000;

/** The state, folder and person of an import, for the upload row and the audit row. */
export interface ImportRequest {
  /** USPS code of the submitting state. */
  state: string;
  /** Folder that contains the upload's files. students.csv is required and the other four are optional. */
  directory: string;
  source: 'browser' | 'command_line';
  /** The signed-in person (browser), or undefined for the command line. */
  actor?: Actor | undefined;
  ip: string;
  requestId?: string | undefined;
}

export interface ImportProgress {
  uploadId: number;
  phase: 'reading' | 'checking' | 'linking' | 'finished';
  bytesRead: number;
  bytesTotal: number;
  studentsTotal: number;
  studentsChecked: number;
  accepted: number;
  rejected: number;
  unchanged: number;
}

export interface ImportResult {
  uploadId: number;
  status: 'completed' | 'rejected';
  /** For an upload rejected whole: the one message naming the file and the problem. */
  rejectionMessage: string | null;
  studentsReceived: number;
  studentsAccepted: number;
  studentsRejected: number;
  studentsUnchanged: number;
  qualityScore: number | null;
}

export interface ImportOptions {
  clock: () => Date;
  logger?: Logger | undefined;
  /** Called after each step with the figures so far (the command line prints them). */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Deletes the folder of files when the import ends (the browser upload's batch folder). */
  deleteDirectoryAfter?: boolean | undefined;
}

/**
 * Imports a state's MDE files from a folder and returns the counts: reads,
 * checks, writes, links and indexes, all before it resolves. Used by the
 * command line and by R2's demo seed, for example:
 *
 *   const result = await importUpload(db, { state: 'TX', directory, source: 'command_line', ip: 'local' }, { clock });
 *
 * Throws an AppError with status 409 when another import for the state is
 * running, and 400 when the state code is invalid. A broken file does not
 * throw: the result has status "rejected" and the message.
 */
export async function importUpload(
  db: AppDatabase,
  request: ImportRequest,
  options: ImportOptions,
): Promise<ImportResult> {
  const uploadId = beginUpload(db, request, options.clock());
  return runImport(db, uploadId, request, options);
}

/** Lists the known upload files present in a folder, in the order they are read. */
export function listUploadFiles(directory: string): UploadFileName[] {
  return uploadFileNames.filter((name) => existsSync(path.join(directory, name)));
}

/**
 * Creates the upload row (status processing) after checking the state and
 * that no other import of the state is running; returns its id.
 */
export function beginUpload(db: AppDatabase, request: ImportRequest, now: Date): number {
  if (!(stateCodes as readonly string[]).includes(request.state)) {
    throw new AppError(
      400,
      'invalid_input',
      `state: "${request.state}" is not a state code; use a USPS code such as TX.`,
    );
  }
  const files = listUploadFiles(request.directory);

  return db.transaction((tx) => {
    const running = tx
      .select({ id: recordUploads.id, updatedAt: recordUploadProgress.updatedAt })
      .from(recordUploads)
      .leftJoin(recordUploadProgress, eq(recordUploadProgress.uploadId, recordUploads.id))
      .where(and(eq(recordUploads.state, request.state), eq(recordUploads.status, 'processing')))
      .all();
    for (const upload of running) {
      const lastMove = Date.parse(upload.updatedAt ?? '1970-01-01T00:00:00Z');
      if (now.getTime() - lastMove < staleAfterMs) {
        throw new AppError(
          409,
          'import_running',
          `Upload ${upload.id} for ${request.state} is still being imported. Wait for it to finish, then upload again.`,
        );
      }
      tx.update(recordUploads)
        .set({
          status: 'rejected',
          rejectionMessage:
            'The import stopped before it finished (the server or the command was stopped). Upload the files again.',
          finishedAt: now.toISOString(),
        })
        .where(eq(recordUploads.id, upload.id))
        .run();
      tx.delete(recordImportStaging).where(eq(recordImportStaging.uploadId, upload.id)).run();
    }

    const upload = tx
      .insert(recordUploads)
      .values({
        state: request.state,
        uploadedBy: request.actor?.id ?? null,
        source: request.source,
        fileNames: JSON.stringify(files),
        filesSha256: '',
        status: 'processing',
        startedAt: now.toISOString(),
      })
      .returning({ id: recordUploads.id })
      .get();
    const bytesTotal = files.reduce((sum, name) => sum + statSync(path.join(request.directory, name)).size, 0);
    tx.insert(recordUploadProgress)
      .values({ uploadId: upload.id, phase: 'reading', bytesTotal, updatedAt: now.toISOString() })
      .run();
    return upload.id;
  });
}

/** Runs an upload begun with beginUpload to the end; see importUpload. */
export async function runImport(
  db: AppDatabase,
  uploadId: number,
  request: ImportRequest,
  options: ImportOptions,
): Promise<ImportResult> {
  const run = new ImportRun(db, uploadId, request, options);
  try {
    return await run.execute();
  } catch (error) {
    options.logger?.error({ err: error, uploadId }, 'records import failed');
    run.finishAfterFailure();
    throw error;
  } finally {
    db.delete(recordImportStaging).where(eq(recordImportStaging.uploadId, uploadId)).run();
    if (options.deleteDirectoryAfter) rmSync(request.directory, { recursive: true, force: true });
  }
}

class ImportRun {
  private readonly progress: ImportProgress;
  private readonly headerWidths: Partial<Record<UploadFileName, number>> = {};
  private readonly warnings: UploadProblem[] = [];
  private readonly tally = new CompletenessTally();
  private readonly changedStudentIds: number[] = [];
  private files: UploadFileName[] = [];
  private readonly today: string;
  private readonly writer: ReturnType<typeof createStudentWriter>;
  private readonly insertStagedRow;

  constructor(
    private readonly db: AppDatabase,
    private readonly uploadId: number,
    private readonly request: ImportRequest,
    private readonly options: ImportOptions,
  ) {
    this.progress = {
      uploadId,
      phase: 'reading',
      bytesRead: 0,
      bytesTotal: 0,
      studentsTotal: 0,
      studentsChecked: 0,
      accepted: 0,
      rejected: 0,
      unchanged: 0,
    };
    this.today = options.clock().toISOString().slice(0, 10);
    this.writer = createStudentWriter(db, { state: request.state, uploadId });
    this.insertStagedRow = db
      .insert(recordImportStaging)
      .values({
        uploadId,
        file: sql.placeholder('file'),
        line: sql.placeholder('line'),
        stateStudentId: sql.placeholder('stateStudentId'),
        cells: sql.placeholder('cells'),
        cellCount: sql.placeholder('cellCount'),
      })
      .prepare();
  }

  async execute(): Promise<ImportResult> {
    this.files = listUploadFiles(this.request.directory);
    this.progress.bytesTotal = this.files.reduce(
      (sum, name) => sum + statSync(path.join(this.request.directory, name)).size,
      0,
    );

    const structureProblem = await this.stageFiles();
    if (structureProblem) return this.finishRejected(structureProblem);

    this.progress.phase = 'checking';
    this.progress.studentsTotal = this.countStudents();
    this.saveProgress();
    await this.checkAllStudents();

    this.progress.phase = 'linking';
    this.saveProgress();
    await this.linkAndIndex();

    return this.finishCompleted();
  }

  /** Streams every file into the staging table; returns the message that rejects the upload, if any. */
  private async stageFiles(): Promise<string | null> {
    if (!this.files.includes('students.csv')) {
      const sent = this.files.length > 0 ? `Only ${this.files.join(', ')} was sent. ` : 'No upload file was sent. ';
      return `${sent}students.csv is required in every upload; the other files (${uploadFileNames.slice(1).join(', ')}) are optional.`;
    }
    const digest = createHash('sha256');
    let bytesBeforeFile = 0;

    for (const file of this.files) {
      const filePath = path.join(this.request.directory, file);
      let header: string[] | null = null;
      let batch: ReturnType<ImportRun['stagedRow']>[] = [];
      const flush = () => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        this.db.transaction(() => {
          for (const row of rows) this.insertStagedRow.run(row);
        });
      };

      try {
        for await (const row of readCsvRows(filePath, file, (bytes) => {
          this.progress.bytesRead = bytesBeforeFile + bytes;
        })) {
          if (header === null) {
            header = row.cells.map((cell) => cell.trim().toLowerCase());
            const problem = this.checkHeader(file, header);
            if (problem) return problem;
            continue;
          }
          batch.push(this.stagedRow(file, header, row.line, row.cells));
          if (batch.length >= rowsPerStagingBatch) {
            flush();
            this.saveProgress();
            await yieldToEventLoop();
          }
        }
      } catch (error) {
        if (error instanceof CsvStructureError) return error.message;
        throw error;
      }
      if (header === null)
        return `${file} is empty. It needs a header row naming its columns, then one row per record.`;
      flush();
      bytesBeforeFile += statSync(filePath).size;
      digest.update(`${file}\n`);
    }
    this.db
      .update(recordUploads)
      .set({ filesSha256: digest.digest('hex') })
      .where(eq(recordUploads.id, this.uploadId))
      .run();
    return null;
  }

  private checkHeader(file: UploadFileName, header: string[]): string | null {
    const seen = new Set<string>();
    for (const name of header) {
      if (name !== '' && seen.has(name)) {
        return `${file} is not a valid upload file: the column ${name} appears twice in the header row. Keep one.`;
      }
      seen.add(name);
    }
    const missing = requiredColumns(file).filter((name) => !seen.has(name));
    if (missing.length > 0) {
      const known = header.some((name) => columnsByFile[file].some((column) => column.name === name));
      const hint = known
        ? ''
        : ' The first row must be the header row with the column names; check that the file is CSV and not another format.';
      return `${file} is missing the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.${hint}`;
    }
    this.headerWidths[file] = header.length;
    const knownNames = new Set(columnsByFile[file].map((column) => column.name));
    for (const name of header) {
      if (knownNames.has(name)) continue;
      this.warnings.push({
        file,
        line: 1,
        column: name === '' ? '(no name)' : name,
        value: null,
        rule: 'unknown_column',
        message: `${file} line 1: the column ${name === '' ? 'with no name' : `"${name}"`} is not an MDE column, so its values were ignored.`,
        stateStudentId: null,
        severity: 'warning',
      });
    }
    return null;
  }

  private stagedRow(file: UploadFileName, header: string[], line: number, cells: string[]) {
    const known: Record<string, string> = {};
    header.forEach((name, index) => {
      if (columnsByFile[file].some((column) => column.name === name)) known[name] = cells[index] ?? '';
    });
    return {
      file,
      line,
      stateStudentId: (known['state_student_id'] ?? '').trim(),
      cells: JSON.stringify(known),
      cellCount: cells.length,
    };
  }

  private countStudents(): number {
    // Counts state student IDs in any file, so IDs found only in the other files are included.
    const distinct =
      this.db
        .select({ ids: countDistinct(recordImportStaging.stateStudentId) })
        .from(recordImportStaging)
        .where(and(eq(recordImportStaging.uploadId, this.uploadId), gt(recordImportStaging.stateStudentId, '')))
        .get()?.ids ?? 0;
    const withoutId = this.db
      .select({ rows: count() })
      .from(recordImportStaging)
      .where(
        and(
          eq(recordImportStaging.uploadId, this.uploadId),
          eq(recordImportStaging.stateStudentId, ''),
          eq(recordImportStaging.file, 'students.csv'),
        ),
      )
      .get();
    return distinct + (withoutId?.rows ?? 0);
  }

  /** Checks the students chunk by chunk, in state student ID order, and writes each chunk. */
  private async checkAllStudents(): Promise<void> {
    await this.checkRowsWithoutId();

    let after = '';
    for (;;) {
      const ids = this.db
        .selectDistinct({ id: recordImportStaging.stateStudentId })
        .from(recordImportStaging)
        .where(and(eq(recordImportStaging.uploadId, this.uploadId), gt(recordImportStaging.stateStudentId, after)))
        .orderBy(asc(recordImportStaging.stateStudentId))
        .limit(studentsPerChunk)
        .all()
        .map((row) => row.id);
      if (ids.length === 0) break;
      const first = ids[0]!;
      const last = ids[ids.length - 1]!;

      const rows = this.db
        .select()
        .from(recordImportStaging)
        .where(
          and(
            eq(recordImportStaging.uploadId, this.uploadId),
            gte(recordImportStaging.stateStudentId, first),
            lte(recordImportStaging.stateStudentId, last),
          ),
        )
        .orderBy(asc(recordImportStaging.id))
        .all();
      const grouped = new Map<string, StagedRow[]>();
      for (const row of rows) {
        const list = grouped.get(row.stateStudentId) ?? [];
        list.push({
          file: row.file as UploadFileName,
          line: row.line,
          cells: JSON.parse(row.cells),
          cellCount: row.cellCount,
        });
        grouped.set(row.stateStudentId, list);
      }
      this.checkAndWriteChunk(ids.map((id) => [id, grouped.get(id) ?? []] as const));
      after = last;
      await yieldToEventLoop();
    }
  }

  /** Rows with an empty state_student_id cannot belong to a student: each is reported on its own. */
  private async checkRowsWithoutId(): Promise<void> {
    let afterRowId = 0;
    for (;;) {
      const rows = this.db
        .select()
        .from(recordImportStaging)
        .where(
          and(
            eq(recordImportStaging.uploadId, this.uploadId),
            eq(recordImportStaging.stateStudentId, ''),
            gt(recordImportStaging.id, afterRowId),
          ),
        )
        .orderBy(asc(recordImportStaging.id))
        .limit(studentsPerChunk)
        .all();
      if (rows.length === 0) return;
      const problems: UploadProblem[] = [];
      let rejected = 0;
      for (const row of rows) {
        const staged: StagedRow = {
          file: row.file as UploadFileName,
          line: row.line,
          cells: JSON.parse(row.cells),
          cellCount: row.cellCount,
        };
        const result = checkStudent('', [staged], this.checkContext(true));
        if (!result.accepted) problems.push(...result.errors.map((problem) => ({ ...problem, stateStudentId: null })));
        if (row.file === 'students.csv') rejected += 1;
      }
      this.db.transaction((tx) => {
        insertProblems(tx, this.uploadId, problems);
      });
      this.progress.rejected += rejected;
      this.progress.studentsChecked += rejected;
      afterRowId = rows[rows.length - 1]!.id;
      this.saveProgress();
      await yieldToEventLoop();
    }
  }

  private checkContext(onFile: boolean) {
    return { today: this.today, filesSent: this.files, headerWidths: this.headerWidths, onFile };
  }

  private checkAndWriteChunk(students: readonly (readonly [string, StagedRow[]])[]): void {
    const now = this.options.clock().toISOString();
    this.db.transaction((tx) => {
      const onFile = readStudentsOnFile(
        tx,
        this.request.state,
        students.map(([id]) => id),
      );
      const problems: UploadProblem[] = [];
      for (const [stateStudentId, rows] of students) {
        const existing = onFile.get(stateStudentId);
        const result = checkStudent(stateStudentId, rows, this.checkContext(existing !== undefined));
        if (!result.accepted) {
          problems.push(...result.errors);
          // Rows for a student missing from students.csv are problems, but not a student received.
          if (rows.some((row) => row.file === 'students.csv') || existing) this.progress.rejected += 1;
          continue;
        }
        const outcome = this.writer.write(result.student, existing, now);
        this.tally.add(result.student);
        if (outcome.kind === 'unchanged') {
          this.progress.unchanged += 1;
        } else {
          this.progress.accepted += 1;
          this.changedStudentIds.push(outcome.studentId);
        }
      }
      insertProblems(tx, this.uploadId, problems);
      this.progress.studentsChecked += students.length;
      this.saveProgress(tx);
    });
  }

  private async linkAndIndex(): Promise<void> {
    const now = this.options.clock();
    for (let start = 0; start < this.changedStudentIds.length; start += studentsPerLinkCall) {
      linkStudents(this.db, this.changedStudentIds.slice(start, start + studentsPerLinkCall), now);
      await yieldToEventLoop();
    }
    for (let start = 0; start < this.changedStudentIds.length; start += studentsPerLinkCall) {
      indexStudents(this.db, this.changedStudentIds.slice(start, start + studentsPerLinkCall));
      await yieldToEventLoop();
    }
  }

  private finishCompleted(): ImportResult {
    const { accepted, rejected, unchanged } = this.progress;
    const received = accepted + rejected + unchanged;
    const score = qualityScore({ received, acceptedOrUnchanged: accepted + unchanged }, this.tally.overall());
    const now = this.options.clock();
    this.progress.phase = 'finished';

    this.db.transaction((tx) => {
      insertProblems(tx, this.uploadId, this.warnings);
      for (const [element, total] of this.tally.totals) {
        tx.insert(recordUploadCompleteness)
          .values({ uploadId: this.uploadId, element, applicable: total.applicable, supplied: total.supplied })
          .run();
      }
      tx.update(recordUploads)
        .set({
          status: 'completed',
          studentsReceived: received,
          studentsAccepted: accepted,
          studentsRejected: rejected,
          studentsUnchanged: unchanged,
          qualityScore: score,
          finishedAt: now.toISOString(),
        })
        .where(eq(recordUploads.id, this.uploadId))
        .run();
      this.saveProgress(tx);
      this.audit(
        tx,
        'success',
        `state=${this.request.state} received=${received} accepted=${accepted} rejected=${rejected} unchanged=${unchanged}`,
      );
    });
    this.report();
    return this.result('completed', null, score);
  }

  private finishRejected(message: string): ImportResult {
    const now = this.options.clock();
    this.progress.phase = 'finished';
    this.db.transaction((tx) => {
      tx.delete(recordImportStaging).where(eq(recordImportStaging.uploadId, this.uploadId)).run();
      tx.update(recordUploads)
        .set({ status: 'rejected', rejectionMessage: message, finishedAt: now.toISOString() })
        .where(eq(recordUploads.id, this.uploadId))
        .run();
      this.saveProgress(tx);
      this.audit(tx, 'failure', `state=${this.request.state} file_rejected`);
    });
    this.report();
    return this.result('rejected', message, null);
  }

  /** Marks the upload as stopped after an unexpected error, keeping the counts reached. */
  finishAfterFailure(): void {
    const { accepted, rejected, unchanged } = this.progress;
    this.db
      .update(recordUploads)
      .set({
        status: 'rejected',
        rejectionMessage: `The import stopped because of an error on the server after ${accepted} students were saved. Upload the files again; students already saved are recognized and left unchanged.`,
        studentsReceived: accepted + rejected + unchanged,
        studentsAccepted: accepted,
        studentsRejected: rejected,
        studentsUnchanged: unchanged,
        finishedAt: this.options.clock().toISOString(),
      })
      .where(eq(recordUploads.id, this.uploadId))
      .run();
  }

  private audit(tx: Parameters<typeof recordAudit>[0], outcome: 'success' | 'failure', detail: string): void {
    recordAudit(tx, {
      actor: this.request.actor,
      actorEmail: this.request.actor ? undefined : 'command line',
      ip: this.request.ip,
      action: 'records.upload',
      objectType: 'record_upload',
      objectId: this.uploadId,
      outcome,
      detail,
      requestId: this.request.requestId,
      at: this.options.clock(),
    });
  }

  private result(
    status: 'completed' | 'rejected',
    rejectionMessage: string | null,
    score: number | null,
  ): ImportResult {
    const { accepted, rejected, unchanged } = this.progress;
    return {
      uploadId: this.uploadId,
      status,
      rejectionMessage,
      studentsReceived: accepted + rejected + unchanged,
      studentsAccepted: accepted,
      studentsRejected: rejected,
      studentsUnchanged: unchanged,
      qualityScore: score,
    };
  }

  private saveProgress(tx: Pick<AppDatabase, 'update'> = this.db): void {
    const { phase, bytesRead, bytesTotal, studentsTotal, studentsChecked, accepted, rejected, unchanged } =
      this.progress;
    tx.update(recordUploadProgress)
      .set({
        phase,
        bytesRead,
        bytesTotal,
        studentsTotal,
        studentsChecked,
        updatedAt: this.options.clock().toISOString(),
      })
      .where(eq(recordUploadProgress.uploadId, this.uploadId))
      .run();
    tx.update(recordUploads)
      .set({
        studentsAccepted: accepted,
        studentsRejected: rejected,
        studentsUnchanged: unchanged,
        studentsReceived: accepted + rejected + unchanged,
      })
      .where(eq(recordUploads.id, this.uploadId))
      .run();
    this.report();
  }

  private report(): void {
    this.options.onProgress?.({ ...this.progress });
  }
}

function insertProblems(tx: Pick<AppDatabase, 'insert'>, uploadId: number, problems: readonly UploadProblem[]): void {
  for (let start = 0; start < problems.length; start += 400) {
    tx.insert(uploadProblems)
      .values(problems.slice(start, start + 400).map((problem) => ({ ...problem, uploadId })))
      .run();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
