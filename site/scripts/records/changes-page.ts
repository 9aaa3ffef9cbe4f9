/**
 * /records/changes/?msix=MSIX_ID: a data administrator requests a merge of
 * another consolidated record into this one, or a split of one state record
 * out of it. The request waits for a second data administrator on the
 * worklist. Only the MSIX ID is in the address; names come from the API.
 */
import { ApiError, callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { formatCalendarDate, formatName, readMsixIdParam, recordPath } from './record-format';
import { element, findElement, requireDataAdministratorOnPage } from './worklist-shared';

interface StateRecord {
  studentId: number;
  state: string;
  stateStudentId: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  sex: string;
  birthDate: string;
}

interface PendingRequest {
  id: number;
  kind: 'merge' | 'split';
  msixId: string;
  otherMsixId: string | null;
  requestedBy: string;
}

interface RecordForChanges {
  msixId: string;
  requestedMsixId: string;
  retired: boolean;
  states: string[];
  stateRecords: StateRecord[];
  pendingRequest: PendingRequest | null;
}

export async function startChangesPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireDataAdministratorOnPage(session)) return;

  const alert = findElement<HTMLElement>('[data-changes-alert]');
  const msixId = readMsixIdParam();
  if (!msixId) {
    showErrorAlert(
      alert,
      new ApiError(
        400,
        'invalid_input',
        'Open this page from a consolidated record: the address needs an MSIX ID of 12 digits.',
      ),
    );
    return;
  }

  let record: RecordForChanges;
  try {
    record = await callApi<RecordForChanges>('GET', `/api/record-changes/record/${msixId}`);
  } catch (error) {
    showErrorAlert(alert, error);
    return;
  }
  showRecord(record);
  startForms(record);
}

function showRecord(record: RecordForChanges): void {
  findElement<HTMLElement>('[data-record-section]').hidden = false;
  findElement('[data-record-msix]').textContent = record.msixId;
  findElement<HTMLAnchorElement>('[data-record-link]').href = recordPath(record.msixId);
  const retired = findElement<HTMLElement>('[data-record-retired]');
  if (record.retired) {
    retired.hidden = false;
    retired.textContent = `The MSIX ID ${record.requestedMsixId} was retired by a merge. Its state records are now in ${record.msixId}, shown here.`;
  }

  const table = element('table', 'usa-table usa-table--borderless');
  table.append(element('caption', undefined, `State records in ${record.msixId}`));
  const head = element('thead');
  const headRow = element('tr');
  for (const label of ['State', 'State student ID', 'Name', 'Birth date', 'Sex']) {
    const cell = element('th', undefined, label);
    cell.scope = 'col';
    headRow.append(cell);
  }
  head.append(headRow);
  const body = element('tbody');
  for (const student of record.stateRecords) {
    const row = element('tr');
    row.append(
      element('td', undefined, student.state),
      element('td', undefined, student.stateStudentId),
      element('td', undefined, formatName(student)),
      element('td', undefined, formatCalendarDate(student.birthDate)),
      element('td', undefined, student.sex),
    );
    body.append(row);
  }
  table.append(head, body);
  findElement('[data-record-table]').replaceChildren(table);

  if (record.pendingRequest) {
    const pending = record.pendingRequest;
    findElement<HTMLElement>('[data-pending-section]').hidden = false;
    findElement('[data-pending-text]').textContent =
      pending.kind === 'merge'
        ? `${pending.requestedBy} asked to merge ${pending.otherMsixId ?? ''} into ${pending.msixId} (request ${pending.id}). The record takes no other request until it is validated or declined.`
        : `${pending.requestedBy} asked to split a state record out of ${pending.msixId} (request ${pending.id}). The record takes no other request until it is validated or declined.`;
  }
}

function startForms(record: RecordForChanges): void {
  if (record.pendingRequest) return;
  findElement<HTMLElement>('[data-request-forms]').hidden = false;

  const mergeForm = findElement<HTMLFormElement>('[data-merge-form]');
  mergeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(mergeForm, async () => {
      clearFormErrors(mergeForm);
      if (!checkRequiredFields(mergeForm)) return;
      const data = new FormData(mergeForm);
      const otherMsixId = data.get('otherMsixId')?.toString().trim() ?? '';
      if (!/^\d{12}$/.test(otherMsixId)) {
        showFieldProblems(mergeForm, [{ field: 'otherMsixId', message: 'Enter an MSIX ID of exactly 12 digits.' }]);
        return;
      }
      await sendRequest(mergeForm, {
        kind: 'merge',
        msixId: record.msixId,
        otherMsixId,
        reason: data.get('reason')?.toString() ?? '',
      });
    });
  });

  const splitForm = findElement<HTMLFormElement>('[data-split-form]');
  if (record.stateRecords.length < 2) {
    splitForm.hidden = true;
    findElement<HTMLElement>('[data-split-intro]').hidden = true;
    findElement<HTMLElement>('[data-split-none]').hidden = false;
    return;
  }
  const choices = findElement('[data-split-choices]');
  choices.replaceChildren(
    ...record.stateRecords.map((student, index) => {
      const wrapper = element('div', 'records-choice');
      const input = element('input');
      input.type = 'radio';
      input.name = 'studentId';
      input.id = `split-student-${index}`;
      input.value = String(student.studentId);
      const label = element(
        'label',
        undefined,
        `${student.state} ${student.stateStudentId}: ${formatName(student)}, born ${formatCalendarDate(student.birthDate)}`,
      );
      label.htmlFor = input.id;
      wrapper.append(input, label);
      return wrapper;
    }),
  );
  splitForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(splitForm, async () => {
      clearFormErrors(splitForm);
      const data = new FormData(splitForm);
      const studentId = Number(data.get('studentId'));
      if (!studentId) {
        showFieldProblems(splitForm, [{ field: 'studentId', message: 'Choose the state record to split out.' }]);
        return;
      }
      if (!checkRequiredFields(splitForm)) return;
      await sendRequest(splitForm, {
        kind: 'split',
        msixId: record.msixId,
        studentId,
        reason: data.get('reason')?.toString() ?? '',
      });
    });
  });
}

async function sendRequest(form: HTMLFormElement, body: Record<string, unknown>): Promise<void> {
  try {
    const result = await callApi<{ request: { id: number; kind: string } }>('POST', '/api/record-changes', body);
    findElement<HTMLElement>('[data-request-forms]').hidden = true;
    const status = findElement<HTMLElement>('[data-changes-status]');
    showStatus(
      status,
      `Your ${result.request.kind} request (number ${result.request.id}) is saved. It takes effect when a second data administrator validates it on the worklist.`,
    );
    findElement<HTMLElement>('#record-heading').focus();
  } catch (error) {
    showFormError(form, error);
  }
}
