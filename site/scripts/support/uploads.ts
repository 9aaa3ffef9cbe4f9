/**
 * Uploads the files chosen in a ticket form, one request per file with the
 * raw file as body, and returns their upload ids for the ticket or reply.
 * The file name travels percent-encoded in a header, never in the URL.
 */
import { ApiError } from '../account/api';

export const maxFiles = 5;
export const maxFileBytes = 10 * 1024 * 1024;

interface UploadAnswer {
  id: number;
}

/** Files already uploaded from this form, so a second try after an error does not upload them again. */
const uploaded = new WeakMap<File, number>();

export function checkFiles(files: readonly File[]): string | undefined {
  if (files.length > maxFiles) return `Attach at most ${maxFiles} files; you chose ${files.length}.`;
  const large = files.find((file) => file.size > maxFileBytes);
  if (large) return `${large.name} is larger than 10 MB, the maximum per file.`;
  const empty = files.find((file) => file.size === 0);
  if (empty) return `${empty.name} is empty.`;
  return undefined;
}

export async function uploadFiles(files: readonly File[]): Promise<number[]> {
  const ids: number[] = [];
  for (const file of files) {
    const known = uploaded.get(file);
    if (known !== undefined) {
      ids.push(known);
      continue;
    }
    const id = await uploadOne(file);
    uploaded.set(file, id);
    ids.push(id);
  }
  return ids;
}

async function uploadOne(file: File): Promise<number> {
  let response: Response;
  try {
    response = await fetch('/api/ticket-attachments', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream',
        'X-File-Name': encodeURIComponent(file.name),
      },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network_error', `${file.name} could not be uploaded. Check your connection and try again.`);
  }
  const body = (await response.json().catch(() => undefined)) as
    (UploadAnswer & { error?: { code?: string; message?: string } }) | undefined;
  if (response.ok && body) return body.id;
  throw new ApiError(
    response.status,
    body?.error?.code ?? 'upload_failed',
    `attachments: ${body?.error?.message ?? `${file.name} could not be uploaded (HTTP ${response.status}).`}`,
  );
}
