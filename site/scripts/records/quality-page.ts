/**
 * The data-quality page. `?state=XX` shows a state's uploads over time with
 * their scores; `?upload=ID` shows one upload's report. Without either, it
 * shows the person's own state (admins and national staff choose a state).
 */
import { callApi } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { describeState, formatDateTime } from '../account/labels';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import type { UploadSummary } from './uploads-result';

interface UploadReport {
  upload: UploadSummary;
  completenessPercent: number | null;
  completeness: {
    element: string;
    label: string;
    appliesTo: string;
    applicable: number;
    supplied: number;
    percent: number;
  }[];
  rejectionsByRule: { rule: string; description: string; students: number; problems: number }[];
  topProblems: {
    description: string;
    file: string;
    column: string | null;
    count: number;
    exampleLocation: string;
    severity: 'error' | 'warning';
  }[];
}

interface StateHistory {
  state: string;
  uploads: UploadSummary[];
}

const number = (value: number) => value.toLocaleString('en-US');

export async function startQualityPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;
  const alert = findRequired<HTMLElement>('[data-quality-alert]');
  const params = new URLSearchParams(window.location.search);
  const uploadParam = params.get('upload');
  const stateParam = params.get('state')?.toUpperCase() ?? null;

  try {
    if (uploadParam && /^\d{1,12}$/.test(uploadParam)) {
      await showUploadReport(Number(uploadParam), session.person.recordsAccess === 'data_administrator');
      return;
    }
    const form = findRequired<HTMLFormElement>('[data-state-form]');
    const select = findRequired<HTMLSelectElement>('#quality-state');
    if (session.person.state === null) {
      form.hidden = false;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!select.value) return;
        history.replaceState(null, '', `?state=${select.value}`);
        void showStateHistory(select.value, true).catch((error: unknown) => showErrorAlert(alert, error));
      });
    }
    const state = stateParam ?? session.person.state;
    if (state && /^[A-Z]{2}$/.test(state)) {
      select.value = state;
      await showStateHistory(state, false);
    }
  } catch (error) {
    showErrorAlert(alert, error);
  }
}

async function showStateHistory(state: string, moveFocus: boolean): Promise<void> {
  const history = await callApi<StateHistory>('GET', `/api/records-quality/states/${state}`);
  findRequired<HTMLElement>('[data-state-view]').hidden = false;
  findRequired<HTMLElement>('[data-state-name]').textContent = describeState(history.state);
  findRequired<HTMLElement>('[data-state-empty]').hidden = history.uploads.length > 0;
  findRequired<HTMLElement>('[data-state-table]').hidden = history.uploads.length === 0;
  findRequired<HTMLAnchorElement>('[data-state-export]').href = `/api/records-quality/states/${history.state}/export`;

  findRequired<HTMLElement>('[data-state-rows]').replaceChildren(
    ...history.uploads.map((upload) =>
      createElement('tr', {}, [
        createElement('td', { text: formatDateTime(upload.startedAt) }),
        createElement('td', { text: upload.source === 'browser' ? 'Browser' : 'Command line' }),
        createElement('td', { text: describeStatus(upload) }),
        createElement('td', { text: number(upload.studentsReceived) }),
        createElement('td', { text: number(upload.studentsAccepted) }),
        createElement('td', { text: number(upload.studentsUnchanged) }),
        createElement('td', { text: number(upload.studentsRejected) }),
        createElement('td', { text: upload.qualityScore === null ? '-' : String(upload.qualityScore) }),
        createElement('td', {}, [
          createElement('a', {
            className: 'usa-link',
            text: `Report`,
            attributes: {
              href: `/records/quality/?upload=${upload.id}`,
              'aria-label': `Report of upload ${upload.id}`,
            },
          }),
        ]),
      ]),
    ),
  );
  if (moveFocus) findRequired<HTMLElement>('#state-heading').focus();
}

function describeStatus(upload: UploadSummary): string {
  if (upload.status === 'processing') return 'Being imported';
  if (upload.status === 'rejected') return 'File rejected';
  return 'Checked';
}

async function showUploadReport(uploadId: number, isDataAdministrator: boolean): Promise<void> {
  const report = await callApi<UploadReport>('GET', `/api/records-quality/uploads/${uploadId}`);
  const { upload } = report;
  findRequired<HTMLElement>('[data-upload-view]').hidden = false;
  findRequired<HTMLElement>('[data-upload-id]').textContent = `${upload.id} (${describeState(upload.state)})`;

  const status = findRequired<HTMLElement>('[data-upload-status]');
  if (upload.status !== 'completed') {
    const text =
      upload.status === 'rejected'
        ? (upload.rejectionMessage ?? 'The upload was rejected.')
        : 'This upload is still being imported. Reload the page in a minute.';
    status.replaceChildren(
      createElement(
        'div',
        {
          className: `usa-alert usa-alert--${upload.status === 'rejected' ? 'error' : 'info'} usa-alert--slim margin-bottom-3`,
        },
        [
          createElement('div', { className: 'usa-alert__body' }, [
            createElement('p', { className: 'usa-alert__text', text }),
          ]),
        ],
      ),
    );
  }

  const items: [string, string][] = [
    ['Started', formatDateTime(upload.startedAt)],
    ['Sent by', upload.uploadedBy ?? 'Unknown'],
    ['Files', upload.fileNames.join(', ') || 'none'],
    ['Students received', number(upload.studentsReceived)],
    ['Accepted (new or changed)', number(upload.studentsAccepted)],
    ['Unchanged', number(upload.studentsUnchanged)],
    ['Rejected', number(upload.studentsRejected)],
    ['Completeness', report.completenessPercent === null ? 'not measured' : `${report.completenessPercent}%`],
    ['Score', upload.qualityScore === null ? 'none' : `${upload.qualityScore} of 100`],
  ];
  findRequired<HTMLElement>('[data-upload-summary]').replaceChildren(
    ...items.flatMap(([term, value]) => [createElement('dt', { text: term }), createElement('dd', { text: value })]),
  );

  const links = [
    createElement('li', {}, [
      createElement('a', {
        className: 'usa-link',
        text: 'Download this report (CSV)',
        attributes: { href: `/api/records-quality/uploads/${upload.id}/export`, download: '' },
      }),
    ]),
    createElement('li', {}, [
      createElement('a', {
        className: 'usa-link',
        text: `All uploads of ${describeState(upload.state)}`,
        attributes: { href: `/records/quality/?state=${upload.state}` },
      }),
    ]),
  ];
  if (isDataAdministrator) {
    links.push(
      createElement('li', {}, [
        createElement('a', {
          className: 'usa-link',
          text: 'Every problem, student by student',
          attributes: { href: `/records/uploads/?upload=${upload.id}` },
        }),
      ]),
    );
  }
  findRequired<HTMLElement>('[data-upload-links]').replaceChildren(...links);

  fillTable(
    'completeness',
    report.completeness.map((row) => [
      row.label,
      row.appliesTo,
      `${number(row.supplied)} of ${number(row.applicable)}`,
      `${row.percent}%`,
    ]),
  );
  fillTable(
    'rules',
    report.rejectionsByRule.map((row) => [row.description, number(row.students), number(row.problems)]),
  );
  fillTable(
    'top',
    report.topProblems.map((row) => [
      row.severity === 'warning' ? `${row.description} (warning)` : row.description,
      row.column ? `${row.file}, ${row.column}` : row.file,
      number(row.count),
      row.exampleLocation,
    ]),
  );
}

function fillTable(name: string, rows: string[][]): void {
  findRequired<HTMLElement>(`[data-${name}-empty]`).hidden = rows.length > 0;
  findRequired<HTMLElement>(`[data-${name}-table]`).hidden = rows.length === 0;
  findRequired<HTMLElement>(`[data-${name}-rows]`).replaceChildren(
    ...rows.map((cells) =>
      createElement(
        'tr',
        {},
        cells.map((text) => createElement('td', { text })),
      ),
    ),
  );
}
