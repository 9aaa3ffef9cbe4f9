/**
 * The consolidated record page, /records/record/?msix=MSIX_ID. It opens the
 * record with the purpose given on the search page, or requests one first.
 * Data administrators of the reporting states also see who opened it.
 */
import { ApiError, callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
} from '../account/form-feedback';
import { formatDateTime } from '../account/labels';
import { openGatedPage, type SignedInSession } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import {
  describePurpose,
  formatName,
  formatScore,
  readMsixIdParam,
  recordPath,
  requireRecordsAccessOnPage,
} from './record-format';
import {
  connectPurposeFields,
  fillPurposeFields,
  readPurposeFields,
  readStoredPurpose,
  storePurpose,
  type Purpose,
} from './record-purpose';
import { renderRecordSections, renderTable } from './record-sections';
import type { AccessLogEntry, ConsolidatedRecord, LinkReasons } from './record-types';

export async function startRecordPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireRecordsAccessOnPage(session)) return;

  const status = findRequired<HTMLElement>('[data-record-status]');
  const msixId = readMsixIdParam();
  if (!msixId) {
    showStatus(
      status,
      'This address has no MSIX ID. Find the child on the Student records page and open the record from the results.',
      'info',
    );
    return;
  }

  const stored = readStoredPurpose();
  if (stored) {
    await openRecord(session, msixId, stored);
    return;
  }
  askForPurpose(session, msixId);
}

function askForPurpose(session: SignedInSession, msixId: string): void {
  const form = findRequired<HTMLFormElement>('[data-record-purpose-form]');
  connectPurposeFields(form);
  fillPurposeFields(form, undefined);
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(form);
    if (!checkRequiredFields(form)) return;
    const purpose = readPurposeFields(form);
    void openRecord(session, msixId, purpose, form);
  });
}

async function openRecord(
  session: SignedInSession,
  msixId: string,
  purpose: Purpose,
  form?: HTMLFormElement,
): Promise<void> {
  const status = findRequired<HTMLElement>('[data-record-status]');
  const alert = findRequired<HTMLElement>('[data-record-alert]');
  showStatus(status, 'Opening the record…', 'info');

  let record: ConsolidatedRecord;
  try {
    record = await callApi<ConsolidatedRecord>('POST', `/api/records/${msixId}/view`, purpose);
  } catch (error) {
    status.replaceChildren();
    // A stored purpose that the server rejects is asked for again.
    if (form) showFormError(form, error);
    else if (error instanceof ApiError && error.status === 400) askForPurpose(session, msixId);
    else showErrorAlert(alert, error);
    return;
  }

  storePurpose(purpose);
  status.replaceChildren();
  if (form) form.hidden = true;
  showRecord(record);
  if (session.person.recordsAccess === 'data_administrator') void showAccessLog(session, record);
}

function showRecord(record: ConsolidatedRecord): void {
  const heading = findRequired<HTMLElement>('[data-record-heading]');
  heading.textContent = `Consolidated record of ${formatName(record.identity.merged)}`;
  // The document title stays free of the name, because browsers keep titles in their history.
  document.title = `Consolidated record ${record.msixId} | MSIX Assist`;

  if (record.requestedMsixId) {
    showStatus(
      findRequired<HTMLElement>('[data-record-status]'),
      `MSIX ID ${record.requestedMsixId} was merged into this record, whose MSIX ID is ${record.msixId}.`,
      'info',
    );
  }
  const links: Record<string, string> = {
    print: recordPath(record.msixId, 'print'),
    'move-notice': `/records/move-notice/?msix=${record.msixId}`,
    changes: `/records/changes/?msix=${record.msixId}`,
  };
  for (const [name, href] of Object.entries(links)) {
    findRequired<HTMLAnchorElement>(`[data-record-link="${name}"]`).href = href;
  }

  renderRecordSections(record);
  findRequired<HTMLElement>('[data-record-link-reasons]').replaceChildren(...renderLinkReasons(record.linkReasons));
  findRequired<HTMLElement>('[data-record]').hidden = false;
  heading.focus();
}

const outcomeLabels: Record<string, string> = {
  agree: 'agrees',
  partial: 'partly agrees',
  disagree: 'differs',
  missing: 'missing on one side',
};

const nearMatchStatusLabels: Record<string, string> = {
  open: 'waiting for a data administrator',
  confirmed: 'confirmed as the same child',
  rejected: 'rejected as a different child',
};

function renderLinkReasons(reasons: LinkReasons): Node[] {
  if (reasons.students.length === 0 && reasons.nearMatches.length === 0) {
    return [createElement('p', { className: 'usa-hint', text: 'No linking decisions are stored for this record.' })];
  }
  const items = reasons.students.map((student) => {
    const fields = student.reasons.comparison?.fields ?? [];
    return createElement('li', {}, [
      createElement('strong', { text: `${student.state} report (state student ID ${student.stateStudentId}): ` }),
      student.reasons.summary,
      fields.length > 0
        ? createElement(
            'ul',
            {},
            fields.map((field) =>
              createElement('li', { text: `${field.detail} (${outcomeLabels[field.outcome] ?? field.outcome})` }),
            ),
          )
        : null,
    ]);
  });
  const nodes: Node[] = [createElement('ul', { className: 'usa-list' }, items)];
  if (reasons.nearMatches.length > 0) {
    nodes.push(
      createElement('h3', { text: 'Near matches' }),
      createElement(
        'ul',
        { className: 'usa-list' },
        reasons.nearMatches.map((match) =>
          createElement('li', {}, [
            `Match strength ${formatScore(match.reasons.score)} (records are linked automatically at ${formatScore(match.reasons.thresholds.link)} or more), ${nearMatchStatusLabels[match.status] ?? match.status}: `,
            match.reasons.fields.map((field) => field.detail).join('; '),
          ]),
        ),
      ),
    );
  }
  return nodes;
}

async function showAccessLog(session: SignedInSession, record: ConsolidatedRecord): Promise<void> {
  // Only data administrators of the reporting states (and admins) may read the log.
  if (session.person.role !== 'admin' && !record.states.includes(session.person.state ?? '')) return;
  const section = findRequired<HTMLElement>('[data-access-log]');
  const content = findRequired<HTMLElement>('[data-access-log-content]');
  try {
    const log = await callApi<{ entries: AccessLogEntry[]; limited: boolean }>(
      'GET',
      `/api/records/${record.msixId}/access-log`,
    );
    content.replaceChildren(
      renderTable<AccessLogEntry>(
        'Views and prints of this record, newest first',
        [
          { label: 'When', value: (entry) => formatDateTime(entry.at) },
          { label: 'Who', value: (entry) => [entry.personName, entry.personEmail].filter(Boolean).join(', ') },
          { label: 'State', value: (entry) => entry.personState ?? 'National' },
          { label: 'What', value: (entry) => (entry.action === 'records.print' ? 'Printed' : 'Viewed') },
          { label: 'Purpose', value: (entry) => describePurpose(entry.purpose, entry.purposeText) },
        ],
        log.entries,
      ),
    );
    if (log.limited)
      content.append(createElement('p', { className: 'usa-hint', text: 'Only the newest 500 entries are shown.' }));
  } catch (error) {
    showErrorAlert(content, error);
  }
  section.hidden = false;
}
