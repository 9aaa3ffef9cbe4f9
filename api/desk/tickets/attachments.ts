/**
 * Attachments of ticket messages. Web files are uploaded first, one request
 * per file with the raw file as body. They become attachments when a ticket
 * or reply lists their upload ids. Mail attachments arrive as buffers.
 */
import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { ticketAttachments, ticketMessages, ticketUploads } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { countAttempt } from '../../auth/throttle';
import { AppError } from '../../errors';
import {
  checkAttachment,
  cleanFileName,
  maxAttachmentBytes,
  maxAttachmentsPerMessage,
  writeAttachmentFile,
  type StoredFile,
} from './attachment-store';
import { findVisibleTicket } from './access';
import type { IncomingAttachment } from './create';

export interface PreparedFiles {
  stored: StoredFile[];
  /** Descriptions of files left out, such as "setup.exe (application/x-msdownload): type not allowed". */
  rejected: string[];
}

/** Stores the allowed mail attachments on disk (at most 5) and describes the ones left out. */
export function storeIncomingAttachments(directory: string, attachments: IncomingAttachment[]): PreparedFiles {
  const stored: StoredFile[] = [];
  const rejected: string[] = [];
  for (const attachment of attachments) {
    const fileName = cleanFileName(attachment.fileName);
    if (stored.length >= maxAttachmentsPerMessage) {
      rejected.push(`${fileName}: more than ${maxAttachmentsPerMessage} files on one message`);
      continue;
    }
    try {
      const contentType = checkAttachment(fileName, attachment.contentType, attachment.content.length);
      const sha256 = writeAttachmentFile(directory, attachment.content);
      stored.push({ fileName, contentType, sizeBytes: attachment.content.length, sha256 });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rejected.push(error.message);
    }
  }
  return { stored, rejected };
}

export interface ClaimedUpload extends StoredFile {
  uploadId: number;
}

/** Takes the person's unused uploads for a message; any other id is a 400, so no one can attach another person's file. */
export function claimUploads(db: DatabaseOrTransaction, personId: number | null, uploadIds: number[]): ClaimedUpload[] {
  const ids = [...new Set(uploadIds)];
  if (ids.length === 0) return [];
  if (ids.length > maxAttachmentsPerMessage) {
    throw new AppError(400, 'invalid_input', `attachments: at most ${maxAttachmentsPerMessage} files per message.`);
  }
  const rows =
    personId === null
      ? []
      : db
          .select()
          .from(ticketUploads)
          .where(
            and(
              inArray(ticketUploads.id, ids),
              eq(ticketUploads.personId, personId),
              isNull(ticketUploads.attachmentId),
            ),
          )
          .all();
  const missing = ids.filter((id) => !rows.some((row) => row.id === id));
  if (missing.length > 0) {
    throw new AppError(
      400,
      'invalid_input',
      `attachments: upload ${missing.join(', ')} was not found or is already attached. Upload the file again.`,
    );
  }
  return rows.map((row) => ({
    uploadId: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
  }));
}

/** Inserts attachment rows for a message, and an internal note naming the files that were left out. */
export function attachStoredFiles(
  db: DatabaseOrTransaction,
  ticketId: number,
  ticketMessageId: number,
  files: (StoredFile | ClaimedUpload)[],
  rejected: string[],
  now: Date,
): void {
  for (const file of files) {
    const row = db
      .insert(ticketAttachments)
      .values({
        ticketId,
        ticketMessageId,
        fileName: file.fileName,
        contentType: file.contentType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        createdAt: now.toISOString(),
      })
      .returning({ id: ticketAttachments.id })
      .get();
    if ('uploadId' in file) {
      db.update(ticketUploads).set({ attachmentId: row.id }).where(eq(ticketUploads.id, file.uploadId)).run();
    }
  }
  if (rejected.length > 0) {
    db.insert(ticketMessages)
      .values({
        ticketId,
        visibility: 'internal',
        authorType: 'system',
        authorName: 'MSIX Assist',
        channel: 'email',
        bodyText: `Attachments not kept:\n${rejected.map((line) => `- ${line}`).join('\n')}`,
        createdAt: now.toISOString(),
      })
      .run();
  }
}

/** Uploads per person per hour, enough for 12 messages with 5 files each. */
const uploadsPerPerson = { limit: 60, windowMs: 60 * 60 * 1000 };
/** Days an upload that no ticket or reply used is kept. Its file stays, because another upload may share it. */
const unusedUploadDays = 7;

/** Stores one uploaded file for the person and returns its upload id for a later ticket or reply. */
export function saveUpload(
  db: AppDatabase,
  directory: string,
  actor: Actor,
  file: { fileName: string; contentType: string; content: Buffer },
  now: Date,
) {
  const fileName = cleanFileName(file.fileName);
  const contentType = checkAttachment(fileName, file.contentType, file.content.length);
  countAttempt(db, `desk_upload:${actor.id}`, uploadsPerPerson, now);
  const sha256 = writeAttachmentFile(directory, file.content);
  const staleBefore = new Date(now.getTime() - unusedUploadDays * 24 * 60 * 60 * 1000).toISOString();

  const row = db.transaction((tx) => {
    tx.delete(ticketUploads)
      .where(
        and(
          eq(ticketUploads.personId, actor.id),
          isNull(ticketUploads.attachmentId),
          lt(ticketUploads.createdAt, staleBefore),
        ),
      )
      .run();
    return tx
      .insert(ticketUploads)
      .values({
        personId: actor.id,
        fileName,
        contentType,
        sizeBytes: file.content.length,
        sha256,
        createdAt: now.toISOString(),
      })
      .returning()
      .get();
  });
  return { id: row.id, fileName: row.fileName, contentType: row.contentType, sizeBytes: row.sizeBytes };
}

/** Returns the attachment row when the person may see its ticket and message (internal notes only for desk staff), or throws 404. */
export function findVisibleAttachment(db: AppDatabase, actor: Actor, ticketId: number, attachmentId: number) {
  findVisibleTicket(db, actor, ticketId);
  const row = db
    .select({ attachment: ticketAttachments, visibility: ticketMessages.visibility })
    .from(ticketAttachments)
    .leftJoin(ticketMessages, eq(ticketMessages.id, ticketAttachments.ticketMessageId))
    .where(and(eq(ticketAttachments.id, attachmentId), eq(ticketAttachments.ticketId, ticketId)))
    .get();
  const staff = actor.role === 'agent' || actor.role === 'admin';
  if (!row || (row.visibility === 'internal' && !staff)) {
    throw new AppError(404, 'not_found', `No attachment ${attachmentId} was found on ticket #${ticketId}.`);
  }
  return row.attachment;
}

export { maxAttachmentBytes };
