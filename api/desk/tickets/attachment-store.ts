/**
 * Ticket files on disk: stored under the attachments directory (outside the
 * static build) by their SHA-256, written once and never transformed, so the
 * same file attached twice is stored once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors';

/** Maximum size of one file, in bytes (10 MB). */
export const maxAttachmentBytes = 10 * 1024 * 1024;
/** Maximum files on one ticket message. */
export const maxAttachmentsPerMessage = 5;
/** Maximum characters of a file name as stored and shown. */
const maxFileNameLength = 200;

/** Allowed content types and the file-name extensions that go with them. */
export const allowedAttachmentTypes: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'text/plain': ['txt', 'log'],
  'text/csv': ['csv'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
};

export const allowedTypesDescription =
  'PDF, PNG, JPEG, GIF, plain text, CSV, Word (.doc, .docx) or Excel (.xls, .xlsx)';

export interface StoredFile {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** Removes path parts and control characters; a file name is shown to people, never used as a path. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const short = clean.length > maxFileNameLength ? clean.slice(clean.length - maxFileNameLength) : clean;
  return short === '' ? 'attachment' : short;
}

/**
 * Returns the allowed content type of a file, or null. A generic type such as
 * application/octet-stream, which mail clients often send, is resolved from
 * the file-name extension.
 */
export function resolveContentType(fileName: string, declared: string): string | null {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  const extension = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  if (type in allowedAttachmentTypes) return type;
  if (type === 'image/jpg' || type === 'image/pjpeg') return 'image/jpeg';
  if (type === '' || type === 'application/octet-stream' || type === 'application/x-download') {
    for (const [allowed, extensions] of Object.entries(allowedAttachmentTypes)) {
      if (extensions.includes(extension)) return allowed;
    }
  }
  return null;
}

/** Checks one file's type and size; throws a 400 or 413 naming the file and the limit. */
export function checkAttachment(fileName: string, declaredType: string, sizeBytes: number): string {
  const contentType = resolveContentType(fileName, declaredType);
  if (contentType === null) {
    throw new AppError(
      415,
      'attachment_type_not_allowed',
      `${fileName}: files of type ${declaredType || 'unknown'} cannot be attached. Attach ${allowedTypesDescription}.`,
    );
  }
  if (sizeBytes === 0) throw new AppError(400, 'attachment_empty', `${fileName}: the file is empty.`);
  if (sizeBytes > maxAttachmentBytes) {
    throw new AppError(
      413,
      'attachment_too_large',
      `${fileName}: the file is larger than 10 MB, the maximum per file.`,
    );
  }
  return contentType;
}

export function attachmentPath(directory: string, sha256: string): string {
  return path.join(directory, sha256.slice(0, 2), sha256);
}

/** Writes the file under its SHA-256 unless it is already stored; returns its hash. */
export function writeAttachmentFile(directory: string, content: Buffer): string {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const target = attachmentPath(directory, sha256);
  if (existsSync(target)) return sha256;
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.part`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, target);
  return sha256;
}
