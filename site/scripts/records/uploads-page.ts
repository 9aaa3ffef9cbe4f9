/**
 * The records upload page: sends each chosen file in its own request (with
 * the bytes sent as progress), starts the import of the batch, then polls the
 * upload until the server has checked every student and shows the result.
 * `?upload=ID` in the address shows the result of an earlier upload.
 */
import { ApiError, callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  whileSubmitting,
} from '../account/form-feedback';
import { describeState } from '../account/labels';
import { openGatedPage, type SessionPerson } from '../account/session';
import { findRequired } from '../plans/dom';
import { plural } from '../../lib/plural';
import { showUploadResult, type UploadStatus } from './uploads-result';

const fileNames = ['students.csv', 'qualifying_moves.csv', 'enrollments.csv', 'courses.csv', 'assessments.csv'];
/** Milliseconds between two progress requests while the server imports. */
const pollIntervalMs = 1000;

interface UploadsPage {
  person: SessionPerson;
  form: HTMLFormElement;
  stateSelect: HTMLSelectElement;
  fileInput: HTMLInputElement;
  progress: { section: HTMLElement; label: HTMLElement; bar: HTMLProgressElement; text: HTMLElement };
}

export async function startUploadsPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;
  if (session.person.recordsAccess !== 'data_administrator') {
    findRequired<HTMLElement>('[data-no-grant]').hidden = false;
    return;
  }
  findRequired<HTMLElement>('[data-upload-area]').hidden = false;

  const page: UploadsPage = {
    person: session.person,
    form: findRequired('[data-upload-form]'),
    stateSelect: findRequired('#upload-state'),
    fileInput: findRequired('#upload-files'),
    progress: {
      section: findRequired('[data-progress]'),
      label: findRequired('[data-progress-label]'),
      bar: findRequired('[data-progress-bar]'),
      text: findRequired('[data-progress-text]'),
    },
  };

  const ownState = session.person.state;
  const stateChoice = findRequired<HTMLElement>('[data-state-choice]');
  if (ownState) {
    stateChoice.hidden = true;
    page.stateSelect.required = false;
    findRequired<HTMLElement>('[data-own-state]').hidden = false;
    findRequired<HTMLElement>('[data-own-state-name]').textContent = describeState(ownState);
    findRequired<HTMLAnchorElement>('[data-quality-link]').href = `/records/quality/?state=${ownState}`;
  }

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.form, () => upload(page));
  });

  const earlier = new URLSearchParams(window.location.search).get('upload');
  if (earlier && /^\d{1,12}$/.test(earlier)) await followUpload(page, Number(earlier), false);
}

async function upload(page: UploadsPage): Promise<void> {
  clearFormErrors(page.form);
  if (!checkRequiredFields(page.form)) return;
  const files = [...(page.fileInput.files ?? [])];
  const unknown = files.filter((file) => !fileNames.includes(file.name.toLowerCase()));
  if (unknown.length > 0) {
    showFormError(
      page.form,
      new ApiError(
        400,
        'invalid_input',
        `${unknown.map((file) => file.name).join(', ')}: not an upload file name. Rename each file to one of ${fileNames.join(', ')}.`,
      ),
    );
    return;
  }
  if (!files.some((file) => file.name.toLowerCase() === 'students.csv')) {
    showFormError(
      page.form,
      new ApiError(400, 'invalid_input', 'students.csv is required in every upload. Add it to the files.'),
    );
    return;
  }

  showProgress(page, 'Sending files', 0, 'Sending the files to the server…');
  try {
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    let sentBefore = 0;
    let batchId: string | undefined;
    for (const file of files) {
      batchId = await sendFile(file, batchId, (sent) => {
        const percent = totalBytes === 0 ? 100 : (100 * (sentBefore + sent)) / totalBytes;
        showProgress(
          page,
          'Sending files',
          percent,
          `Sending ${file.name}: ${Math.floor(percent)}% of all files sent.`,
        );
      });
      sentBefore += file.size;
    }
    const body = ownStateOrChoice(page) ? { batchId, state: ownStateOrChoice(page) } : { batchId };
    const started = await callApi<UploadStatus>('POST', '/api/record-uploads', body);
    history.replaceState(null, '', `?upload=${started.upload.id}`);
    await followUpload(page, started.upload.id, true);
  } catch (error) {
    page.progress.section.hidden = true;
    showFormError(page.form, error);
  }
}

function ownStateOrChoice(page: UploadsPage): string | undefined {
  return page.person.state ?? (page.stateSelect.value || undefined);
}

/** Sends one file's bytes; resolves with the batch id. XMLHttpRequest, because fetch reports no upload progress. */
function sendFile(file: File, batchId: string | undefined, onProgress: (sentBytes: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams({ name: file.name.toLowerCase() });
    if (batchId) query.set('batch', batchId);
    const request = new XMLHttpRequest();
    request.open('POST', `/api/record-uploads/files?${query}`);
    request.setRequestHeader('Content-Type', 'text/csv');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded));
    request.addEventListener('load', () => {
      let parsed: { file?: { batchId: string }; error?: { code: string; message: string } } = {};
      try {
        parsed = JSON.parse(request.responseText) as typeof parsed;
      } catch {
        // Handled below as a failed request.
      }
      if (request.status === 201 && parsed.file) resolve(parsed.file.batchId);
      else
        reject(
          new ApiError(
            request.status,
            parsed.error?.code ?? 'upload_failed',
            parsed.error?.message ?? `${file.name} could not be sent (status ${request.status}). Try again.`,
          ),
        );
    });
    request.addEventListener('error', () =>
      reject(
        new ApiError(
          0,
          'network_error',
          `${file.name} could not be sent: the server could not be reached. Check your connection and try again.`,
        ),
      ),
    );
    request.send(file);
  });
}

/** Polls the upload until it has finished, showing its progress, then shows the result. */
async function followUpload(page: UploadsPage, uploadId: number, moveFocus: boolean): Promise<void> {
  const resultAlert = findRequired<HTMLElement>('[data-result-alert]');
  for (;;) {
    let status: UploadStatus;
    try {
      status = await callApi<UploadStatus>('GET', `/api/record-uploads/${uploadId}`);
    } catch (error) {
      page.progress.section.hidden = true;
      findRequired<HTMLElement>('[data-result]').hidden = false;
      showErrorAlert(resultAlert, error);
      return;
    }
    if (status.upload.status !== 'processing') {
      page.progress.section.hidden = true;
      await showUploadResult(status, moveFocus);
      return;
    }
    describeServerProgress(page, status);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

function describeServerProgress(page: UploadsPage, status: UploadStatus): void {
  const progress = status.progress;
  if (!progress) return;
  const { upload } = status;
  switch (progress.phase) {
    case 'reading': {
      const percent = progress.bytesTotal === 0 ? 0 : (100 * progress.bytesRead) / progress.bytesTotal;
      showProgress(page, 'Reading files', percent, `Reading the files: ${Math.floor(percent)}%.`);
      break;
    }
    case 'checking': {
      const percent = progress.studentsTotal === 0 ? 0 : (100 * progress.studentsChecked) / progress.studentsTotal;
      showProgress(
        page,
        'Checking students',
        percent,
        `Checked ${progress.studentsChecked.toLocaleString('en-US')} of ${plural(progress.studentsTotal, 'student')}: ${upload.studentsAccepted.toLocaleString('en-US')} accepted, ${upload.studentsUnchanged.toLocaleString('en-US')} unchanged, ${upload.studentsRejected.toLocaleString('en-US')} rejected.`,
      );
      break;
    }
    case 'linking':
    case 'finished':
      showProgress(page, 'Linking records', 100, 'Linking the accepted students with records of other states…');
      break;
  }
}

function showProgress(page: UploadsPage, label: string, percent: number, text: string): void {
  page.progress.section.hidden = false;
  page.progress.label.textContent = label;
  page.progress.bar.value = Math.min(100, Math.max(0, percent));
  // Announce only changes of phase or whole tens of percent, so screen readers are not flooded.
  const bucket = `${label}:${Math.floor(percent / 10)}`;
  if (page.progress.text.dataset.bucket !== bucket) {
    page.progress.text.dataset.bucket = bucket;
    page.progress.text.textContent = text;
  }
}
