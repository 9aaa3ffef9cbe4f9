/**
 * The browser upload. Each file arrives in its own request and is streamed
 * to disk under the uploads folder. Then one JSON request starts the import
 * of the batch, which runs in the background while the page polls the
 * upload's progress.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { and, asc, count, eq, isNull, lt, max } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { recordUploadFiles, uploadProblems } from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { renderCsv } from '../../shared/csv';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { requireRecordsAccess, requireStateDataAdministrator } from '../access';
import { readUploadProgress, readUploadSummary } from '../quality/report';
import { isUploadFileName, uploadFileNames } from './columns';
import { beginUpload, runImport, type ImportRequest } from './import';

/** Largest file accepted from the browser: 200 MB, about 400,000 students in students.csv. */
export const maxUploadFileBytes = 200 * 1024 * 1024;

const batchIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ReceivedFile {
  batchId: string;
  fileName: string;
  sizeBytes: number;
}

function batchDirectory(uploadsDirectory: string, batchId: string): string {
  return path.join(uploadsDirectory, 'batches', batchId);
}

/**
 * Streams one file's bytes to disk. A first file starts a new batch; later
 * files give its `batchId`. Sending a file name again replaces that file.
 */
export async function receiveUploadFile(
  db: AppDatabase,
  actor: Actor,
  input: {
    batchId: string | undefined;
    fileName: string | undefined;
    body: ReadableStream<Uint8Array> | null;
    declaredLength: number | null;
  },
  context: { uploadsDirectory: string; now: Date },
): Promise<ReceivedFile> {
  const fileName = (input.fileName ?? '').trim().toLowerCase();
  if (!isUploadFileName(fileName)) {
    throw new AppError(
      400,
      'invalid_input',
      `name: "${input.fileName ?? ''}" is not an upload file name; use one of ${uploadFileNames.join(', ')}.`,
    );
  }
  requireRecordsAccess(actor, 'data_administrator');
  if (input.declaredLength !== null && input.declaredLength > maxUploadFileBytes) throw fileTooLarge(fileName);
  if (!input.body) throw new AppError(400, 'invalid_input', `${fileName} is empty; choose the file again.`);

  let batchId = input.batchId;
  if (batchId === undefined) {
    await deleteAbandonedBatches(db, context.uploadsDirectory, context.now);
    batchId = randomUUID();
  } else if (!batchIdPattern.test(batchId) || !batchBelongsTo(db, batchId, actor.id)) {
    throw new AppError(
      404,
      'not_found',
      'This upload batch was not found or has already been imported. Choose the files again.',
    );
  }

  const directory = batchDirectory(context.uploadsDirectory, batchId);
  await mkdir(directory, { recursive: true });
  const partial = path.join(directory, `${fileName}.part`);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.byteLength;
      if (sizeBytes > maxUploadFileBytes) {
        callback(fileTooLarge(fileName));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(input.body as never), counter, createWriteStream(partial));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError(400, 'upload_interrupted', `${fileName} did not arrive completely. Send it again.`);
  }
  await rename(partial, path.join(directory, fileName));

  const values = {
    batchId,
    fileName,
    sizeBytes,
    sha256: hash.digest('hex'),
    uploadedBy: actor.id,
    receivedAt: context.now.toISOString(),
  };
  db.insert(recordUploadFiles)
    .values(values)
    .onConflictDoUpdate({
      target: [recordUploadFiles.batchId, recordUploadFiles.fileName],
      set: { sizeBytes: values.sizeBytes, sha256: values.sha256, receivedAt: values.receivedAt },
    })
    .run();
  return { batchId, fileName, sizeBytes };
}

/** Batches whose import never started are deleted this long after their last file arrived. */
const abandonedAfterMs = 24 * 60 * 60 * 1000;

/** Deletes the files of batches sent but never imported, such as when someone closed the page. */
async function deleteAbandonedBatches(db: AppDatabase, uploadsDirectory: string, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - abandonedAfterMs).toISOString();
  const abandoned = db
    .select({ batchId: recordUploadFiles.batchId })
    .from(recordUploadFiles)
    .where(isNull(recordUploadFiles.uploadId))
    .groupBy(recordUploadFiles.batchId)
    .having(lt(max(recordUploadFiles.receivedAt), cutoff))
    .all();
  for (const { batchId } of abandoned) {
    await rm(batchDirectory(uploadsDirectory, batchId), { recursive: true, force: true });
    db.delete(recordUploadFiles).where(eq(recordUploadFiles.batchId, batchId)).run();
  }
}

function batchBelongsTo(db: AppDatabase, batchId: string, personId: number): boolean {
  const row = db
    .select({ uploadedBy: recordUploadFiles.uploadedBy })
    .from(recordUploadFiles)
    .where(and(eq(recordUploadFiles.batchId, batchId), isNull(recordUploadFiles.uploadId)))
    .get();
  return row?.uploadedBy === personId;
}

function fileTooLarge(fileName: string): AppError {
  return new AppError(
    413,
    'file_too_large',
    `${fileName} is larger than ${maxUploadFileBytes / 1024 / 1024} MB. Split the upload by student into several uploads, or use the command line: npm run records -- import.`,
  );
}

const startInput = z.object({
  batchId: z.string().regex(batchIdPattern, 'must be the batchId returned when the files were sent'),
  state: z.enum(stateCodes).optional(),
});

/**
 * Starts the import of a batch for a state and returns the new upload at
 * once; the import continues in the background. The state defaults to the
 * person's own state; admins must name it.
 */
export function startBrowserImport(
  db: AppDatabase,
  actor: Actor,
  body: unknown,
  context: { uploadsDirectory: string; clock: () => Date; logger: Logger; ip: string; requestId: string },
) {
  const input = parseInput(startInput, body);
  const state = input.state ?? actor.state;
  if (!state) throw new AppError(400, 'invalid_input', 'state: is required; choose the state whose records these are.');
  requireStateDataAdministrator(actor, state);
  if (!batchBelongsTo(db, input.batchId, actor.id)) {
    throw new AppError(
      404,
      'not_found',
      'This upload batch was not found or has already been imported. Choose the files again.',
    );
  }

  const directory = batchDirectory(context.uploadsDirectory, input.batchId);
  const request: ImportRequest = {
    state,
    directory,
    source: 'browser',
    actor,
    ip: context.ip,
    requestId: context.requestId,
  };
  const uploadId = beginUpload(db, request, context.clock());
  db.update(recordUploadFiles).set({ uploadId }).where(eq(recordUploadFiles.batchId, input.batchId)).run();

  void runImport(db, uploadId, request, { clock: context.clock, logger: context.logger, deleteDirectoryAfter: true })
    .then((result) => context.logger.info({ uploadId, status: result.status }, 'records import finished'))
    .catch(() => {
      // runImport has logged the error and marked the upload as stopped.
    });

  return readUploadStatus(db, actor, uploadId);
}

/** Reads the upload, its progress and its number of problems, for the state's data administrators. */
export function readUploadStatus(db: AppDatabase, actor: Actor, uploadId: number) {
  const upload = readUploadSummary(db, uploadId);
  requireStateDataAdministrator(actor, upload.state);
  const progress = readUploadProgress(db, uploadId);
  const problemCount =
    db.select({ total: count() }).from(uploadProblems).where(eq(uploadProblems.uploadId, uploadId)).get()?.total ?? 0;
  return { upload, progress, problemCount };
}

/** Problems shown per page. */
const problemsPerPage = 100;

/** Reads one page of an upload's problems, with their values, for the state's data administrators. */
export function listUploadProblems(db: AppDatabase, actor: Actor, uploadId: number, pageText: string | undefined) {
  const upload = readUploadSummary(db, uploadId);
  requireStateDataAdministrator(actor, upload.state);
  const page = /^[1-9]\d{0,6}$/.test(pageText ?? '1') ? Number(pageText ?? '1') : 1;
  const total =
    db.select({ total: count() }).from(uploadProblems).where(eq(uploadProblems.uploadId, uploadId)).get()?.total ?? 0;
  const problems = db
    .select({
      file: uploadProblems.file,
      line: uploadProblems.line,
      column: uploadProblems.column,
      value: uploadProblems.value,
      rule: uploadProblems.rule,
      message: uploadProblems.message,
      stateStudentId: uploadProblems.stateStudentId,
      severity: uploadProblems.severity,
    })
    .from(uploadProblems)
    .where(eq(uploadProblems.uploadId, uploadId))
    .orderBy(asc(uploadProblems.id))
    .limit(problemsPerPage)
    .offset((page - 1) * problemsPerPage)
    .all();
  return { uploadId, page, pageSize: problemsPerPage, total, problems };
}

/** Renders every problem of an upload as CSV (the rejection report), for the state's data administrators. */
export function renderProblemsCsv(db: AppDatabase, actor: Actor, uploadId: number): string {
  const upload = readUploadSummary(db, uploadId);
  requireStateDataAdministrator(actor, upload.state);
  const rows = db
    .select()
    .from(uploadProblems)
    .where(eq(uploadProblems.uploadId, uploadId))
    .orderBy(asc(uploadProblems.id))
    .all();
  return renderCsv(
    ['state_student_id', 'severity', 'file', 'line', 'column', 'value', 'rule', 'message'],
    rows.map((row) => [
      row.stateStudentId,
      row.severity,
      row.file,
      row.line,
      row.column,
      row.value,
      row.rule,
      row.message,
    ]),
  );
}
